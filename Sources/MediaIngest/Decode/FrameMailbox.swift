import Foundation

/// What a decoder thread hands over: an event, or a picture for the consumer to convert.
enum MailboxItem: Sendable {
    case event(DecodeEvent)
    case picture(DecodedPicture)

    var isFrame: Bool {
        switch self {
        case .event(.frame), .picture: true
        case .event: false
        }
    }
}

/// The hand-over between a decoder thread and the async code that takes its events: a short
/// queue the thread fills (waiting for room when asked to) and the consumer empties, suspending
/// while it is empty. Live delivery can replace the oldest waiting frame instead of waiting.
final class FrameMailbox: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var events: [MailboxItem] = []
    private var frames = 0
    /// nil while the decoder runs; then `.some(nil)` for a clean end or `.some(error)`.
    private var ending: (any Error)??
    private var waiter: CheckedContinuation<MailboxItem?, any Error>?
    private var closed = false
    private var replaced = 0

    /// Blocks the decoder thread while `limit` frames wait; false once the consumer has gone.
    func waitForRoom(limit: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while frames >= limit && !closed { condition.wait() }
        return !closed
    }

    /// Queues an event. With `replacing` a frame takes the place of the oldest waiting frame when
    /// `limit` frames already wait.
    func put(_ event: MailboxItem, replacingOldestAbove limit: Int? = nil) {
        condition.lock()
        guard !closed else { return condition.unlock() }
        if event.isFrame {
            if let limit, frames >= limit, let oldest = events.firstIndex(where: \.isFrame) {
                events.remove(at: oldest)
                frames -= 1
                replaced += 1
            }
            frames += 1
        }
        if let waiter {
            self.waiter = nil
            if event.isFrame { frames -= 1 }
            condition.unlock()
            waiter.resume(returning: event)
            return
        }
        events.append(event)
        condition.unlock()
    }

    /// No more events: the consumer gets nil (or `error`) after what is queued.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        guard ending == nil else { return condition.unlock() }
        ending = .some(error)
        if let waiter, events.isEmpty {
            self.waiter = nil
            condition.unlock()
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
            return
        }
        condition.unlock()
    }

    /// The consumer has gone: the decoder stops waiting and everything queued is dropped.
    func close() {
        condition.lock()
        closed = true
        events.removeAll()
        frames = 0
        let waiter = waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    var replacedCount: Int { condition.withLock { replaced } }

    func next() async throws -> MailboxItem? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<MailboxItem?, any Error>) in
                condition.lock()
                if !events.isEmpty {
                    let event = events.removeFirst()
                    if event.isFrame { frames -= 1 }
                    condition.broadcast()
                    condition.unlock()
                    continuation.resume(returning: event)
                } else if closed || Task.isCancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else if let ending {
                    condition.unlock()
                    if let error = ending { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
                } else {
                    // Nothing queued, so the decoder is not waiting for room: nobody to wake.
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            close()
        }
    }
}
