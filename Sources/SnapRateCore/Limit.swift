/// A limit on what one client may ask of the daemon. Each has the label it is counted under
/// (`snaprate_limit_hits_total{limit=...}`) and the WebSocket close code a connection that breaks
/// it gets.
public struct Limit: Sendable, Hashable, CustomStringConvertible {
    public let label: String
    public let closeCode: UInt16

    init(_ label: String, closeCode: UInt16) {
        self.label = label
        self.closeCode = closeCode
    }

    public var description: String { label }

    /// 1009, message too big: one WebSocket message over the size limit.
    public static let messageSize = Limit("message_size", closeCode: 1009)
    /// 1009: one ingest chunk over the chunk limit.
    public static let chunkSize = Limit("chunk_size", closeCode: 1009)
    /// 1008, policy violation: more bytes a second than the ingest rate allows.
    public static let ingestRate = Limit("ingest_rate", closeCode: 1008)
    /// 1003, data it cannot take: an MP4 declaring more sample bytes than it sends.
    public static let mp4Samples = Limit("mp4_samples", closeCode: 1003)
    /// 1008: an ingest stream that sent nothing for the idle timeout.
    public static let idle = Limit("idle", closeCode: 1008)
    /// 1013, try again later: the server runs all the streams it may.
    public static let maxStreams = Limit("max_streams", closeCode: 1013)
    /// 1008: this address runs all the streams one address may.
    public static let streamsPerAddress = Limit("streams_per_ip", closeCode: 1008)
    /// 1008: this address holds all the subscriptions one address may.
    public static let subscribersPerAddress = Limit("subscribers_per_ip", closeCode: 1008)
}

/// A limit a client broke, with the one line it is told.
public struct LimitHit: Error, Sendable, Equatable, CustomStringConvertible {
    public let limit: Limit
    public let message: String

    public init(_ limit: Limit, _ message: String) {
        self.limit = limit
        self.message = message
    }

    public var description: String { message }
}

/// The defaults every part of SnapRate shares: the CLI, the server and the decoder read them here.
public enum Defaults {
    /// A video wider or taller than this is refused before any frame is allocated.
    public static let maxDimension = 4096
    /// The largest WebSocket message, and the largest ingest chunk.
    public static let maxMessageSize = 8 << 20
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// "10 s", "0.5 s": how a duration reads in a message.
    public var shown: String {
        let value = inSeconds
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// A duration of `seconds`, to the nanosecond.
    public static func inSeconds(_ seconds: Double) -> Duration { .nanoseconds(Int64((seconds * 1e9).rounded())) }
}
