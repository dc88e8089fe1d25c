import Foundation
import HummingbirdWSClient
import Logging
import SnapRateCore
import AnalyticsStore
import Testing
import TestSupport

/// Measured figures for the PostgreSQL store, not pass/fail checks: run with SNAPRATE_FIGURES=1
/// (and PostgreSQL at hand: `.ci/postgres`, or SNAPRATE_TEST_POSTGRES).
@Suite(.timeLimit(.minutes(15)), .enabled(if: ProcessInfo.processInfo.environment["SNAPRATE_FIGURES"] == "1" && PostgresTestServer.runTests),
       .serialized)
struct PostgresFigureTests {
    static let logger = Logger(label: "figures.postgres")

    private static func rating(_ index: Int) -> RatingRecord {
        RatingRecord(event: "figures", kiosk: KioskID("k\(index % 8)")!, session: UUID(), rating: index.isMultiple(of: 3) ? .down : .up,
                  confidence: 0.9, mediaTime: Double(index) / 10, wallTime: Date(), latencyMilliseconds: 4, model: "lite")
    }

    /// Ratings per second one node writes: one writer appending one batch after another, as the
    /// store writer does (batches of 256 while ratings wait, single ratings when they trickle in).
    @Test(arguments: [256, 16, 1]) func writeThroughput(batch: Int) async throws {
        let url = try await PostgresTestServer.shared().makeDatabase()
        let store = try await PostgresRatingStore.open(try PostgresStoreConfiguration(url: url), logger: Self.logger)
        let total = batch == 1 ? 3_000 : 60_000 / batch * batch
        _ = try await store.append((0..<batch).map(Self.rating))  // warm: connection and plans
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        while written < total {
            written += try await store.append((written..<written + batch).map(Self.rating)).count
        }
        let seconds = inSeconds(start.duration(to: clock.now))
        print("FIGURE postgres write batch=\(batch) ratings=\(written) seconds=\(String(format: "%.2f", seconds)) "
              + "ratings/s=\(String(format: "%.0f", Double(written) / seconds)) "
              + "transactions/s=\(String(format: "%.0f", Double(written / batch) / seconds))")
        #expect(written == total)
    }

    /// Cross-node push latency: a rating committed by one node (this process, writing through the
    /// store exactly as a node's store writer does) until a WebSocket subscriber of another node
    /// (a real `snaprate serve`) receives it through LISTEN/NOTIFY and its stored-ratings ring.
    @Test func crossNodePushLatency() async throws {
        let url = try await PostgresTestServer.shared().makeDatabase()
        let writer = try await PostgresRatingStore.open(try PostgresStoreConfiguration(url: url), logger: Self.logger)
        let node = try ServeProcess(store: url)
        let samples = 400
        let started = TimedSequences(), acknowledged = TimedSequences(), received = TimedSequences()
        let clock = ContinuousClock()
        let subscribed = AsyncStream<Void>.makeStream()
        async let subscriber = awaiting("the subscriber to see every rating") {
            try await WebSocketClient.connect(url: "\(node.webSocketURL)/ws", logger: SocketClients.logger) { inbound, _, _ in
                subscribed.continuation.yield()
                var count = 0
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, let seq = SocketClients.decode(text).seq else { continue }
                    received.record(seq, at: clock.now)
                    count += 1
                    if count == samples { return }
                }
            }
        }
        for await _ in subscribed.stream { break }
        try await Task.sleep(for: .milliseconds(500))
        // One rating at a time, 20 ms apart: each push is timed on its own.
        for index in 0..<samples {
            let start = clock.now
            let records = try await writer.append([Self.rating(index)])
            acknowledged.record(records[0].sequence!, at: clock.now)
            started.record(records[0].sequence!, at: start)
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try await subscriber
        let arrivals = received.all
        func milliseconds(from instants: TimedSequences) -> [Double] {
            instants.all.compactMap { seq, start in arrivals[seq].map { inSeconds(start.duration(to: $0)) * 1000 } }.sorted()
        }
        func percentile(_ values: [Double], _ p: Double) -> String {
            String(format: "%.2f", values[min(values.count - 1, Int((Double(values.count) * p).rounded(.up)) - 1)])
        }
        // From the append call (the commit's own fsync included), and from the commit's answer.
        let latencies = milliseconds(from: started), afterCommit = milliseconds(from: acknowledged)
        print("FIGURE postgres cross-node push samples=\(latencies.count) from append call: p50=\(percentile(latencies, 0.5))ms "
              + "p99=\(percentile(latencies, 0.99))ms max=\(String(format: "%.2f", latencies.last ?? .nan))ms; "
              + "from commit acknowledged: p50=\(percentile(afterCommit, 0.5))ms p99=\(percentile(afterCommit, 0.99))ms")
        #expect(latencies.count == samples)
        _ = await node.stop()
    }
}

/// Instants keyed by sequence number, from several tasks.
final class TimedSequences: @unchecked Sendable {
    private let lock = NSLock()
    private var instants: [Int64: ContinuousClock.Instant] = [:]
    var all: [Int64: ContinuousClock.Instant] { lock.withLock { instants } }
    func record(_ seq: Int64, at instant: ContinuousClock.Instant) { lock.withLock { instants[seq] = instant } }
}

private func inSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
