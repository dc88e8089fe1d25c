import Foundation
import PostgresNIO
import SnapRateCore

/// The SQL that reads ratings, shared by the read pool and the commit feed's connection.
enum PostgresRatingQueries {
    static func ratings(after sequence: Int64, kiosk: KioskID?, limit: Int) -> PostgresQuery {
        if let kiosk {
            return """
                SELECT seq, event, kiosk, session, rating, confidence, media_time, wall_time, latency_ms, model
                FROM ratings WHERE seq > \(sequence) AND kiosk = \(kiosk.value) ORDER BY seq LIMIT \(limit)
                """
        }
        return """
            SELECT seq, event, kiosk, session, rating, confidence, media_time, wall_time, latency_ms, model
            FROM ratings WHERE seq > \(sequence) ORDER BY seq LIMIT \(limit)
            """
    }

    static func ratings(between first: Int64, and last: Int64) -> PostgresQuery {
        """
        SELECT seq, event, kiosk, session, rating, confidence, media_time, wall_time, latency_ms, model
        FROM ratings WHERE seq BETWEEN \(first) AND \(last) ORDER BY seq
        """
    }

    static let latestSequence: PostgresQuery = "SELECT COALESCE(MAX(seq), 0)::BIGINT FROM ratings"

    /// Rows of the queries above as records.
    static func records(_ rows: PostgresRowSequence) async throws -> [RatingRecord] {
        var records: [RatingRecord] = []
        let columns = (Int64, String, String, UUID, String, Float, Double, Date, Double, String).self
        for try await (seq, event, kiosk, session, value, confidence, mediaTime, wallTime, latency, model) in rows.decode(columns) {
            guard let rating = Rating(rawValue: value) else {
                throw PostgresStoreError.malformedRow("rating \(seq) is \(value.debugDescription)")
            }
            records.append(RatingRecord(
                sequence: seq, event: event, kiosk: try Self.kiosk(kiosk), session: session, rating: rating,
                confidence: confidence, mediaTime: mediaTime, wallTime: wallTime, latencyMilliseconds: latency, model: model))
        }
        return records
    }

    /// A stored kiosk id; one that is not valid (a row written by hand) is an error, not a guess.
    static func kiosk(_ stored: String) throws -> KioskID {
        guard let kiosk = KioskID(stored) else {
            throw PostgresStoreError.malformedRow("a stored kiosk id is \(stored.debugDescription)")
        }
        return kiosk
    }

    /// The one value of a one-row query; the rows are read to their end (so a statement's
    /// completion, and any error after its first row, are seen).
    static func single(_ rows: PostgresRowSequence) async throws -> Int64 {
        var first: Int64?
        for try await value in rows.decode(Int64.self) where first == nil { first = value }
        guard let first else { throw PostgresStoreError.malformedRow("no row where one was expected") }
        return first
    }
}
