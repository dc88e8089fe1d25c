import Foundation
import Logging
import Rating
import RatingStore
import RatingStream
import Testing
@testable import RatingServer

/// The push path in process: a subscriber the stored-ratings ring laps gets a gap message and a
/// replay from the store, and still sees every rating exactly once, in order.
@Suite struct SubscriptionTests {
    struct Sent: Decodable {
        var type: String
        var seq: Int64?
        var from: Int64?
        var to: Int64?
    }

    final class Outbox: @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [Sent] = []
        let events: AsyncStream<Int>
        private let continuation: AsyncStream<Int>.Continuation

        init() { (events, continuation) = AsyncStream.makeStream() }

        var all: [Sent] { lock.withLock { sent } }

        func record(_ text: String) throws {
            let message = try JSONDecoder().decode(Sent.self, from: Data(text.utf8))
            let count = lock.withLock { sent.append(message); return sent.count }
            continuation.yield(count)
        }

        /// Waits (for the next events) until `count` messages were sent.
        func wait(for count: Int) async {
            for await sent in events where sent >= count { return }
        }
    }

    private func context(ringCapacity: Int) throws -> ServerContext {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-sub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteRatingStore(path: folder.appendingPathComponent("s.sqlite").path)
        return ServerContext(configuration: ServerConfiguration(storedRingCapacity: ringCapacity), store: store,
                             logger: Logger(label: "test.subscription"))
    }

    private func storeAndPublish(_ context: ServerContext, kiosk: String, time: Double) async throws -> Int64 {
        let id = try #require(KioskID(kiosk))
        let detected = DetectedRating(kiosk: id, session: UUID(), rating: .up, confidence: 0.9, mediaTime: time,
                                      wallTime: Date(), latencyMilliseconds: 5, model: "lite")
        let record = try #require(try await context.store.append([
            NewRating(event: "e", kiosk: kiosk, session: detected.session, rating: .up, confidence: 0.9, mediaTime: time,
                      wallTime: detected.wallTime, latencyMilliseconds: 5, model: "lite"),
        ]).first)
        await context.stored.publish(StoredRating(sequence: record.sequence, rating: detected))
        return record.sequence
    }

    @Test func aLappedSubscriberGetsAGapThenEveryRatingOnceInOrder() async throws {
        let context = try context(ringCapacity: 4)
        let outbox = Outbox()
        let release = AsyncStream<Void>.makeStream()
        let subscription = Subscription(context: context, kiosk: nil, since: 0)
        let cursor = context.stored.makeCursor(gating: false)
        let pusher = Task {
            var first = true
            try await subscription.push(cursor: cursor) { text in
                try outbox.record(text)
                if first {
                    first = false
                    // Stall on the first message while the ring laps this subscriber.
                    for await _ in release.stream { break }
                }
            }
        }
        _ = try await storeAndPublish(context, kiosk: "k", time: 0)
        await outbox.wait(for: 1)
        for index in 1..<20 { _ = try await storeAndPublish(context, kiosk: "k", time: Double(index)) }
        release.continuation.yield()
        await outbox.wait(for: 21)  // 20 ratings and one gap
        pusher.cancel()
        _ = try? await pusher.value

        let sent = outbox.all
        #expect(sent.filter { $0.type == "rating" }.compactMap(\.seq) == Array(1...20))
        let gaps = sent.filter { $0.type == "gap" }
        #expect(gaps.count == 1 && gaps.first?.from == 2 && gaps.first?.to == 20)
        #expect(sent.count == 21)
    }

    @Test func replayThenLiveWithAKioskFilterHasNoDuplicates() async throws {
        let context = try context(ringCapacity: 64)
        // Stored before the subscriber came: replayed. Others' ratings are never sent.
        for index in 0..<3 {
            _ = try await storeAndPublish(context, kiosk: "a", time: Double(index))
            _ = try await storeAndPublish(context, kiosk: "b", time: Double(index))
        }
        let outbox = Outbox()
        let subscription = Subscription(context: context, kiosk: KioskID("a"), since: 1)
        let cursor = context.stored.makeCursor(gating: false)
        // Published after the cursor exists but also in the store: must go out once.
        let overlap = try await storeAndPublish(context, kiosk: "a", time: 10)
        let pusher = Task { try await subscription.push(cursor: cursor) { try outbox.record($0) } }
        await outbox.wait(for: 3)
        let live = try await storeAndPublish(context, kiosk: "a", time: 11)
        _ = try await storeAndPublish(context, kiosk: "b", time: 11)
        await outbox.wait(for: 4)
        pusher.cancel()
        _ = try? await pusher.value
        #expect(outbox.all.compactMap(\.seq) == [3, 5, overlap, live])
    }
}
