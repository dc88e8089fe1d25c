import Foundation
import NIOWebSocket
import Testing
import TestSupport

/// The fuzz cases of `FuzzTests` over real WebSockets to a real `snaprate serve` (the first
/// `SNAPRATE_FUZZ_WS_COUNT`, 200 by default, four at a time), each cut into chunks at random.
/// Each socket must close (its idle timeout at the latest): normally, or after exactly one one-line
/// `{"type":"error"}` message naming its stream. After each round the daemon must still answer
/// `/api/summary`; at the end its peak memory must be bounded and it must stop cleanly.
@Suite(.timeLimit(.minutes(15))) struct IngestFuzzTests {
    @Test func mutatedStreamsOverWebSocketsEndCleanlyAndTheDaemonStaysUp() async throws {
        let cases = FuzzCorpus.cases(count: Self.webSocketCount, seeds: try FuzzCorpus.seeds())
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.send(cases, store: folder.appendingPathComponent("fuzz.sqlite"), report: FuzzReport(path: "websocket"))
    }

    /// `SNAPRATE_FUZZ_WS_COUNT`, else 200.
    static var webSocketCount: Int {
        ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_WS_COUNT"].flatMap(Int.init) ?? 200
    }

    /// Sends `cases` four at a time to a fresh daemon storing into `store`, checking after each
    /// round that it still answers, and at the end its peak memory and a clean stop.
    static func send(_ cases: [FuzzCase], store: URL, report: FuzzReport) async throws {
        let server = try ServeProcess(store: store.path, arguments: ["--idle-timeout", "5"], detectsEveryFrame: false)
        for round in stride(from: 0, to: cases.count, by: 4) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for fuzzCase in cases[round..<min(cases.count, round + 4)] {
                    group.addTask { try await Self.check(fuzzCase, on: server, report: report) }
                }
                try await group.waitForAll()
            }
            let (status, _) = try await SocketClients.get("\(server.baseURL)/api/summary")
            guard server.process.isRunning, status == 200 else {
                Issue.record("the daemon stopped answering after case \(round + 3): \(status) \(server.stderr.suffix(2000))")
                return
            }
        }
        let peak = ProcessMemory.peak(pid: server.process.processIdentifier) ?? 0
        print(report.summary + "; daemon peak resident \(ProcessMemory.megabytes(peak))")
        #expect(report.failures.isEmpty, "\(report.failures.prefix(20).joined(separator: "\n"))")
        #expect(peak < 1536 << 20, "the daemon's peak resident memory: \(ProcessMemory.megabytes(peak))")
        #expect(await server.stop() == 0, "\(server.stderr.suffix(2000))")
    }

    private static func check(_ fuzzCase: FuzzCase, on server: ServeProcess, report: FuzzReport) async throws {
        let kiosk = "fz\(fuzzCase.index)"
        let socket = HeldSocket("\(server.webSocketURL)/ingest/\(kiosk)", chunks: fuzzCase.chunks().map { Data($0) },
                                sayEnd: true)
        let close: WebSocketErrorCode?
        do {
            close = try await socket.closed()
        } catch {
            socket.release()
            report.count("broken")
            report.fail(fuzzCase, "\(error)")
            return
        }
        let errors = socket.errors
        let problem: String?
        switch (errors.count, close) {
        case (0, .normalClosure?):
            problem = nil
        case (1, .unacceptableData?), (1, .policyViolation?), (1, .messageTooLarge?):
            let message = errors[0]
            problem = message.hasPrefix("ws:\(kiosk): ") && !message.contains("\n") && message.count > kiosk.count + 5
                ? nil : "an unclear error message: \(message.debugDescription)"
        default:
            problem = "closed with \(String(describing: close)) after the errors \(errors)"
        }
        report.count(problem != nil ? "broken" : errors.isEmpty ? "finished" : "error")
        if let problem { report.fail(fuzzCase, problem) }
    }
}
