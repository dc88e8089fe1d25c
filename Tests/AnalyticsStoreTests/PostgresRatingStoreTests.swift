import Foundation
import Logging
import SnapRateCore
import AnalyticsStore
import Testing
import TestSupport

/// The PostgreSQL store against a real server (`.ci/postgres`): the SQLite store's cases, then
/// what only a shared store does: several nodes, the commit feed, a server that goes away.
@Suite(.timeLimit(.minutes(15)), .enabled(if: PostgresTestServer.runTests, "needs PostgreSQL: apt-get install postgresql, or set SNAPRATE_TEST_POSTGRES"))
struct PostgresRatingStoreTests {
    static let logger = Logger(label: "test.postgres-store")

    /// Runs `body` with an opener of stores on a fresh database (of the shared server unless `url`
    /// names one); each store opened runs until `body` returns.
    static func withStores(url: String? = nil,
                           _ body: (_ open: () async throws -> PostgresRatingStore) async throws -> Void) async throws {
        let url = if let url { url } else { try await PostgresTestServer.shared().makeDatabase() }
        var configuration = try PostgresStoreConfiguration(url: url)
        // A write's limit counts every wait of the caller's task for a thread, and the full test
        // run holds the test process's two cooperative threads for seconds at a time.
        configuration.timeout = .seconds(60)
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            try await body {
                let store = try await PostgresRatingStore.open(configuration, logger: logger)
                group.addTask { await store.run() }
                return store
            }
        }
    }

    private func rating(_ kiosk: KioskID, _ index: Int) -> RatingRecord {
        StoreConformance.rating(kiosk, index.isMultiple(of: 2) ? .up : .down, at: Double(index))
    }

    @Test(arguments: StoreConformance.cases) func conformance(_ behaviour: StoreCase) async throws {
        try await Self.withStores { open in
            try await behaviour.run { try await open() }
        }
    }

    @Test func aFailedAppendRollsBackItsSequenceNumbers() async throws {
        try await Self.withStores { open in
            let store = try await open()
            // PostgreSQL refuses NUL in text: the whole batch fails, its numbers with it.
            await #expect(throws: (any Error).self) {
                var broken = rating("b", 2)
                broken.event = "bad\u{0}event"
                return try await store.append([rating("a", 1), broken])
            }
            #expect(try await store.append([rating("a", 3)]).map(\.storedSequence) == [1])
            #expect(try await store.ratings(after: 0, kiosk: nil, limit: 10).map(\.mediaTime) == [3])
        }
    }

    @Test func nodesStartingTogetherMigrateOnce() async throws {
        let configuration = try PostgresStoreConfiguration(url: try await PostgresTestServer.shared().makeDatabase())
        let stores = try await withThrowingTaskGroup(of: PostgresRatingStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresRatingStore.open(configuration, logger: Self.logger) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            for store in stores { group.addTask { await store.run() } }
            for store in stores {
                let applied = try await store.appliedMigrations()
                #expect(applied == ["v1 ratings and sessions", "v2 idempotent appends", "v3 webhook cursors"])
            }
        }
    }

    @Test func everyNodesCommitsAreFollowedInSequenceOrderOnce() async throws {
        try await Self.withStores { open in
            let first = try await open(), second = try await open(), follower = try await open()
            _ = try await first.append([rating("before", 0)])
            let delivered = Delivered()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await follower.followCommits(after: 1) { records in delivered.add(records) }
                }
                // Four writers on two nodes, batches of one to three.
                let written = try await withThrowingTaskGroup(of: Int.self) { writers in
                    for writer in 0..<4 {
                        let store = writer.isMultiple(of: 2) ? first : second
                        writers.addTask {
                            var count = 0
                            for index in 0..<30 {
                                let batch = (0...(index % 3)).map { self.rating(KioskID("k\(writer)")!, index * 10 + $0) }
                                count += try await store.append(batch).count
                            }
                            return count
                        }
                    }
                    return try await writers.reduce(0, +)
                }
                try await eventually("\(written) ratings delivered") { delivered.sequences.count >= written }
                group.cancelAll()
                #expect(delivered.sequences == Array(2...Int64(written + 1)))
                // Each writer's ratings arrive in the order it wrote them.
                for writer in 0..<4 {
                    let times = delivered.records.filter { $0.kiosk.value == "k\(writer)" }.map(\.mediaTime)
                    #expect(times == times.sorted())
                }
            }
        }
    }

    @Test func openingFailsWithTheServersOwnWords() async throws {
        let server = try PostgresTestServer.shared()
        let missing = try PostgresStoreConfiguration(url: "postgres://\(server.user)@\(server.host):\(server.port)/no_such_database?sslmode=disable")
        do {
            _ = try await PostgresRatingStore.open(missing, logger: Self.logger)
            Issue.record("opened a database that does not exist")
        } catch {
            #expect(PostgresStoreError.describe(error).contains("does not exist"), "\(PostgresStoreError.describe(error))")
        }
        var nobody = try PostgresStoreConfiguration(url: "postgres://\(server.user)@127.0.0.1:\(try Self.closedPort())/x?sslmode=disable")
        nobody.timeout = .seconds(5)
        do {
            _ = try await PostgresRatingStore.open(nobody, logger: Self.logger)
            Issue.record("opened a store where no server listens")
        } catch {
            #expect(PostgresStoreError.describe(error).lowercased().contains("connect"), "\(PostgresStoreError.describe(error))")
        }
    }

    /// The server killed as in a crash and started again: writes fail while it is away, the same
    /// write retried afterwards is stored once, reads through the pool come back, and the commit
    /// feed delivers everything, in order, once.
    @Test func aServerThatGoesAwayAndComesBackLosesNothing() async throws {
        let server = try PostgresTestServer.startPrivate()
        defer { try? server.remove() }
        let url = try await server.makeDatabase()
        try await Self.withStores(url: url) { open in
            let writer = try await open(), reader = try await open()
            let delivered = Delivered()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await reader.followCommits(after: 0) { delivered.add($0) } }
                for index in 0..<5 { _ = try await writer.append([rating("k", index)]) }
                try await eventually("the first five delivered") { delivered.sequences.count == 5 }

                try server.kill()
                let write = UUID()
                let batch = [rating("k", 5), rating("k", 6)]
                await #expect(throws: (any Error).self, "no write while the server is away") {
                    try await writer.append(batch, write: write)
                }
                try server.start()
                // The writer retries the same write until the server answers, as the store writer does.
                var stored: [RatingRecord] = []
                try await eventually("the write retried after the restart") {
                    guard let records = try? await writer.append(batch, write: write) else { return false }
                    stored = records
                    return true
                }
                #expect(stored.map(\.storedSequence) == [6, 7])
                _ = try await writer.append([rating("k", 7)])
                // PostgresClient's pool reconnects on demand: reads come back too.
                try await eventually("pool reads after the restart") {
                    (try? await reader.ratings(after: 0, kiosk: nil, limit: 100).count) == 8
                }
                try await eventually("everything delivered") { delivered.sequences.count >= 8 }
                group.cancelAll()
                #expect(delivered.sequences == Array(1...8))
                #expect(delivered.records.map(\.mediaTime) == (0..<8).map(Double.init))
            }
        }
    }

    /// A port that was free a moment ago: nothing listens there.
    static func closedPort() throws -> Int { try PostgresTestServer.freePort() }
}

/// What a commit feed delivered, in order.
final class Delivered: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [RatingRecord] = []
    var records: [RatingRecord] { lock.withLock { all } }
    var sequences: [Int64] { records.map(\.storedSequence) }
    func add(_ more: [RatingRecord]) { lock.withLock { all += more } }
}
