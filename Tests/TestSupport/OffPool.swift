import Foundation

/// Runs `body`, which blocks (a socket read, a child process waited for), on a new thread: the
/// test process has two cooperative threads, and a blocking call on one of them can hold up the
/// very task it waits for, or every other suite's async work while it lasts. Cancelling the
/// caller (a suite's time limit) is seen by the waits in `Waiting.swift` on that thread.
public func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    let cancellation = OffPoolCancellation()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.threadDictionary[OffPoolCancellation.key] = cancellation
            thread.start()
        }
    } onCancel: {
        cancellation.set()
    }
}

/// The cancellation of an `offPool` caller, as its thread sees it (a thread has no task).
final class OffPoolCancellation: @unchecked Sendable {
    static let key = "snaprate.test.offPoolCancellation"
    private let lock = NSLock()
    private var cancelled = false

    var isSet: Bool { lock.withLock { cancelled } }
    func set() { lock.withLock { cancelled = true } }
}
