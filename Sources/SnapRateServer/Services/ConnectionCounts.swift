import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SnapRateCore

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

/// Ingest streams and subscribers running now, in all and per remote address; admits a new one
/// only while it keeps within `IngestLimits`.
final class ConnectionCounts: Sendable {
    enum Kind: Sendable, Hashable {
        case stream
        case subscriber
    }

    private struct Key: Hashable {
        let kind: Kind
        let peer: Peer
    }

    private struct Counts {
        var streams = 0
        var perPeer: [Key: Int] = [:]
    }

    private let limits: IngestLimits
    private let counts = NIOLockedValueBox(Counts())

    init(limits: IngestLimits) {
        self.limits = limits
    }

    /// Counts a new connection, or says why not; a connection counted must be released.
    func admit(_ kind: Kind, from peer: Peer) -> LimitHit? {
        counts.withLockedValue { counts in
            if let refusal = check(kind, peer, counts) { return refusal }
            if kind == .stream { counts.streams += 1 }
            counts.perPeer[Key(kind: kind, peer: peer), default: 0] += 1
            return nil
        }
    }

    func release(_ kind: Kind, from peer: Peer) {
        counts.withLockedValue { counts in
            if kind == .stream { counts.streams -= 1 }
            let key = Key(kind: kind, peer: peer)
            let left = (counts.perPeer[key] ?? 1) - 1
            counts.perPeer[key] = left > 0 ? left : nil
        }
    }

    private func check(_ kind: Kind, _ peer: Peer, _ counts: Counts) -> LimitHit? {
        if kind == .stream && counts.streams >= limits.maxStreams {
            return LimitHit(.maxStreams, "the server is at its limit of \(limits.maxStreams) streams")
        }
        if limits.exemptLoopback && peer.isLoopback { return nil }
        let count = counts.perPeer[Key(kind: kind, peer: peer)] ?? 0
        switch kind {
        case .stream where count >= limits.streamsPerAddress:
            return LimitHit(.streamsPerAddress, "\(peer) is at the limit of \(count) streams per address")
        case .subscriber where count >= limits.subscribersPerAddress:
            return LimitHit(.subscribersPerAddress, "\(peer) is at the limit of \(count) subscribers per address")
        default:
            return nil
        }
    }
}
