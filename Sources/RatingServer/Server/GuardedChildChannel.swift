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
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
        }
        return headGuard.flatMap { wrapped.setup(channel: channel, logger: logger) }
    }

    /// Reads start at 512 bytes (NIO's default is 2 KB) and grow for connections that fill them:
    /// a subscriber only ever sends its request and control frames, and its read buffer is kept
    /// for the connection's life.
    static var receiveBuffers: AdaptiveRecvByteBufferAllocator {
        AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 64 << 10)
    }

    func handle(value: Wrapped.Value, logger: Logger) async {
        await wrapped.handle(value: value, logger: logger)
    }
}
