import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOWebSocket
import SnapRateCore

/// The WebSocket handshake of `WS /ws?kiosk=&since=` (scope `subscribe`), on channel handlers of its
/// own rather than Hummingbird's router (see `GuardedChildChannel`).
///
/// Before the upgrade, `SubscribeRequestCheck` checks the token and the query and answers a
/// refusal with its status (401, 403 or 400, with the reason); NIO's upgrader then checks the
/// handshake itself and answers it; `SubscriberSocket` serves the connection from then on.
struct SubscriberUpgrade: Sendable {
    let context: ServerContext

    static let path = "/ws"

    /// A subscriber has nothing to say beyond control frames (at most 125 bytes): a larger frame
    /// is refused (close 1009) before it is read, whatever `--max-message-size` allows ingest.
    static let maxFrameSize = 4096

    /// Whether `head` is a WebSocket upgrade of `GET /ws`.
    static func matches(_ head: RequestHead) -> Bool {
        head.method == "GET" && head.path == path && head.isWebSocketUpgrade
    }

    /// Installs the handshake's handlers on a connection whose first request is a subscriber's.
    func install(on channel: any Channel) throws {
        let context = context
        let encoder = HTTPResponseEncoder()
        let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
        let check = SubscribeRequestCheck(access: context.access)
        let refusal = HandshakeRefusal()
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: Self.maxFrameSize,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(HTTPHeaders(BearerCredential.upgradeHeaders(for: HTTPFields(head.headers))))
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    // Checked before the upgrade.
                    let request = try SubscribeRequest(uri: URI(head.uri))
                    try SubscriberSocket.configure(channel, context: context)
                    try channel.pipeline.syncOperations.addHandler(
                        SubscriberSocket(context: context, request: request, peer: Peer(channel.remoteAddress)))
                }
            })
        let upgrade = HTTPServerUpgradeHandler(upgraders: [upgrader], httpEncoder: encoder,
                                               extraHTTPHandlers: [decoder, check, refusal],
                                               upgradeCompletionHandler: { _ in })
        try channel.pipeline.syncOperations.addHandlers([encoder, decoder, check, upgrade, refusal])
    }
}

/// The kiosk (nil: all) and `since` of `WS /ws?kiosk=&since=`.
struct SubscribeRequest: Sendable {
    let kiosk: KioskID?
    let since: Int64

    init(uri: URI) throws {
        let query = uri.queryParameters
        var kiosk: KioskID?
        if let name = query.get("kiosk"), !name.isEmpty {
            guard let valid = KioskID(name) else { throw HTTPError(.badRequest, message: "invalid kiosk id") }
            kiosk = valid
        }
        let since = try APIRoutes.integer(query.get("since"), name: "since") ?? 0
        guard since >= 0 else { throw HTTPError(.badRequest, message: "since must not be negative") }
        self.kiosk = kiosk
        self.since = since
    }
}

extension HTTPFields {
    /// NIO's headers as Swift HTTP Types' fields (a name that is not a valid token is left out).
    init(_ headers: HTTPHeaders) {
        self.init()
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { append(HTTPField(name: name, value: value)) }
        }
    }
}

extension HTTPHeaders {
    init(_ fields: HTTPFields) {
        self.init(fields.map { ($0.name.rawName, $0.value) })
    }
}
