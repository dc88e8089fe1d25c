import ArgumentParser
import SnapRateCore
import SnapRateServer

/// `serve`'s limits on what one client may ask (`IngestLimits`), and the WebSocket message size.
struct LimitOptions: ParsableArguments {
    private static let defaults = IngestLimits()
    static let defaultMessageSize = Defaults.maxMessageSize

    @Option(help: "Refuse videos wider or taller than this many pixels.")
    var maxDimension = defaults.maxDimension

    @Option(help: ArgumentHelp("Largest chunk (one WebSocket message) an ingest stream may send.", valueName: "bytes"))
    var maxChunkSize = defaults.maxChunkSize

    @Option(help: ArgumentHelp("Largest WebSocket message or frame on any socket; a frame over it is closed with code 1009.",
                               valueName: "bytes"))
    var maxMessageSize = defaultMessageSize

    @Option(help: ArgumentHelp("Bytes per second one ingest stream may send, averaged over --ingest-rate-window.",
                               valueName: "bytes"))
    var maxIngestRate = defaults.maxIngestRate

    @Option(help: ArgumentHelp("The window the ingest rate is averaged over: a stream may burst rate x window bytes.",
                               valueName: "seconds"))
    var ingestRateWindow = defaults.rateWindow.inSeconds

    @Option(help: "Ingest streams at once from one remote address.")
    var streamsPerIp = defaults.streamsPerAddress

    @Option(help: "Subscribers (/ws) at once from one remote address.")
    var subscribersPerIp = defaults.subscribersPerAddress

    @Option(help: "Ingest streams at once in all.")
    var maxStreams = defaults.maxStreams

    @Option(help: ArgumentHelp("Close an ingest stream that has sent nothing for this long.", valueName: "seconds"))
    var idleTimeout = defaults.idleTimeout.inSeconds

    @Flag(help: "Apply the per-address limits to loopback clients too (spared by default: a local reverse proxy, loadtest).")
    var limitLoopback = false

    /// The limits, or a message naming the flag that is out of range.
    func validated() throws -> IngestLimits {
        let counts = [("--max-dimension", maxDimension), ("--max-chunk-size", maxChunkSize),
                      ("--max-message-size", maxMessageSize), ("--max-ingest-rate", maxIngestRate),
                      ("--streams-per-ip", streamsPerIp), ("--subscribers-per-ip", subscribersPerIp),
                      ("--max-streams", maxStreams)]
        if let (flag, _) = counts.first(where: { $0.1 <= 0 }) {
            throw ValidationError("\(flag) must be at least 1")
        }
        guard ingestRateWindow > 0, idleTimeout > 0, ingestRateWindow.isFinite, idleTimeout.isFinite else {
            throw ValidationError("--ingest-rate-window and --idle-timeout must be positive numbers of seconds")
        }
        var limits = IngestLimits()
        limits.maxDimension = maxDimension
        limits.maxChunkSize = maxChunkSize
        limits.maxIngestRate = maxIngestRate
        limits.rateWindow = .inSeconds(ingestRateWindow)
        limits.streamsPerAddress = streamsPerIp
        limits.subscribersPerAddress = subscribersPerIp
        limits.maxStreams = maxStreams
        limits.idleTimeout = .inSeconds(idleTimeout)
        limits.exemptLoopback = !limitLoopback
        return limits
    }

    /// SNAPRATE_<FLAG> fills a limit left at its default.
    mutating func applyEnvironment(_ environment: [String: String]) {
        func fill<Value: LosslessStringConvertible & Equatable>(_ value: inout Value, _ name: String, default: Value) {
            if value == `default`, let text = environment["SNAPRATE_\(name)"], let parsed = Value(text) { value = parsed }
        }
        let defaults = Self.defaults
        fill(&maxDimension, "MAX_DIMENSION", default: defaults.maxDimension)
        fill(&maxChunkSize, "MAX_CHUNK_SIZE", default: defaults.maxChunkSize)
        fill(&maxMessageSize, "MAX_MESSAGE_SIZE", default: Self.defaultMessageSize)
        fill(&maxIngestRate, "MAX_INGEST_RATE", default: defaults.maxIngestRate)
        fill(&ingestRateWindow, "INGEST_RATE_WINDOW", default: defaults.rateWindow.inSeconds)
        fill(&streamsPerIp, "STREAMS_PER_IP", default: defaults.streamsPerAddress)
        fill(&subscribersPerIp, "SUBSCRIBERS_PER_IP", default: defaults.subscribersPerAddress)
        fill(&maxStreams, "MAX_STREAMS", default: defaults.maxStreams)
        fill(&idleTimeout, "IDLE_TIMEOUT", default: defaults.idleTimeout.inSeconds)
        if !limitLoopback, environment["SNAPRATE_LIMIT_LOOPBACK"] == "1" { limitLoopback = true }
    }
}
