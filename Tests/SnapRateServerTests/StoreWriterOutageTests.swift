import Foundation
import Logging
import SnapRateCore
import ThumbRating
import AnalyticsStore
import RatingRing
import ServiceLifecycle
import Testing
import TestSupport
@testable import SnapRateServer

/// The store writer against a real PostgreSQL server that goes away: detection never waits on
/// it, ratings wait in the bounded queue and are written when it is back, and only a full queue
/// loses ratings (the oldest waiting), each one counted.
@Suite(.timeLimit(.minutes(15)), .enabled(if: PostgresTestServer.runTests, "needs PostgreSQL: apt-get install postgresql, or set SNAPRATE_TEST_POSTGRES"))
struct StoreWriterOutageTests {
    private func rating(_ kiosk: KioskID, _ index: Int) -> RatingRecord {
        RatingRecord(event: "default", kiosk: kiosk, session: UUID(), rating: index.isMultiple(of: 2) ? .up : .down, confidence: 0.75,
                       mediaTime: Double(index), wallTime: Date(), latencyMilliseconds: 3, model: "lite")
    }

    @Test func aServerAwayFillsTheQueueThenEverythingWaitingIsWritten() async throws {
        let server = try PostgresTestServer.startPrivate()
        defer { try? server.remove() }
        var configuration = try PostgresStoreConfiguration(url: try await server.makeDatabase())
        // A private server just started answers slowly while the full test run holds both cores.
        configuration.timeout = .seconds(60)
        let store = try await PostgresRatingStore.open(configuration, logger: Logger(label: "test.store"))
        let capacity = 10, published = 50
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.event = "outage"
        serverConfiguration.ratingRingCapacity = 8
        serverConfiguration.storeQueueCapacity = capacity
        let context = ServerContext(configuration: serverConfiguration, store: store, logger: Logger(label: "test.writer"))
        let writer = StoreWriter(context: context, batchLimit: 4, maximumRetryDelay: .milliseconds(200))
        let group = ServiceGroup(configuration: .init(services: [store, writer], logger: Logger(label: "test.group")))
        let running = Task { try await group.run() }
        let kiosk = KioskID("door")

        try server.stop()
        // Five times the queue's capacity through a ring of 8: producers are never held back for
        // long, since the writer's queue takes every rating at once.
        for index in 0..<published { await context.detected.publish(rating(kiosk, index)) }
        try await eventually("the ring drained into the queue") { context.detected.backlog == 0 && writer.pending.count == capacity }
        let lost = writer.lost.load(ordering: .relaxed)
        // The batch being retried is out of the queue; everything else beyond the capacity is lost.
        let inFlight = published - capacity - lost
        #expect((1...4).contains(inFlight), "lost \(lost)")

        try server.start()
        try await eventually("everything waiting written") {
            guard writer.pending.count == 0 else { return false }
            return (try? await store.latestSequence()) == Int64(published - lost)
        }
        await group.triggerGracefulShutdown()
        try await running.value

        let reader = try await PostgresRatingStore.open(configuration, logger: Logger(label: "test.reader"))
        let readerTask = Task { await reader.run() }
        defer { readerTask.cancel() }
        let stored = try await reader.ratings(after: 0, kiosk: nil, limit: 100)
        // The oldest ratings (the batch in flight) and the newest `capacity` survive, in order,
        // numbered without a gap; the ones between were dropped, oldest first.
        #expect(stored.map(\.mediaTime) == (0..<inFlight).map(Double.init) + (published - capacity..<published).map(Double.init))
        #expect(stored.map(\.storedSequence) == Array(1...Int64(published - lost)))
        #expect(writer.lost.load(ordering: .relaxed) == lost)
    }

    @Test func shutdownWithTheServerAwayGivesUpAfterTheDrainTimeoutCountingEveryRating() async throws {
        let server = try PostgresTestServer.startPrivate()
        defer { try? server.remove() }
        var configuration = try PostgresStoreConfiguration(url: try await server.makeDatabase())
        // A private server just started answers slowly while the full test run holds both cores.
        configuration.timeout = .seconds(60)
        let store = try await PostgresRatingStore.open(configuration, logger: Logger(label: "test.store"))
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.event = "outage"
        serverConfiguration.storeDrainTimeout = .seconds(1)
        let context = ServerContext(configuration: serverConfiguration, store: store, logger: Logger(label: "test.writer"))
        let writer = StoreWriter(context: context, maximumRetryDelay: .milliseconds(200))
        let group = ServiceGroup(configuration: .init(services: [store, writer], logger: Logger(label: "test.group")))
        let running = Task { try await group.run() }
        let kiosk = KioskID("door")
        try server.stop()
        for index in 0..<5 { await context.detected.publish(rating(kiosk, index)) }
        await group.triggerGracefulShutdown()
        // Returns: shutdown is not held up by a store that is away, beyond the drain timeout.
        try await running.value
        #expect(writer.lost.load(ordering: .relaxed) == 5)
        try server.start()
        let reader = try await PostgresRatingStore.open(configuration, logger: Logger(label: "test.reader"))
        let reading = Task { await reader.run() }
        defer { reading.cancel() }
        #expect(try await reader.latestSequence() == 0)
    }
}
