import Foundation
import NIOWebSocket
import Testing
import TestSupport

/// Every limit of `IngestLimits`, set small by flag on a real `snaprate serve`, against real
/// sockets: each refusal is a status or an error message naming the limit, each is counted, and
/// the daemon goes on serving everyone else.
@Suite(.timeLimit(.minutes(15))) struct IngestLimitTests {
    /// A server with `arguments` (its idle timeout is long unless a test sets one: see `ServeProcess`).
    private static func server(_ name: String, _ arguments: [String]) throws -> (ServeProcess, URL) {
        let folder = try Clips.temporaryFolder()
        return (try ServeProcess(store: folder.appendingPathComponent("\(name).sqlite").path, arguments: arguments), folder)
    }

    private static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: TestData.fixture(name)))
    }

    /// The clip's header and first frames: enough for a stream to open and wait for more.
    private static func opening() throws -> Data {
        try fixture("live_vp8.webm").prefix(20_000)
    }

    /// `snaprate_limit_hits_total{limit="NAME"}`, 0 when absent.
    private static func hits(_ server: ServeProcess, _ limit: String) async throws -> Double {
        let (_, body) = try await SocketClients.get("\(server.baseURL)/metrics")
        let prefix = "snaprate_limit_hits_total{limit=\"\(limit)\"} "
        let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Double($0.dropFirst(prefix.count)) } ?? 0
    }

    /// Polls `/api/streams` until `count` streams run.
    private static func waitForStreams(_ server: ServeProcess, _ count: Int) async throws {
        var running = 0
        try await eventually("\(count) streams to run, now \(running)") {
            running = (try await SocketClients.getJSON("\(server.baseURL)/api/streams")["streams"] as? [Any] ?? []).count
            return running == count
        }
    }

    /// A connection refused after its upgrade: the text of its one message and its close code,
    /// read off the wire (a raw socket also picks its loopback source address), on a thread of its
    /// own with generous reads (the full parallel run can keep the daemon's answer for long).
    private static func refusal(_ server: ServeProcess, _ path: String,
                                from source: String = "127.0.0.1") async throws -> (message: String, code: Int) {
        let port = server.port
        return try await UpgradeProbe.offPool {
            let answer = try UpgradeProbe.open(port: port, path: path, from: source)
            defer { answer.close() }
            guard answer.status == 101 else { throw UpgradeProbe.ProbeError("not upgraded: \(answer)") }
            let message = try answer.nextFrame(), close = try answer.nextFrame()
            guard message.opcode == 1, close.opcode == 8, close.payload.count >= 2 else {
                throw UpgradeProbe.ProbeError("frames \(message.opcode), \(close.opcode) instead of a message and a close")
            }
            return (String(decoding: message.payload, as: UTF8.self), Int(close.payload[0]) << 8 | Int(close.payload[1]))
        }
    }

    /// Polls the subscriber gauge until `count` subscribers are connected.
    private static func waitForSubscribers(_ server: ServeProcess, _ count: Double) async throws {
        try await SocketClients.waitForMetric(server.baseURL, "snaprate_subscribers", count)
    }

    /// The limit was counted `hits` times, the daemon still serves, and it stops cleanly.
    private static func expectCountedAndStillServing(_ server: ServeProcess, _ limit: String, hits: Double = 1) async throws {
        #expect(try await Self.hits(server, limit) == hits)
        try await expectStillServing(server)
        #expect(await server.stop() == 0, "\(server.stderr)")
    }

    /// The daemon still answers and still takes a whole clip.
    private static func expectStillServing(_ server: ServeProcess) async throws {
        let (status, _) = try await SocketClients.get("\(server.baseURL)/api/summary")
        #expect(status == 200)
        // On a thread of its own: the idle test's server closes a stream quiet for 1 s.
        let chunks = [try fixture("vp9_320x240.webm")]
        let (log, close) = try await withTaskExecutorPreference(SocketClients.ownThread) {
            try await SocketClients.ingest("\(server.webSocketURL)/ingest/after", chunks: chunks)
        }
        #expect(close == .normalClosure && log.all.allSatisfy { $0.type != "error" }, "\(log.all)")
    }

    @Test func streamsPerAddressAndInAllAreCapped() async throws {
        let (server, folder) = try Self.server("streams", ["--limit-loopback", "--streams-per-ip", "2", "--max-streams", "3",
                                                           "--idle-timeout", "120"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let held = try (1...2).map { HeldSocket("\(server.webSocketURL)/ingest/k\($0)", chunks: [try Self.opening()]) }
        try await Self.waitForStreams(server, 2)

        let third = try await Self.refusal(server, "/ingest/k3")
        #expect(third.message == #"{"message":"127.0.0.1 is at the limit of 2 streams per address","type":"error"}"#)
        #expect(third.code == 1008)
        // Another address has its own count, up to the total of 3.
        let port = server.port
        let other = try await UpgradeProbe.offPool { try UpgradeProbe.open(port: port, path: "/ingest/k4", from: "127.0.0.2") }
        #expect(other.status == 101, "\(other)")
        try await Self.waitForStreams(server, 3)
        let full = try await Self.refusal(server, "/ingest/k5", from: "127.0.0.3")
        #expect(full.message == #"{"message":"the server is at its limit of 3 streams","type":"error"}"#)
        #expect(full.code == 1013, "try again later")
        #expect(try await Self.hits(server, "streams_per_ip") == 1)
        #expect(try await Self.hits(server, "max_streams") == 1)

        // A stream that ends gives its place back.
        other.close()
        held[0].release()
        _ = try await held[0].closed()
        try await Self.waitForStreams(server, 1)
        held[1].release()
        _ = try await held[1].closed()
        try await Self.waitForStreams(server, 0)
        try await Self.expectStillServing(server)
        #expect(await server.stop() == 0, "\(server.stderr)")
    }

    @Test func loopbackIsSparedThePerAddressLimitsByDefault() async throws {
        let (server, folder) = try Self.server("loopback", ["--streams-per-ip", "1", "--idle-timeout", "120"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let held = HeldSocket("\(server.webSocketURL)/ingest/first", chunks: [try Self.opening()])
        try await Self.waitForStreams(server, 1)
        let second = HeldSocket("\(server.webSocketURL)/ingest/second", chunks: [try Self.opening()])
        try await Self.waitForStreams(server, 2)
        second.release()
        _ = try await second.closed()
        #expect(second.errors.isEmpty)
        held.release()
        _ = try await held.closed()
        #expect(await server.stop() == 0, "\(server.stderr)")
    }

    @Test func subscribersPerAddressAreCapped() async throws {
        let (server, folder) = try Self.server("subscribers", ["--limit-loopback", "--subscribers-per-ip", "2"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let held = (1...2).map { _ in HeldSocket("\(server.webSocketURL)/ws") }
        try await Self.waitForSubscribers(server, 2)
        let third = try await Self.refusal(server, "/ws")
        #expect(third.message == #"{"message":"127.0.0.1 is at the limit of 2 subscribers per address","type":"error"}"#)
        #expect(third.code == 1008)
        #expect(try await Self.hits(server, "subscribers_per_ip") == 1)
        held[0].release()
        _ = try await held[0].closed()
        try await Self.waitForSubscribers(server, 1)
        // A subscriber that left gives its place back.
        let again = HeldSocket("\(server.webSocketURL)/ws")
        try await Self.waitForSubscribers(server, 2)
        again.release()
        _ = try await again.closed()
        #expect(again.errors.isEmpty)
        held[1].release()
        _ = try await held[1].closed()
        #expect(await server.stop() == 0, "\(server.stderr)")
    }

    @Test func aChunkOverTheLimitEndsTheStreamWithAnError() async throws {
        let (server, folder) = try Self.server("chunk", ["--max-chunk-size", "50000"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.fixture("live_vp8.webm")
        let socket = HeldSocket("\(server.webSocketURL)/ingest/big", chunks: [clip.prefix(30_000), clip.dropFirst(30_000)])
        #expect(try await socket.closed() == .messageTooLarge)
        #expect(socket.errors == ["ws:big: a chunk of \(clip.count - 30_000) bytes is over the 50000-byte chunk limit"])
        let sessions = try await SocketClients.endedSessions(server.baseURL, kiosk: "big")
        #expect((sessions.first?["end_reason"] as? String)?.hasPrefix("error: ws:big: a chunk of") == true, "\(sessions)")
        try await Self.expectCountedAndStillServing(server, "chunk_size")
    }

    @Test func aMessageOverTheLimitIsRefusedWhetherInOneFrameOrMany() async throws {
        let (server, folder) = try Self.server("message", ["--max-message-size", "65536"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.fixture("live_vp8.webm")
        // As 16 KB frames: the server joins them and stops at the limit.
        let fragmented = HeldSocket("\(server.webSocketURL)/ingest/frames", chunks: [clip], framesOf: 16_384)
        #expect(try await fragmented.closed() == .messageTooLarge)
        #expect(fragmented.errors.count == 1)
        #expect(fragmented.errors.first?.contains("over the 65536-byte message limit") == true, "\(fragmented.errors)")
        // One frame over the limit: the WebSocket layer refuses it before reading it (not counted).
        let whole = HeldSocket("\(server.webSocketURL)/ingest/whole", chunks: [clip])
        #expect(try await whole.closed() == .messageTooLarge)
        try await Self.expectCountedAndStillServing(server, "message_size")
    }

    @Test func aStreamOverTheIngestRateIsClosed() async throws {
        let (server, folder) = try Self.server("rate", ["--max-ingest-rate", "50000", "--ingest-rate-window", "1"])
        defer { try? FileManager.default.removeItem(at: folder) }
        // 379 KB in 10 KB chunks as fast as loopback takes them: far over 50 KB/s with a 50 KB burst.
        let clip = try Self.fixture("vp8_640x480.webm")
        let chunks = stride(from: 0, to: clip.count, by: 10_000).map { clip[$0..<min(clip.count, $0 + 10_000)] }
        let socket = HeldSocket("\(server.webSocketURL)/ingest/fast", chunks: chunks.map { Data($0) })
        #expect(try await socket.closed() == .policyViolation)
        #expect(socket.errors == ["ws:fast: sent more than 50000 bytes/s over 1 s (ingest rate limit)"])
        try await Self.expectCountedAndStillServing(server, "ingest_rate")
    }

    @Test func aStreamThatStopsSendingIsClosedAfterTheIdleTimeout() async throws {
        let (server, folder) = try Self.server("idle", ["--idle-timeout", "1"])
        defer { try? FileManager.default.removeItem(at: folder) }
        // One that opened its stream then went quiet, one that never sent a byte.
        let quiet = HeldSocket("\(server.webSocketURL)/ingest/quiet", chunks: [try Self.opening()])
        let silent = HeldSocket("\(server.webSocketURL)/ingest/silent")
        for socket in [quiet, silent] {
            #expect(try await socket.closed() == .policyViolation)
            #expect(socket.errors.count == 1)
            #expect(socket.errors.first?.hasSuffix("no bytes for 1 s (idle timeout)") == true, "\(socket.errors)")
        }
        for kiosk in ["quiet", "silent"] {
            let sessions = try await SocketClients.endedSessions(server.baseURL, kiosk: kiosk)
            #expect(sessions.first?["end_reason"] as? String == "idle", "\(sessions)")
        }
        try await Self.expectCountedAndStillServing(server, "idle", hits: 2)
    }

    @Test func aVideoOverTheFrameSizeIsRefused() async throws {
        let (server, folder) = try Self.server("dimension", ["--max-dimension", "320"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = HeldSocket("\(server.webSocketURL)/ingest/wide", chunks: [try Self.fixture("vp8_640x480.webm")])
        #expect(try await socket.closed() == .unacceptableData)
        #expect(socket.errors == ["ws:wide: video of 640x480 is over the 320 px limit"])
        try await Self.expectStillServing(server)
        #expect(await server.stop() == 0, "\(server.stderr)")
    }
}
