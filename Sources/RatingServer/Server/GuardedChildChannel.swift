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

    /// Reads start at 512 bytes and grow to 16 KB for connections that fill them (NIO's defaults
    /// are 2 and 64 KB). A connection keeps its read buffers for its life: a subscriber, which
    /// only ever sends its request and control frames, then holds 512 bytes, not 2 KB, and an
    /// ingest stream (about 140 KB a second of video) a few buffers of 16 KB, not of 64.
    static var receiveBuffers: AdaptiveRecvByteBufferAllocator {
        AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 16 << 10)
    }

    func handle(value: Wrapped.Value, logger: Logger) async {
        await wrapped.handle(value: value, logger: logger)
    }
}
