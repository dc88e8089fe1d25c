import Foundation
import PostgresNIO
import SnapRateCore

extension PostgresRatingStore {
    public func startSession(_ session: StreamSessionRecord) async throws {
        let logger = logger
        try await writer.transaction("recording a session start") { connection in
            _ = try await connection.query("""
                INSERT INTO sessions (id, event, kiosk, started, frames, decode_errors)
                VALUES (\(session.id), \(session.event), \(session.kiosk.value), \(session.started), 0, 0)
                """, logger: logger)
        }
    }

    public func endSession(id: UUID, ended: Date, framesDecoded: Int, decodeErrors: Int, reason: String) async throws {
        let logger = logger
        try await writer.transaction("recording a session end") { connection in
            _ = try await connection.query("""
                UPDATE sessions SET ended = \(ended), frames = \(framesDecoded), decode_errors = \(decodeErrors),
                    end_reason = \(reason)
                WHERE id = \(id)
                """, logger: logger)
        }
    }

    public func sessions(kiosk: KioskID?) async throws -> [StreamSessionRecord] {
        let query: PostgresQuery = if let kiosk {
            """
            SELECT id, event, kiosk, started, ended, frames, decode_errors, end_reason
            FROM sessions WHERE kiosk = \(kiosk.value) ORDER BY started
            """
        } else {
            "SELECT id, event, kiosk, started, ended, frames, decode_errors, end_reason FROM sessions ORDER BY started"
        }
        let logger = logger
        return try await read { connection in
            var sessions: [StreamSessionRecord] = []
            let columns = (UUID, String, String, Date, Date?, Int, Int, String?).self
            for try await (id, event, kiosk, started, ended, frames, errors, reason) in try await connection.query(query, logger: logger).decode(columns) {
                sessions.append(StreamSessionRecord(id: id, event: event, kiosk: try PostgresRatingQueries.kiosk(kiosk), started: started, ended: ended,
                                                    framesDecoded: frames, decodeErrors: errors, endReason: reason))
            }
            return sessions
        }
    }
}
