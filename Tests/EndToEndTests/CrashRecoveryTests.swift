import Foundation
import AnalyticsStore
import Testing
import TestSupport

/// A `serve` process killed with SIGKILL mid-stream, for real, then started again on the same store.
///
/// Subscribers only ever receive ratings the store has committed, so a crash can cost a rating
/// that was detected but not yet stored, never one anybody saw. What this checks: every rating a
/// subscriber received is in the store unchanged, the store opens cleanly, the numbering has no
/// hole, whatever was stored but not pushed is replayable with `since`, and the restarted daemon
/// carries on numbering after the last stored rating.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests), .serialized) struct CrashRecoveryTests {
    static let clipName = "nvpr_down_up_down.webm"

    @Test func aKilledServerLosesNoRatingASubscriberReceived() async throws {
        let database = try Clips.temporaryFolder().appendingPathComponent("crash.sqlite").path
        try await killMidStreamAndRestart(store: "sqlite:\(database)")
        let store = try SQLiteRatingStore(path: database)
        #expect(try await store.integrityProblems() == [])
    }

    @Test(.enabled(if: PostgresTestServer.runTests))
    func aKilledPostgresNodeLosesNoRatingASubscriberReceived() async throws {
        try await killMidStreamAndRestart(store: try await PostgresTestServer.shared().makeDatabase())
    }

    private func killMidStreamAndRestart(store: String) async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        try #require(expected.count >= 2)

        // A camera at its own pace, looped: the stream is running when the process dies.
        let first = try ServeProcess(store: store, arguments: ["--stdin", "cam"])
        let camera = try LoopedClip(clip, loops: 4)
        first.pumpStdin(from: camera.output)
        let received = MessageLog()
        let subscriber = Task {
            try await SocketClients.subscribe("\(first.webSocketURL)/ws?since=0", into: received) { _ in false }
        }
        try await eventually("two ratings pushed before the kill", every: .milliseconds(10)) { received.ratings.count >= 2 }
        first.sigkill()
        camera.stop()
        _ = await subscriber.result
        let seen = received.ratings

        // The store opens (the restarted daemon would refuse to start otherwise) and holds every
        // rating that was pushed, as it was pushed, numbered without a hole.
        let second = try ServeProcess(store: store, arguments: ["--stdin", "cam"])
        let latest = try #require(try await SocketClients.getJSON("\(second.baseURL)/api/summary")["latest_seq"] as? Int)
        let replay = try await SocketClients.subscribe("\(second.webSocketURL)/ws?since=0") {
            $0.ratings.count >= latest
        }.ratings
        #expect(replay.compactMap(\.seq) == (1...Int64(latest)).map { $0 })
        let storedBySeq = Dictionary(uniqueKeysWithValues: replay.map { ($0.seq ?? 0, $0) })
        for rating in seen {
            #expect(storedBySeq[rating.seq ?? -1] == rating, "pushed before the kill but not stored as pushed: \(rating)")
        }

        // What was stored after the subscriber's last message is replayable from there.
        let lastSeen = try #require(seen.last?.seq)
        let rest = try await SocketClients.subscribe("\(second.webSocketURL)/ws?since=\(lastSeen)") {
            $0.ratings.count >= latest - Int(lastSeen)
        }.ratings
        #expect(rest.compactMap(\.seq) == replay.compactMap(\.seq).filter { $0 > lastSeen })

        // The restarted daemon rates a new stream and numbers on from the last stored rating.
        let live = MessageLog()
        async let next = SocketClients.subscribe("\(second.webSocketURL)/ws?since=\(latest)", into: live) {
            $0.ratings.count >= expected.count
        }
        second.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        _ = try await next
        #expect(live.ratings.compactMap(\.expected) == expected)
        #expect(live.ratings.compactMap(\.seq) == (1...Int64(expected.count)).map { Int64(latest) + $0 })
        #expect(second.terminate() == 0, "\(second.stderr)")
    }
}
