import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import RatingStream

/// `WS /ingest/{kiosk}` (scope `ingest`) and `WS /ws?kiosk=&since=` (scope `subscribe`).
///
/// The token is checked before the upgrade; a browser sends it as the subprotocol `bearer.TOKEN`
/// beside `snaprate`, and the upgrade selects `snaprate` (see `BearerCredential`).
struct WebSocketRoutes {
    let context: ServerContext

    func add(to router: Router<SocketRequestContext>) {
        let context = context
        let admission = Admission(context: context)
        let ingest = router.group().add(middleware: AccessMiddleware(scope: .ingest, access: context.access))
        ingest.ws("/ingest/{kiosk}") { request, requestContext in
            guard let name = requestContext.parameters.get("kiosk"), KioskID(name) != nil else {
                context.metrics.refusedStreams.increment()
                throw HTTPError(.badRequest, message: "invalid kiosk id")
            }
            guard context.isAccepting else {
                context.metrics.refusedStreams.increment()
                throw HTTPError(.serviceUnavailable, message: "shutting down")
            }
            return .upgrade(BearerCredential.upgradeHeaders(for: request.headers))
        } onUpgrade: { inbound, outbound, wsContext in
            // Validated before the upgrade.
            guard let name = wsContext.requestContext.parameters.get("kiosk"), let kiosk = KioskID(name) else { return }
            try await admission.hold(.stream, from: wsContext.requestContext.peer, outbound: outbound) {
                try await IngestSocket(context: context, kiosk: kiosk)
                    .serve(inbound: inbound, outbound: outbound, logger: wsContext.logger)
            }
        }

        let subscribe = router.group().add(middleware: AccessMiddleware(scope: .subscribe, access: context.access))
        subscribe.ws("/ws") { request, _ in
            _ = try Self.subscriptionRequest(request)
            return .upgrade(BearerCredential.upgradeHeaders(for: request.headers))
        } onUpgrade: { inbound, outbound, wsContext in
            let (kiosk, since) = try Self.subscriptionRequest(wsContext.request)
            let channel = wsContext.requestContext.channel
            // Linux wakes a writer whose send buffer is full only once a third of it is free, and
            // lets that buffer grow to megabytes. A client reading slowly but steadily would then
            // leave one write waiting for as long as it takes to read a megabyte, and look stalled
            // to `StallWatchdog`. A small buffer keeps that wait to what it needs to read ~40 KB.
            try await channel.setOption(ChannelOptions.socketOption(.so_sndbuf), value: Self.subscriberSendBuffer).get()
            // A client that vanished (no pong to the keepalive, no acknowledgement at all) is
            // dropped by the kernel once data has gone unacknowledged this long.
            try await channel.setOption(Self.userTimeout, value: Self.unacknowledgedLimit(context)).get()
            try await admission.hold(.subscriber, from: wsContext.requestContext.peer, outbound: outbound) {
                let subscription = Subscription(context: context, kiosk: kiosk, since: since,
                                                sink: ChannelPushSink(channel: channel), logger: wsContext.logger)
                try await subscription.serve(inbound: inbound, eventLoop: channel.eventLoop)
            }
        }
    }

    /// Bytes the kernel may hold for one subscriber (Linux doubles it for its bookkeeping): a
    /// few hundred messages, a bandwidth-delay product well above what ratings need.
    static let subscriberSendBuffer: SocketOptionValue = 64 << 10

    static let userTimeout = ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: TCP_USER_TIMEOUT))

    /// Milliseconds: twice the send timeout, and at least two keepalive periods, so that
    /// `StallWatchdog` (with its metric and log line) is what cuts a client that stops reading.
    static func unacknowledgedLimit(_ context: ServerContext) -> SocketOptionValue {
        let sendTimeout = context.configuration.sendTimeout.components
        let milliseconds = 2 * (sendTimeout.seconds * 1000 + sendTimeout.attoseconds / 1_000_000_000_000_000)
        return SocketOptionValue(clamping: max(milliseconds, 2 * Subscription.keepalivePeriod.nanoseconds / 1_000_000))
    }

    /// The kiosk (nil: all) and `since` of `WS /ws?kiosk=&since=`.
    static func subscriptionRequest(_ request: Request) throws -> (kiosk: KioskID?, since: Int64) {
        let query = request.uri.queryParameters
        var kiosk: KioskID?
        if let name = query.get("kiosk"), !name.isEmpty {
            guard let valid = KioskID(name) else { throw HTTPError(.badRequest, message: "invalid kiosk id") }
            kiosk = valid
        }
        let since = try APIRoutes.integer(query.get("since"), name: "since") ?? 0
        guard since >= 0 else { throw HTTPError(.badRequest, message: "since must not be negative") }
        return (kiosk, since)
    }
}
