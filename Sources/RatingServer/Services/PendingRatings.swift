import Foundation
import RatingStream

/// Detected ratings waiting for the store, at most `capacity` of them: the store writer's buffer
/// while the store cannot be written, so that detection never waits on a database.
///
/// When it is full the oldest waiting rating makes room for the new one and is handed back to the
/// caller, which must count and log it: a loss is never silent.
final class PendingRatings: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    /// A FIFO as an array and the index of its first element, compacted when half of it is spent.
    private var storage: [DetectedRating] = []
    private var head = 0
    private var closedAt: ContinuousClock.Instant?
    private let (arrivals, arrived) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    init(capacity: Int) {
        precondition(capacity > 0, "the pending queue needs room for at least one rating")
        self.capacity = capacity
    }

    var count: Int { lock.withLock { storage.count - head } }

    /// Adds a rating; returns the oldest waiting one if it had to go to make room.
    func append(_ rating: DetectedRating) -> DetectedRating? {
        let dropped: DetectedRating? = lock.withLock {
            var dropped: DetectedRating?
            if storage.count - head >= capacity {
                dropped = storage[head]
                head += 1
            }
            storage.append(rating)
            compact()
            return dropped
        }
        arrived.yield()
        return dropped
    }

    /// Removes and returns up to `limit` of the oldest ratings (none if there are none).
    func take(upTo limit: Int) -> [DetectedRating] {
        lock.withLock {
            let end = head + min(limit, storage.count - head)
            let batch = Array(storage[head..<end])
            head = end
            compact()
            return batch
        }
    }

    /// Removes and returns everything waiting.
    func takeAll() -> [DetectedRating] { take(upTo: .max) }

    /// No more ratings will come: `waitForRatings` returns false once the queue is empty.
    func close() {
        lock.withLock { closedAt = ContinuousClock.now }
        arrived.finish()
    }

    /// When `close()` was called, if it was.
    var closed: ContinuousClock.Instant? { lock.withLock { closedAt } }

    /// Waits until a rating is waiting (true) or the queue is closed and empty (false).
    func waitForRatings() async -> Bool {
        var iterator = arrivals.makeAsyncIterator()
        while true {
            let (waiting, isClosed) = lock.withLock { (storage.count > head, closedAt != nil) }
            if waiting { return true }
            if isClosed { return false }
            guard await iterator.next() != nil else {
                return lock.withLock { storage.count > head }
            }
        }
    }

    private func compact() {
        if head > 1024, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
