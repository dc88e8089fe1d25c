import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The WebSocket routes' request context: Hummingbird's basic one plus the connection itself. The
/// client's address is what the per-address limits count by (the TCP peer's: behind a reverse
/// proxy every client is the proxy, see `IngestLimits.exemptLoopback`), and the channel lets a
/// route cut a connection that stops taking data rather than wait on it.
struct SocketRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
        remoteAddress = source.channel.remoteAddress
    }

    var peer: Peer { Peer(remoteAddress) }
}
