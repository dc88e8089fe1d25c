import Foundation
import Logging
import NIOCore
import NIOWebSocket

/// A subscriber's WebSocket after the handshake: admits it (the per-address limit), runs its
/// `Subscription`, and answers the client's control frames, all as callbacks on the connection's
/// event loop. It costs no task: the subscription sends from the fanout's task, or its own while
/// catching up; timers here watch for a client that stopped reading and keep proxies from closing
/// a quiet connection.
///
/// Closing is the WebSocket close handshake: the client's close is answered and the connection
/// ended; at shutdown (`ChannelShouldQuiesceEvent`) the server sends its own close (1000) and waits
/// for the client's, up to the send timeout. After a close has gone out nothing else is sent.
final class SubscriberSocket: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let server: ServerContext
    private let request: SubscribeRequest
    private let peer: Peer
    private let logger: Logger
    private var subscription: Subscription?
    private var timers: [RepeatedTask] = []
    private var closeDeadline: Scheduled<Void>?
    private var sentClose = false
    /// Whether this connection is in `subscriberSockets`.
    private var counted = false

    init(context: ServerContext, request: SubscribeRequest, peer: Peer) {
        self.server = context
        self.request = request
        self.peer = peer
        var logger = context.logger
        logger[metadataKey: "peer"] = "\(peer)"
        self.logger = logger
    }

    /// Socket options for a subscriber's connection.
    static func configure(_ channel: any Channel, context: ServerContext) throws {
        guard let options = channel.syncOptions else { return }
        // Linux wakes a writer whose send buffer is full only once a third of it is free, and
        // lets that buffer grow to megabytes. A client reading slowly but steadily would then
        // leave one write waiting for as long as it takes to read a megabyte, and look stalled
        // to `StallWatchdog`. A small buffer keeps that wait to what it needs to read ~40 KB.
        try options.setOption(ChannelOptions.socketOption(.so_sndbuf), value: sendBuffer)
        // A client that vanished (no pong to the keepalive, no acknowledgement at all) is
        // dropped by the kernel once data has gone unacknowledged this long.
        try options.setOption(userTimeout, value: unacknowledgedLimit(context))
    }

    /// Bytes the kernel may hold for one subscriber (Linux doubles it for its bookkeeping): a
    /// few hundred messages, a bandwidth-delay product well above what ratings need.
    static let sendBuffer: SocketOptionValue = 64 << 10

    static let userTimeout = ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: TCP_USER_TIMEOUT))

    /// Milliseconds: twice the send timeout, and at least two keepalive periods, so that
    /// `StallWatchdog` (with its metric and log line) is what cuts a client that stops reading.
    static func unacknowledgedLimit(_ context: ServerContext) -> SocketOptionValue {
        let sendTimeout = context.configuration.sendTimeout.components
        let milliseconds = 2 * (sendTimeout.seconds * 1000 + sendTimeout.attoseconds / 1_000_000_000_000_000)
        return SocketOptionValue(clamping: max(milliseconds, 2 * Subscription.keepalivePeriod.nanoseconds / 1_000_000))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The upgrade adds this handler; the client may have hung up meanwhile, and then no
        // `channelInactive` would come to take it off the count shutdown waits on.
        guard context.channel.isActive else {
            context.close(promise: nil)
            return
        }
        server.subscriberSockets.opened()
        counted = true
        guard server.isAccepting else {
            // Shutdown began while this handshake was under way, so its quiesce event went by.
            sendClose(context: context, code: .goingAway, reason: "shutting down")
            return
        }
        if let refusal = Admission(context: server).admit(.subscriber, from: peer) {
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text,
                                                         data: ByteBuffer(string: PushMessage.error(refusal.message)))),
                          promise: nil)
            sendClose(context: context, code: WebSocketErrorCode(codeNumber: Int(refusal.limit.closeCode)), reason: refusal.limit.label)
            return
        }
        let sink = ChannelPushSink(channel: context.channel)
        let subscription = Subscription(context: server, kiosk: request.kiosk, since: request.since, sink: sink, logger: logger)
        self.subscription = subscription
        let (watchdog, logger, metrics) = (subscription.watchdog, logger, server.metrics)
        timers.append(watchdog.watch(on: context.eventLoop) {
            metrics.stalledSubscribers.increment()
            logger.info("subscriber cut: it took no data for \(watchdog.timeout)")
            sink.cut()
        })
        timers.append(context.eventLoop.scheduleRepeatedTask(initialDelay: Subscription.keepalivePeriod,
                                                             delay: Subscription.keepalivePeriod) { _ in sink.ping() })
        subscription.start()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .ping where !sentClose:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)),
                                  promise: nil)
        case .connectionClose:
            guard !sentClose else {
                // The client's answer to our close: the handshake is done.
                context.close(promise: nil)
                return
            }
            // Answer with the client's own code, then end the connection.
            var echo = frame.unmaskedData
            let code = echo.readSlice(length: min(2, echo.readableBytes)) ?? ByteBuffer()
            sentClose = true
            endSubscription()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)))
                .whenComplete { _ in loopBound.value.close(promise: nil) }
        default:
            // Subscribers have nothing to say; their messages are ignored.
            break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !sentClose else {
            // The close handshake has begun: RFC 6455 allows no data after a close frame.
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            sendClose(context: context, code: .normalClosure, reason: "")
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Whichever comes first: a handler taken out of an open pipeline sees no channelInactive.
        release()
    }

    /// Stops the timers and the subscription and takes the connection off the count, once.
    private func release() {
        for timer in timers { timer.cancel() }
        timers.removeAll()
        closeDeadline?.cancel()
        closeDeadline = nil
        endSubscription()
        if counted {
            counted = false
            server.subscriberSockets.closed()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("subscriber connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    /// Sends a close frame, stops the subscription, and ends the connection once the client has
    /// answered or the send timeout has passed.
    private func sendClose(context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String) {
        guard !sentClose else { return }
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)), promise: nil)
        sentClose = true
        endSubscription()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        closeDeadline = context.eventLoop.scheduleTask(in: TimeAmount(server.configuration.sendTimeout)) {
            loopBound.value.close(promise: nil)
        }
    }

    /// Stops sending to the client and gives back its place under the per-address limit.
    private func endSubscription() {
        guard let subscription else { return }
        self.subscription = nil
        // At once, not in the task below: a catch-up started after the close frame would find its
        // writes refused and cut the connection instead of letting the close handshake finish.
        _ = subscription.stopSending()
        let (server, peer) = (server, peer)
        Task {
            await subscription.end()
            server.connections.release(.subscriber, from: peer)
        }
    }
}
