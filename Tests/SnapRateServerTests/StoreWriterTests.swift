import Foundation
import Logging
import SnapRateCore
import ThumbRating
import AnalyticsStore
import RatingRing
import ServiceLifecycle
import Testing
@testable import SnapRateServer

/// The store writer in process, against a real SQLite file: nothing published is lost, even
/// through a tiny ring that makes producers wait, and shutdown drains what is left.
@Suite(.timeLimit(.minutes(15))) struct StoreWriterTests {
    private func context(ringCapacity: Int) throws -> (ServerContext, SQLiteRatingStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteRatingStore(path: folder.appendingPathComponent("w.sqlite").path)
        var configuration = ServerConfiguration()
        configuration.event = "test"
        configuration.ratingRingCapacity = ringCapacity
        let context = ServerContext(configuration: configuration, store: store, logger: Logger(label: "test.writer"))
        return (context, store)
    }

    private func rating(_ kiosk: KioskID, _ index: Int) -> RatingRecord {
        RatingRecord(event: "test", kiosk: kiosk, session: UUID(), rating: index % 3 == 0 ? .down : .up, confidence: 0.75,
                       mediaTime: Double(index) / 10, wallTime: Date(), latencyMilliseconds: 3, model: "lite")
    }

    @Test func manyProducersThroughATinyRingLoseNothing() async throws {
        let (context, store) = try context(ringCapacity: 4)
        let writer = StoreWriter(context: context, batchLimit: 8)
        let group = ServiceGroup(configuration: .init(services: [writer], logger: Logger(label: "test.group")))
        let running = Task { try await group.run() }
        let kiosks = try ["a", "b", "c"].map { try #require(KioskID($0)) }
        await withTaskGroup(of: Void.self) { producers in
            for kiosk in kiosks {
                producers.addTask {
                    for index in 0..<200 { await context.detected.publish(self.rating(kiosk, index)) }
                }
            }
        }
        await group.triggerGracefulShutdown()
        try await running.value

        let stored = try await store.ratings(after: 0, kiosk: nil, limit: 10_000)
        #expect(stored.count == 600)
        #expect(stored.map(\.storedSequence) == Array(1...600).map(Optional.some))
        for kiosk in kiosks {
            // Each producer's ratings are stored in the order it published them.
            let times = stored.filter { $0.kiosk == kiosk }.map(\.mediaTime)
            #expect(times == (0..<200).map { Double($0) / 10 })
        }
        #expect(stored.allSatisfy { $0.event == "test" && $0.model == "lite" })
    }

    @Test func shutdownDrainsTheRingAndPublishesStoredRatings() async throws {
        let (context, store) = try context(ringCapacity: 64)
        let writer = StoreWriter(context: context)
        let pushed = context.stored.makeCursor(gating: false)
        let kiosk = KioskID("k")
        // Published before the writer runs: only the drain at shutdown (or its loop) can store them.
        for index in 0..<40 { await context.detected.publish(rating(kiosk, index)) }
        let group = ServiceGroup(configuration: .init(services: [writer], logger: Logger(label: "test.group")))
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try await store.latestSequence() == 40)
        var sequences: [Int64] = []
        while let read = pushed.poll(), case .element(_, let stored) = read { sequences.append(stored.storedSequence) }
        #expect(sequences == Array(1...40))
    }
}
