import ArgumentParser
import Foundation
import Logging
import MediaIngest
import Metrics
import Prometheus
import SnapRateServer
import AnalyticsStore
import SnapRateCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the live daemon: WebSocket and stdin ingest, rating push, HTTP API, metrics.",
        discussion: """
        Once it listens it prints one line on stdout: {"type":"listening","host":...,"port":N,"scheme":"http"}

        With --store postgres://..., any number of nodes share one database: sequence numbers come from the database, and every node pushes every node's ratings to its subscribers. While the database is away, ratings wait in memory (--store-queue) and are written when it is back.

        A browser at http://HOST:PORT/kiosk?kiosk=ID becomes a rating kiosk; http://HOST:PORT/dashboard shows the ratings live.

        SIGTERM or SIGINT stops it cleanly: no new streams, running streams finish the frames they hold, every detected rating is stored, subscribers are closed, and the exit status is 0.

        Access: with --tokens FILE (or SNAPRATE_TOKENS="SCOPES TOKEN;SCOPES TOKEN"), WS /ingest needs a token with the scope ingest, WS /ws subscribe, and /api/... and /metrics admin, as `Authorization: Bearer TOKEN` (browsers: the WebSocket subprotocol bearer.TOKEN). Without tokens it listens only on a loopback address, unless --insecure.

        Who may reach it: every request's Host must name the server (loopback names and addresses; beyond loopback also this machine's name, the addresses it listens on, the TLS certificate's names and --public-name), and a browser page may open its WebSockets only from the server's own origin or an --allow-origin one. Refusals are 421 and 403.

        HTTPS: --tls-dir DIR (made by `snaprate tls init --dir DIR`), or --tls-cert FILE --tls-key FILE; SIGHUP re-reads them. With --tls-dir, /ca.crt offers the local authority's certificate for tablets to trust.

        Webhooks: --webhooks FILE POSTs every stored rating (the JSON of WS /ws) to each target in the file, one `URL SECRET [id=NAME] [kiosks=K1,K2] [ratings=up|down]` a line, signed in SnapRate-Signature (t=UNIX_SECONDS,v1=HMAC-SHA256 of "t.BODY" with the secret) with Idempotency-Key EVENT:SEQ; in sequence order, at least once, retried with backoff, resumed after a restart; a target failing for longer than --webhook-give-up (24h) has its waiting ratings skipped, logged and counted.

        Retention: --retain-days N deletes ratings and ended sessions older than N days, at start and then hourly; without it they are kept for ever. No frame or video is ever written to disk.

        Limits (each answered with a clear error, see the README): --max-dimension, --max-chunk-size, --max-message-size, --max-ingest-rate over --ingest-rate-window, --streams-per-ip, --subscribers-per-ip, --max-streams, --idle-timeout. The per-address limits spare loopback clients (a local reverse proxy, loadtest) unless --limit-loopback.

        SNAPRATE_HOST, SNAPRATE_PORT, SNAPRATE_STORE, SNAPRATE_STORE_QUEUE, SNAPRATE_EVENT, SNAPRATE_STDIN, SNAPRATE_PAGES, SNAPRATE_TOKENS_FILE, SNAPRATE_INSECURE, SNAPRATE_RETAIN_DAYS, SNAPRATE_DETECT, SNAPRATE_TLS_DIR (and _CERT, _KEY, _CA), SNAPRATE_WEBHOOKS_FILE, SNAPRATE_WEBHOOK_GIVE_UP, SNAPRATE_WEBHOOK_TIMEOUT, SNAPRATE_PUBLIC_NAMES and SNAPRATE_ALLOW_ORIGINS (comma-separated) and the limits' SNAPRATE_MAX_DIMENSION and so on set the flags of the same name when they are not given (SNAPRATE_MODELS is the model folder, as for every command).
        """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: ArgumentHelp("Where ratings are kept: sqlite:PATH, or postgres://USER@HOST:PORT/DB for several nodes on one database.",
                               valueName: "store"))
    var store = "sqlite:snaprate.sqlite"

    @Option(name: .customLong("store-queue"),
            help: "Ratings held in memory while the store cannot be written; past that the oldest are lost (counted and logged).")
    var storeQueue = 100_000

    @Option(name: .customLong("push-buffer"), help: ArgumentHelp(
        "Stored ratings kept in memory for live subscribers; one further behind gets a gap message and a replay from the store.",
        valueName: "ratings"))
    var pushBuffer = 1024

    @Option(name: .customLong("send-timeout"), help: ArgumentHelp(
        "Cut a subscriber whose socket takes no data for this long (it can reconnect and replay with since).",
        valueName: "seconds"))
    var sendTimeout = 10.0

    @Option(help: "Event id recorded with every rating.")
    var event = "default"

    @Option(name: .customLong("stdin"), help: ArgumentHelp("Read a video stream (WebM, MP4 or any container FFmpeg reads) from standard input as this kiosk.", valueName: "kiosk"))
    var stdinKiosk: String?

    @Option(name: .customLong("max-lag"), help: ArgumentHelp(
        "How far a stream may fall behind real time before newer frames replace ones waiting for detection; inf detects every frame.",
        valueName: "seconds"))
    var maxLag = 0.25

    @Option(help: "Threads that run hand detection for all streams (default: one per core).")
    var detectionThreads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Serve the kiosk and dashboard pages from this folder instead of the ones built in.",
                               valueName: "dir"))
    var pages: String?

    @Option(name: .customLong("retain-days"), help: ArgumentHelp(
        "Delete ratings and ended stream sessions older than this many days, at start and then hourly (default: keep them).",
        valueName: "days"))
    var retainDays: Int?

    @OptionGroup var access: AccessOptions

    @OptionGroup var site: SiteOptions

    @OptionGroup var webhooks: WebhookOptions

    @OptionGroup var limits: LimitOptions

    @OptionGroup var models: ModelOptions

    @OptionGroup var smoothing: SmoothingOptions

    @OptionGroup var detection: DetectionOptions

    @OptionGroup var global: GlobalOptions

    mutating func run() async throws {
        applyEnvironment()
        Bootstrap.logging(level: global.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "snaprate.serve")
        try models.requireFiles()
        let accessTokens = try access.resolve(host: host, environment: ProcessInfo.processInfo.environment, logger: logger)
        let publicNames = try site.names()
        let allowedOrigins = try site.origins()
        let tls = try site.credentials()
        let webhookConfiguration = try webhooks.resolve(logger: logger)
        if let retainDays, !(1...36_500).contains(retainDays) {
            Console.error("--retain-days must be from 1 to 36500")
            throw ExitCode(2)
        }

        var stdinID: KioskID?
        if let stdinKiosk {
            guard let id = KioskID(stdinKiosk) else {
                Console.error("invalid kiosk id \(stdinKiosk.debugDescription): use 1 to 64 of A-Z a-z 0-9 _ -")
                throw ExitCode(2)
            }
            stdinID = id
        }
        guard storeQueue > 0, pushBuffer > 0 else {
            Console.error("--store-queue and --push-buffer must be at least 1")
            throw ExitCode(2)
        }
        guard sendTimeout > 0 else {
            Console.error("--send-timeout must be positive")
            throw ExitCode(2)
        }
        let (_, ratingStore) = try await StoreLocation.open(store, logger: Logger(label: "snaprate.store"))
        guard maxLag > 0, detectionThreads > 0 else {
            Console.error("--max-lag and --detection-threads must be positive")
            throw ExitCode(2)
        }
        let pageAssets: PageAssets
        if let pages {
            do {
                pageAssets = try PageAssets.load(from: URL(fileURLWithPath: pages, isDirectory: true))
            } catch {
                Console.error("cannot serve the pages: \(error)")
                throw ExitCode(2)
            }
        } else {
            pageAssets = PageAssets.bundled()
            // Not fatal: stdin and WebSocket ingest and the API work without the pages.
            if let reason = pageAssets.unavailable { logger.warning("\(reason)") }
        }
        let ingestLimits: IngestLimits
        do {
            ingestLimits = try limits.validated()
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.event = event
        configuration.modelVariant = models.variant
        configuration.models = models.directory
        configuration.stdinKiosk = stdinID
        configuration.storedRingCapacity = pushBuffer
        configuration.storeQueueCapacity = storeQueue
        configuration.sendTimeout = .inSeconds(sendTimeout)
        configuration.maxMessageSize = limits.maxMessageSize
        configuration.limits = ingestLimits
        configuration.smoothing = smoothing.configuration
        configuration.detection = detection.detection
        configuration.maxLag = maxLag
        configuration.detectionThreads = detectionThreads
        configuration.pages = pageAssets
        configuration.accessTokens = accessTokens
        configuration.retention = retainDays.map { .seconds($0 * 86_400) }
        configuration.publicNames = publicNames
        configuration.allowedOrigins = allowedOrigins
        configuration.tls = tls
        configuration.webhooks = webhookConfiguration
        let scheme = tls == nil ? "http" : "https"
        let server = RatingServer(
            configuration: configuration, store: ratingStore, logger: logger,
            metricsText: { registry.emitToString() },
            stdin: stdinID == nil ? nil : FileDescriptorSource.standardInput(),
            onListening: { host, port in
                let line = "{\"type\":\"listening\",\"host\":\"\(host)\",\"port\":\(port),\"scheme\":\"\(scheme)\"}\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            })
        try await server.run()
    }

    /// SNAPRATE_<FLAG> fills a flag left at its default.
    private mutating func applyEnvironment() {
        let environment = ProcessInfo.processInfo.environment
        if host == "127.0.0.1", let value = environment["SNAPRATE_HOST"] { host = value }
        if port == 8080, let value = environment["SNAPRATE_PORT"].flatMap(Int.init) { port = value }
        if store == "sqlite:snaprate.sqlite", let value = environment["SNAPRATE_STORE"] { store = value }
        if event == "default", let value = environment["SNAPRATE_EVENT"] { event = value }
        if stdinKiosk == nil, let value = environment["SNAPRATE_STDIN"] { stdinKiosk = value }
        if storeQueue == 100_000, let value = environment["SNAPRATE_STORE_QUEUE"].flatMap(Int.init) { storeQueue = value }
        if pages == nil, let value = environment["SNAPRATE_PAGES"], !value.isEmpty { pages = value }
        if retainDays == nil, let value = environment["SNAPRATE_RETAIN_DAYS"].flatMap(Int.init) { retainDays = value }
        if detection.mode == .scene, let value = environment["SNAPRATE_DETECT"].flatMap(DetectionOptions.Mode.init(rawValue:)) {
            detection.mode = value
        }
        access.applyEnvironment(environment)
        site.applyEnvironment(environment)
        webhooks.applyEnvironment(environment)
        limits.applyEnvironment(environment)
    }
}
