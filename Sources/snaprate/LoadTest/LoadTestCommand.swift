import ArgumentParser
import Foundation
import Logging

/// `snaprate loadtest`: N live streams and M subscribers against a running `snaprate serve`.
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Drive a running `snaprate serve` with live streams and subscribers, and report what it sustained.",
        discussion: """
        Each stream is ffmpeg replaying CLIP at real-time pace, looped, into WS /ingest/load-N. Each \
        subscriber listens on WS /ws from the sequence number current at the start. After --duration \
        seconds the streams end; the report (a table, or JSON with --json) gives, from the server's \
        /metrics and the subscribers: detection and decode rate per stream, frames skipped, push latency \
        (frame that completed the hold → subscriber), lost events, the server's peak RSS and CPU.

        Against a server with access tokens, --token (or SNAPRATE_TOKEN) gives one with the scopes \
        ingest, subscribe and admin, sent as `Authorization: Bearer` on every request and upgrade.
        """
    )

    @Option(help: "The server's base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "The WebM clip each stream replays.")
    var clip: String

    @Option(help: "Concurrent live streams.")
    var streams = 16

    @Option(help: "Concurrent WebSocket subscribers.")
    var subscribers = 100

    @Option(help: "Seconds the streams run.")
    var duration = 60.0

    @Option(help: "Seconds at the start left out of the rates (model loading, first keyframes).")
    var warmup = 10.0

    @Option(help: "Detection rate a stream must keep to count as sustained.")
    var minimumRate = 10.0

    @Option(help: "The ffmpeg that paces the streams.")
    var ffmpeg = "/usr/bin/ffmpeg"

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Bearer token for a server with access control (scopes ingest, subscribe and admin; default: $SNAPRATE_TOKEN).",
                               valueName: "token"))
    var token: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp(
        "For an https:// server with a local certificate: the authority to trust (snaprate tls init's ca.crt).", valueName: "file"))
    var authorityFile: String?

    mutating func run() async throws {
        guard FileManager.default.isReadableFile(atPath: clip) else {
            Console.error("cannot read clip \(clip)")
            throw ExitCode(1)
        }
        guard streams >= 0, subscribers >= 0, duration > warmup, warmup >= 0 else {
            Console.error("need streams ≥ 0, subscribers ≥ 0 and duration > warmup ≥ 0")
            throw ExitCode(2)
        }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        if let parsed = URL(string: base), parsed.scheme == "https", let host = parsed.host,
           host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) {
            // The WebSocket client sends the URL's host as the TLS server name, which may not be an address.
            Console.error("give https:// a host name (e.g. https://localhost:\(parsed.port ?? 443)), not an address: "
                + "the WebSocket client sends it as the TLS server name")
            throw ExitCode(2)
        }
        let webSocketBase = base.replacingOccurrences(of: "https://", with: "wss://").replacingOccurrences(of: "http://", with: "ws://")
        let logger = Logger(label: "snaprate.loadtest")
        let bearer = LoadAccess(token: token ?? ProcessInfo.processInfo.environment["SNAPRATE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
                                authorityFile: authorityFile)
        let http = HTTPProbe(base: base, token: bearer)

        let startSequence = try await http.latestSequence()
        let baseline = try await http.metrics()
        let records = (0..<subscribers).map { _ in SubscriberRecord() }
        let clip = clip, duration = duration, ffmpeg = ffmpeg, streams = streams, warmup = warmup

        let report = try await withThrowingTaskGroup(of: String?.self) { group -> LoadReport in
            // Subscribers first, in batches, so they are all listening before the first rating.
            let subscriberTasks = Task {
                await withTaskGroup(of: Void.self) { subscribersGroup in
                    for (index, record) in records.enumerated() {
                        let subscriber = LoadSubscriber(url: "\(webSocketBase)/ws?since=\(startSequence)", token: bearer,
                                                    record: record, logger: logger)
                        subscribersGroup.addTask { await subscriber.run() }
                        if index % 50 == 49 { try? await Task.sleep(for: .milliseconds(50)) }
                    }
                }
            }
            try await Task.sleep(for: .seconds(Double(subscribers) / 1000 + 1))
            for index in 0..<streams {
                let stream = PacedStream(clip: clip, ingestURL: "\(webSocketBase)/ingest/load-\(index)",
                                         token: bearer, duration: duration, ffmpeg: ffmpeg, logger: logger)
                group.addTask { await stream.run() }
            }
            var sampler = ServerSampler(probe: http)
            let clock = ContinuousClock()
            let started = clock.now
            try await Task.sleep(for: .seconds(warmup))
            let first = try await sampler.sample()
            while started.duration(to: clock.now) < .seconds(duration - 1) {
                try await Task.sleep(for: .seconds(2))
                _ = try await sampler.sample()
            }
            let last = try await sampler.sample()
            var streamFailures: [String] = []
            for try await failure in group { if let failure { streamFailures.append(failure) } }
            // Let the last ratings reach the store and the subscribers, then hang up.
            let settled = try await http.settle(timeout: 30)
            try await Task.sleep(for: .seconds(2))
            subscriberTasks.cancel()
            await subscriberTasks.value
            let stored = try await http.sequences(after: startSequence)
            return LoadReport(streams: streams, subscribers: records.count, duration: duration, minimumRate: minimumRate,
                              baseline: baseline, first: first, last: last, peakRSS: sampler.peakRSS, settled: settled,
                              stored: stored, records: records.map(\.snapshot), streamFailures: streamFailures)
        }
        print(json ? report.json : report.table)
    }
}
