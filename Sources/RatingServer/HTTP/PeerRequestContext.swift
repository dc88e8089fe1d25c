import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The WebSocket routes' request context: Hummingbird's basic one plus the client's address,
/// which the per-address limits count by. The address is the TCP peer's: behind a reverse proxy
/// every client is the proxy (see `IngestLimits.exemptLoopback`).
struct PeerRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.remoteAddress = source.channel.remoteAddress
    }

    var peer: Peer { Peer(remoteAddress) }
}
