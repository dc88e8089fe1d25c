import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// A server child channel that reads each connection's first request head before anything else
/// (`RequestHeadGuard`, behind TLS when the server speaks it), checks it (`FirstRequestCheck`),
/// then serves it one of three ways: a refusal, a live subscriber's WebSocket handshake
/// (`SubscriberUpgrade`) with channel handlers of its own, and everything else with the wrapped
/// channel (Hummingbird's HTTP and WebSocket routes).
///
/// A subscriber is served without a task: Hummingbird would hold one for the life of every
/// WebSocket, with its async frames (about 20 KB between them), and a server has a thousand
/// subscribers. They only ever receive, so callbacks on the connection's event loop are enough.
struct GuardedChildChannel<Wrapped: ServerChildChannel>: ServerChildChannel {
    /// How a connection is served; known once its first request head is in.
    enum Route: Sendable {
        case wrapped(Wrapped.Value)
        /// Served by its own handlers, with nothing for the server's task to do.
        case subscriber
        /// Answered with an error and closed.
        case refused
    }

    /// The connection, and how it will be served. NIO registers a connection (and so starts reading
    /// it) only once `setup` has returned, so the route is a future.
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        let route: EventLoopFuture<Route>
    }

    let wrapped: Wrapped
    let subscribers: SubscriberUpgrade
    let check: FirstRequestCheck
    /// Set when the server speaks HTTPS; each connection takes the context current when it comes.
    let tls: TLSCredentials?
    /// How long a connection may take to send its first request head (its TLS handshake included).
    let headTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let routed = channel.eventLoop.makePromise(of: Route.self)
        let (wrapped, subscribers, check) = (wrapped, subscribers, check)
        let headGuard = RequestHeadGuard(timeout: headTimeout, route: { bytes, channel in
            // A head that is not HTTP goes on to Hummingbird, which answers it with 400.
            let head = RequestHead(bytes)
            if let head, let refusal = check.refusal(for: head) {
                try channel.pipeline.syncOperations.addHandler(RefusedRequest(refusal))
                routed.succeed(.refused)
            } else if let head, SubscriberUpgrade.matches(head) {
                try subscribers.install(on: channel)
                routed.succeed(.subscriber)
            } else {
                // Hummingbird's setup installs its handlers before it returns.
                wrapped.setup(channel: channel, logger: logger).map { Route.wrapped($0) }.cascade(to: routed)
            }
        }, unrouted: { routed.fail($0) })
        return channel.eventLoop.makeCompletedFuture {
            do {
                try channel.pipeline.syncOperations.addHandler(headGuard, position: .first)
                if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context), position: .first) }
                try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            } catch {
                routed.fail(error)
                throw error
            }
            return Value(channel: channel, route: routed.futureResult)
        }
    }

    /// Reads start at 512 bytes and grow to 16 KB for connections that fill them (NIO's defaults
    /// are 2 and 64 KB). A connection keeps its read buffers for its life: a subscriber, which
    /// only ever sends its request and control frames, then holds 512 bytes, not 2 KB, and an
    /// ingest stream (about 140 KB a second of video) a few buffers of 16 KB, not of 64.
    static var receiveBuffers: AdaptiveRecvByteBufferAllocator {
        AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 16 << 10)
    }

    /// Waits for the connection's first request head; then, for a subscriber, returns at once.
    func handle(value: Value, logger: Logger) async {
        guard case .wrapped(let value) = try? await value.route.get() else { return }
        await wrapped.handle(value: value, logger: logger)
    }
}
