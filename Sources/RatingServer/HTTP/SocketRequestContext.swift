import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The WebSocket routes' request context: Hummingbird's basic one plus the connection itself, so a
/// route can see who calls and can cut a connection that stops taking data rather than wait on it.
struct SocketRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    var remoteAddress: SocketAddress? { channel.remoteAddress }
}
