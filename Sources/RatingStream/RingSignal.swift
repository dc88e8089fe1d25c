import Atomics
import Foundation

/// Wakes tasks that wait for the ring to move. The publishing side is lock-free when nobody sleeps:
/// it bumps an atomic generation and reads an atomic count of sleepers; only when someone sleeps
/// does it take the lock to resume them.
final class RingSignal: @unchecked Sendable {
    private let generation = ManagedAtomic<UInt64>(0)
    private let sleepers = ManagedAtomic<Int>(0)
    private let lock = NSLock()
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextID: UInt64 = 0

    /// Read this before checking the condition you will wait for, and pass it to `wait`: a wake-up
    /// between the check and the wait is then never lost.
    var current: UInt64 { generation.load(ordering: .sequentiallyConsistent) }

    /// Suspends until `wake` runs after `seen` was read, or the task is cancelled.
    func wait(after seen: UInt64) async {
        let id = lock.withLock { () -> UInt64 in
            nextID &+= 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock { () -> Bool in
                    // Count ourselves as a sleeper before looking at the generation: a waker that
                    // misses the count has bumped the generation first, and we see that here.
                    sleepers.wrappingIncrement(ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) != seen || Task.isCancelled {
                        sleepers.wrappingDecrement(ordering: .sequentiallyConsistent)
                        return true
                    }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                guard let continuation = waiters.removeValue(forKey: id) else { return nil }
                sleepers.wrappingDecrement(ordering: .sequentiallyConsistent)
                return continuation
            }
            continuation?.resume()
        }
    }

    func wake() {
        generation.wrappingIncrement(ordering: .sequentiallyConsistent)
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        let resumed = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            let all = Array(waiters.values)
            sleepers.wrappingDecrement(by: all.count, ordering: .sequentiallyConsistent)
            waiters.removeAll()
            return all
        }
        resumed.forEach { $0.resume() }
    }
}
