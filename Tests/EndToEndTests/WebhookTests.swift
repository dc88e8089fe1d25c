import AnalyticsStore
import Foundation
import Testing
import TestSupport

/// `serve --webhooks` against real HTTP receivers on loopback: what each receiver got, with its
/// headers and body bytes, is the evidence for each delivery guarantee.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests), .serialized) struct WebhookTests {
    static let clipName = "nvpr_down_up_down.webm"

    static func webhooksFile(_ lines: [String]) throws -> String {
        let path = try Clips.temporaryFolder().appendingPathComponent("webhooks.txt").path
        try ("# URL SECRET [id=NAME] [kiosks=K1,K2] [ratings=up|down]\n" + lines.joined(separator: "\n") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A labelled series' value in `GET /metrics` (nil when absent).
    static func metric(_ server: ServeProcess, _ series: String) async throws -> Double? {
        let (_, body) = try await SocketClients.get("\(server.baseURL)/metrics")
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func everyRatingArrivesOnceInOrderSignedAndNoTargetHoldsUpAnother() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        try #require(expected.count >= 2 && expected.contains { $0.rating == "up" })
        let failures = 4
        let steady = try await WebhookReceiver()
        let flaky = try await WebhookReceiver { $0 < failures ? .status(500) : .status(200) }
        let upsOnly = try await WebhookReceiver()
        let silent = try SilentListener()
        defer { [steady, flaky, upsOnly].forEach { $0.stop() } }
        let file = try Self.webhooksFile([
            "\(steady.url) steady-secret-0123456789 id=steady",
            "\(flaky.url)  flaky-secret-0123456789  id=flaky",
            "",
            "\(upsOnly.url) ups-secret-0123456789 id=ups ratings=up kiosks=cam,other",
            // Holds its one request for the whole test: it must not delay the others.
            "\(silent.url) silent-secret-0123456789",
        ])
        let database = try Clips.temporaryFolder().appendingPathComponent("webhooks.sqlite").path
        let server = try ServeProcess(store: database, arguments: [
            "--stdin", "cam", "--event", "expo", "--webhooks", file, "--webhook-timeout", "1h"])
        let log = MessageLog()
        async let subscribed = SocketClients.subscribe("\(server.webSocketURL)/ws?since=0", into: log) {
            $0.ratings.count >= expected.count
        }
        server.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        _ = try await subscribed
        let pushed = log.ratings
        #expect(pushed.compactMap(\.expected) == expected)

        try await eventually("every target but the silent one has every rating") {
            steady.acknowledged.count >= pushed.count && flaky.acknowledged.count >= pushed.count
                && upsOnly.acknowledged.count >= pushed.filter { $0.rating == "up" }.count
        }
        let sequences = pushed.compactMap(\.seq)
        // Once each, in order, the WS message's fields, signed with the target's own secret.
        let got = steady.requests
        #expect(got.map(\.seq) == sequences)
        #expect(got.map(\.message) == pushed)
        #expect(got.map(\.key) == sequences.map { "expo:\($0)" })
        #expect(got.allSatisfy { $0.isSigned(with: "steady-secret-0123456789") })
        #expect(!got.contains { $0.isSigned(with: "flaky-secret-0123456789") }, "another target's secret does not verify")

        // 500 four times, then 200: the first rating again and again, same key, same bytes, then
        // everything after it in order. Nothing lost.
        let attempts = flaky.requests
        #expect(attempts.prefix(failures + 1).allSatisfy { $0.key == "expo:\(sequences[0])" && $0.body == attempts[0].body })
        #expect(flaky.acknowledged.map(\.seq) == sequences)
        #expect(attempts.count == sequences.count + failures)
        #expect(attempts.allSatisfy { $0.isSigned(with: "flaky-secret-0123456789") })
        #expect(try await Self.metric(server, "snaprate_webhook_retried_total{target=\"flaky\"}") == Double(failures))
        #expect(try await Self.metric(server, "snaprate_webhook_delivered_total{target=\"flaky\"}") == Double(sequences.count))

        // The filter: only the ups, in order.
        #expect(upsOnly.requests.map(\.seq) == pushed.filter { $0.rating == "up" }.map(\.seq))

        // The silent target (id: its host and port) has delivered nothing and is behind by all.
        let silentID = "127.0.0.1:\(silent.port)"
        #expect(try await Self.metric(server, "snaprate_webhook_delivered_total{target=\"\(silentID)\"}") ?? 0 == 0)
        #expect(try await Self.metric(server, "snaprate_webhook_lag_ratings{target=\"\(silentID)\"}") == Double(sequences.count))
        #expect(await server.stop() == 0, "\(server.stderr)")
        #expect(!server.stderr.contains("secret-0123456789"))
    }

    @Test func aDaemonKilledMidDeliveryDeliversTheRestAfterItsRestart() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        try #require(expected.count >= 3)
        // The second request is held unanswered: the daemon dies with it in flight.
        let receiver = try await WebhookReceiver { $0 == 1 ? .held(200) : .status(200) }
        defer { receiver.stop() }
        let file = try Self.webhooksFile(["\(receiver.url) kill-secret-0123456789 id=crm"])
        let database = try Clips.temporaryFolder().appendingPathComponent("webhooks.sqlite").path

        // A request is never given up (see the test of several nodes): a retry would come twice.
        let never = ["--webhooks", file, "--webhook-timeout", "1h"]
        let first = try ServeProcess(store: database, arguments: ["--stdin", "cam"] + never)
        async let subscribed = SocketClients.subscribe("\(first.webSocketURL)/ws?since=0") { $0.ratings.count >= expected.count }
        first.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        // Every rating stored, the first delivered, the second in flight.
        let sequences = try await subscribed.ratings.compactMap(\.seq)
        try await eventually("the second delivery is in flight") { receiver.requests.count == 2 }
        #expect(receiver.acknowledged.map(\.seq) == [sequences[0]])
        first.sigkill()
        #expect(receiver.requests.count == 2, "delivery is one request at a time, in order")

        // The killed process's lease on the target runs out first (30 s): a restarted node is, to
        // the store, another node.
        let second = try ServeProcess(store: database, arguments: never)
        receiver.release()
        try await eventually("the rest delivered after the restart") {
            Set(receiver.acknowledged.compactMap(\.seq)) == Set(sequences)
        }
        let got = receiver.requests
        // The one in flight comes again, recognisable by its key and with the same body; the one
        // acknowledged before the kill does not; the rest once each, in order.
        #expect(got.map(\.seq) == [sequences[0], sequences[1], sequences[1]] + sequences.dropFirst(2))
        #expect(got.map(\.key) == got.map { "default:\($0.seq ?? -1)" })
        #expect(got[1].body == got[2].body)
        #expect(got.allSatisfy { $0.isSigned(with: "kill-secret-0123456789") })
        #expect(await second.stop() == 0, "\(second.stderr)")
    }

    @Test func aTargetFailingLongerThanTheGiveUpTimeHasItsRatingsSkippedAndCounted() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        let receiver = try await WebhookReceiver { _ in .status(503) }
        defer { receiver.stop() }
        let file = try Self.webhooksFile(["\(receiver.url) down-secret-0123456789 id=down"])
        let database = try Clips.temporaryFolder().appendingPathComponent("webhooks.sqlite").path
        let server = try ServeProcess(store: database, arguments: [
            "--stdin", "cam", "--webhooks", file, "--webhook-give-up", "2s"])
        server.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        try await eventually("every rating skipped") {
            try await Self.metric(server, "snaprate_webhook_failed_total{target=\"down\"}") == Double(expected.count)
        }
        #expect(try await Self.metric(server, "snaprate_webhook_lag_ratings{target=\"down\"}") == 0)
        #expect(try await Self.metric(server, "snaprate_webhook_delivered_total{target=\"down\"}") ?? 0 == 0)
        #expect(receiver.requests.first?.key == "default:1" && receiver.acknowledged.isEmpty)
        #expect(await server.stop() == 0, "\(server.stderr)")
        #expect(server.stderr.contains("failing for longer than the give-up time: skipped ratings"), "\(server.stderr)")
        let store = try SQLiteRatingStore(path: database)
        #expect(try await store.webhookCursor(target: "down") == Int64(expected.count), "the cursor moved past them")
    }

    @Test(.enabled(if: PostgresTestServer.runTests))
    func nodesOnOnePostgresDeliverEachRatingOnceAndHandTheTargetOver() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        let file = try Self.webhooksFile(["\(receiver.url) nodes-secret-0123456789 id=crm"])
        let database = try await PostgresTestServer.shared().makeDatabase()

        // Both nodes have the target; the first to lease it delivers. A request is never given up
        // here: the receiver shares the test process, whose threads the full suite can hold for
        // longer than the default 10 s, and a retry would then come twice.
        let never = ["--webhooks", file, "--webhook-timeout", "1h"]
        let ingesting = try ServeProcess(store: database, arguments: ["--stdin", "cam"] + never)
        let other = try ServeProcess(store: database, arguments: never)
        ingesting.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        try await eventually("the first clip's ratings delivered") { receiver.acknowledged.count >= expected.count }
        #expect(receiver.requests.compactMap(\.seq) == (1...Int64(expected.count)).map { $0 })

        // Its shutdown gives the lease up: the remaining node delivers what a third one rates.
        #expect(await ingesting.stop() == 0, "\(ingesting.stderr)")
        let third = try ServeProcess(store: database, arguments: ["--stdin", "cam-2"] + never)
        third.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        try await eventually("the second clip's ratings delivered") {
            receiver.acknowledged.count >= 2 * expected.count
        }
        #expect(receiver.requests.compactMap(\.seq) == (1...Int64(2 * expected.count)).map { $0 })
        #expect(receiver.requests.allSatisfy { $0.isSigned(with: "nodes-secret-0123456789") })
        #expect(await other.stop() == 0, "\(other.stderr)")
        #expect(await third.stop() == 0, "\(third.stderr)")
    }

    @Test func aBadWebhooksFileStopsServeNamingTheLineNeverTheSecret() throws {
        let secret = "do-not-print-this-secret-0123"
        let database = try Clips.temporaryFolder().appendingPathComponent("never.sqlite").path
        let store = ["--store", "sqlite:\(database)"]
        let cases: [(String, String)] = [
            ("ftp://example.com/hook \(secret)", "line 2: the URL must be http:// or https://"),
            ("https://example.com/hook short", "line 2: the secret is shorter than 16 characters"),
            ("https://example.com/hook \(secret) ratings=sideways", "line 2: ratings= takes up or down"),
            ("https://example.com/hook \(secret) kiosks=ok,not%20ok", "line 2: kiosks= takes kiosk ids"),
            ("https://example.com/hook \(secret) colour=red", "line 2: unknown option \"colour\""),
            ("https://example.com/hook", "line 2: expected URL SECRET"),
        ]
        for (line, message) in cases {
            let file = try Self.webhooksFile([line])
            let (status, stderr) = try ServeProcess.refusedStart(["--webhooks", file] + store)
            #expect(status == 2 && stderr.hasPrefix("snaprate: \(file) \(message)"), "\(stderr)")
            #expect(!stderr.contains(secret) && stderr.split(separator: "\n").count == 1, "\(stderr)")
        }
        let twice = try Self.webhooksFile(["https://a.example/x \(secret)", "https://a.example/y \(secret)"])
        let duplicate = try ServeProcess.refusedStart(store, environment: ["SNAPRATE_WEBHOOKS_FILE": twice])
        #expect(duplicate.status == 2 && duplicate.stderr.contains("line 3: the same id a.example as \(twice) line 2"),
                "\(duplicate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database), "refused before the store is opened")
    }
}
