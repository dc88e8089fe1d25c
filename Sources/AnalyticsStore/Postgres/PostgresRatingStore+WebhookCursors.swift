import Foundation
import PostgresNIO
import SnapRateCore

extension PostgresRatingStore {
    public func leaseWebhookCursor(target: String, holder: UUID, for lease: Duration, startingAt start: Int64) async throws -> Int64? {
        let logger = logger
        let seconds = lease.inSeconds
        return try await writer.transaction("leasing webhook target \(target)") { connection in
            _ = try await connection.query("""
                INSERT INTO webhook_cursors (target, delivered) VALUES (\(target), \(start)) ON CONFLICT (target) DO NOTHING
                """, logger: logger)
            // Another node's UPDATE of the same row waits for this commit and then finds the lease taken.
            let rows = try await connection.query("""
                UPDATE webhook_cursors SET holder = \(holder), lease_until = now() + make_interval(secs => \(seconds))
                WHERE target = \(target) AND (holder IS NULL OR holder = \(holder) OR lease_until <= now())
                RETURNING delivered
                """, logger: logger)
            var delivered: Int64?
            for try await value in rows.decode(Int64.self) { delivered = value }
            return delivered
        }
    }

    public func advanceWebhookCursor(target: String, holder: UUID, to sequence: Int64) async throws -> Bool {
        let logger = logger
        return try await writer.transaction("advancing webhook target \(target)") { connection in
            let rows = try await connection.query("""
                UPDATE webhook_cursors SET delivered = GREATEST(delivered, \(sequence))
                WHERE target = \(target) AND holder = \(holder) RETURNING delivered
                """, logger: logger)
            var updated = false
            for try await _ in rows.decode(Int64.self) { updated = true }
            return updated
        }
    }

    public func releaseWebhookCursor(target: String, holder: UUID) async throws {
        let logger = logger
        try await writer.transaction("releasing webhook target \(target)") { connection in
            _ = try await connection.query("""
                UPDATE webhook_cursors SET holder = NULL, lease_until = '-infinity'
                WHERE target = \(target) AND holder = \(holder)
                """, logger: logger)
        }
    }

    public func webhookCursor(target: String) async throws -> Int64? {
        let logger = logger
        return try await read { connection in
            var delivered: Int64?
            for try await value in try await connection.query(
                "SELECT delivered FROM webhook_cursors WHERE target = \(target)", logger: logger).decode(Int64.self) {
                delivered = value
            }
            return delivered
        }
    }
}
