import Foundation
import GRDB
import SnapRateCore

/// The default store: one SQLite file in WAL mode (readers never wait for the writer), through GRDB.
public final class SQLiteRatingStore: RatingStore {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // Each connection (the writer and every reader of the pool) keeps its own page cache,
        // 2 MB by SQLite's default, which a long-running daemon fills as the file and its WAL
        // grow. Ratings are small and are read by sequence number, from the end of the table:
        // 512 KiB a connection is plenty.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -512")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
    }

    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try SQLiteSchema.migrator.appliedMigrations(db) }
    }

    public func append(_ ratings: [RatingRecord], write: UUID) async throws -> [RatingRecord] {
        guard !ratings.isEmpty else { return [] }
        return try await pool.write { db in
            if let earlier = try Row.fetchOne(db, sql: "SELECT first_seq, last_seq FROM rating_writes WHERE id = ?",
                                              arguments: [write.uuidString]) {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM ratings WHERE seq BETWEEN ? AND ? ORDER BY seq",
                                            arguments: [earlier["first_seq"] as Int64, earlier["last_seq"] as Int64])
                return try rows.map(Self.record)
            }
            let records = try ratings.map { rating in
                try db.execute(sql: """
                    INSERT INTO ratings (event, kiosk, session, rating, confidence, media_time, wall_time, latency_ms, model)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [rating.event, rating.kiosk.value, rating.session.uuidString, rating.rating.rawValue,
                                     Double(rating.confidence), rating.mediaTime, rating.wallTime.timeIntervalSince1970,
                                     rating.latencyMilliseconds, rating.model])
                return rating.stored(as: db.lastInsertedRowID)
            }
            try db.execute(sql: "INSERT INTO rating_writes (id, first_seq, last_seq, written) VALUES (?, ?, ?, ?)",
                           arguments: [write.uuidString, records[0].sequence, records[records.count - 1].sequence,
                                       Date().timeIntervalSince1970])
            return records
        }
    }

    public func ratings(after sequence: Int64, kiosk: KioskID?, limit: Int) async throws -> [RatingRecord] {
        try await pool.read { db in
            let rows: [Row]
            if let kiosk {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM ratings WHERE seq > ? AND kiosk = ? ORDER BY seq LIMIT ?",
                                        arguments: [sequence, kiosk.value, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM ratings WHERE seq > ? ORDER BY seq LIMIT ?",
                                        arguments: [sequence, limit])
            }
            return try rows.map(Self.record)
        }
    }

    public func latestSequence() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM ratings") ?? 0 }
    }

    public func summary(event: String?) async throws -> [KioskSummary] {
        try await pool.read { db in
            let sql = """
                SELECT kiosk, SUM(rating = 'up') AS up, SUM(rating = 'down') AS down FROM ratings
                \(event == nil ? "" : "WHERE event = ?") GROUP BY kiosk ORDER BY kiosk
                """
            let arguments: StatementArguments = event.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                KioskSummary(kiosk: try Self.kiosk(row), up: row["up"], down: row["down"])
            }
        }
    }

    public func startSession(_ session: StreamSessionRecord) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO sessions (id, event, kiosk, started, frames, decode_errors) VALUES (?, ?, ?, ?, 0, 0)
                """, arguments: [session.id.uuidString, session.event, session.kiosk.value, session.started.timeIntervalSince1970])
        }
    }

    public func endSession(id: UUID, ended: Date, framesDecoded: Int, decodeErrors: Int, reason: String) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE sessions SET ended = ?, frames = ?, decode_errors = ?, end_reason = ? WHERE id = ?
                """, arguments: [ended.timeIntervalSince1970, framesDecoded, decodeErrors, reason, id.uuidString])
        }
    }

    public func sessions(kiosk: KioskID?) async throws -> [StreamSessionRecord] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM sessions \(kiosk == nil ? "" : "WHERE kiosk = ?") ORDER BY started",
                                        arguments: kiosk.map { [$0.value] } ?? [])
            return try rows.map { row in
                StreamSessionRecord(
                    id: UUID(uuidString: row["id"]) ?? UUID(), event: row["event"], kiosk: try Self.kiosk(row),
                    started: Date(timeIntervalSince1970: row["started"]),
                    ended: (row["ended"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    framesDecoded: row["frames"], decodeErrors: row["decode_errors"], endReason: row["end_reason"])
            }
        }
    }

    public func purge(before date: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM ratings WHERE wall_time < ?", arguments: [date.timeIntervalSince1970])
            let removed = db.changesCount
            try db.execute(sql: "DELETE FROM sessions WHERE ended IS NOT NULL AND ended < ?", arguments: [date.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM rating_writes WHERE written < ?", arguments: [date.timeIntervalSince1970])
            return removed
        }
    }

    /// What SQLite's own integrity check finds wrong with the file; empty when it is sound.
    public func integrityProblems() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
    }

    private static func record(_ row: Row) throws -> RatingRecord {
        guard let rating = Rating(rawValue: row["rating"]), let session = UUID(uuidString: row["session"]) else {
            throw DatabaseError(message: "malformed rating row \(row["seq"] as Int64? ?? -1)")
        }
        return RatingRecord(
            sequence: row["seq"], event: row["event"], kiosk: try kiosk(row), session: session, rating: rating,
            confidence: Float(row["confidence"] as Double), mediaTime: row["media_time"],
            wallTime: Date(timeIntervalSince1970: row["wall_time"]), latencyMilliseconds: row["latency_ms"],
            model: row["model"])
    }

    private static func kiosk(_ row: Row) throws -> KioskID {
        guard let kiosk = KioskID(row["kiosk"] as String) else {
            throw DatabaseError(message: "a stored row has an invalid kiosk id: \(row["kiosk"] as String? ?? "")")
        }
        return kiosk
    }
}
