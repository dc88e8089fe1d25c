import SnapRateCore

/// A store that several nodes write to: it tells each node about every rating committed by any of
/// them, so that each can push them all to its own subscribers.
///
/// A store written by one process only (SQLite) does not need this: the writer itself knows what
/// it stored.
public protocol RatingCommitFeed: Sendable {
    /// Hands `deliver` every rating committed after `sequence` (after the latest one stored when
    /// following starts, if nil), as they commit, in sequence order, each once. Runs until the task
    /// is cancelled; a lost connection is retried with backoff and what was committed meanwhile is
    /// delivered once it is back.
    func followCommits(after sequence: Int64?, deliver: @escaping @Sendable ([RatingRecord]) async -> Void) async throws
}
