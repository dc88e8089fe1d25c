import Foundation
import Testing
import TestSupport

/// A subscriber's WebSocket as the server runs it without a task (`SubscriberSocket`), spoken to
/// frame by frame: control frames are answered, the close handshake runs both ways, and the
/// subscriber gauge follows.
///
/// The sockets here block, so every socket call runs on a thread of its own
/// (`UpgradeProbe.offPool`): on one of Swift's two cooperative threads, a blocking read can hold up
/// the very task it waits for (in the full parallel run that stalled the whole test process for
/// minutes).
@Suite(.timeLimit(.minutes(15))) struct SubscriberSocketTests {
    typealias Frame = (opcode: UInt8, payload: [UInt8])

    private static func server(_ name: String, _ arguments: [String] = []) throws -> ServeProcess {
        let folder = try Clips.temporaryFolder()
        return try ServeProcess(store: folder.appendingPathComponent("\(name).sqlite").path, arguments: arguments)
    }

    private static func waitForSubscribers(_ server: ServeProcess, _ count: Double) async throws {
        try await SocketClients.waitForMetric(server.baseURL, "snaprate_subscribers", count)
    }

    private static func open(_ server: ServeProcess, _ path: String) async throws -> UpgradeProbe.Answer {
        try await UpgradeProbe.offPool { try UpgradeProbe.open(port: server.port, path: path) }
    }

    /// The server's next frame but its keepalive pings (every 30 s: the full parallel run can
    /// take that long between two steps of a test).
    private static func nextFrame(_ socket: UpgradeProbe.Answer) throws -> Frame {
        while true {
            let frame = try socket.nextFrame()
            if frame.opcode != 0x9 { return frame }
        }
    }

    @Test func pingsAreAnsweredMessagesIgnoredAndACloseIsEchoedBeforeTheConnectionEnds() async throws {
        let server = try Self.server("frames")
        let socket = try await Self.open(server, "/ws?since=0")
        defer { socket.close() }
        #expect(socket.status == 101, "\(socket)")
        try await Self.waitForSubscribers(server, 1)
        let (pong, close, end) = try await UpgradeProbe.offPool { () throws -> (Frame, Frame, String?) in
            // A subscriber has nothing to say: a message is ignored, and the ping after it answered.
            try socket.sendFrame(opcode: 0x1, payload: Array("hello".utf8))
            try socket.sendFrame(opcode: 0x9, payload: Array("are you there".utf8))
            let pong = try Self.nextFrame(socket)
            // The client closes with 4001: the server answers with the same code and hangs up.
            try socket.sendFrame(opcode: 0x8, payload: [0x0F, 0xA1])
            let close = try Self.nextFrame(socket)
            return (pong, close, try socket.awaitServerClose())
        }
        #expect(pong.opcode == 0xA && pong.payload == Array("are you there".utf8), "\(pong)")
        #expect(close.opcode == 0x8 && close.payload == [0x0F, 0xA1], "\(close)")
        #expect(end == nil, "\(end ?? "")")
        try await Self.waitForSubscribers(server, 0)
        #expect(await server.stop() == 0, "\(server.stderr)")
    }

    @Test func aSubscribersFramesStopAtFourKilobytes() async throws {
        let server = try Self.server("frame-limit")
        let socket = try await Self.open(server, "/ws")
        defer { socket.close() }
        let (pong, close) = try await UpgradeProbe.offPool { () throws -> (Frame, Frame) in
            try socket.sendFrame(opcode: 0x1, payload: Array(repeating: UInt8(ascii: "x"), count: 4096))
            try socket.sendFrame(opcode: 0x9, payload: Array("still there".utf8))
            let pong = try Self.nextFrame(socket)
            try socket.sendFrame(opcode: 0x1, payload: Array(repeating: UInt8(ascii: "x"), count: 4097))
            return (pong, try Self.nextFrame(socket))
        }
        #expect(pong.opcode == 0xA, "\(pong)")
        #expect(close.opcode == 0x8 && close.payload.prefix(2) == [0x03, 0xF1], "\(close)")
        #expect(await server.stop() == 0, "\(server.stderr)")
    }

    @Test func shutdownSendsEverySubscriberACloseAndWaitsForTheirAnswers() async throws {
        // Generous times: in the full parallel run, this process and the daemon wait for the CPU
        // for tens of seconds.
        let server = try Self.server("shutdown", ["--send-timeout", "60"])
        var sockets: [UpgradeProbe.Answer] = []
        for _ in 0..<3 { sockets.append(try await Self.open(server, "/ws")) }
        defer { for socket in sockets { socket.close() } }
        #expect(sockets.allSatisfy { $0.status == 101 })
        try await Self.waitForSubscribers(server, 3)
        let stopped = Task { await server.stop() }
        let open = sockets
        let closes = try await UpgradeProbe.offPool { try open.map { try Self.nextFrame($0) } }
        for close in closes {
            #expect(close.opcode == 0x8 && close.payload.prefix(2) == [0x03, 0xE8], "\(close)")
        }
        // The daemon waits for the clients' answers: nothing queued before the close is lost.
        try await Task.sleep(for: .seconds(1))
        #expect(server.isRunning)
        let answered = try await UpgradeProbe.offPool {
            try open.prefix(2).map { socket in
                try socket.sendFrame(opcode: 0x8, payload: [0x03, 0xE8])
                return try socket.awaitServerClose()
            }
        }
        #expect(answered.allSatisfy { $0 == nil }, "\(answered)")
        // The third never answers: it is cut once the send timeout has passed, and the daemon exits.
        let silent = try await UpgradeProbe.offPool { try open[2].awaitServerClose() }
        #expect(silent == nil, "\(silent ?? "")")
        #expect(await stopped.value == 0, "\(server.stderr)")
        #expect(!server.stderr.contains(" error "), "\(server.stderr)")
    }
}
