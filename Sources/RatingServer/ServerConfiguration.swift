import Foundation
import HandEngine
import RatingStream

/// What `snaprate serve` was asked to do.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the bound one is reported through `onListening`.
    public var port: Int
    /// The event (conference, fair) every rating of this run belongs to.
    public var event: String
    public var modelVariant: ModelVariant
    public var models: ModelDirectory
    /// Read a video stream (WebM, MP4 or any container FFmpeg reads) from standard input as this kiosk.
    public var stdinKiosk: KioskID?
    /// Detected ratings waiting for the store writer.
    public var ratingRingCapacity: Int
    /// Stored ratings kept for live subscribers; a subscriber further behind replays from the store.
    public var storedRingCapacity: Int
    /// Detected ratings held in memory while the store cannot be written; past that the oldest
    /// waiting are lost (counted and logged).
    public var storeQueueCapacity: Int
    /// How long shutdown keeps trying to write what is still waiting when the store fails.
    public var storeDrainTimeout: Duration
    /// A subscriber whose socket takes no data for this long is cut (`StallWatchdog`); so is one
    /// still open this long after shutdown began.
    public var sendTimeout: Duration
    /// Largest WebSocket message (and frame) accepted on any socket. A frame over it is refused by
    /// the WebSocket layer itself, close code 1009, before it is read; a message of several frames
    /// that grows over it gets an error message first (ingest).
    public var maxMessageSize: Int
    /// What one client may ask: frame size, chunk size, ingest rate, connections per address and
    /// in all, idle timeout.
    public var limits: IngestLimits
    /// At most this many per-frame class messages per second go back to an ingesting kiosk.
    public var classMessagesPerSecond: Double
    /// How far behind real time a stream may fall before its decoder stops waiting for detection
    /// and newer frames replace waiting ones (`FrameDelivery.live`); infinity: every frame is
    /// detected, however late.
    public var maxLag: Double
    /// Threads that run detection for all streams; one per core.
    public var detectionThreads: Int
    /// The kiosk and dashboard pages served under `/kiosk`, `/dashboard` and `/pages/`.
    public var pages: PageAssets
    /// The bearer tokens the routes ask for; empty leaves every route open (what `serve` allows
    /// only on a loopback address, or with `--insecure`).
    public var accessTokens: AccessTokens
    /// Ratings and ended sessions older than this are deleted, at start and then every
    /// `retentionSweepInterval`; nil keeps them for ever.
    public var retention: Duration?
    public var retentionSweepInterval: Duration
    /// Names the server is reached under beyond loopback names and addresses (`AllowedHosts`).
    public var publicNames: [String]
    /// Pages besides the server's own that may open a WebSocket here.
    public var allowedOrigins: AllowedOrigins
    /// Set to speak HTTPS and WSS instead of HTTP and WS.
    public var tls: TLSCredentials?

    public init(host: String = "127.0.0.1", port: Int = 8080, event: String = "default",
                modelVariant: ModelVariant = .full, models: ModelDirectory = .standard(), stdinKiosk: KioskID? = nil,
                ratingRingCapacity: Int = 4096, storedRingCapacity: Int = 1024, storeQueueCapacity: Int = 100_000,
                storeDrainTimeout: Duration = .seconds(15), sendTimeout: Duration = .seconds(10), maxMessageSize: Int = 8 << 20,
                classMessagesPerSecond: Double = 5, maxLag: Double = 0.25, limits: IngestLimits = IngestLimits(),
                detectionThreads: Int = ProcessInfo.processInfo.activeProcessorCount, pages: PageAssets = .bundled(),
                accessTokens: AccessTokens = AccessTokens(), retention: Duration? = nil,
                retentionSweepInterval: Duration = .seconds(3600), publicNames: [String] = [],
                allowedOrigins: AllowedOrigins = AllowedOrigins(), tls: TLSCredentials? = nil) {
        self.host = host
        self.port = port
        self.event = event
        self.modelVariant = modelVariant
        self.models = models
        self.stdinKiosk = stdinKiosk
        self.ratingRingCapacity = ratingRingCapacity
        self.storedRingCapacity = storedRingCapacity
        self.storeQueueCapacity = storeQueueCapacity
        self.storeDrainTimeout = storeDrainTimeout
        self.sendTimeout = sendTimeout
        self.maxMessageSize = maxMessageSize
        self.limits = limits
        self.classMessagesPerSecond = classMessagesPerSecond
        self.maxLag = maxLag
        self.detectionThreads = detectionThreads
        self.pages = pages
        self.accessTokens = accessTokens
        self.retention = retention
        self.retentionSweepInterval = retentionSweepInterval
        self.publicNames = publicNames
        self.allowedOrigins = allowedOrigins
        self.tls = tls
    }
}
