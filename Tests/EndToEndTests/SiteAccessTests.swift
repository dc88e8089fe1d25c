import Foundation
import Testing
import TestSupport

/// A real daemon on its defaults (loopback, no tokens) answers only requests meant for it: a
/// foreign `Host` (DNS rebinding) gets 421 on every route, a WebSocket from a foreign page 403
/// before the upgrade, on ingest and on the subscribers' socket alike; and a token bound to
/// kiosks streams only as them.
@Suite(.timeLimit(.minutes(15))) struct SiteAccessTests {
    /// One request on a fresh connection; the answer's status line and what followed, read until
    /// the daemon closes (it does after a refusal) or `marker` arrives.
    /// (On a thread of its own: a blocking read must not hold one of the two cooperative threads.)
    static func request(port: Int, _ head: String, until marker: String? = nil) async throws -> (status: Int, text: String) {
        try await offPool {
            let connection = try RawConnection(port: port)
            try connection.send(head)
            let text = try marker.map { try connection.read(until: $0) } ?? connection.readUntilClosed().text
            return (Self.status(text), text)
        }
    }

    static func upgrade(port: Int, path: String, headers: [String: String]) async throws -> RawHandshake.Answer {
        try await offPool { try RawHandshake.upgrade(port: port, path: path, headers: headers) }
    }

    static func status(_ text: String) -> Int {
        let parts = text.prefix { $0 != "\r" }.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
    }

    @Test func aForeignHostIsRefusedOnEveryRouteAndOnEveryRequestOfAConnection() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("site.sqlite").path, arguments: ["--log-level", "debug"])
        let port = server.port

        for path in ["/api/ratings", "/api/summary", "/metrics", "/healthz", "/kiosk", "/ca.crt"] {
            let foreign = try await Self.request(port: port, "GET \(path) HTTP/1.1\r\nHost: rebind.evil.example:\(port)\r\n\r\n")
            #expect(foreign.status == 421, "\(path): \(foreign.text)")
            #expect(foreign.text.contains("\\\"rebind.evil.example\\\" is not a name of this server"), "\(foreign.text)")
        }
        let noHost = try await Self.request(port: port, "GET /api/ratings HTTP/1.1\r\n\r\n")
        #expect(noHost.status == 400, "\(noHost.text)")
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"] {
            let own = try await Self.request(port: port, "GET /healthz HTTP/1.1\r\nHost: \(host)\r\n\r\n", until: "ok")
            #expect(own.status == 200, "\(host): \(own.text)")
        }

        // A later request on a connection whose first was let in is checked too (by the routes'
        // middleware, not the first request's check).
        let (first, later) = try await offPool {
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
            let first = try connection.read(until: "ok")
            try connection.send("GET /api/ratings HTTP/1.1\r\nHost: rebind.evil.example\r\n\r\n")
            return (first, try connection.read(until: "server"))
        }
        #expect(Self.status(first) == 200, "\(first)")
        #expect(Self.status(later) == 421, "\(later)")

        let metrics = try await HTTP.get("\(server.baseURL)/metrics")
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("snaprate_access_refused_total{reason=\"host\"} 8"))
        #expect(server.terminate() == 0, "\(server.stderr)")
        #expect(server.stderr.contains("request refused"), "refusals are logged at debug level")
    }

    @Test func aWebSocketFromAForeignPageIsRefusedBeforeTheUpgrade() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("origin.sqlite").path,
                                      arguments: ["--allow-origin", "http://127.0.0.1:3000"])
        let port = server.port
        let own = "http://127.0.0.1:\(port)"
        for path in ["/ingest/door-1", "/ws"] {
            for origin in ["http://evil.example", "http://127.0.0.1:\(port + 1)", "https://127.0.0.1:\(port)", "null"] {
                let answer = try await Self.upgrade(port: port, path: path, headers: ["Origin": origin])
                #expect(answer.status == 403 && answer.headers["sec-websocket-accept"] == nil, "\(path) from \(origin): \(answer)")
            }
            // The server's own pages, the listed origin, and a client that is no browser.
            for headers in [["Origin": own], ["Origin": "http://localhost:\(port)", "Host": "localhost:\(port)"],
                            ["Origin": "http://127.0.0.1:3000"], [:]] {
                let answer = try await Self.upgrade(port: port, path: path, headers: headers)
                #expect(answer.status == 101, "\(path) with \(headers): \(answer)")
            }
            let rebound = try await Self.upgrade(port: port, path: path,
                                                   headers: ["Host": "rebind.evil.example:\(port)", "Origin": "http://rebind.evil.example:\(port)"])
            #expect(rebound.status == 421, "\(path): \(rebound)")
        }
        let metrics = String(decoding: try await HTTP.get("\(server.baseURL)/metrics").body, as: UTF8.self)
        #expect(metrics.contains("snaprate_access_refused_total{reason=\"origin\"} 8"), "\(metrics)")
        #expect(server.terminate() == 0, "\(server.stderr)")

        let bad = try await offPool { try ServeProcess.refusedStart(["--allow-origin", "evil.example"]) }
        #expect(bad.status == 2 && bad.stderr.contains("--allow-origin \"evil.example\" is not an origin"), "\(bad.stderr)")
    }

    @Test func aTokenBoundToKiosksStreamsOnlyAsThem() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let door = AccessControlTests.Tokens.make("door")
        let admin = AccessControlTests.Tokens.make("admin")
        let tokens = folder.appendingPathComponent("tokens")
        try Data("ingest:door-1,ingest:hall-b-*,subscribe \(door)\nadmin \(admin)\n".utf8).write(to: tokens)
        let server = try ServeProcess(store: folder.appendingPathComponent("kiosks.sqlite").path,
                                      arguments: ["--tokens", tokens.path])
        let port = server.port
        let bearer = ["Authorization": "Bearer \(door)"]
        for kiosk in ["door-1", "hall-b-1", "hall-b-stage"] {
            let answer = try await Self.upgrade(port: port, path: "/ingest/\(kiosk)", headers: bearer)
            #expect(answer.status == 101, "\(kiosk): \(answer)")
        }
        for kiosk in ["door-2", "door-10", "hall-a-1"] {
            let answer = try await Self.upgrade(port: port, path: "/ingest/\(kiosk)", headers: bearer)
            #expect(answer.status == 403 && answer.headers["www-authenticate"]?.contains("scope=\"ingest\"") == true,
                    "\(kiosk): \(answer)")
        }
        let metrics = try await HTTP.get("\(server.baseURL)/metrics", headers: ["Authorization": "Bearer \(admin)"])
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("snaprate_access_refused_total{reason=\"kiosk\"} 3"))
        #expect(server.terminate() == 0, "\(server.stderr)")
        #expect(!server.stderr.contains(door))
    }
}
