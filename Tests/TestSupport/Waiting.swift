import Foundation

// Waits without deadlines. Under the full suite's load (two cores, browsers, PostgreSQL, every
// suite at once) any wait can stretch past a bound that looks generous, so no wait here turns
// slowness into a failure: a hang is left to the suite's `.timeLimit` (and CI's watchdog), and a
// line on stderr once a minute says what is still awaited.

/// The once-a-minute `still waiting for WHAT after N s` line of one wait.
public struct StillWaiting: Sendable {
    private let start = ContinuousClock.now
    private var nextReport: ContinuousClock.Instant

    public init() {
        nextReport = start + .seconds(60)
    }

    /// Writes the line if a minute has passed since the wait began or since the last line.
    public mutating func report(_ what: @autoclosure () -> String) {
        let now = ContinuousClock.now
        guard now >= nextReport else { return }
        FileHandle.standardError.write(Data("still waiting for \(what()) after \((now - start).components.seconds) s\n".utf8))
        nextReport += .seconds(60)
    }
}

/// Polls `condition` every `interval` until it holds.
public func eventually(_ what: @autoclosure () -> String, every interval: Duration = .milliseconds(50),
                       _ condition: () async throws -> Bool) async throws {
    var waiting = StillWaiting()
    while try await !condition() {
        try await Task.sleep(for: interval)
        waiting.report(what())
    }
}

/// Awaits `body`, saying once a minute what it waits for (`what` is asked again each time, so it
/// can tell how far the wait has got). Cancelling the caller cancels `body`.
public func awaiting<T: Sendable>(_ what: @autoclosure @escaping @Sendable () -> String,
                                  _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            var waiting = StillWaiting()
            while true {
                try await Task.sleep(for: .seconds(60))
                waiting.report(what())
            }
        }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if let value = next { return value }
        }
        throw CancellationError()
    }
}

// MARK: - Blocking waits

/// Whether the wait on this thread should give up: the calling task was cancelled (a blocking
/// call made straight from a test), or the task of the `offPool` call that runs this thread was.
public var waitIsCancelled: Bool {
    Task.isCancelled || (Thread.current.threadDictionary[OffPoolCancellation.key] as? OffPoolCancellation)?.isSet == true
}

/// Polls `condition` every 50 ms on this thread, blocking it, until it holds.
public func blockingEventually(_ what: @autoclosure () -> String, _ condition: () throws -> Bool) throws {
    var waiting = StillWaiting()
    while try !condition() {
        if waitIsCancelled { throw CancellationError() }
        Thread.sleep(forTimeInterval: 0.05)
        waiting.report(what())
    }
}

extension DispatchSemaphore {
    /// Waits for a signal, blocking this thread (in one-second slices, to notice a cancellation).
    public func waitWithoutDeadline(for what: @autoclosure () -> String) throws {
        var waiting = StillWaiting()
        while wait(timeout: .now() + 1) == .timedOut {
            if waitIsCancelled { throw CancellationError() }
            waiting.report(what())
        }
    }
}

/// `recv` on a blocking socket, waiting as long as it takes for bytes or the peer's close (in
/// one-second slices of `SO_RCVTIMEO`, to notice a cancellation). What `recv` returns: a count,
/// 0 once the peer closed, or -1 with `errno` set for anything but the slice's end.
public func receiveWithoutDeadline(_ descriptor: Int32, into buffer: inout [UInt8], count: Int,
                                   waitingFor what: @autoclosure () -> String) throws -> Int {
    var slice = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &slice, socklen_t(MemoryLayout<timeval>.size))
    var waiting = StillWaiting()
    while true {
        let got = recv(descriptor, &buffer, count, 0)
        guard got < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return got }
        if waitIsCancelled { throw CancellationError() }
        waiting.report(what())
    }
}
