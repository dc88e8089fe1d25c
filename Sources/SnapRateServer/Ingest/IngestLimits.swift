import SnapRateCore

/// What one client may ask of the daemon. Each limit is a flag of `snaprate serve`; each refusal
/// or closed stream gets a message that names the limit, a log line and
/// `snaprate_limit_hits_total{limit=...}` (`Limit`).
public struct IngestLimits: Sendable, Equatable {
    /// A video wider or taller than this is refused (`--max-dimension`).
    public var maxDimension = Defaults.maxDimension
    /// Largest chunk (one WebSocket message) an ingest stream may send (`--max-chunk-size`).
    public var maxChunkSize = Defaults.maxMessageSize
    /// Bytes per second one ingest stream may send, averaged over `rateWindow`: a token bucket
    /// of `maxIngestRate * rateWindow` bytes, so a client may send a burst (a clip's first
    /// seconds at once) but not keep up more than the rate (`--max-ingest-rate`, `--ingest-rate-window`).
    public var maxIngestRate = 4 << 20
    public var rateWindow = Duration.seconds(5)
    /// Ingest streams running at once from one remote address (`--streams-per-ip`).
    public var streamsPerAddress = 4
    /// Subscribers (`/ws`) connected at once from one remote address (`--subscribers-per-ip`).
    public var subscribersPerAddress = 64
    /// Ingest streams running at once in all (`--max-streams`): a venue, mostly idle kiosks. Two
    /// cores decode 48 in real time; rating every frame of them needs more (docs/measurements.md,
    /// "A venue").
    public var maxStreams = 48
    /// An ingest stream whose decoder has waited this long for a byte is closed (`--idle-timeout`).
    public var idleTimeout = Duration.seconds(10)
    /// Whether the per-address limits spare loopback clients: a reverse proxy on the same machine
    /// (which every browser client then seems to come from) and local tools such as `loadtest`.
    /// `--limit-loopback` applies them to loopback too.
    public var exemptLoopback = true

    /// Every limit at its default.
    public init() {}
}
