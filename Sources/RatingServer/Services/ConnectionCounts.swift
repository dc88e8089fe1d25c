import Foundation
import NIOCore

/// A client as the per-address limits see it: its IP address (no port) and whether it is loopback.
struct Peer: Sendable, Hashable, CustomStringConvertible {
    let address: String

    init(address: String) {
        self.address = address
    }

    init(_ socket: SocketAddress?) {
        self.address = socket?.ipAddress ?? socket?.pathname ?? "unknown"
    }

    /// 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6.
    var isLoopback: Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    var description: String { address }
}

/// A connection a limit turned away: which limit (its metric label), a message for the client,
/// and whether the server as a whole is full (rather than this client over its share).
struct LimitRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    let limit: String
    let message: String
    let serverFull: Bool

    var description: String { message }
}

/// Ingest streams and subscribers running now, in all and per remote address; admits a new one
/// only while it keeps within `IngestLimits`.
final class ConnectionCounts: @unchecked Sendable {
    enum Kind: Sendable, Hashable {
        case stream
        case subscriber
    }

    private struct Key: Hashable {
        let kind: Kind
        let peer: Peer
    }

    private let limits: IngestLimits
    private let lock = NSLock()
    // Guarded by `lock`.
    private var streams = 0
    private var perPeer: [Key: Int] = [:]

    init(limits: IngestLimits) {
        self.limits = limits
    }

    /// Counts a new connection, or says why not; a connection counted must be released.
    func admit(_ kind: Kind, from peer: Peer) -> LimitRefusal? {
        lock.withLock {
            if let refusal = check(kind, peer) { return refusal }
            if kind == .stream { streams += 1 }
            perPeer[Key(kind: kind, peer: peer), default: 0] += 1
            return nil
        }
    }

    func release(_ kind: Kind, from peer: Peer) {
        lock.withLock {
            if kind == .stream { streams -= 1 }
            let key = Key(kind: kind, peer: peer)
            let left = (perPeer[key] ?? 1) - 1
            perPeer[key] = left > 0 ? left : nil
        }
    }

    /// Called with `lock` held.
    private func check(_ kind: Kind, _ peer: Peer) -> LimitRefusal? {
        if kind == .stream && streams >= limits.maxStreams {
            return LimitRefusal(limit: "max_streams", message: "the server is at its limit of \(limits.maxStreams) streams",
                                serverFull: true)
        }
        if limits.exemptLoopback && peer.isLoopback { return nil }
        let count = perPeer[Key(kind: kind, peer: peer)] ?? 0
        switch kind {
        case .stream where count >= limits.streamsPerAddress:
            return LimitRefusal(limit: "streams_per_ip", message: "\(peer) is at the limit of \(count) streams per address",
                                serverFull: false)
        case .subscriber where count >= limits.subscribersPerAddress:
            return LimitRefusal(limit: "subscribers_per_ip", message: "\(peer) is at the limit of \(count) subscribers per address",
                                serverFull: false)
        default:
            return nil
        }
    }
}
