import HTTPTypes
import Hummingbird
import NIOCore
import SnapRateCore

/// The checks a connection's first request passes before any HTTP handler is installed for it:
/// its `Host` and, for a WebSocket, its `Origin` (`SiteGuard`); for an ingest socket, the token's
/// right to stream as that kiosk. A refusal is answered with its own status (which Hummingbird's
/// upgrade would turn into a bare 400) and the connection closed.
///
/// Later requests on the same connection are checked by the routes' middleware
/// (`SiteMiddleware`, the ingest route's own token check).
struct FirstRequestCheck: Sendable {
    let site: SiteGuard
    let access: AccessGuard

    /// The error to answer `head` with; nil to serve it.
    func refusal(for head: RequestHead) -> HTTPError? {
        do {
            try site.check(host: head.field("host"), origin: head.field("origin"), webSocket: head.isWebSocketUpgrade,
                           path: head.path)
            if head.isWebSocketUpgrade, let kiosk = Self.ingestKiosk(in: head.path) {
                guard KioskID(String(kiosk)) != nil else { return HTTPError(.badRequest, message: "invalid kiosk id") }
                try access.authorizeIngest(headers: head.httpFields, path: String(head.path), kiosk: String(kiosk))
            }
            return nil
        } catch {
            return error as? HTTPError ?? HTTPError(.badRequest)
        }
    }

    /// `door-1` in `/ingest/door-1`.
    static func ingestKiosk(in path: Substring) -> Substring? {
        let prefix = "/ingest/"
        guard path.hasPrefix(prefix) else { return nil }
        return path.dropFirst(prefix.count)
    }
}

/// Answers a connection's refused first request with its error, Hummingbird's JSON body
/// included, and closes the connection.
final class RefusedRequest: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let error: HTTPError
    private var answered = false

    init(_ error: HTTPError) {
        self.error = error
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        let body = error.body.map { PushMessage.encode(["error": ["message": $0]]) } ?? ""
        var lines = ["HTTP/1.1 \(error.status.code) \(error.status.reasonPhrase)", "connection: close",
                     "content-length: \(body.utf8.count)"]
        if !body.isEmpty { lines.append("content-type: application/json; charset=utf-8") }
        lines += error.headers.map { "\($0.name.rawName): \($0.value)" }
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n" + body
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}

extension RequestHead {
    /// The fields as Swift HTTP Types' (a name that is not a valid token is left out).
    var httpFields: HTTPFields {
        var result = HTTPFields()
        for (name, value) in fields {
            if let name = HTTPField.Name(name) { result.append(HTTPField(name: name, value: value)) }
        }
        return result
    }
}
