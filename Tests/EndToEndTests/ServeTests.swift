import Foundation
import HummingbirdWSClient
import NIOCore
import SnapRateCore
import ThumbRating
import AnalyticsStore
import Testing
import TestSupport

/// `snaprate serve` for real: a process on loopback, a real SQLite file, the real lite models and
/// the shared gesture clips read in place.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests), .serialized) struct ServeTests {
    static let clipName = "nvpr_down_up_down.webm"

    @Test func aClipOnStdinReachesSubscribersTheAPIAndTheStore() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        try #require(expected.count >= 2, "the clip should hold several ratings")
        let folder = try Clips.temporaryFolder()
        let database = folder.appendingPathComponent("serve.sqlite").path

        let server = try ServeProcess(store: database, arguments: ["--stdin", "kiosk-a", "--event", "expo"])
        // Subscribed and fed at once: whether a rating comes from the replay or live, each comes once.
        let log = MessageLog()
        let count = expected.count
        async let subscribed = SocketClients.subscribe("\(server.webSocketURL)/ws?kiosk=kiosk-a&since=0", into: log) {
            $0.ratings.count >= count
        }
        server.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))
        _ = try await subscribed

        let pushed = log.ratings
        #expect(pushed.compactMap(\.expected) == expected)
        #expect(pushed.allSatisfy { $0.kiosk == "kiosk-a" && $0.at?.contains("T") == true })
        let sequences = pushed.compactMap(\.seq)
        #expect(sequences.count == expected.count && sequences == sequences.sorted() && Set(sequences).count == sequences.count)

        let api = try await SocketClients.getJSON("\(server.baseURL)/api/ratings?kiosk=kiosk-a&since=0&limit=100")
        let rows = try #require(api["ratings"] as? [[String: Any]])
        #expect(rows.map { ($0["seq"] as? NSNumber)?.int64Value ?? -1 } == sequences)
        #expect(rows.map { ExpectedRating(rating: $0["rating"] as? String ?? "", time: $0["time"] as? Double ?? -1) } == expected)
        #expect(rows.allSatisfy { $0["event"] as? String == "expo" && $0["model"] as? String == "lite" })

        let csv = try await SocketClients.get("\(server.baseURL)/api/ratings.csv?kiosk=kiosk-a")
        let csvLines = String(decoding: csv.body, as: UTF8.self).split(separator: "\n")
        #expect(csv.status == 200 && csvLines.first?.hasPrefix("seq,event,kiosk") == true && csvLines.count == expected.count + 1)

        let summary = try await SocketClients.getJSON("\(server.baseURL)/api/summary")
        let kiosks = try #require(summary["kiosks"] as? [[String: Any]])
        #expect(kiosks.first?["kiosk"] as? String == "kiosk-a")
        #expect(kiosks.first?["up"] as? Int == expected.filter { $0.rating == "up" }.count)
        #expect(kiosks.first?["down"] as? Int == expected.filter { $0.rating == "down" }.count)

        let ended = try await SocketClients.endedSessions(server.baseURL, kiosk: "kiosk-a")
        #expect(ended.first?["end_reason"] as? String == "finished" && ended.first?["frames"] as? Int == 154)
        let board = try await SocketClients.getJSON("\(server.baseURL)/api/streams")["streams"] as? [[String: Any]]
        #expect(board?.isEmpty == true, "an ended stream leaves the board")
        let health = try await SocketClients.get("\(server.baseURL)/healthz")
        #expect(health.status == 200)
        let invalid = try await SocketClients.get("\(server.baseURL)/api/ratings?kiosk=bad%20id")
        #expect(invalid.status == 400)

        #expect(server.terminate() == 0, "\(server.stderr)")
        let store = try SQLiteRatingStore(path: database)
        let stored = try await store.ratings(after: 0, kiosk: nil, limit: 100)
        #expect(stored.map(\.storedSequence) == sequences)
        #expect(stored.map { ExpectedRating(rating: $0.rating.rawValue, time: $0.mediaTime) } == expected)
        let sessions = try await store.sessions(kiosk: "kiosk-a")
        #expect(sessions.count == 1)
        #expect(sessions.first?.endReason == "finished" && sessions.first?.framesDecoded == 154)
        #expect(Set(stored.map(\.session)) == Set(sessions.map(\.id)))
    }

    @Test func browserChunksGiveTheSameRatingsAsAnalyzeOnTheirConcatenation() async throws {
        let chunks = try Clips.browserChunks()
        let folder = try Clips.temporaryFolder()
        let expected = try await Clips.analyzedBrowserChunks(chunks, in: folder)
        let database = folder.appendingPathComponent("serve.sqlite").path

        let server = try ServeProcess(store: database)
        let started = Date()
        let (log, close) = try await SocketClients.ingest("\(server.webSocketURL)/ingest/browser-1", chunks: chunks)
        let elapsed = Date().timeIntervalSince(started)
        #expect(close == .normalClosure)
        #expect(log.ratings.compactMap(\.expected) == expected)
        let classes = log.all.filter { $0.type == "class" }
        #expect(!classes.isEmpty && Double(classes.count) <= elapsed * 5 + 1, "\(classes.count) in \(elapsed) s")
        #expect(classes.allSatisfy { ["up", "down", "none"].contains($0.class ?? "") && $0.hands != nil && $0.time != nil })
        #expect(!log.all.contains { $0.type == "error" })

        // Everything the socket saw is stored and pushed to subscribers too.
        let count = expected.count
        let pushed = try await SocketClients.subscribe("\(server.webSocketURL)/ws?since=0") {
            $0.ratings.count >= count
        }
        #expect(pushed.ratings.compactMap(\.expected) == expected)
        #expect(pushed.ratings.allSatisfy { $0.kiosk == "browser-1" })
        #expect(server.terminate() == 0, "\(server.stderr)")
        let sessions = try await SQLiteRatingStore(path: database).sessions(kiosk: "browser-1")
        #expect(sessions.count == 1 && sessions.first?.endReason == "finished")
    }

    @Test func aClientThatHangsUpStillHasEverythingItSentRated() async throws {
        let chunks = try Clips.browserChunks()
        let folder = try Clips.temporaryFolder()
        let expected = try await Clips.analyzedBrowserChunks(chunks, in: folder)
        let server = try ServeProcess(store: folder.appendingPathComponent("serve.sqlite").path)
        _ = try await SocketClients.ingest("\(server.webSocketURL)/ingest/hangup", chunks: chunks, sayEnd: false)
        let sessions = try await SocketClients.endedSessions(server.baseURL, kiosk: "hangup")
        #expect(sessions.first?["end_reason"] as? String == "disconnected")
        let api = try await SocketClients.getJSON("\(server.baseURL)/api/ratings?kiosk=hangup")
        let rows = try #require(api["ratings"] as? [[String: Any]])
        #expect(rows.map { ExpectedRating(rating: $0["rating"] as? String ?? "", time: $0["time"] as? Double ?? -1) } == expected)
        #expect(server.terminate() == 0, "\(server.stderr)")
    }

    @Test func shutdownWithABrowserStreamOpenRatesEverythingItHolds() async throws {
        let chunks = try Clips.browserChunks()
        let folder = try Clips.temporaryFolder()
        let expected = try await Clips.analyzedBrowserChunks(chunks, in: folder)
        let database = folder.appendingPathComponent("serve.sqlite").path
        let server = try ServeProcess(store: database)
        let log = MessageLog()
        let firstRating = AsyncStream<Void>.makeStream()
        // Every chunk is sent but the stream is not ended: a camera still on when SIGTERM comes.
        async let closed = awaiting("the server to close the ingest socket, \(log.all.count) messages so far") {
            try await WebSocketClient.connect(url: "\(server.webSocketURL)/ingest/open", logger: SocketClients.logger) { inbound, outbound, _ in
                for chunk in chunks { try await outbound.write(.binary(ByteBuffer(bytes: chunk))) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    log.append(SocketClients.decode(text))
                    if log.ratings.count == 1 { firstRating.continuation.yield() }
                }
            }
        }
        for await _ in firstRating.stream { break }
        let status = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: server.terminate()) }
        }
        #expect(status == 0, "\(server.stderr)")
        let close = try await closed
        #expect(close?.closeCode == .normalClosure)
        let store = try SQLiteRatingStore(path: database)
        let stored = try await store.ratings(after: 0, kiosk: "open", limit: 100)
        // The frames already sent were all rated and stored before the process exited.
        #expect(stored.map { ExpectedRating(rating: $0.rating.rawValue, time: $0.mediaTime) } == expected)
        let sessions = try await store.sessions(kiosk: "open")
        #expect(sessions.count == 1 && sessions.first?.endReason == "shutdown")
    }

    @Test func aRestartedServerReplaysExactlyWhatASubscriberMissed() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        let count = expected.count
        let folder = try Clips.temporaryFolder()
        let database = folder.appendingPathComponent("serve.sqlite").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))

        // First run: the subscriber sees only the first rating, then goes away.
        let first = try ServeProcess(store: database, arguments: ["--stdin", "door"])
        first.feedStdin(bytes)
        let early = try await SocketClients.subscribe("\(first.webSocketURL)/ws?kiosk=door") { $0.ratings.count >= 1 }
        let seen = try #require(early.ratings.first?.seq)
        let all = try await SocketClients.subscribe("\(first.webSocketURL)/ws?kiosk=door&since=\(seen)") {
            $0.ratings.count >= count - 1
        }
        #expect(first.terminate() == 0, "\(first.stderr)")

        // Second run on the same file: resubscribing with `since` replays what was missed, then the
        // new stream's ratings arrive live, with no duplicate and no gap.
        let second = try ServeProcess(store: database, arguments: ["--stdin", "door"])
        let log = MessageLog()
        async let resubscribed = SocketClients.subscribe("\(second.webSocketURL)/ws?kiosk=door&since=\(seen)", into: log) {
            $0.ratings.count >= 2 * count - 1
        }
        // Feed once the replay is through, so the rest must come live.
        try await eventually("the replay, \(log.ratings.count) of \(count - 1) ratings", every: .milliseconds(20)) {
            log.ratings.count >= count - 1
        }
        second.feedStdin(bytes)
        _ = try await resubscribed

        let got = log.ratings
        let replayed: [Int64] = got.prefix(count - 1).compactMap { $0.seq }
        let missed: [Int64] = all.ratings.compactMap { $0.seq }
        #expect(replayed == missed)
        #expect(got.compactMap(\.expected) == Array(expected.dropFirst()) + expected)
        let sequences = got.compactMap(\.seq)
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count && sequences.allSatisfy { $0 > seen })
        let api = try await SocketClients.getJSON("\(second.baseURL)/api/ratings?kiosk=door&since=\(seen)")
        #expect((api["ratings"] as? [[String: Any]])?.count == 2 * count - 1)
        #expect(second.terminate() == 0, "\(second.stderr)")
    }

    @Test func aGarbageStreamIsClosedWhileAnotherKioskFlows() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        let count = expected.count
        let folder = try Clips.temporaryFolder()
        let database = folder.appendingPathComponent("serve.sqlite").path
        let server = try ServeProcess(store: database, arguments: ["--stdin", "good"])
        server.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)))

        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4).map { _ in Data((0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        async let flowing = SocketClients.subscribe("\(server.webSocketURL)/ws?kiosk=good") { $0.ratings.count >= count }
        let (bad, close) = try await SocketClients.ingest("\(server.webSocketURL)/ingest/bad", chunks: garbage)
        #expect(bad.all.contains { $0.type == "error" && !($0.message ?? "").isEmpty })
        #expect(close == .unacceptableData)
        let good = try await flowing
        #expect(good.ratings.compactMap(\.expected) == expected)

        // An invalid kiosk id is refused before any upgrade.
        await #expect(throws: (any Error).self) {
            _ = try await SocketClients.ingest("\(server.webSocketURL)/ingest/not%20valid", chunks: [])
        }
        _ = try await SocketClients.endedSessions(server.baseURL, kiosk: "good")
        let metrics = String(decoding: try await SocketClients.get("\(server.baseURL)/metrics").body, as: UTF8.self)
        #expect(metrics.contains("snaprate_frames_decoded_total{kiosk=\"good\"} 154"))
        #expect(metrics.contains("snaprate_refused_streams_total"))
        #expect(metrics.contains("snaprate_detect_seconds_bucket"))

        #expect(server.terminate() == 0, "\(server.stderr)")
        let sessions = try await SQLiteRatingStore(path: database).sessions(kiosk: nil)
        #expect(sessions.first { $0.kiosk == "bad" }?.endReason?.hasPrefix("error:") == true)
        #expect(sessions.first { $0.kiosk == "good" }?.endReason == "finished")
    }

    @Test func shutdownMidStreamStoresEveryDetectedRatingAndExitsZero() async throws {
        let clip = try Clips.clip(Self.clipName)
        let expected = try await Analyze.ratings(of: clip)
        let count = expected.count
        let folder = try Clips.temporaryFolder()
        let database = folder.appendingPathComponent("serve.sqlite").path
        let server = try ServeProcess(store: database, arguments: ["--stdin", "live"])
        // The pipe stays open, as a camera's would: the stream is still running at SIGTERM.
        server.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)), keepOpen: true)
        let log = try await SocketClients.subscribe("\(server.webSocketURL)/ws?kiosk=live") { $0.ratings.count >= count }
        #expect(log.ratings.compactMap(\.expected) == expected)
        // The stream is still running (its pipe is open): it is on the board of active streams.
        let streams = try await SocketClients.getJSON("\(server.baseURL)/api/streams")["streams"] as? [[String: Any]]
        #expect(streams?.count == 1 && streams?.first?["kiosk"] as? String == "live")
        #expect(server.terminate() == 0, "\(server.stderr)")
        let store = try SQLiteRatingStore(path: database)
        let stored = try await store.ratings(after: 0, kiosk: "live", limit: 100)
        #expect(stored.map(\.storedSequence) == log.ratings.compactMap(\.seq))
        let sessions = try await store.sessions(kiosk: "live")
        #expect(sessions.count == 1 && sessions.first?.endReason == "shutdown")
    }
}

