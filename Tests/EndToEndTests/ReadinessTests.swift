import Foundation
@testable import SnapRateServer
import Testing
import TestSupport

/// `/readyz` against a real daemon and a real SQLite file that another process holds locked (so
/// every write fails, as on a full disk): 503 with the reason while the store writer retries,
/// 200 once the lock goes and what waited is written; `/healthz` says ok throughout.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests)) struct ReadinessTests {
    @Test func notReadyWhileTheStoreFailsAndReadyAgainAfterIt() async throws {
        let chunks = try Clips.browserChunks()
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ready.sqlite").path
        let server = try ServeProcess(store: database)
        let ready = try await SocketClients.get("\(server.baseURL)/readyz")
        #expect(ready.status == 200 && String(decoding: ready.body, as: UTF8.self) == "{\"status\":\"ready\"}")

        let lock = try await offPool { try SQLiteLock(database) }
        let (log, close) = try await SocketClients.ingest("\(server.webSocketURL)/ingest/locked", chunks: chunks)
        #expect(close == .normalClosure)
        let detected = log.ratings.count
        try #require(detected >= 2, "the recording holds several ratings")

        // GRDB waits 5 s for the lock before a write fails.
        var refusal = ""
        try await eventually("/readyz to say 503") {
            let answer = try await SocketClients.get("\(server.baseURL)/readyz")
            refusal = String(decoding: answer.body, as: UTF8.self)
            return answer.status == 503
        }
        let message = try #require((try JSONSerialization.jsonObject(with: Data(refusal.utf8)) as? [String: [String: String]])?["error"]?["message"],
                                   "\(refusal)")
        #expect(message.hasPrefix("the store's last write failed; ") && message.hasSuffix(" ratings wait in memory"), "\(message)")
        #expect(!message.contains("\n"))
        #expect(try await SocketClients.get("\(server.baseURL)/healthz").status == 200, "the process itself is alive")

        try await offPool { try lock.release() }
        try await eventually("/readyz to say 200 again") {
            try await SocketClients.get("\(server.baseURL)/readyz").status == 200
        }
        let stored = try await SocketClients.getJSON("\(server.baseURL)/api/ratings?kiosk=locked")["ratings"] as? [[String: Any]]
        #expect(stored?.count == detected, "everything that waited was written")
        #expect(server.terminate() == 0, "\(server.stderr)")
    }
}

/// Another process (Python's sqlite3) holding a SQLite file's write lock (`BEGIN EXCLUSIVE`)
/// until `release()`. (Made and released off the cooperative threads: both wait on the process.)
final class SQLiteLock: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    init(_ path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.readline()
            db.execute("COMMIT")
            """, path]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readData(ofLength: 7), as: UTF8.self)
        guard said == "locked\n" else { throw MissingTestData(description: "python3 could not lock \(path): \(said)") }
    }

    func release() throws {
        try input.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
