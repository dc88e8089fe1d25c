import ArgumentParser
import Foundation
import Logging

/// `snaprate loadtest`: N live streams and M subscribers against a running `snaprate serve`.
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Drive a running `snaprate serve` with live streams and subscribers, and report what it sustained.",
        discussion: """
        Each stream replays a clip at real-time pace, looped, into WS /ingest/load-N, a 200 ms \
        cluster at a time as a browser's MediaRecorder sends its chunks (ffmpeg loops each clip once, \
        beforehand). \
        --clip FILE:COUNT gives COUNT streams that clip, and may be given more than once (a venue: \
        --clip empty.webm:42 --clip thumbs.webm:6); a single --clip FILE gives --streams streams. A \
        clip's streams connect one after another over the warm-up (--no-stagger: all at once). Each \
        subscriber listens on WS /ws from the sequence number current at the start. After --duration \
        seconds the streams end, and the server has 20 s to send their last ratings and close. The \
        report (a table, or JSON with --json) gives, from the server's /metrics and the \
        subscribers: detection and decode rate per stream, streams decoding in real time, streams \
        that failed (with the server's reason when it gave one) and that it refused at its limits, \
        frames skipped, push latency (frame that completed the hold → subscriber), lost events, the \
        server's peak RSS and CPU.

        Then each clip, looped as its streams replayed it, is rated here with every frame searched \
        (--models must be the server's): the ratings expected. Each stream's stored ratings are \
        matched against them up to 0.3 s of media time before the last the server rated, and the \
        report gives ratings expected, detected (matched, plus any extra), missing, extra, and how \
        much later than expected they came (p50, p99, max).

        Against a server with access tokens, --token (or SNAPRATE_TOKEN) gives one with the scopes \
        ingest, subscribe and admin, sent as `Authorization: Bearer` on every request and upgrade.
        """
    )

    @Option(help: "The server's base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(name: .customLong("clip"), help: ArgumentHelp("A WebM clip to replay, and on how many streams (repeatable).",
                                                          valueName: "file[:count]"))
    var clips: [ClipShare]

    @Option(help: "Concurrent live streams, for a single --clip given without a count.")
    var streams = 16

    @Flag(inversion: .prefixedNo, help: "Connect a clip's streams one after another over the warm-up, so that its visitors do not all come at once.")
    var stagger = true

    @Option(help: "Concurrent WebSocket subscribers.")
    var subscribers = 100

    @Option(help: "Seconds the streams run.")
    var duration = 60.0

    @Option(help: "Seconds at the start left out of the rates (model loading, first keyframes).")
    var warmup = 10.0

    @Option(help: "Frames a second a stream must have rated (searched or passed by the scene gate) to count as sustained.")
    var minimumRate = 10.0

    @Option(help: "The ffmpeg that loops the clips.")
    var ffmpeg = "/usr/bin/ffmpeg"

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @OptionGroup var models: ModelOptions

    @Option(help: ArgumentHelp("Bearer token for a server with access control (scopes ingest, subscribe and admin; default: $SNAPRATE_TOKEN).",
                               valueName: "token"))
    var token: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp(
        "For an https:// server with a local certificate: the authority to trust (snaprate tls init's ca.crt).", valueName: "file"))
    var authorityFile: String?

    mutating func run() async throws {
        for share in clips where !FileManager.default.isReadableFile(atPath: share.path) {
            Console.error("cannot read clip \(share.path)")
            throw ExitCode(1)
        }
        let streamClips = try ClipShare.streams(clips, streams: streams)
        try models.requireFiles()
        guard subscribers >= 0, duration > warmup, warmup >= 0 else {
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
        let duration = duration, warmup = warmup
        // Every stream ends at the deadline, so none sends more than `duration` of its clip.
        let looped = try await loopedClips(Set(streamClips), seconds: duration + 2)
        defer { looped.values.forEach { $0.remove() } }
        let pacedStreams = streamClips.enumerated().map { index, clip in
            PacedStream(looped: looped[clip]!, delay: stagger ? Self.delay(of: index, among: streamClips, over: warmup) : 0,
                        ingestURL: "\(webSocketBase)/ingest/load-\(index)", token: bearer, duration: duration, logger: logger)
        }

        var report = try await withThrowingTaskGroup(of: String?.self) { group -> LoadReport in
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
            for stream in pacedStreams {
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
            let stored = try await http.ratings(after: startSequence)
            return LoadReport(streams: streamClips.count, subscribers: records.count, duration: duration, minimumRate: minimumRate,
                              baseline: baseline, first: first, last: last, peakRSS: sampler.peakRSS, settled: settled,
                              stored: stored.compactMap(\.seq), records: records.map(\.snapshot), streamFailures: streamFailures)
        }
        let ends = pacedStreams.map { $0.lastMediaTime.withLockedValue { $0 } }
        let expected = try await expectedRatings(Array(looped.values), logger: logger)
        let stored = try await http.ratings(after: startSequence)
        report.compare(streamClips: streamClips, expected: expected, stored: stored, ends: ends)
        print(json ? report.json : report.table)
    }

    /// When the stream at `index` connects: a clip's streams spread evenly over `warmup`, so that
    /// each is at another point of its clip when the measured window begins.
    static func delay(of index: Int, among streamClips: [String], over warmup: Double) -> Double {
        let sameClip = streamClips.indices.filter { streamClips[$0] == streamClips[index] }
        guard let position = sameClip.firstIndex(of: index) else { return 0 }
        return warmup * Double(position) / Double(sameClip.count)
    }

    /// Each clip looped once for the streams, one ffmpeg at a time.
    private func loopedClips(_ clips: Set<String>, seconds: Double) async throws -> [String: LoopedClip] {
        var looped: [String: LoopedClip] = [:]
        do {
            for clip in clips.sorted() {
                looped[clip] = try await LoopedClip.make(clip: clip, seconds: seconds, ffmpeg: ffmpeg)
            }
        } catch {
            looped.values.forEach { $0.remove() }
            throw error
        }
        return looped
    }

    /// Each clip's expected ratings over the looped bytes its streams sent, two clips at a time
    /// (the server is idle by now).
    private func expectedRatings(_ looped: [LoopedClip], logger: Logger) async throws -> [String: ExpectedRatings.Clip] {
        let rater = ExpectedRatings(variant: models.variant, models: models.directory, logger: logger)
        return try await withThrowingTaskGroup(of: (String, ExpectedRatings.Clip).self) { group in
            var pending = looped.sorted { $0.clip < $1.clip }[...]
            var result: [String: ExpectedRatings.Clip] = [:]
            func startNext() {
                guard let next = pending.popFirst() else { return }
                group.addTask { (next.clip, try await rater.rate(next)) }
            }
            startNext()
            startNext()
            for try await (clip, rated) in group {
                result[clip] = rated
                startNext()
            }
            return result
        }
    }
}
