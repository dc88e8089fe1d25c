import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The store for several nodes: one PostgreSQL database that every `snaprate serve` writes to and
/// reads from, with the same records, the same migrations and the same semantics as the SQLite
/// store, and a feed of every node's commits (LISTEN/NOTIFY) for live push.
///
/// Reads go through `PostgresClient`'s pool. Writes (ratings, sessions, purges) go through one
/// connection of their own that is made again on the next write after it breaks (`WriteConnection`),
/// and the commit feed through another (LISTEN holds its connection). The store is a `Service`:
/// its `run()` runs the pool and must be running for reads.
public final class PostgresRatingStore: RatingStore, RatingCommitFeed, Service {
    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    let writer: WriteConnection
    let logger: Logger

    private init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        writer = WriteConnection(configuration: configuration, logger: logger)
    }

    /// Connects once to bring the schema up to date, so a wrong URL, a server that is not there or
    /// a refused login fail here, at start, with the server's own words.
    public static func open(_ configuration: PostgresStoreConfiguration, logger: Logger) async throws -> PostgresRatingStore {
        let store = PostgresRatingStore(configuration: configuration, logger: logger)
        do {
            try await store.writer.run("migrating the schema", timeout: configuration.migrationTimeout) { connection in
                try await PostgresSchema.migrate(on: connection, logger: logger)
            }
        } catch {
            await store.writer.close()
            throw error
        }
        return store
    }

    /// Runs the read pool until graceful shutdown or cancellation, then closes the write connection.
    public func run() async {
        await client.run()
        await writer.close()
    }

    public func appliedMigrations() async throws -> [String] {
        let logger = logger
        return try await read { try await PostgresSchema.applied(on: $0, logger: logger) }
    }

    /// Runs `body` on a connection of the read pool, failing if that connection closes first
    /// (`whileOpen`).
    func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { try await $0.whileOpen(body) }
    }

    public func describe(_ error: any Error) -> String {
        PostgresStoreError.describe(error)
    }
}
