import Atomics
import HandEngine
import Logging
import MediaIngest
import AnalyticsStore
import RatingRing
import SnapRateCore

/// What every part of one server shares: the store, the two rings, metrics and whether new streams
/// are still taken. One per server; nothing here is global.
final class ServerContext: Sendable {
    /// The nice values, above the process's own, of the threads that detect and of those that
    /// decode, so that the network's threads (pushes, requests, ingest) take a core first when
    /// there are more streams than cores can serve, and detection comes before decoding. At a
    /// venue of 48 kiosks on two cores, push p99 was 142 ms with the decoders at detection's
    /// priority and 94-112 ms with them at 10 against detection's 5; at 15 against 5 the decoders
    /// fell behind real time. (Decoders used to be placed relative to the detection thread that
    /// started them, which is how those values came about.)
    static let detectionNiceness: Int32 = 5
    static let decoderNiceness: Int32 = 10

    let configuration: ServerConfiguration
    let store: any RatingStore
    /// Set when other nodes write to the same store: then every node's commits, not this node's
    /// writes, feed the stored-ratings ring (`StoredRatingFeed`).
    let commitFeed: (any RatingCommitFeed)?
    /// Streams publish detected ratings here; the store writer reads it with a gating cursor.
    let detected: RingBuffer<RatingRecord>
    /// Stored ratings in sequence order, from the store writer (one node) or the commit feed (a
    /// shared store); each subscriber reads it with its own cursor.
    let stored: RingBuffer<RatingRecord>
    /// Sends each stored rating to every subscriber that has caught up.
    let fanout: LiveFanout
    /// Stream starts, progress and ends.
    let status: RingBuffer<StreamStatus>
    let metrics: ServerMetrics
    /// Whether ratings reach the store, for `/readyz`; the store writer keeps it.
    let storeHealth: StoreHealth
    /// Where the streams' detection runs, and the networks it runs, shared by every stream.
    let detection: DetectionExecutor
    let handModels: HandModelPool
    /// The streams' decoders share their picture buffers: the most all streams hold at once, not
    /// the sum of what each held at its own peak.
    let framePool: SharedFramePool?
    /// Checks every protected route's bearer token.
    let access: AccessGuard
    /// Checks that every request is meant for this server and every WebSocket comes from its pages.
    let site: SiteGuard
    /// Ingest streams and subscribers connected now, for the limits on them.
    let connections: ConnectionCounts
    /// Subscribers' connections open now, for shutdown to wait on.
    let subscriberSockets = SubscriberSockets()
    let logger: Logger
    private let accepting = ManagedAtomic(true)
    /// Uptime in nanoseconds when shutdown began (0 before): from then on a subscriber has its
    /// send timeout to finish (`StallWatchdog`).
    let shutdownSince = ManagedAtomic<UInt64>(0)

    init(configuration: ServerConfiguration, store: any RatingStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.commitFeed = store as? any RatingCommitFeed
        self.detected = RingBuffer(capacity: configuration.ratingRingCapacity)
        self.stored = RingBuffer(capacity: configuration.storedRingCapacity)
        self.status = RingBuffer(capacity: 256)
        self.metrics = ServerMetrics()
        self.storeHealth = StoreHealth(queueCapacity: configuration.storeQueueCapacity)
        self.fanout = LiveFanout(ring: stored)
        self.detection = DetectionExecutor(threads: configuration.detectionThreads, niceness: Self.detectionNiceness)
        self.framePool = SharedFramePool()
        self.handModels = HandModelPool(variant: configuration.modelVariant, models: configuration.models, logger: logger)
        self.access = AccessGuard(tokens: configuration.accessTokens, metrics: metrics, logger: logger)
        self.site = SiteGuard(hosts: AllowedHosts(bind: configuration.host, publicNames: configuration.publicNames),
                              origins: configuration.allowedOrigins, tls: configuration.tls, metrics: metrics, logger: logger)
        self.connections = ConnectionCounts(limits: configuration.limits)
        self.logger = logger
    }

    /// False once shutdown began: new ingest streams are refused.
    var isAccepting: Bool { accepting.load(ordering: .acquiring) }

    func stopAccepting() {
        shutdownSince.store(max(1, StallWatchdog.now()), ordering: .relaxed)
        accepting.store(false, ordering: .releasing)
    }
}
