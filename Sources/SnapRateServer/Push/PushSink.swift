import NIOCore
import NIOWebSocket

/// Where one subscriber's messages go.
///
/// Two ways in: `offer` for the live fanout, which must never wait on one client, and `send` for
/// the subscriber's own catch-up, which may.
protocol PushSink: Sendable {
    /// Queues `message` if the client is keeping up; queues nothing and returns false if it is not.
    func offer(_ message: ByteBuffer) -> Bool
    /// Queues `message`, then waits while the client is behind.
    func send(_ message: ByteBuffer) async throws
    /// Waits until everything queued so far has left for the client.
    func drain() async throws
    /// Queues a ping (the keepalive), without waiting.
    func ping()
    /// Ends the connection at once.
    func cut()
    /// False once the connection has closed: there is nobody left to catch up.
    var isOpen: Bool { get }
}

/// A subscriber's WebSocket, written through its channel as text frames.
///
/// Writes go straight to the channel, from whichever task sends: they cost no task and no
/// suspension, and the channel's write-buffer water marks (NIO's defaults, 32 and 64 KB over the
/// socket's own buffer) say whether the client keeps up. Everything a subscriber is sent goes this way, so its
/// messages keep their order.
struct ChannelPushSink: PushSink {
    let channel: any Channel

    func offer(_ message: ByteBuffer) -> Bool {
        guard channel.isWritable else { return false }
        channel.writeAndFlush(Self.frame(message), promise: nil)
        return true
    }

    func send(_ message: ByteBuffer) async throws {
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(Self.frame(message), promise: written)
        if !channel.isWritable { try await written.futureResult.get() }
    }

    /// A ping: its write completes once everything queued before it is on the socket. It also
    /// keeps proxies from closing a quiet connection; the client's pong is ignored.
    func drain() async throws {
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(Self.ping, promise: written)
        try await written.futureResult.get()
    }

    func ping() {
        channel.writeAndFlush(Self.ping, promise: nil)
    }

    private static let ping = WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())

    func cut() {
        channel.close(mode: .all, promise: nil)
    }

    var isOpen: Bool { channel.isActive }

    private static func frame(_ message: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, data: message)
    }
}
