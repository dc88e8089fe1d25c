import Foundation
import Logging
import AnalyticsStore
import Testing
import TestSupport

/// Two real `snaprate serve` processes on one PostgreSQL database (`.ci/postgres`), the real lite
/// models and the shared clips: a subscriber on one node gets what the other detected, in the
/// database's order, and a database restarted mid-stream loses nothing.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests && PostgresTestServer.runTests,
                "needs the shared gesture set and PostgreSQL"), .serialized)
struct MultiNodeTests {
    static let clipName = "nvpr_down_up_down.webm"

    @Test func subscribersOnEitherNodeSeeBothNodesRatingsInOneOrder() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        try #require(expected.count >= 2, "the clip should hold several ratings")
        let count = expected.count
        let url = try await PostgresTestServer.shared().makeDatabase()
        let nodeA = try ServeProcess(store: url, arguments: ["--stdin", "door-a", "--event", "expo"])
        let nodeB = try ServeProcess(store: url, arguments: ["--stdin", "door-b", "--event", "expo"])

        // Subscribed on both nodes before anything is detected; then each node rates the clip.
        let logA = MessageLog(), logB = MessageLog()
        async let onA = SocketClients.subscribe("\(nodeA.webSocketURL)/ws?since=0", into: logA) { $0.ratings.count >= 2 * count }
        async let onB = SocketClients.subscribe("\(nodeB.webSocketURL)/ws?since=0", into: logB) { $0.ratings.count >= 2 * count }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        nodeA.feedStdin(bytes)
        nodeB.feedStdin(bytes)
        _ = try await (onA, onB)

        // Sequence numbers from the database: 1...2n with no gap, in the same order on both nodes.
        let pushedA = logA.ratings, pushedB = logB.ratings
        #expect(pushedA.compactMap(\.seq) == Array(1...Int64(2 * count)))
        #expect(pushedB.compactMap(\.seq) == pushedA.compactMap(\.seq))
        #expect(pushedB.map(\.kiosk) == pushedA.map(\.kiosk))
        // Each kiosk's ratings are the clip's, whichever node detected them.
        for kiosk in ["door-a", "door-b"] {
            #expect(pushedA.filter { $0.kiosk == kiosk }.compactMap(\.expected) == expected, "\(kiosk) on node A")
            #expect(pushedB.filter { $0.kiosk == kiosk }.compactMap(\.expected) == expected, "\(kiosk) on node B")
        }

        // Replay with `since` means the same on both nodes.
        let middle = Int64(count)
        let replayA = try await SocketClients.subscribe("\(nodeA.webSocketURL)/ws?since=\(middle)") { $0.ratings.count >= count }
        let replayB = try await SocketClients.subscribe("\(nodeB.webSocketURL)/ws?since=\(middle)") { $0.ratings.count >= count }
        #expect(replayA.ratings.compactMap(\.seq) == Array(middle + 1...Int64(2 * count)))
        #expect(replayB.ratings.compactMap(\.seq) == replayA.ratings.compactMap(\.seq))
        let kioskReplay = try await SocketClients.subscribe("\(nodeA.webSocketURL)/ws?kiosk=door-b&since=0") {
            $0.ratings.count >= count
        }
        #expect(kioskReplay.ratings.compactMap(\.seq) == pushedA.filter { $0.kiosk == "door-b" }.compactMap(\.seq))

        // The API of either node reads the one database.
        let summary = try await SocketClients.getJSON("\(nodeB.baseURL)/api/summary?event=expo")
        #expect((summary["kiosks"] as? [[String: Any]])?.map { $0["kiosk"] as? String } == ["door-a", "door-b"])
        _ = try await SocketClients.endedSessions(nodeA.baseURL, kiosk: "door-b")
        let sessions = try await SocketClients.getJSON("\(nodeA.baseURL)/api/sessions")["sessions"] as? [[String: Any]]
        #expect(sessions?.count == 2)

