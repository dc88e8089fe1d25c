import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1

/// Checks a subscriber's handshake request before the upgrade: its token must hold `subscribe`
/// and its query must be valid. A refused request is answered with its status and reason, and the
/// connection closed; the upgrade never sees it.
final class SubscribeRequestCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let access: AccessGuard
    private var refused = false

    init(access: AccessGuard) {
        self.access = access
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        do {
            let uri = URI(head.uri)
            try access.authorize(headers: HTTPFields(head.headers), path: uri.path, for: .subscribe)
            _ = try SubscribeRequest(uri: uri)
            context.fireChannelRead(data)
        } catch {
            refused = true
            let answer = error as? HTTPError ?? HTTPError(.badRequest, message: "\(error)")
            Self.answer(answer, context: context)
        }
    }

    /// Writes `error` as the response (Hummingbird's JSON error body) and closes the connection.
    static func answer(_ error: HTTPError, context: ChannelHandlerContext) {
        var body = context.channel.allocator.buffer(capacity: 64)
        if let message = error.body {
            body.writeString(PushMessage.encode(["error": ["message": message]]))
        }
        var head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: error.status.code))
        head.headers = HTTPHeaders(error.headers)
        head.headers.replaceOrAdd(name: "connection", value: "close")
        head.headers.replaceOrAdd(name: "content-length", value: "\(body.readableBytes)")
        if body.readableBytes > 0 { head.headers.replaceOrAdd(name: "content-type", value: "application/json; charset=utf-8") }
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil) }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}

/// Last handler of a subscriber's handshake: a request that reaches it was not upgraded (it was
/// not a valid WebSocket handshake), and is answered with 400.
final class HandshakeRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered, case .head = unwrapInboundIn(data) else { return }
        answered = true
        SubscribeRequestCheck.answer(HTTPError(.badRequest, message: "not a WebSocket handshake"), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The upgrader's reasons for not upgrading; the request that follows is answered.
    }
}
