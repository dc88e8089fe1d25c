import HummingbirdCore
import Logging
import NIOCore

/// A server child channel whose connections start with a `RequestHeadGuard` in front of the
/// wrapped channel's own handlers.
struct GuardedChildChannel<Wrapped: ServerChildChannel>: ServerChildChannel {
    let wrapped: Wrapped
    /// How long a connection may take to send its first request head.
    let headTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Wrapped.Value> {
        let headGuard = channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(timeout: headTimeout), position: .first)
        }
        return headGuard.flatMap { wrapped.setup(channel: channel, logger: logger) }
    }

    func handle(value: Wrapped.Value, logger: Logger) async {
        await wrapped.handle(value: value, logger: logger)
    }
}
