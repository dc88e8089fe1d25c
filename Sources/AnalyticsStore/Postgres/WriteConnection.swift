import Logging
import PostgresNIO

/// The one connection a store writes through, made on first use and made again after it breaks.
///
/// Writes do not go through `PostgresClient`'s pool: while the server is away the pool backs off
/// for up to a minute between attempts and, after a minute, fails every request at once until a
/// connection succeeds again. A writer of ratings has its own backoff and must know at once when the
/// server is back, so each write tries to connect when it has no connection.
actor WriteConnection {
    private let configuration: PostgresStoreConfiguration
    private let logger: Logger
    private var connection: PostgresConnection?
    private var nextID = 0

    init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` on the connection, connecting first if there is none. If `body` takes longer
    /// than `timeout` (the configured one if nil) the connection is closed (which fails what it
    /// was running) and the next call connects anew; so does any failure that left it closed.
    func run<Result: Sendable>(_ what: String, timeout: Duration? = nil,
                               _ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await current()
        let timeout = timeout ?? configuration.timeout
        do {
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask { try await connection.whileOpen(body) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    // Closing ends the statement still running (`whileOpen`), so the group can finish.
                    try? await connection.close()
                    throw PostgresStoreError.timedOut(what)
                }
                return result
            }
        } catch {
            if connection.isClosed, self.connection === connection { self.connection = nil }
            throw error
        }
    }

    /// `run` with `body` in a transaction: returns only once PostgreSQL has confirmed the commit.
    ///
    /// A statement on its own commits when the server has processed the end of the request, after
    /// it has sent the statement's rows and completion: a connection lost in between rolls the
    /// statement back, although its answer had already reported it done. A write must not be
    /// reported stored unless it is (its writer would not retry it).
    func transaction<Result: Sendable>(_ what: String,
                                       _ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let logger = logger
        return try await run(what) { connection in
            try await Self.execute("BEGIN", on: connection, logger: logger)
            do {
                let result = try await body(connection)
                try await Self.execute("COMMIT", on: connection, logger: logger)
                return result
            } catch {
                if !connection.isClosed { try? await Self.execute("ROLLBACK", on: connection, logger: logger) }
                throw error
            }
        }
    }

    private static func execute(_ command: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws {
        for try await _ in try await connection.query(command, logger: logger) {}
    }

    /// Closes the connection, if there is one.
    func close() async {
        guard let connection else { return }
        self.connection = nil
        try? await connection.close()
    }

    private func current() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        nextID += 1
        let made = try await PostgresConnection.connect(configuration: configuration.connectionConfiguration(),
                                                        id: nextID, logger: logger)
        // Another call may have connected while this one waited: keep one connection.
        if let connection, !connection.isClosed {
            try? await made.close()
            return connection
        }
        connection = made
        return made
    }
}
