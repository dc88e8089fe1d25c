/// What one client may ask of the daemon. Each limit is a flag of `snaprate serve`; each refusal
/// or closed stream gets a message that names the limit, a log line and
/// `snaprate_limit_hits_total{limit=...}`.
public struct IngestLimits: Sendable, Equatable {
    /// A video wider or taller than this is refused (`--max-dimension`).
    public var maxDimension: Int
    /// Largest chunk (one WebSocket message) an ingest stream may send (`--max-chunk-size`).
    public var maxChunkSize: Int
    /// Bytes per second one ingest stream may send, averaged over `rateWindow`: a token bucket
    /// of `maxIngestRate * rateWindow` bytes, so a client may send a burst (a clip's first
    /// seconds at once) but not keep up more than the rate (`--max-ingest-rate`, `--ingest-rate-window`).
    public var maxIngestRate: Int
    public var rateWindow: Duration
    /// Ingest streams running at once from one remote address (`--streams-per-ip`).
    public var streamsPerAddress: Int
    /// Subscribers (`/ws`) connected at once from one remote address (`--subscribers-per-ip`).
    public var subscribersPerAddress: Int
    /// Ingest streams running at once in all (`--max-streams`).
    public var maxStreams: Int
    /// An ingest stream whose decoder has waited this long for a byte is closed (`--idle-timeout`).
    public var idleTimeout: Duration
    /// Whether the per-address limits spare loopback clients: a reverse proxy on the same machine
    /// (which every browser client then seems to come from) and local tools such as `loadtest`.
    /// `--limit-loopback` applies them to loopback too.
    public var exemptLoopback: Bool

    public init(maxDimension: Int = 4096, maxChunkSize: Int = 8 << 20, maxIngestRate: Int = 4 << 20,
                rateWindow: Duration = .seconds(5), streamsPerAddress: Int = 4, subscribersPerAddress: Int = 64,
                maxStreams: Int = 32, idleTimeout: Duration = .seconds(10), exemptLoopback: Bool = true) {
        self.maxDimension = maxDimension
        self.maxChunkSize = maxChunkSize
        self.maxIngestRate = maxIngestRate
        self.rateWindow = rateWindow
        self.streamsPerAddress = streamsPerAddress
        self.subscribersPerAddress = subscribersPerAddress
        self.maxStreams = maxStreams
        self.idleTimeout = idleTimeout
        self.exemptLoopback = exemptLoopback
    }
}

extension Duration {
    /// "10 s", "0.5 s": how a limit's duration reads in a message.
    var shown: String {
        let value = seconds
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
