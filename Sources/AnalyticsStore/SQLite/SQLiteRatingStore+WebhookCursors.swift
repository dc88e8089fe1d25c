import Foundation
import GRDB
import SnapRateCore

extension SQLiteRatingStore {
    public func leaseWebhookCursor(target: String, holder: UUID, for lease: Duration, startingAt start: Int64) async throws -> Int64? {
        try await pool.write { db in
            let now = Date().timeIntervalSince1970
            try db.execute(sql: "INSERT OR IGNORE INTO webhook_cursors (target, delivered) VALUES (?, ?)",
                           arguments: [target, start])
            try db.execute(sql: """
                UPDATE webhook_cursors SET holder = ?, lease_until = ?
                WHERE target = ? AND (holder IS NULL OR holder = ? OR lease_until <= ?)
                """, arguments: [holder.uuidString, now + lease.inSeconds, target, holder.uuidString, now])
            guard db.changesCount == 1 else { return nil }
            return try Int64.fetchOne(db, sql: "SELECT delivered FROM webhook_cursors WHERE target = ?", arguments: [target])
        }
    }

    public func advanceWebhookCursor(target: String, holder: UUID, to sequence: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE webhook_cursors SET delivered = MAX(delivered, ?) WHERE target = ? AND holder = ?",
                           arguments: [sequence, target, holder.uuidString])
            return db.changesCount == 1
        }
    }

    public func releaseWebhookCursor(target: String, holder: UUID) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE webhook_cursors SET holder = NULL, lease_until = 0 WHERE target = ? AND holder = ?",
                           arguments: [target, holder.uuidString])
        }
    }

    public func webhookCursor(target: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT delivered FROM webhook_cursors WHERE target = ?", arguments: [target])
        }
    }
}
