import Logging
import PostgresNIO

/// The PostgreSQL schema, as the same numbered migrations as the SQLite store's, recorded in a
/// versions table. Nodes that start together take an advisory lock, so each migration runs once.
enum PostgresSchema {
    struct Migration {
        var name: String
        var statements: [PostgresQuery]
    }

    /// Any constant the deployment's other users of the database do not take: "SnapRate" in ASCII.
    static let migrationLock: Int64 = 0x536e_6170_5261_7465

    static let migrations: [Migration] = [
        Migration(name: "v1 ratings and sessions", statements: [
            """
            CREATE TABLE ratings (
                seq BIGINT PRIMARY KEY,
                event TEXT NOT NULL,
                kiosk TEXT NOT NULL,
                session UUID NOT NULL,
                rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                confidence REAL NOT NULL,
                media_time DOUBLE PRECISION NOT NULL,
                wall_time TIMESTAMPTZ NOT NULL,
                latency_ms DOUBLE PRECISION NOT NULL,
                model TEXT NOT NULL
            )
            """,
            "CREATE INDEX ratings_by_kiosk ON ratings (kiosk, seq)",
            "CREATE INDEX ratings_by_time ON ratings (wall_time)",
            """
            CREATE TABLE sessions (
                id UUID PRIMARY KEY,
                event TEXT NOT NULL,
                kiosk TEXT NOT NULL,
                started TIMESTAMPTZ NOT NULL,
                ended TIMESTAMPTZ,
                frames BIGINT NOT NULL,
                decode_errors BIGINT NOT NULL,
                end_reason TEXT
            )
            """,
            "CREATE INDEX sessions_by_kiosk ON sessions (kiosk, started)",
            // Sequence numbers come from this one row, not from a SEQUENCE: a SEQUENCE leaves gaps
            // when a transaction rolls back and hands out numbers in an order other than commit
            // order. Taking the row's lock serialises writers from every node until they commit,
            // so a reader that sees number N has seen every number below N.
            """
            CREATE TABLE rating_sequence (
                single BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (single),
                last BIGINT NOT NULL
            )
            """,
            "INSERT INTO rating_sequence (last) VALUES (0)",
        ]),
        Migration(name: "v2 idempotent appends", statements: [
            // One row per batch appended: a retried batch finds its first try here.
            """
            CREATE TABLE rating_writes (
                id UUID PRIMARY KEY,
                first_seq BIGINT NOT NULL,
                last_seq BIGINT NOT NULL,
                written TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX rating_writes_by_time ON rating_writes (written)",
        ]),
        Migration(name: "v3 webhook cursors", statements: [
            // One row per webhook target: the last sequence number it acknowledged, and which node
            // delivers to it until when (the database's clock, so nodes' clocks need not agree).
            """
            CREATE TABLE webhook_cursors (
                target TEXT PRIMARY KEY,
                delivered BIGINT NOT NULL,
                holder UUID,
                lease_until TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
            )
            """,
        ]),
    ]

    /// Applies the migrations this database has not had yet, all in one transaction (PostgreSQL's
    /// DDL is transactional): a node sees the schema before or after, never half of it.
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS snaprate_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var done: Set<Int> = []
            for try await version in try await connection.query("SELECT version FROM snaprate_migrations", logger: logger)
                .decode(Int.self) {
                done.insert(version)
            }
            for (index, migration) in migrations.enumerated() where !done.contains(index + 1) {
                for statement in migration.statements {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO snaprate_migrations (version, name) VALUES (\(index + 1), \(migration.name))",
                                           logger: logger)
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            }
        }
    }

    /// The migrations applied, oldest first.
    static func applied(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names: [String] = []
        let rows = try await connection.query("SELECT name FROM snaprate_migrations ORDER BY version", logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }
}
