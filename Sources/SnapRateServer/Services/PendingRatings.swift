import NIOConcurrencyHelpers
import NIOCore
import SnapRateCore

/// Detected ratings waiting for the store, at most `capacity` of them: the store writer's buffer
/// while the store cannot be written, so that detection never waits on a database.
///
/// When it is full the oldest waiting rating makes room for the new one and is handed back to the
/// caller, which must count and log it: a loss is never silent.
final class PendingRatings: Sendable {
    let capacity: Int
    private let state = NIOLockedValueBox(State())
    private let (arrivals, arrived) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    private struct State {
        var waiting = CircularBuffer<RatingRecord>()
        var closedAt: ContinuousClock.Instant?
    }

    init(capacity: Int) {
        precondition(capacity > 0, "the pending queue needs room for at least one rating")
        self.capacity = capacity
    }

    var count: Int { state.withLockedValue { $0.waiting.count } }

    /// Adds a rating; returns the oldest waiting one if it had to go to make room.
    func append(_ rating: RatingRecord) -> RatingRecord? {
        let dropped = state.withLockedValue { state -> RatingRecord? in
            let dropped = state.waiting.count >= capacity ? state.waiting.removeFirst() : nil
            state.waiting.append(rating)
            return dropped
        }
        arrived.yield()
        return dropped
    }

    /// Removes and returns up to `limit` of the oldest ratings (none if there are none).
    func take(upTo limit: Int) -> [RatingRecord] {
        state.withLockedValue { state in
            let batch = Array(state.waiting.prefix(limit))
            state.waiting.removeFirst(batch.count)
            return batch
        }
    }

    /// Removes and returns everything waiting.
    func takeAll() -> [RatingRecord] { take(upTo: .max) }

    /// No more ratings will come: `waitForRatings` returns false once the queue is empty.
    func close() {
        state.withLockedValue { $0.closedAt = .now }
        arrived.finish()
    }

    /// When `close()` was called, if it was.
    var closed: ContinuousClock.Instant? { state.withLockedValue { $0.closedAt } }

    /// Waits until a rating is waiting (true) or the queue is closed and empty (false).
    func waitForRatings() async -> Bool {
        var iterator = arrivals.makeAsyncIterator()
        while true {
            let (waiting, isClosed) = state.withLockedValue { (!$0.waiting.isEmpty, $0.closedAt != nil) }
            if waiting { return true }
            if isClosed { return false }
            guard await iterator.next() != nil else { return count > 0 }
        }
    }
}
