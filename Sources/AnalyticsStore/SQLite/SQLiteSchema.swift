import GRDB

/// The SQLite schema, as numbered migrations: GRDB records which ones a file has had, so an older
/// file is brought forward step by step and a newer one is never touched by older code.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 ratings and sessions") { db in
            // AUTOINCREMENT: sequence numbers are never reused, even after a purge.
            try db.execute(sql: """
                CREATE TABLE ratings (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event TEXT NOT NULL,
                    kiosk TEXT NOT NULL,
                    session TEXT NOT NULL,
                    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                    confidence REAL NOT NULL,
                    media_time REAL NOT NULL,
                    wall_time REAL NOT NULL,
                    latency_ms REAL NOT NULL,
                    model TEXT NOT NULL
                );
                CREATE INDEX ratings_by_kiosk ON ratings (kiosk, seq);
                CREATE INDEX ratings_by_time ON ratings (wall_time);
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY,
                    event TEXT NOT NULL,
                    kiosk TEXT NOT NULL,
                    started REAL NOT NULL,
                    ended REAL,
                    frames INTEGER NOT NULL,
                    decode_errors INTEGER NOT NULL,
                    end_reason TEXT
                );
                CREATE INDEX sessions_by_kiosk ON sessions (kiosk, started);
                """)
        }
        migrator.registerMigration("v2 idempotent appends") { db in
            // One row per batch appended: a retried batch finds its first try here.
            try db.execute(sql: """
                CREATE TABLE rating_writes (
                    id TEXT PRIMARY KEY,
                    first_seq INTEGER NOT NULL,
                    last_seq INTEGER NOT NULL,
                    written REAL NOT NULL
                );
                CREATE INDEX rating_writes_by_time ON rating_writes (written);
                """)
        }
        migrator.registerMigration("v3 webhook cursors") { db in
            // One row per webhook target: the last sequence number it acknowledged, and who
            // delivers to it until when (`lease_until`, Unix seconds).
            try db.execute(sql: """
                CREATE TABLE webhook_cursors (
                    target TEXT PRIMARY KEY,
                    delivered INTEGER NOT NULL,
                    holder TEXT,
                    lease_until REAL NOT NULL DEFAULT 0
                );
                """)
        }
        return migrator
    }
}
