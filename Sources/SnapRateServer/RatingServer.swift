import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import MediaIngest
import NIOCore
import AnalyticsStore
import ServiceLifecycle

/// The live daemon: HTTP and WebSocket routes, ingest streams, the store writer (and, with a
/// shared store, the commit feed and the store's connections), as services of one `ServiceGroup`
/// that shuts down in order on SIGTERM or SIGINT: first no new streams, then the server (streams
/// finish the frames they hold, subscribers are sent a close and answer it), then the store
/// writer drains the ring into the store.
public struct RatingServer: Sendable {
    let context: ServerContext
    let metricsText: @Sendable () -> String
    let stdin: ByteSource?
    let onListening: @Sendable (String, Int) async -> Void

    /// - Parameters:
    ///   - metricsText: the metrics in Prometheus text format, for `GET /metrics`.
    ///   - stdin: the byte source for `configuration.stdinKiosk` (standard input in the CLI).
    ///   - onListening: called with the bound host and port once the server takes connections.
    public init(configuration: ServerConfiguration, store: any RatingStore, logger: Logger,
                metricsText: @escaping @Sendable () -> String = { "" }, stdin: ByteSource? = nil,
                onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) {
        self.context = ServerContext(configuration: configuration, store: store, logger: logger)
        self.metricsText = metricsText
        self.stdin = stdin
        self.onListening = onListening
    }

    /// The services in start order; the group shuts them down in reverse.
    public func services() -> [any Service] {
        var services: [any Service] = []
        // A store with connections to run (PostgreSQL's pool) starts first and stops last, after
        // the store writer has drained into it.
        if let running = context.store as? any Service { services.append(running) }
        if let retention = context.configuration.retention {
            services.append(RetentionSweeper(context: context, retention: retention,
                                             interval: context.configuration.retentionSweepInterval))
        }
        if let feed = context.commitFeed { services.append(StoredRatingFeed(context: context, feed: feed)) }
        let board = StreamBoard(context: context)
        services.append(StoreWriter(context: context))
        // Stops before the store writer: what shutdown still stores is delivered after the restart.
        if !context.configuration.webhooks.targets.isEmpty { services.append(WebhookDelivery(context: context)) }
        // The fanout stops after the server and the subscribers' close handshakes.
        services += [context.fanout, board, SubscriberDrain(context: context), application(board: board)]
        if let kiosk = context.configuration.stdinKiosk, let stdin {
            services.append(StdinIngest(context: context, kiosk: kiosk, source: stdin))
        }
        services.append(IngestGate(context: context))
        if let tls = context.configuration.tls { services.append(TLSReloader(credentials: tls, logger: context.logger)) }
        return services
    }

    /// Runs until SIGTERM or SIGINT, then shuts down in order.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: services(), gracefulShutdownSignals: [.sigterm, .sigint], logger: context.logger))
        defer { context.detection.shutdown() }
        try await group.run()
    }

    func application(board: StreamBoard) -> some ApplicationProtocol {
        let configuration = context.configuration
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SiteMiddleware(site: context.site))
        APIRoutes(context: context, board: board, metricsText: metricsText).add(to: router)
        ReportRoutes(context: context).add(to: router)
        PageRoutes(pages: configuration.pages, tls: configuration.tls).add(to: router)
        let webSocketRouter = Router(context: SocketRequestContext.self)
        webSocketRouter.add(middleware: SiteMiddleware(site: context.site))
        WebSocketRoutes(context: context).add(to: webSocketRouter)
        let onListening = onListening
        let host = configuration.host
        return Application(
            router: router,
            server: serverBuilder(webSocketRouter: webSocketRouter),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "snaprate"),
            onServerRunning: { channel in
                await onListening(host, channel.localAddress?.port ?? configuration.port)
            },
            logger: context.logger)
    }

    /// HTTP/1.1 with WebSocket upgrade (over TLS when configured), every connection guarded until its
    /// first request head is in (`RequestHeadGuard`), checked (`FirstRequestCheck`) and then served
    /// by Hummingbird or, for a subscriber, by its own handlers
    /// (`GuardedChildChannel`); a keep-alive connection is closed once idle. Both after the idle timeout.
    func serverBuilder(webSocketRouter: Router<SocketRequestContext>) -> HTTPServerBuilder {
        let idle = TimeAmount(context.configuration.limits.idleTimeout)
        let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: idle),
            // Subscribers do not come this way (`SubscriberUpgrade`); ingest sockets carry video
            // and close when idle.
            ws: .init(maxFrameSize: context.configuration.maxMessageSize, autoPing: .disabled))
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GuardedChildChannel(
                wrapped: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                      configuration: channelConfiguration),
                subscribers: SubscriberUpgrade(context: context),
                check: FirstRequestCheck(site: context.site, access: context.access),
                tls: context.configuration.tls,
                headTimeout: idle)
        }
    }
}
