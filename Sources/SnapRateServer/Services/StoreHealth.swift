import Atomics

/// Whether detected ratings reach the store, as `GET /readyz` reports it. The store writer keeps
/// it up to date; the route only reads it.
///
/// The rule: not ready while the store writer's last attempt failed (it is retrying a batch: a
/// full disk, a database away), or while more than a tenth of the store queue (`--store-queue`)
/// waits for the store (writes succeed but do not keep up), or once shutdown began. Otherwise
/// ready. A store that no rating has tried to reach yet counts as ready: only a write can tell.
final class StoreHealth: Sendable {
    private let failing = ManagedAtomic(false)
    private let waitingCount = ManagedAtomic(0)
    let queueCapacity: Int

    init(queueCapacity: Int) {
        self.queueCapacity = queueCapacity
    }

    /// Ratings waiting above this many make the server unready.
    var waitingLimit: Int { max(1, queueCapacity / 10) }

    /// The store writer's last attempt at a batch: stored (true) or failed.
    func wrote(succeeded: Bool) { failing.store(!succeeded, ordering: .relaxed) }

    /// Ratings waiting for the store now.
    func waiting(_ count: Int) { waitingCount.store(count, ordering: .relaxed) }

    /// Why the server is not ready, in one line, or nil when it is. It names neither the store's
    /// error nor any kiosk (those are in the log and `/metrics`): the route is open to anyone.
    func unreadyReason(accepting: Bool) -> String? {
        guard accepting else { return "shutting down" }
        let waiting = waitingCount.load(ordering: .relaxed)
        if failing.load(ordering: .relaxed) {
            return "the store's last write failed; \(waiting) ratings wait in memory"
        }
        if waiting > waitingLimit {
            return "\(waiting) ratings wait for the store, over \(waitingLimit) (a tenth of the store queue)"
        }
        return nil
    }
}
