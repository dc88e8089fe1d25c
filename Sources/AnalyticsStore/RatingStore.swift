import Foundation
import SnapRateCore

/// Where ratings and stream sessions are kept for the organisers' analytics. The rest of SnapRate
/// talks to this protocol only, so SQLite (one node) and PostgreSQL (several) are interchangeable.
public protocol RatingStore: Sendable {
    /// Stores ratings in one transaction and returns them with their sequence numbers, in order
    /// (a sequence number the ratings came with is ignored).
    ///
    /// `write` names this batch. Appending under a name the store already holds stores nothing and
    /// returns the ratings stored under it the first time: a writer that lost its connection while
    /// committing cannot know whether the commit happened, and retries under the same name without
    /// ever storing a rating twice.
    func append(_ ratings: [RatingRecord], write: UUID) async throws -> [RatingRecord]

    /// Ratings with a sequence number above `sequence`, oldest first, optionally of one kiosk.
    func ratings(after sequence: Int64, kiosk: KioskID?, limit: Int) async throws -> [RatingRecord]

    /// The highest sequence number stored, 0 when there is none.
    func latestSequence() async throws -> Int64

    /// Up and down counts per kiosk, optionally for one event.
    func summary(event: String?) async throws -> [KioskSummary]

    func startSession(_ session: StreamSessionRecord) async throws
    func endSession(id: UUID, ended: Date, framesDecoded: Int, decodeErrors: Int, reason: String) async throws
    func sessions(kiosk: KioskID?) async throws -> [StreamSessionRecord]

    /// Deletes ratings and ended sessions older than `date`; returns how many ratings went.
    func purge(before date: Date) async throws -> Int

    /// Takes, or renews, the lease on delivering to the webhook target `target` for `holder`, until
    /// `lease` from now; a target met for the first time gets a cursor at `start`. Returns the
    /// target's cursor (the last sequence number it acknowledged) when `holder` holds the lease,
    /// nil while another holder's lease runs. One lease per target is what keeps several nodes on
    /// one store from each delivering every rating to it.
    func leaseWebhookCursor(target: String, holder: UUID, for lease: Duration, startingAt start: Int64) async throws -> Int64?

    /// Moves `target`'s cursor forward to `sequence` (never back) if `holder` still holds its lease,
    /// run out or not, as long as nobody took it over; false when another holder has.
    func advanceWebhookCursor(target: String, holder: UUID, to sequence: Int64) async throws -> Bool

    /// Gives up `holder`'s lease on `target` (at shutdown), so another node may take over at once.
    func releaseWebhookCursor(target: String, holder: UUID) async throws

    /// `target`'s cursor, nil for a target never leased.
    func webhookCursor(target: String) async throws -> Int64?

    /// The schema versions applied to this store, oldest first.
    func appliedMigrations() async throws -> [String]

    /// One line about an error this store threw, for logs.
    func describe(_ error: any Error) -> String
}

extension RatingStore {
    public func describe(_ error: any Error) -> String { "\(error)" }

    /// Stores ratings as a batch of their own (one that is never retried).
    public func append(_ ratings: [RatingRecord]) async throws -> [RatingRecord] {
        try await append(ratings, write: UUID())
    }
}
