import Atomics
import Dispatch
import NIOCore

/// Notices a subscriber that has stopped taking data.
///
/// A write to a WebSocket waits while the socket's buffers are full. One pending for longer than
/// `timeout` means the client stopped reading (or its network went): every later message would
/// only queue behind it, and even the close frame at shutdown could not be sent. Such a connection
/// is cut; the client can reconnect and replay with `since`. One per subscription, checked by a
/// timer on the connection's event loop rather than by a task of its own: a task's stack is a few
/// kilobytes, and a server has a thousand subscribers.
final class StallWatchdog: Sendable {
    let timeout: Duration
    /// Uptime in nanoseconds when the pending write began; 0 while none is pending.
    private let pendingSince = ManagedAtomic<UInt64>(0)
    /// Uptime in nanoseconds when the server began to shut down; 0 until it does. The server's,
    /// shared by every watchdog.
    private let shutdownSince: ManagedAtomic<UInt64>

    init(timeout: Duration, shutdownSince: ManagedAtomic<UInt64>) {
        self.timeout = timeout
        self.shutdownSince = shutdownSince
    }

    /// Runs one write under watch.
    func writing<T>(_ body: () async throws -> T) async rethrows -> T {
        pendingSince.store(max(1, Self.now()), ordering: .relaxed)
        defer { pendingSince.store(0, ordering: .relaxed) }
        return try await body()
    }

    /// Looks four times per `timeout` and calls `onStall` once, when a write has been pending for
    /// longer than `timeout` or shutdown began longer than `timeout` ago. Cancel the returned
    /// task when the subscription ends.
    func watch(on eventLoop: any EventLoop, onStall: @escaping @Sendable () -> Void) -> RepeatedTask {
        let limit = UInt64(timeout.components.seconds) * 1_000_000_000 + UInt64(timeout.components.attoseconds / 1_000_000_000)
        let period = TimeAmount.nanoseconds(Int64(max(1, limit / 4)))
        return eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { task in
            let now = Self.now()
            func overdue(_ since: UInt64) -> Bool { since != 0 && now &- since > limit }
            if overdue(self.pendingSince.load(ordering: .relaxed)) || overdue(self.shutdownSince.load(ordering: .relaxed)) {
                task.cancel()
                onStall()
            }
        }
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
