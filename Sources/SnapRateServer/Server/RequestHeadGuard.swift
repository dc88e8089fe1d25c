import NIOCore

/// First handler of every connection, until the connection's first request head has arrived.
///
/// It holds the bytes until the head is complete, then hands the head to `route`, which installs
/// the handlers that serve the connection (Hummingbird's, or a subscriber's own), passes them
/// everything read so far and takes itself out.
///
/// Until then no HTTP or WebSocket handler is in the pipeline to act on shutdown, so without this
/// a socket opened but not yet used (browsers open spare ones ahead of need) would keep a
/// graceful shutdown waiting for as long as the client kept it, and a client could hold sockets
/// open for ever by sending nothing. Before the head is complete, this handler closes the
/// connection when the server begins to shut down, when `timeout` passes, or when the head grows
/// past `maxHeadSize`.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Installs the connection's handlers behind this one, given the bytes read so far (the whole
    /// head, and whatever followed it in the same read).
    typealias Route = (_ head: ByteBuffer, _ channel: any Channel) throws -> Void

    private let timeout: TimeAmount
    private let maxHeadSize: Int
    private let route: Route
    /// Called once if the connection ends before it was routed.
    private let unrouted: (any Error) -> Void
    private var deadline: Scheduled<Void>?
    private var scanner = HeadEndScanner()
    private var held: ByteBuffer?
    private var routed = false

    init(timeout: TimeAmount, maxHeadSize: Int = 64 << 10, route: @escaping Route, unrouted: @escaping (any Error) -> Void) {
        self.timeout = timeout
        self.maxHeadSize = maxHeadSize
        self.route = route
        self.unrouted = unrouted
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
        endUnrouted(ChannelError.inputClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        endUnrouted(ChannelError.ioOnClosedChannel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !routed else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        let headEnded = scanner.scan(bytes.readableBytesView)
        if held == nil {
            held = bytes
        } else {
            held!.writeBuffer(&bytes)
        }
        guard headEnded, let head = held else {
            if (held?.readableBytes ?? 0) > maxHeadSize { Self.end(context) }
            return
        }
        held = nil
        routed = true
        disarm()
        do {
            try route(head, context.channel)
        } catch {
            unrouted(error)
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(wrapInboundOut(head))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Behind this handler there is nothing to tell before the head is routed.
        if routed { context.fireChannelReadComplete() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !routed {
            // No request is under way on this connection: nothing is lost by closing it.
            Self.end(context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func arm(context: ChannelHandlerContext) {
        guard deadline == nil, !routed else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            Self.end(loopBound.value)
        }
    }

    private static func end(_ context: ChannelHandlerContext) {
        context.close(promise: nil)
    }

    private func endUnrouted(_ error: any Error) {
        guard !routed else { return }
        routed = true
        held = nil
        unrouted(error)
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
