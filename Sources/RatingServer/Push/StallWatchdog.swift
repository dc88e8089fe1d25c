import Atomics
import Dispatch

/// Notices a subscriber that has stopped taking data.
///
/// A write to a WebSocket waits while the socket's buffers are full. One pending for longer than
/// `timeout` means the client stopped reading (or its network went): every later message would
/// only queue behind it, and even the close frame at shutdown could not be sent. Such a connection
/// is cut; the client can reconnect and replay with `since`. One per subscription.
final class StallWatchdog: Sendable {
    let timeout: Duration
    /// Uptime in nanoseconds when the pending write began; 0 while none is pending.
    private let pendingSince = ManagedAtomic<UInt64>(0)
    /// Uptime when shutdown began; 0 until it does.
    private let shutdownSince = ManagedAtomic<UInt64>(0)

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Runs one write under watch.
    func writing<T>(_ body: () async throws -> T) async rethrows -> T {
        pendingSince.store(max(1, Self.now()), ordering: .relaxed)
        defer { pendingSince.store(0, ordering: .relaxed) }
        return try await body()
    }

    /// From now on the connection has `timeout` to finish, however it is doing.
    func shutdownBegan() {
        shutdownSince.store(max(1, Self.now()), ordering: .relaxed)
    }

    /// Returns once a write has been pending for longer than `timeout`, or shutdown began longer
    /// than `timeout` ago; throws `CancellationError` when the task is cancelled first.
    func untilStalled() async throws {
        let limit = UInt64(timeout.components.seconds) * 1_000_000_000 + UInt64(timeout.components.attoseconds / 1_000_000_000)
        while true {
            try await Task.sleep(for: timeout / 4)
            let now = Self.now()
            for since in [pendingSince.load(ordering: .relaxed), shutdownSince.load(ordering: .relaxed)]
            where since != 0 && now &- since > limit {
                return
            }
        }
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
