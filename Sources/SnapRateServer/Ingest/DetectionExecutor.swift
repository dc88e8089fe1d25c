import Foundation
import NIOCore
import SnapRateCore

/// The threads that run the streams' hand detection, away from Swift's cooperative pool.
///
/// A detection holds a core for several milliseconds without suspending. On the cooperative pool
/// that would stall the WebSocket pushes and HTTP handlers queued behind it, so each stream task
/// prefers this executor instead: its jobs run here, first come first served (which takes the
/// streams in turn), on as many threads as there are cores. The threads run at a lower
/// scheduling priority (a higher nice value, which Linux keeps per thread), so a push or a
/// request that wakes up gets a core at once and detection has the rest.
final class DetectionExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`, like the flags below.
    private var jobs = CircularBuffer<UnownedJob>()
    private var stopped = false
    private var started = false
    private let threads: Int
    private let niceness: Int32

    /// - Parameters:
    ///   - threads: how many jobs run at once; one per core.
    ///   - niceness: added to each thread's nice value (0 keeps the process's priority).
    init(threads: Int, niceness: Int32) {
        self.threads = max(1, threads)
        self.niceness = niceness
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if !started {
            // The threads start with the first stream, so a server that never streams has none.
            started = true
            for index in 0..<threads {
                Thread { [self] in
                    nameCurrentThread("detect ", "\(index)")
                    work()
                }.start()
            }
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish the queued jobs and exit.
    func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        lowerThreadPriority(by: niceness)
        while let job = take() {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func take() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty {
            if stopped { return nil }
            condition.wait()
        }
        return jobs.removeFirst()
    }
}
