import ArgumentParser
import Foundation
import Logging
import MediaIngest
import Metrics
import Prometheus
import RatingServer
import RatingStore
import RatingStream

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the live daemon: WebSocket and stdin ingest, rating push, HTTP API, metrics.",
        discussion: """
        Once it listens it prints one line on stdout: {"type":"listening","host":...,"port":N}

        A browser at http://HOST:PORT/kiosk?kiosk=ID becomes a rating kiosk; http://HOST:PORT/dashboard shows the ratings live.

        SIGTERM or SIGINT stops it cleanly: no new streams, running streams finish the frames they hold, every detected rating is stored, subscribers are closed, and the exit status is 0.

        SNAPRATE_HOST, SNAPRATE_PORT, SNAPRATE_STORE, SNAPRATE_EVENT, SNAPRATE_STDIN and SNAPRATE_PAGES set the flags of the same name when they are not given (SNAPRATE_MODELS is the model folder, as for every command).
        """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Where ratings are kept: sqlite:PATH.")
    var store = "sqlite:snaprate.sqlite"

    @Option(help: "Event id recorded with every rating.")
    var event = "default"

    @Option(name: .customLong("stdin"), help: ArgumentHelp("Read a WebM stream from standard input as this kiosk.", valueName: "kiosk"))
    var stdinKiosk: String?

    @Option(help: ArgumentHelp("Serve the kiosk and dashboard pages from this folder instead of the ones built in.",
                               valueName: "dir"))
    var pages: String?

    @OptionGroup var models: ModelOptions

    @OptionGroup var global: GlobalOptions

    mutating func run() async throws {
        applyEnvironment()
        Bootstrap.logging(level: global.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "snaprate.serve")
        try models.requireFiles()

        var stdinID: KioskID?
        if let stdinKiosk {
            guard let id = KioskID(stdinKiosk) else {
                Console.error("invalid kiosk id \(stdinKiosk.debugDescription): use 1 to 64 of A-Z a-z 0-9 _ -")
                throw ExitCode(2)
            }
            stdinID = id
        }
        guard store.hasPrefix("sqlite:"), store.count > "sqlite:".count else {
            Console.error("unsupported store \(store.debugDescription): use sqlite:PATH")
            throw ExitCode(2)
        }
        let ratingStore: any RatingStore
        do {
            ratingStore = try SQLiteRatingStore(path: String(store.dropFirst("sqlite:".count)))
        } catch {
            Console.error("cannot open the store \(store): \(error)")
            throw ExitCode(1)
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
        let configuration = ServerConfiguration(host: host, port: port, event: event, modelVariant: models.variant,
                                                models: models.directory, stdinKiosk: stdinID, pages: pageAssets)
        let server = RatingServer(
            configuration: configuration, store: ratingStore, logger: logger,
            metricsText: { registry.emitToString() },
            stdin: stdinID == nil ? nil : FileDescriptorSource.standardInput(),
            onListening: { host, port in
                let line = "{\"type\":\"listening\",\"host\":\"\(host)\",\"port\":\(port)}\n"
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
        if pages == nil, let value = environment["SNAPRATE_PAGES"], !value.isEmpty { pages = value }
    }
}
