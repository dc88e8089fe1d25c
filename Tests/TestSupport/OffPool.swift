import Foundation

/// Runs `body`, which blocks (a socket read, a child process waited for), on a new thread: the
/// test process has two cooperative threads, and a blocking call on one of them can hold up the
/// very task it waits for, or every other suite's async work while it lasts.
public func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
