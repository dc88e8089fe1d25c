import Foundation
import Logging
import NIOCore
import SnapRateCore
import ThumbRating
import AnalyticsStore
import RatingRing
import Testing
@testable import SnapRateServer

/// The push path in process, with the live fanout running and a recording client: a subscriber
/// that falls behind gets a gap message and a replay from the store, and every subscriber sees
/// every rating exactly once, in order, whoever else is stalled.
@Suite(.timeLimit(.minutes(15))) struct SubscriptionTests {
    struct Sent: Decodable {
        var type: String
        var seq: Int64?
        var from: Int64?
        var to: Int64?
    }

    /// A client as the push path sees it: it takes messages while `keepingUp`, and a waiting
    /// send (a catch-up's) blocks while `held`.
    final class RecordingSink: PushSink, @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [Sent] = []
        private var isKeepingUp = true
        private var isHeld = false

        var all: [Sent] { lock.withLock { sent } }
        var ratings: [Int64] { all.filter { $0.type == "rating" }.compactMap(\.seq) }

        func keepUp(_ keepingUp: Bool) { lock.withLock { isKeepingUp = keepingUp } }
        func hold(_ held: Bool) { lock.withLock { isHeld = held } }

        func offer(_ message: ByteBuffer) -> Bool {
            guard lock.withLock({ isKeepingUp }) else { return false }
            record(message)
            return true
        }

        func send(_ message: ByteBuffer) async throws {
            while lock.withLock({ isHeld }) { try await Task.sleep(for: .milliseconds(5)) }
            record(message)
        }

        func drain() async throws {
            while lock.withLock({ isHeld || !isKeepingUp }) { try await Task.sleep(for: .milliseconds(5)) }
        }

        func ping() {}
        func cut() {}
        var isOpen: Bool { true }

        private func record(_ message: ByteBuffer) {
            let decoded = try? JSONDecoder().decode(Sent.self, from: Data(message.readableBytesView))
            lock.withLock { sent.append(decoded ?? Sent(type: "undecodable")) }
        }

        /// Waits (up to 30 s) until `count` ratings were sent.
        func wait(forRatings count: Int) async throws {
            for _ in 0..<6000 where ratings.count < count { try await Task.sleep(for: .milliseconds(5)) }
            #expect(ratings.count >= count, "\(ratings.count) of \(count) ratings")
        }
    }

    private func context(ringCapacity: Int) throws -> ServerContext {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-sub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteRatingStore(path: folder.appendingPathComponent("s.sqlite").path)
        var configuration = ServerConfiguration()
        configuration.storedRingCapacity = ringCapacity
        return ServerContext(configuration: configuration, store: store, logger: Logger(label: "test.subscription"))
    }

    private func storeAndPublish(_ context: ServerContext, kiosk: String, time: Double) async throws -> Int64 {
        let id = try #require(KioskID(kiosk))
        let record = try #require(try await context.store.append([
            RatingRecord(event: "e", kiosk: id, session: UUID(), rating: .up, confidence: 0.9, mediaTime: time,
                         wallTime: Date(), latencyMilliseconds: 5, model: "lite"),
        ]).first)
        await context.stored.publish(record)
        return record.storedSequence
    }

    private func subscribe(_ context: ServerContext, kiosk: String? = nil, since: Int64 = 0) -> (Subscription, RecordingSink) {
        let sink = RecordingSink()
        let subscription = Subscription(context: context, kiosk: kiosk.flatMap(KioskID.init), since: since, sink: sink,
                                        logger: Logger(label: "test.subscription"))
        subscription.start()
        return (subscription, sink)
    }

    private func storeThenPublish(_ context: ServerContext, kiosk: String, times: Range<Int>) async throws -> [Int64] {
        let id = try #require(KioskID(kiosk))
        var stored: [RatingRecord] = []
        for time in times {
            stored.append(try #require(try await context.store.append([
                RatingRecord(event: "e", kiosk: id, session: UUID(), rating: .up, confidence: 0.9,
                             mediaTime: Double(time), wallTime: Date(), latencyMilliseconds: 5, model: "lite"),
            ]).first))
        }
        for rating in stored { await context.stored.publish(rating) }
        return stored.map(\.storedSequence)
    }

    @Test func aSubscriberThatFallsBehindGetsAGapThenEveryRatingOnceInOrder() async throws {
        let context = try context(ringCapacity: 64)
        let fanout = Task { await context.fanout.run() }
        defer { fanout.cancel() }
        let (subscription, sink) = subscribe(context)
        _ = try await storeAndPublish(context, kiosk: "k", time: 0)
        try await sink.wait(forRatings: 1)
        // The client stops keeping up: the fanout drops it at the next rating, and its catch-up
        // waits on the client.
        sink.keepUp(false)
        sink.hold(true)
        _ = try await storeThenPublish(context, kiosk: "k", times: 1..<20)
        try await Task.sleep(for: .milliseconds(200))
        #expect(sink.all.count == 1)
        sink.hold(false)
        sink.keepUp(true)
        try await sink.wait(forRatings: 20)
        // Live again: a new rating comes through the fanout.
        let live = try await storeAndPublish(context, kiosk: "k", time: 20)
        try await sink.wait(forRatings: 21)
        await subscription.end()

        #expect(sink.ratings == Array(1...20) + [live])
        let gaps = sink.all.filter { $0.type == "gap" }
        #expect(gaps.count == 1 && gaps.first?.from == 2 && gaps.first?.to == 20, "\(gaps)")
        #expect(sink.all.count == 22)
    }

    @Test func aSubscriberTheRingLapsDuringItsCatchUpStillGetsEveryRatingOnce() async throws {
        let context = try context(ringCapacity: 4)
        let fanout = Task { await context.fanout.run() }
        defer { fanout.cancel() }
        _ = try await storeThenPublish(context, kiosk: "k", times: 0..<3)
        // Held in its replay while twenty ratings pass a ring of four.
        let sink = RecordingSink()
        sink.hold(true)
        let subscription = Subscription(context: context, kiosk: nil, since: 0, sink: sink, logger: Logger(label: "test"))
        subscription.start()
        _ = try await storeThenPublish(context, kiosk: "k", times: 3..<23)
        sink.hold(false)
        try await sink.wait(forRatings: 23)
        _ = try await storeAndPublish(context, kiosk: "k", time: 23)
        try await sink.wait(forRatings: 24)
        await subscription.end()
        #expect(sink.ratings == Array(1...24))
    }

    @Test func replayThenLiveWithAKioskFilterHasNoDuplicates() async throws {
        let context = try context(ringCapacity: 64)
        let fanout = Task { await context.fanout.run() }
        defer { fanout.cancel() }
        // Stored before the subscriber came: replayed. Others' ratings are never sent.
        for index in 0..<3 {
            _ = try await storeAndPublish(context, kiosk: "a", time: Double(index))
            _ = try await storeAndPublish(context, kiosk: "b", time: Double(index))
        }
        let (subscription, sink) = subscribe(context, kiosk: "a", since: 1)
        // Published while the subscriber catches up, and also in the store: must go out once.
        let overlap = try await storeAndPublish(context, kiosk: "a", time: 10)
        try await sink.wait(forRatings: 3)
        let live = try await storeAndPublish(context, kiosk: "a", time: 11)
        _ = try await storeAndPublish(context, kiosk: "b", time: 11)
        try await sink.wait(forRatings: 4)
        try await Task.sleep(for: .milliseconds(100))
        await subscription.end()
        #expect(sink.all.compactMap(\.seq) == [3, 5, overlap, live])
    }

    @Test func aStalledSubscriberHoldsNobodyBackAndEndsWhenItsConnectionDoes() async throws {
        let context = try context(ringCapacity: 64)
        let fanout = Task { await context.fanout.run() }
        defer { fanout.cancel() }
        let prompt = [subscribe(context), subscribe(context)]
        let (stalled, stalledSink) = subscribe(context)
        try await Task.sleep(for: .milliseconds(100))
        stalledSink.keepUp(false)
        stalledSink.hold(true)
        let sequences = try await storeThenPublish(context, kiosk: "k", times: 0..<50)
        for (_, sink) in prompt { try await sink.wait(forRatings: 50) }
        #expect(prompt.allSatisfy { $0.1.ratings == sequences && !$0.1.all.contains { $0.type == "gap" } })
        #expect(stalledSink.all.isEmpty)
        #expect(context.fanout.liveCount == 2)
        // Its connection ends while its catch-up waits on it: the catch-up stops too.
        await stalled.end()
        for (subscription, _) in prompt { await subscription.end() }
        #expect(context.fanout.liveCount == 0)
    }
}
