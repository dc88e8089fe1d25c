import NIOCore

/// First handler of every connection, until the connection's first request head has arrived.
///
/// Until then no HTTP or WebSocket handler is in the pipeline to act on shutdown, so without this
/// a socket that was opened but not yet used (browsers open spare ones ahead of need) kept a
/// graceful shutdown waiting for as long as the client kept it; and a client could hold sockets
/// open for ever by sending nothing. Before the head is complete, this handler closes the
/// connection when the server begins to shut down, or when `timeout` passes; once the head is in,
/// it takes itself out and the handlers behind it own the connection.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var scanner = HeadEndScanner()

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let headEnded = scanner.scan(unwrapInboundIn(data).readableBytesView)
        context.fireChannelRead(data)
        if headEnded {
            disarm()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // No request is under way on this connection: nothing is lost by closing it.
            Self.end(context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func arm(context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            Self.end(loopBound.value)
        }
    }

    /// Ends the connection as if the client had closed it, which the upgrade negotiation behind
    /// takes as a quiet end (a plain close would reach it as an error, logged as one).
    private static func end(_ context: ChannelHandlerContext) {
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

/// Finds the blank line that ends an HTTP request head, across reads. HTTP/1.1 lets a recipient
/// take a bare LF as a line end, so CR is skipped and two LFs in a row end the head.
struct HeadEndScanner {
    private var afterLineFeed = false

    /// True once the bytes seen so far hold the end of the head.
    mutating func scan(_ bytes: ByteBufferView) -> Bool {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                if afterLineFeed { return true }
                afterLineFeed = true
            case UInt8(ascii: "\r"):
                continue
            default:
                afterLineFeed = false
            }
        }
        return false
    }
}
