import Foundation
import HummingbirdWSClient
import NIOCore
import SnapRateCore
import ThumbRating
import AnalyticsStore
import Testing
import TestSupport

/// Subscribers that misbehave, against a real `serve` on loopback: one never reads, one reads
/// nothing until told to, one connects and hangs up in a loop. None may hold back detection, keep
/// a well-behaved subscriber from its ratings, or grow the daemon's memory with its backlog; the
/// late reader gets a gap message and a replay, and in the end every rating exactly once.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests), .serialized) struct MisbehavingSubscriberTests {
    /// Replaying this many stored ratings is about 10 MB of messages: more than any socket buffers
    /// on the way, so a subscriber that does not read really stops the server's writes to it.
    static let archived = 50_000

    @Test func stalledLateAndChurningSubscribersCostTheOthersNothing() async throws {
        // The clip twice over as one stream, and what `analyze` makes of it.
        let folder = try Clips.temporaryFolder()
        let stream = try LoopedClip(try Clips.clip("nvpr_down_up_down.webm"), loops: 2, realTime: false)
            .output.readDataToEndOfFile()
        let streamFile = folder.appendingPathComponent("twice.webm")
        try stream.write(to: streamFile)
        let expected = try await Analyze.ratings(of: streamFile.path)
        let live = expected.count
        let database = folder.appendingPathComponent("subscribers.sqlite").path
        try await Self.archive(Self.archived, into: database)

        // A push buffer of 2 ratings: the third stored while a subscriber is stuck laps it. A
        // subscriber whose socket takes nothing for 45 s is cut: long enough that the readers
        // here, which never pause for long, are not taken for stalled when other test suites
        // keep this process from running for a while (with 20 s, one clean-clone CI run cut the
        // late reader too, 4,110 ratings into its replay).
        let server = try ServeProcess(store: database, arguments: ["--stdin", "cam", "--push-buffer", "2", "--send-timeout", "45"])
        let url = "\(server.webSocketURL)/ws"
        // The readers run on a thread of their own. On the cooperative pool, suites that compute
        // without suspending (the fuzz run, the ring buffer's) can hold both threads for longer
        // than the send timeout, and a reader kept from reading is, to the server, stalled.
        let readers = SocketClients.ownThread
        // Connects and never reads.
        let stall = { @Sendable in
            Task(executorPreference: readers) {
                try await WebSocketClient.connect(url: "\(url)?since=0", logger: SocketClients.logger) { _, _, _ in
                    try await Task.sleep(for: .seconds(3600))
                }
            }
        }
        let stalled = stall()
        let release = LockedFlag()
        let late = MessageLog()
        let lateReader = Task(executorPreference: readers) {
            try await WebSocketClient.connect(url: "\(url)?since=0", logger: SocketClients.logger) { inbound, _, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                // Until released, slow after the first 1,000: a pause of a tenth of a second
                // each 20 messages, about 40 KB/s. That keeps it in the replay for minutes, so
                // it is still there when the live ratings come, yet each write to it finishes
                // in a second or two (a trickle of a few KB/s would not: the server's writes
                // wait for the client to free a TCP window, and would look stalled).
                var read = 0
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    let decoded = SocketClients.decode(text)
                    late.append(decoded)
                    if let seq = decoded.seq, seq >= release.value ?? .max { return }
                    read += 1
                    if release.value == nil, read > 1000, read % 20 == 0 { try await Task.sleep(for: .milliseconds(100)) }
                }
            }
        }
        let churner = Task(executorPreference: readers) {
            var connections = 0
            while !Task.isCancelled {
                // Each connection asks for the whole archive, takes one message and hangs up.
                _ = try? await WebSocketClient.connect(url: "\(url)?since=0", logger: SocketClients.logger) { inbound, _, _ in
                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    _ = try await messages.next()
                }
                connections += 1
            }
            return connections
        }
        try await Task.sleep(for: .seconds(1))
        let before = server.memory

        let prompt = MessageLog()
        async let promptDone = SocketClients.subscribe("\(url)?since=\(Self.archived)", into: prompt) {
            $0.ratings.count >= live
        }
        server.feedStdin(stream)
        _ = try await promptDone

        // The well-behaved subscriber got every live rating at once, with no gap.
        #expect(prompt.ratings.compactMap(\.expected) == expected)
        #expect(!prompt.all.contains { $0.type == "gap" })
        // Detection went on: every frame of the stream was rated.
        let session = try await SocketClients.endedSessions(server.baseURL, kiosk: "cam").first
        #expect(session?["end_reason"] as? String == "finished" && session?["frames"] as? Int == 2 * 154)
        // What the stuck subscribers were not sent stayed in the store, not in the daemon.
        let after = server.memory
        let growth = after.resident - before.resident
        #expect(growth < 64 << 20, "resident memory grew by \(growth >> 20) MB (\(before.resident >> 20) -> \(after.resident >> 20) MB)")
        print("misbehaving subscribers: resident \(before.resident >> 20) -> \(after.resident >> 20) MB, peak \(after.peak >> 20) MB")

        // The late reader, once it reads: the archive, a gap message for what passed it by, then
        // the rest from the store; every rating once, in order.
        let latest = try #require(try await SocketClients.getJSON("\(server.baseURL)/api/summary")["latest_seq"] as? Int)
        #expect(latest == Self.archived + live)
        release.set(Int64(latest))
        _ = try await awaiting("the late reader to catch up, \(late.all.count) messages so far") { try await lateReader.value }
        let sequences = late.ratings.compactMap(\.seq)
        let misplaced = zip(sequences, Int64(1)...).first { $0 != $1 }
        #expect(sequences.count == Self.archived + live && misplaced == nil,
                "the late reader got \(sequences.count) of \(Self.archived + live); first out of place (got, expected): \(String(describing: misplaced))")
        // The ring passed the late reader by while the server was blocked writing to it; what it
        // missed came from the store (the gap message itself is checked in `SubscriptionTests`).
        #expect(try await SocketClients.metric(server.baseURL, "snaprate_push_gaps_total") ?? 0 >= 1)

        churner.cancel()
        let connections = await churner.value
        #expect(connections > 10)
        print("misbehaving subscribers: churner connected \(connections) times")
        // The subscriber that never reads is cut, and nothing else is.
        try await eventually("the stalled subscriber to be cut", every: .milliseconds(100)) {
            try await SocketClients.metric(server.baseURL, "snaprate_subscribers_cut_total") ?? 0 >= 1
        }
        #expect(try await SocketClients.metric(server.baseURL, "snaprate_subscribers_cut_total") == 1)
        stalled.cancel()
        // Nor does one that stops reading just before shutdown hold it up.
        let stalledAtShutdown = stall()
        try await Task.sleep(for: .seconds(1))
        #expect(await server.stop() == 0, "\(server.stderr)")
        stalledAtShutdown.cancel()
    }

    /// Stores `count` ratings of an earlier event in a fresh SQLite file, as one batch.
    static func archive(_ count: Int, into path: String) async throws {
        let store = try SQLiteRatingStore(path: path)
        let session = UUID()
        let start = Date().addingTimeInterval(-86_400)
        let ratings = (0..<count).map { index in
            RatingRecord(event: "earlier", kiosk: "archive", session: session, rating: index % 3 == 0 ? .down : .up,
                      confidence: 0.9, mediaTime: Double(index), wallTime: start.addingTimeInterval(Double(index)),
                      latencyMilliseconds: 5, model: "lite")
        }
        _ = try await store.append(ratings)
    }
}

/// A value set once, read from any task.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int64?
    var value: Int64? { lock.withLock { stored } }
    func set(_ value: Int64) { lock.withLock { stored = value } }
}