/// Flags checked before anything starts.
@Suite(.timeLimit(.minutes(15))) struct ServeFlagTests {
    private func run(_ arguments: [String]) throws -> (Int32, String) {
        try ServeProcess.refusedStart(arguments)
    }

    @Test(arguments: ["bad id", "", String(repeating: "k", count: 65), "kiosk/1"])
    func anInvalidStdinKioskIsRefused(_ kiosk: String) throws {
        let folder = try Clips.temporaryFolder()
        let (status, stderr) = try run(["--stdin", kiosk, "--store", "sqlite:\(folder.path)/x.sqlite", "--models", "lite"])
        #expect(status == 2)
        #expect(stderr.contains("invalid kiosk id"))
    }

    @Test(arguments: [
        ("mysql://ops@db/x", "unsupported store"),
        ("sqlite:", "sqlite: needs a path"),
        ("postgres://nowhere", "invalid PostgreSQL URL: no user"),
        ("postgres://ops@db/x?sslmode=maybe", "invalid PostgreSQL URL: sslmode must be one of"),
    ])
    func anUnusableStoreIsRefused(store: String, message: String) throws {
        let (status, stderr) = try run(["--store", store, "--models", "lite"])
        #expect(status == 2)
        #expect(stderr.contains(message) && stderr.split(separator: "\n").count == 1, "\(stderr)")
    }

    @Test func aPostgresServerThatIsNotThereFailsTheStart() throws {
        let port = try PostgresTestServer.freePort()
        let (status, stderr) = try run(["--store", "postgres://ops:secret@127.0.0.1:\(port)/expo", "--models", "lite"])
        #expect(status == 1)
        #expect(stderr.hasPrefix("snaprate: cannot open the store postgres://ops@127.0.0.1:\(port)/expo: "), "\(stderr)")
        #expect(!stderr.contains("secret"), "the password stays out of messages")
    }
}
