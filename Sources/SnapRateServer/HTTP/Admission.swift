import HummingbirdWebSocket
import Logging
import NIOWebSocket
import SnapRateCore

/// The limits on how many streams and subscribers connect, as the ingest route (`hold`) and
/// `SubscriberSocket` (`admit`) apply them.
///
/// They are checked after the upgrade, not before: a browser's WebSocket shows no HTTP status
/// (and Hummingbird answers a refused ingest upgrade with a bare 400). So a connection over a limit
/// gets `{"type":"error","message":...}` naming it, then close code 1008 (this client has too
/// many) or 1013 (try again later: the server is full).
struct Admission {
    let context: ServerContext

    /// Runs `body` counted as a connection of `kind`, or refuses it.
    func hold(_ kind: ConnectionCounts.Kind, from peer: Peer, outbound: WebSocketOutboundWriter,
              _ body: () async throws -> Void) async throws {
        if let refusal = admit(kind, from: peer) {
            try? await outbound.write(.text(PushMessage.error(refusal.message)))
            try? await outbound.close(WebSocketErrorCode(codeNumber: Int(refusal.limit.closeCode)), reason: refusal.limit.label)
            return
        }
        defer { context.connections.release(kind, from: peer) }
        try await body()
    }

    /// Counts a connection of `kind` (release it when it ends), or counts and logs its refusal and
    /// returns it, for the connection to send and close with.
    func admit(_ kind: ConnectionCounts.Kind, from peer: Peer) -> LimitHit? {
        guard let refusal = context.connections.admit(kind, from: peer) else { return nil }
        if kind == .stream { context.metrics.refusedStreams.increment() }
        context.metrics.limitHits(refusal.limit).increment()
        context.logger.warning("refused a connection", metadata: [
            "limit": "\(refusal.limit)", "peer": "\(peer)", "reason": "\(refusal.message)",
        ])
        return refusal
    }
}
