import Foundation
import Testing
import TestSupport

/// Connections that carry no request: a socket opened and never used (browsers keep spare ones),
/// one that sent part of a request head and stopped, and a keep-alive connection after its
/// answer. None may keep a shutting-down daemon waiting, and none stays open past the idle timeout.
@Suite(.timeLimit(.minutes(15))) struct UnusedConnectionTests {
    private static func server(_ name: String, _ arguments: [String]) throws -> ServeProcess {
        let folder = try Clips.temporaryFolder()
        return try ServeProcess(store: folder.appendingPathComponent("\(name).sqlite").path, arguments: arguments)
    }

    /// The three kinds of quiet connection, once the server has taken each.
    private static func quietConnections(_ server: ServeProcess) throws -> [RawConnection] {
        let unused = try RawConnection(port: server.port)
        let partial = try RawConnection(port: server.port)
        try partial.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let keptAlive = try RawConnection(port: server.port)
        try keptAlive.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        return [unused, partial, keptAlive]
    }

    @Test func quietConnectionsDoNotHoldUpShutdown() async throws {
        let server = try Self.server("shutdown", [])
        let connections = try Self.quietConnections(server)
        // A full request on a fresh connection: once it is answered, the server has had time to
        // take the quiet ones before it.
        let (status, _) = try await SocketClients.get("\(server.baseURL)/healthz")
        #expect(status == 200)
        // Before `RequestHeadGuard`, the unused and the partial connection kept the daemon
        // running for as long as the client held them (here: for ever).
        #expect(await server.stop() == 0, "\(server.stderr)")
        for (index, connection) in connections.enumerated() {
            let (text, closed) = try connection.readUntilClosed()
            #expect(closed, "connection \(index) still open: \(text)")
        }
        #expect(!server.stderr.contains(" error "), "\(server.stderr)")
    }

    @Test func quietConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let server = try Self.server("idle", ["--idle-timeout", "1"])
        let connections = try Self.quietConnections(server)
        let reads = try await withThrowingTaskGroup(of: (Int, String, Bool).self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    try await offPool {
                        let (text, closed) = try connection.readUntilClosed()
                        return (index, text, closed)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }
        }
        for (index, text, closed) in reads {
            #expect(closed, "connection \(index) not closed by the server: \(text)")
        }
        // The kept-alive connection had its answer before it was closed; the others had none.
        #expect(reads[2].1.hasPrefix("HTTP/1.1 200"), "\(reads[2].1)")
        #expect(reads[0].1.isEmpty && reads[1].1.isEmpty, "\(reads)")
        let (status, _) = try await SocketClients.get("\(server.baseURL)/healthz")
        #expect(status == 200)
        #expect(await server.stop() == 0)
        #expect(!server.stderr.contains(" error "), "\(server.stderr)")
    }
}
