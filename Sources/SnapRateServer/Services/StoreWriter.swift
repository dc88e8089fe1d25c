import Atomics
import Foundation
import Logging
import AnalyticsStore
import RatingRing
import SnapRateCore
import ServiceLifecycle

/// Moves detected ratings from the ring into the store, in batches, and (when no commit feed does
/// it) publishes what was stored, with its sequence number, to the stored-ratings ring.
///
/// Two tasks. The drainer reads the ring with its gating cursor, so no producer overwrites a
/// rating it has not read, and moves each into a bounded pending queue at once: detection never
/// waits on the store. The writer appends the queue's oldest ratings a batch at a time, and
/// retries a failed batch under the same write id (so a commit whose answer was lost is never
/// stored twice) with exponential backoff until the store takes it. Only when the queue is full
/// does a rating get lost, the oldest waiting one, counted in `snaprate_ratings_lost_total` and
/// logged whole at critical level.
///
/// On shutdown it runs after every stream has ended: the drainer takes what is left in the ring
/// and the writer keeps trying for `storeDrainTimeout` before it gives up on what still waits,
/// logging each rating it could not write.
struct StoreWriter: Service {
    let context: ServerContext
    let cursor: RingCursor<RatingRecord>
    let pending: PendingRatings
    let batchLimit: Int
    /// Whether this writer feeds the stored-ratings ring (not when a commit feed does).
    let publishes: Bool
    let firstRetryDelay: Duration
    let maximumRetryDelay: Duration
    /// Ratings lost so far, as counted in the metrics.
    let lost = ManagedAtomic<Int>(0)

    /// Create before any stream starts: the gating cursor starts at the ring's next element.
    init(context: ServerContext, batchLimit: Int = 256, firstRetryDelay: Duration = .milliseconds(50),
         maximumRetryDelay: Duration = .seconds(2)) {
        self.context = context
        self.cursor = context.detected.makeCursor(gating: true)
        self.pending = PendingRatings(capacity: context.configuration.storeQueueCapacity)
        self.batchLimit = batchLimit
        self.publishes = context.commitFeed == nil
        self.firstRetryDelay = firstRetryDelay
        self.maximumRetryDelay = maximumRetryDelay
    }

    func run() async throws {
        let stored = ManagedAtomic<Int>(0)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.drainRing() }
            group.addTask { await self.writePending(stored: stored) }
        }
        context.logger.info("store writer stopped", metadata: [
            "stored": "\(stored.load(ordering: .relaxed))", "lost": "\(lost.load(ordering: .relaxed))"])
    }

    /// Moves ratings from the ring to the pending queue until shutdown, then what is left, then
    /// closes the queue.
    private func drainRing() async {
        await cancelWhenGracefulShutdown {
            while let read = await cursor.next() { enqueue(read) }
        }
        // Streams have all ended (they shut down before this service): take what is left.
        while let read = cursor.poll() { enqueue(read) }
        pending.close()
    }

    private func enqueue(_ read: RingRead<RatingRecord>) {
        switch read {
        case .element(_, let rating):
            if let dropped = pending.append(rating) {
                lose([dropped], because: "the store queue is full (\(pending.capacity) ratings waiting for the store)")
            }
            context.metrics.ratingsPending.record(pending.count)
            context.storeHealth.waiting(pending.count)
        case .gap(let from, let to):
            // Cannot happen to a gating cursor; counted loudly if it ever does.
            context.logger.critical("store writer fell into a ring gap", metadata: ["from": "\(from)", "to": "\(to)"])
            context.metrics.storeFailures.increment()
        }
    }

    private func writePending(stored: ManagedAtomic<Int>) async {
        while await pending.waitForRatings() {
            let batch = pending.take(upTo: batchLimit)
            guard !batch.isEmpty else { continue }
            if await write(batch) { stored.wrappingIncrement(by: batch.count, ordering: .relaxed) }
            context.metrics.ratingsPending.record(pending.count)
            context.storeHealth.waiting(pending.count)
            context.metrics.ringBacklog.record(context.detected.backlog)
        }
    }

    /// Appends one batch, retrying until it is stored (true) or shutdown's time is up (false: the
    /// batch and everything still waiting are lost, loudly).
    private func write(_ batch: [RatingRecord]) async -> Bool {
        let write = UUID()
        let clock = ContinuousClock()
        var delay = firstRetryDelay
        var failures = 0
        while true {
            let start = clock.now
            do {
                let records = try await context.store.append(batch, write: write)
                context.metrics.storeLatency.recordInterval(start.duration(to: clock.now))
                context.metrics.ratingsStored.increment(by: records.count)
                context.storeHealth.wrote(succeeded: true)
                if failures > 0 {
                    // At warning, so that it shows wherever the failures did.
                    context.logger.warning("the store takes writes again", metadata: [
                        "failed_attempts": "\(failures)", "waiting": "\(pending.count)"])
                }
                if publishes {
                    for record in records { await context.stored.publish(record) }
                }
                return true
            } catch {
                failures += 1
                context.metrics.storeFailures.increment()
                context.storeHealth.wrote(succeeded: false)
                context.logger.error("storing ratings failed", metadata: [
                    "batch": "\(batch.count)", "waiting": "\(pending.count)", "attempt": "\(failures)",
                    "retry_in": "\(delay)", "error": "\(context.store.describe(error))"])
                if Task.isCancelled || drainTimeIsUp {
                    lose(batch + pending.takeAll(), because: "shutting down while the store cannot be written")
                    return false
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, maximumRetryDelay)
            }
        }
    }

    /// Shutdown began (the queue is closed) longer ago than the drain timeout.
    private var drainTimeIsUp: Bool {
        guard let closed = pending.closed else { return false }
        return closed.duration(to: .now) >= context.configuration.storeDrainTimeout
    }

    /// Counts and logs each lost rating whole, so that none goes silently (and each could be
    /// entered again by hand from the log).
    private func lose(_ ratings: [RatingRecord], because reason: String) {
        guard !ratings.isEmpty else { return }
        lost.wrappingIncrement(by: ratings.count, ordering: .relaxed)
        context.metrics.ratingsLost.increment(by: ratings.count)
        for rating in ratings {
            context.logger.critical("rating lost: \(reason)", metadata: [
                "event": "\(rating.event)", "kiosk": "\(rating.kiosk)", "session": "\(rating.session)", "rating": "\(rating.rating.rawValue)",
                "confidence": "\(rating.confidence)", "time": "\(rating.mediaTime)",
                "at": "\(rating.wallTime.timeIntervalSince1970)", "model": "\(rating.model)"])
        }
    }
}
