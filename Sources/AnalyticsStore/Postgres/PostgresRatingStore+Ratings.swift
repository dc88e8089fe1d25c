import Foundation
import PostgresNIO
import SnapRateCore

extension PostgresRatingStore {
    public func append(_ ratings: [RatingRecord], write: UUID) async throws -> [RatingRecord] {
        guard !ratings.isEmpty else { return [] }
        let count = ratings.count
        // One statement in one transaction (whose COMMIT is waited for, `WriteConnection.transaction`):
        // take `count` numbers from the counter row (its lock is held until commit, so writers from
        // every node commit in the order of their numbers), insert the batch, record the write and
        // announce the last number. A failure anywhere rolls all of it back, the counter included:
        // no gap.
        let statement: PostgresQuery = """
            WITH counter AS (
                UPDATE rating_sequence SET last = last + \(count) RETURNING last
            ), batch AS (
                SELECT * FROM unnest(\(ratings.map(\.event))::TEXT[], \(ratings.map(\.kiosk.value))::TEXT[],
                                     \(ratings.map(\.session))::UUID[], \(ratings.map(\.rating.rawValue))::TEXT[],
                                     \(ratings.map(\.confidence))::REAL[], \(ratings.map(\.mediaTime))::FLOAT8[],
                                     \(ratings.map(\.wallTime))::TIMESTAMPTZ[], \(ratings.map(\.latencyMilliseconds))::FLOAT8[],
                                     \(ratings.map(\.model))::TEXT[])
                    WITH ORDINALITY AS b(event, kiosk, session, rating, confidence, media_time, wall_time, latency_ms, model, position)
            ), stored AS (
                INSERT INTO ratings (seq, event, kiosk, session, rating, confidence, media_time, wall_time, latency_ms, model)
                SELECT counter.last - \(count) + batch.position, batch.event, batch.kiosk, batch.session, batch.rating,
                       batch.confidence, batch.media_time, batch.wall_time, batch.latency_ms, batch.model
                FROM counter, batch
            ), recorded AS (
                INSERT INTO rating_writes (id, first_seq, last_seq, written)
                SELECT \(write), counter.last - \(count) + 1, counter.last, now() FROM counter
            )
            SELECT counter.last, pg_notify(\(configuration.channel), counter.last::TEXT)::TEXT FROM counter
            """
        let logger = logger
        do {
            let last = try await writer.transaction("appending \(count) ratings") { connection in
                var last: Int64?
                for try await (value, _) in try await connection.query(statement, logger: logger).decode((Int64, String).self) {
                    last = value
                }
                guard let last else { throw PostgresStoreError.malformedRow("the append returned no sequence number") }
                return last
            }
            return ratings.enumerated().map { index, rating in
                rating.stored(as: last - Int64(count) + 1 + Int64(index))
            }
        } catch where PostgresStoreError.sqlState(of: error) == "23505" && Self.isWriteConflict(error) {
            // This write was committed before (the answer to its commit was lost): hand back what
            // was stored then.
            return try await writer.run("reading an earlier write") { connection in
                let bounds = try await connection.query(
                    "SELECT first_seq, last_seq FROM rating_writes WHERE id = \(write)", logger: logger)
                for try await (first, last) in bounds.decode((Int64, Int64).self) {
                    return try await PostgresRatingQueries.records(
                        connection.query(PostgresRatingQueries.ratings(between: first, and: last), logger: logger))
                }
                throw PostgresStoreError.malformedRow("write \(write) conflicts but is not recorded")
            }
        }
    }

    private static func isWriteConflict(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.constraintName] == "rating_writes_pkey"
    }

    public func ratings(after sequence: Int64, kiosk: KioskID?, limit: Int) async throws -> [RatingRecord] {
        let logger = logger
        return try await read { connection in
            try await PostgresRatingQueries.records(
                connection.query(PostgresRatingQueries.ratings(after: sequence, kiosk: kiosk, limit: limit), logger: logger))
        }
    }

    public func latestSequence() async throws -> Int64 {
        let logger = logger
        return try await read { connection in
            try await PostgresRatingQueries.single(connection.query(PostgresRatingQueries.latestSequence, logger: logger))
        }
    }

    public func summary(event: String?) async throws -> [KioskSummary] {
        // Kiosk ids are ASCII; ordered byte by byte as SQLite does, whatever the database's collation.
        let query: PostgresQuery = if let event {
            """
            SELECT kiosk, COUNT(*) FILTER (WHERE rating = 'up'), COUNT(*) FILTER (WHERE rating = 'down')
            FROM ratings WHERE event = \(event) GROUP BY kiosk ORDER BY kiosk COLLATE "C"
            """
        } else {
            """
            SELECT kiosk, COUNT(*) FILTER (WHERE rating = 'up'), COUNT(*) FILTER (WHERE rating = 'down')
            FROM ratings GROUP BY kiosk ORDER BY kiosk COLLATE "C"
            """
        }
        let logger = logger
        return try await read { connection in
            var summaries: [KioskSummary] = []
            for try await (kiosk, up, down) in try await connection.query(query, logger: logger).decode((String, Int, Int).self) {
                summaries.append(KioskSummary(kiosk: try PostgresRatingQueries.kiosk(kiosk), up: up, down: down))
            }
            return summaries
        }
    }

    public func purge(before date: Date) async throws -> Int {
        let logger = logger
        return try await writer.transaction("purging") { connection in
            let removed = try await connection.query("""
                WITH removed AS (
                    DELETE FROM ratings WHERE wall_time < \(date) RETURNING 1
                ), ended AS (
                    DELETE FROM sessions WHERE ended IS NOT NULL AND ended < \(date)
                ), writes AS (
                    DELETE FROM rating_writes WHERE written < \(date)
                )
                SELECT COUNT(*) FROM removed
                """, logger: logger)
            return Int(try await PostgresRatingQueries.single(removed))
        }
    }
}
