import Foundation
import HandEngine
import SnapRateCore
import StreamRating
import ThumbRating

/// What `snaprate serve` was asked to do.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; the bound one is reported through `onListening`.
    public var port = 8080
    /// The event (conference, fair) every rating of this run belongs to.
    public var event = "default"
    public var modelVariant = ModelVariant.standard
    public var models = ModelDirectory.standard()
    /// Read a video stream (WebM, MP4 or any container FFmpeg reads) from standard input as this kiosk.
    public var stdinKiosk: KioskID?
    /// Detected ratings waiting for the store writer.
    public var ratingRingCapacity = 4096
    /// Stored ratings kept for live subscribers; a subscriber further behind replays from the store.
    public var storedRingCapacity = 1024
    /// Detected ratings held in memory while the store cannot be written; past that the oldest
    /// waiting are lost (counted and logged).
    public var storeQueueCapacity = 100_000
    /// How long shutdown keeps trying to write what is still waiting when the store fails.
    public var storeDrainTimeout = Duration.seconds(15)
    /// A subscriber whose socket takes no data for this long is cut (`StallWatchdog`); so is one
    /// still open this long after shutdown began.
    public var sendTimeout = Duration.seconds(10)
    /// Largest WebSocket message (and frame) accepted on any socket. A frame over it is refused by
    /// the WebSocket layer itself, close code 1009, before it is read; a message of several frames
    /// that grows over it gets an error message first (ingest).
    public var maxMessageSize = Defaults.maxMessageSize
    /// What one client may ask: frame size, chunk size, ingest rate, connections per address and
    /// in all, idle timeout.
    public var limits = IngestLimits()
    /// How the stream's frame classes become ratings: the same settings as `analyze`'s.
    public var smoothing = RatingSmoother.Configuration()
    /// Which pictures are searched for hands: by default, with no hand tracked, only as the scene
    /// changes, the same as `analyze`'s.
    public var detection = Detection.followingScene(SceneGate.Configuration())
    /// At most this many per-frame class messages per second go back to an ingesting kiosk.
    public var classMessagesPerSecond = 5.0
    /// How far behind real time a stream may fall before its decoder stops waiting for detection
    /// and newer frames replace waiting ones (`FrameDelivery.live`); infinity: every frame is
    /// detected, however late.
    public var maxLag = 0.25
    /// Threads that run detection for all streams; one per core.
    public var detectionThreads = ProcessInfo.processInfo.activeProcessorCount
    /// The kiosk and dashboard pages served under `/kiosk`, `/dashboard` and `/pages/`.
    public var pages = PageAssets.bundled()
    /// The bearer tokens the routes ask for; empty leaves every route open (what `serve` allows
    /// only on a loopback address, or with `--insecure`).
    public var accessTokens = AccessTokens()
    /// Ratings and ended sessions older than this are deleted, at start and then every
    /// `retentionSweepInterval`; nil keeps them for ever.
    public var retention: Duration?
    public var retentionSweepInterval = Duration.seconds(3600)
    /// Names the server is reached under beyond loopback names and addresses (`AllowedHosts`).
    public var publicNames = [String]()
    /// Pages besides the server's own that may open a WebSocket here.
    public var allowedOrigins = AllowedOrigins()
    /// Where stored ratings are POSTed (none by default), and how.
    public var webhooks = WebhookConfiguration()
    /// Set to speak HTTPS and WSS instead of HTTP and WS.
    public var tls: TLSCredentials?

    /// Everything at its default; set what differs.
    public init() {}
}
