import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import SnapRateCore
import Testing
import TestSupport
@testable import AnalyticsStore

/// Connections lost between two statements, the way a database restart or a failover loses them:
/// every statement of the store answers (stores, reads or fails) instead of waiting for ever, and
/// nothing written is lost or delivered twice.
@Suite(.timeLimit(.minutes(15)), .enabled(if: PostgresTestServer.runTests, "needs PostgreSQL: apt-get install postgresql, or set SNAPRATE_TEST_POSTGRES"))
struct PostgresConnectionLossTests {
    static let logger = Logger(label: "test.connection-loss")

    /// PostgresNIO 1.33 never answers a query written to a connection that has already closed,
    /// and ignores cancellation: `whileOpen` fails it instead. No wall-clock bound is asserted (the
    /// full run's load stretched a 30 s one to 42 s): without the guard the statement never ends,
    /// and the suite's time limit reports that.
    @Test func aStatementOnAClosedConnectionFailsInsteadOfWaiting() async throws {
        let configuration = try PostgresStoreConfiguration(url: try await PostgresTestServer.shared().makeDatabase())
        let logger = Self.logger
        let connection = try await PostgresConnection.connect(configuration: configuration.connectionConfiguration(), id: 1,
                                                              logger: logger)
        try await connection.close()
        await #expect(throws: PostgresStoreError.connectionClosed) {
            try await connection.whileOpen { _ = try await $0.query("SELECT 1", logger: logger) }
        }
    }

    /// Every connection of the database (the write connection, the commit feed's, the read pool's)
    /// is cut every few tens of milliseconds while ratings are appended, each append retried with
    /// its write id as the store writer does. Every append ends, the feed delivers every rating
    /// once and in order, and the stored numbers have no gap. A statement lost on a closed
    /// connection would leave an append or the feed waiting: the test fails then, it does not hang.
    @Test func connectionsCutAtRandomMomentsLoseNothingAndHoldNothing() async throws {
        let server = try PostgresTestServer.shared()
        let url = try await server.makeDatabase()
        let database = try #require(URLComponents(string: url)?.path.dropFirst()).description
        var configuration = try PostgresStoreConfiguration(url: url)
        // Frequent polls: more statements in flight when a connection is cut.
        configuration.pollInterval = .milliseconds(50)
        let store = try await PostgresRatingStore.open(configuration, logger: Self.logger)
        let pool = Task { await store.run() }
        defer { pool.cancel() }

        let delivered = Delivered()
        let followerEnded = NIOLockedValueBox(false)
        let follower = Task {
            defer { followerEnded.withLockedValue { $0 = true } }
            try await store.followCommits(after: 0) { delivered.add($0) }
        }
        let cuts = NIOLockedValueBox(0)
        let cutter = Task {
            let admin = try await Self.adminConnection(server)
            defer { Task { try? await admin.close() } }
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...120)))
                let rows = try await admin.query("""
                    SELECT count(pg_terminate_backend(pid))::BIGINT FROM pg_stat_activity
                    WHERE datname = \(database) AND pid <> pg_backend_pid()
                    """, logger: Self.logger)
                for try await count in rows.decode(Int64.self) { cuts.withLockedValue { $0 += Int(count) } }
            }
        }

        let appends = 120
        let progress = NIOLockedValueBox((answered: 0, failures: 0))
        let writer = Task {
            for index in 0..<appends {
                let batch = [StoreConformance.rating("cut", .up, at: Double(2 * index)),
                             StoreConformance.rating("cut", .down, at: Double(2 * index + 1))]
                let write = UUID()
                while true {
                    do {
                        _ = try await store.append(batch, write: write)
                        break
                    } catch {
                        progress.withLockedValue { $0.failures += 1 }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                progress.withLockedValue { $0.answered += 1 }
                // Spread over a few seconds, so that many cuts fall between and during appends.
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        defer { writer.cancel() }

        try await eventually("every append stored") {
            progress.withLockedValue { $0.answered } == appends
        }
        cutter.cancel()
        _ = try? await cutter.value
        let expected = Array(1...Int64(2 * appends))
        try await eventually("every rating delivered") {
            delivered.sequences.count >= expected.count
        }
        follower.cancel()
        try await eventually("the feed stopped when cancelled") { followerEnded.withLockedValue { $0 } }

        print("connection loss: \(cuts.withLockedValue { $0 }) connections cut, \(progress.withLockedValue { $0.failures }) failed appends retried")
        #expect(cuts.withLockedValue { $0 } >= 10, "too few cuts to mean anything")
        #expect(delivered.sequences == expected)
        #expect(delivered.records.map(\.mediaTime) == (0..<2 * appends).map(Double.init))
        let stored = try await store.ratings(after: 0, kiosk: nil, limit: 1000)
        #expect(stored.map(\.storedSequence) == expected)
    }

    private static func adminConnection(_ server: PostgresTestServer) async throws -> PostgresConnection {
        let configuration = PostgresConnection.Configuration(host: server.host, port: server.port, username: server.user,
                                                             password: nil, database: "postgres", tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    }
}