        #expect(await nodeA.stop() == 0, "\(nodeA.stderr)")
        #expect(await nodeB.stop() == 0, "\(nodeB.stderr)")
    }

    /// PostgreSQL killed (as in a crash) while node B is rating a stream, and started again a few
    /// seconds later: detection goes on, ratings wait in B's queue, and when the database is back
    /// every rating is stored once, in order, and pushed to the subscriber on node A.
    @Test func aDatabaseRestartedMidStreamLosesNothing() async throws {
        let clip = try Clips.clip("dhar_kiosk_session.webm")
        let expected = try await Analyze.ratings(of: clip)
        try #require(expected.count >= 3, "the clip should hold several ratings")
        let count = expected.count
        let server = try PostgresTestServer.startPrivate()
        defer { try? server.remove() }
        let url = try await server.makeDatabase()
        let nodeA = try ServeProcess(store: url)
        let nodeB = try ServeProcess(store: url, arguments: ["--stdin", "cam"])
        let log = MessageLog()
        async let subscribed = SocketClients.subscribe("\(nodeA.webSocketURL)/ws?since=0", into: log) { $0.ratings.count >= count }

        // The stream's first part, until its first rating has gone all the way to node A.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        var sent = 0
        while log.ratings.isEmpty {
            try #require(sent < bytes.count, "the first rating never reached node A")
            let end = min(bytes.count, sent + 16 * 1024)
            try nodeB.writeStdin(bytes[sent..<end])
            sent = end
            try await Task.sleep(for: .milliseconds(20))
        }

        try server.kill()
        // The rest of the stream arrives while the database is away: node B goes on detecting.
        try await nodeB.sendStdin(Data(bytes[sent...]))
        try await eventually("every rating detected on node B") {
            try await SocketClients.metric(nodeB.baseURL, "snaprate_ratings_detected_total") == Double(count)
        }
        let waiting = try await SocketClients.metric(nodeB.baseURL, "snaprate_ratings_pending") ?? 0
        let failures = try await SocketClients.metric(nodeB.baseURL, "snaprate_store_failures_total") ?? 0
        // Ratings detected meanwhile were written and failed: they waited for the database.
        #expect(failures >= 1, "\(failures) failed writes, \(waiting) ratings waiting besides the batch being retried")
        try await Task.sleep(for: .seconds(2))
        try server.start()
        try nodeB.closeStdin()
        _ = try await subscribed

        let pushed = log.ratings
        #expect(pushed.compactMap(\.expected) == expected)
        #expect(pushed.compactMap(\.seq) == Array(1...Int64(count)))
        #expect(try await SocketClients.metric(nodeB.baseURL, "snaprate_ratings_lost_total") == 0)
        let ended = try? await SocketClients.endedSessions(nodeA.baseURL, kiosk: "cam")
        #expect(ended?.count == 1, "node B: \(nodeB.stderr)\nnode A: \(nodeA.stderr)")
        #expect(await nodeA.stop() == 0, "\(nodeA.stderr)")
        #expect(await nodeB.stop() == 0, "\(nodeB.stderr)")
        #expect(nodeB.stderr.contains("the store takes writes again"), "B logged the recovery")

        // Stored exactly once each, numbered without a gap.
        let store = try await PostgresRatingStore.open(try PostgresStoreConfiguration(url: url), logger: Logger(label: "test.check"))
        let reading = Task { await store.run() }
        defer { reading.cancel() }
        let stored = try await store.ratings(after: 0, kiosk: nil, limit: 100)
        #expect(stored.map(\.storedSequence) == Array(1...Int64(count)))
        #expect(stored.map { ExpectedRating(rating: $0.rating.rawValue, time: $0.mediaTime) } == expected)
        let sessions = try await store.sessions(kiosk: "cam")
        #expect(sessions.count == 1 && sessions.first?.endReason == "finished")
    }
}
