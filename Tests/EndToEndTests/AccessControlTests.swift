import Foundation
import HTTPTypes
import Testing
import TestSupport

/// Access control on a real `snaprate serve` with a tokens file, through real sockets on
/// loopback: every protected route refuses no token and a wrong one (401) and a token without
/// its scope (403), and takes the right one. Each server logs at trace level, and no token (nor
/// a piece of one) may appear in what it logged.
@Suite(.timeLimit(.minutes(15)), .serialized) struct AccessControlTests {
    /// One token per role, fresh for each test, and one that was never configured.
    struct Tokens {
        let kiosk = Self.make("kiosk")
        let watcher = Self.make("watch")
        let organiser = Self.make("admin")
        let dashboard = Self.make("dash")
        let wrong = Self.make("wrong")

        var all: [String] { [kiosk, watcher, organiser, dashboard, wrong] }

        var file: String {
            """
            # role tokens for the test
            ingest \(kiosk)
            subscribe \(watcher)
            admin \(organiser)
            subscribe,admin \(dashboard)

            """
        }

        static func make(_ role: String) -> String {
            "\(role)-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        }

        /// Writes the tokens file, readable by its owner only; returns its path.
        func write(in folder: URL) throws -> String {
            let path = folder.appendingPathComponent("tokens").path
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            return path
        }
    }

    static func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    /// No token, nor its random part's first half, in `log`; and the log really was at trace level.
    static func expectNoToken(in log: String, _ tokens: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for token in tokens {
            let secret = token.split(separator: "-", maxSplits: 1).last.map(String.init) ?? token
            #expect(!log.contains(token) && !log.contains(secret.prefix(16)), "a token reached the log", sourceLocation: sourceLocation)
        }
        #expect(log.contains(" trace "), "the server logged at trace level", sourceLocation: sourceLocation)
    }

    /// Runs `body` against a server with `tokens` logging at trace level (in a folder of its own,
    /// removed after), then stops it, which must exit 0, and checks that no token reached its log.
    /// Returns the log.
    @discardableResult
    private func withServer(_ tokens: Tokens, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: (ServeProcess, URL) async throws -> Void) async throws -> String {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("access.sqlite").path,
                                      arguments: ["--tokens", try tokens.write(in: folder), "--log-level", "trace"])
        try await body(server, folder)
        #expect(server.terminate() == 0, "\(server.stderr)", sourceLocation: sourceLocation)
        Self.expectNoToken(in: server.stderr, tokens.all, sourceLocation: sourceLocation)
        return server.stderr
    }

    @Test func theAPIAndMetricsNeedAnAdminTokenAndThePagesNone() async throws {
        let tokens = Tokens()
        let log = try await withServer(tokens) { server, _ in
            let base = server.baseURL

            for path in ["/api/ratings", "/api/ratings.csv?kiosk=door-1", "/api/summary", "/api/streams", "/api/sessions",
                         "/api/report.html", "/metrics"] {
                let none = try await HTTP.get(base + path)
                #expect(none.status == 401 && none.header("WWW-Authenticate") == "Bearer realm=\"snaprate\"", "\(path)")
                let wrong = try await HTTP.get(base + path, headers: Self.bearer(tokens.wrong))
                #expect(wrong.status == 401 && wrong.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true, "\(path)")
                for token in [tokens.kiosk, tokens.watcher] {
                    let lacking = try await HTTP.get(base + path, headers: Self.bearer(token))
                    #expect(lacking.status == 403, "\(path)")
                    #expect(lacking.header("WWW-Authenticate")?.contains("error=\"insufficient_scope\", scope=\"admin\"") == true, "\(path)")
                }
                for token in [tokens.organiser, tokens.dashboard] {
                    #expect(try await HTTP.get(base + path, headers: Self.bearer(token)).status == 200, "\(path)")
                }
            }
            // Only a bearer token in the Authorization header counts: not another scheme, not the query.
            #expect(try await HTTP.get(base + "/api/summary", headers: ["Authorization": "Basic \(tokens.organiser)"]).status == 401)
            #expect(try await HTTP.get(base + "/api/summary?token=\(tokens.organiser)").status == 401)
            #expect(try await HTTP.get(base + "/api/summary", headers: ["Authorization": "bearer \(tokens.organiser)"]).status == 200)

            // The pages and liveness hold no data: open to all.
            for path in ["/healthz", "/kiosk?kiosk=door-1", "/dashboard", "/pages/kiosk.js", "/pages/access.js", "/pages/style.css"] {
                #expect(try await HTTP.get(base + path).status == 200, "\(path)")
            }

            // What a token allows, for the pages to tell a refused token from a server that is away.
            #expect(try await HTTP.get(base + "/access").status == 401)
            #expect(try await HTTP.get(base + "/access", headers: Self.bearer(tokens.wrong)).status == 401)
            let kiosk = try await HTTP.get(base + "/access", headers: Self.bearer(tokens.kiosk))
            #expect(kiosk.status == 200 && String(decoding: kiosk.body, as: UTF8.self) == #"{"required":true,"scopes":["ingest"]}"#)
            let dashboard = try await HTTP.get(base + "/access", headers: Self.bearer(tokens.dashboard))
            #expect(String(decoding: dashboard.body, as: UTF8.self) == #"{"required":true,"scopes":["subscribe","admin"]}"#)

            let metrics = String(decoding: try await HTTP.get(base + "/metrics", headers: Self.bearer(tokens.organiser)).body, as: UTF8.self)
            for reason in ["missing", "invalid", "forbidden"] {
                #expect(metrics.contains("snaprate_access_refused_total{reason=\"\(reason)\"}"), "\(reason)")
            }
        }
        #expect(log.contains("access refused"), "refusals are logged (at debug level)")
    }

    @Test func aWebSocketIsRefusedBeforeTheUpgradeWithoutItsScope() async throws {
        let tokens = Tokens()
        try await withServer(tokens) { server, _ in
            let port = server.port
            let offer = { (token: String) in ["Sec-WebSocket-Protocol": "snaprate, bearer.\(token)"] }

            // A subscriber's handshake is refused with the reason's own status, and the challenge
            // a header client needs; the token in a query string counts for nothing.
            let refusedSubscribers: [(String, [String: String], Int)] = [
                ("/ws", [:], 401), ("/ws", Self.bearer(tokens.wrong), 401), ("/ws", Self.bearer(tokens.kiosk), 403),
                ("/ws", offer(tokens.organiser), 403), ("/ws?token=\(tokens.watcher)", [:], 401),
                ("/ws?since=-1", Self.bearer(tokens.watcher), 400),
            ]
            for (path, headers, status) in refusedSubscribers {
                let answer = try RawHandshake.upgrade(port: port, path: path, headers: headers)
                #expect(answer.status == status, "\(path) \(headers.keys.sorted()): \(answer)")
                #expect(answer.headers["sec-websocket-accept"] == nil, "\(answer)")
                if status == 401 { #expect(answer.headers["www-authenticate"]?.hasPrefix("Bearer") == true, "\(answer)") }
                if status == 403 { #expect(answer.headers["www-authenticate"]?.contains("scope=\"subscribe\"") == true, "\(answer)") }
            }
            // So is a kiosk's, before Hummingbird sees it (whose upgrade would answer any refusal
            // with a bare 400).
            let refusedStreams: [(String, [String: String], Int)] = [
                ("/ingest/door-1", [:], 401), ("/ingest/door-1", offer(tokens.wrong), 401),
                ("/ingest/door-1", Self.bearer(tokens.dashboard), 403), ("/ingest/not%20valid", offer(tokens.kiosk), 400),
            ]
            for (path, headers, status) in refusedStreams {
                let answer = try RawHandshake.upgrade(port: port, path: path, headers: headers)
                #expect(answer.status == status, "\(path) \(headers.keys.sorted()): \(answer)")
                #expect(answer.headers["sec-websocket-accept"] == nil, "\(answer)")
            }

            // A browser's way: the subprotocols snaprate and bearer.TOKEN; the server selects snaprate
            // and never echoes the token. A header client's way: Authorization, no subprotocol.
            let browser = try RawHandshake.upgrade(port: port, path: "/ws?since=0", headers: offer(tokens.watcher))
            #expect(browser.status == 101 && browser.headers["sec-websocket-protocol"] == "snaprate", "\(browser)")
            let client = try RawHandshake.upgrade(port: port, path: "/ws", headers: Self.bearer(tokens.dashboard))
            #expect(client.status == 101 && client.headers["sec-websocket-protocol"] == nil, "\(client)")
            let kiosk = try RawHandshake.upgrade(port: port, path: "/ingest/door-2", headers: offer(tokens.kiosk))
            #expect(kiosk.status == 101 && kiosk.headers["sec-websocket-protocol"] == "snaprate", "\(kiosk)")

            // The same through a WebSocket client library.
            await #expect(throws: (any Error).self) {
                try await SocketClients.subscribe("\(server.webSocketURL)/ws") { _ in true }
            }
            try await SocketClients.subscribe("\(server.webSocketURL)/ws",
                                              headers: [.authorization: "Bearer \(tokens.watcher)"]) { _ in true }
        }
    }

    @Test(.enabled(if: TestData.runGestureTests))
    func theRightScopesStreamFollowAndExportARecording() async throws {
        let tokens = Tokens()
        let chunks = try Clips.browserChunks()
        try await withServer(tokens) { server, folder in
            let expected = try await Clips.analyzedBrowserChunks(chunks, in: folder)

            let (log, close) = try await SocketClients.ingest("\(server.webSocketURL)/ingest/secure-1", chunks: chunks,
                                                              headers: [.authorization: "Bearer \(tokens.kiosk)"])
            #expect(close == .normalClosure)
            #expect(log.ratings.compactMap(\.expected) == expected)
            #expect(!log.all.contains { $0.type == "error" })

            // The dashboard's token, offered as a browser does.
            let count = expected.count
            let pushed = try await SocketClients.subscribe("\(server.webSocketURL)/ws?since=0",
                                                           headers: [.secWebSocketProtocol: "snaprate, bearer.\(tokens.dashboard)"]) {
                $0.ratings.count >= count
            }
            #expect(pushed.ratings.compactMap(\.expected) == expected)

            let api = try await HTTP.get("\(server.baseURL)/api/ratings?kiosk=secure-1", headers: Self.bearer(tokens.organiser))
            let rows = (try JSONSerialization.jsonObject(with: api.body) as? [String: Any])?["ratings"] as? [[String: Any]]
            #expect(api.status == 200 && rows?.count == expected.count)
            let csv = try await HTTP.get("\(server.baseURL)/api/ratings.csv?kiosk=secure-1", headers: Self.bearer(tokens.dashboard))
            #expect(csv.status == 200 && String(decoding: csv.body, as: UTF8.self).split(separator: "\n").count == expected.count + 1)
        }
    }

    @Test func beyondLoopbackServeNeedsTokensUnlessToldInsecure() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("open.sqlite")
        let store = ["--store", "sqlite:\(database.path)", "--models", "lite"]

        for (arguments, environment) in [(["--host", "0.0.0.0"], [:]), ([], ["SNAPRATE_HOST": "192.0.2.1"])] {
            let (status, stderr) = try ServeProcess.refusedStart(arguments + store, environment: environment)
            #expect(status == 2)
            #expect(stderr.hasPrefix("snaprate: refusing to listen on ") && stderr.contains(" without access tokens: give --tokens FILE"))
            #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: database.path), "refused before the store is opened")

        // Told so explicitly, it serves everyone, and says so.
        let open = try ServeProcess(store: database.path, arguments: ["--host", "0.0.0.0", "--insecure"])
        #expect(try await HTTP.get("\(open.baseURL)/api/summary").status == 200)
        #expect(open.terminate() == 0)
        #expect(open.stderr.contains("without access tokens (--insecure)"), "\(open.stderr)")

        // Tokens from the environment are enough.
        let token = Tokens.make("env")
        let guarded = try ServeProcess(store: database.path, arguments: ["--host", "0.0.0.0"],
                                       environment: ["SNAPRATE_TOKENS": "admin \(token)"])
        #expect(try await HTTP.get("\(guarded.baseURL)/api/summary").status == 401)
        #expect(try await HTTP.get("\(guarded.baseURL)/api/summary", headers: Self.bearer(token)).status == 200)
        #expect(guarded.terminate() == 0)
        #expect(!guarded.stderr.contains(token))
    }

    @Test func unusableTokensStopTheStartWithoutShowingThem() throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = Tokens.make("admin")
        let file = folder.appendingPathComponent("tokens")
        try Data("admin \(token)\n\(token) ingest\n".utf8).write(to: file)
        let store = ["--store", "sqlite:\(folder.path)/x.sqlite", "--models", "lite"]

        let (status, stderr) = try ServeProcess.refusedStart(["--tokens", file.path] + store)
        #expect(status == 2 && stderr.hasPrefix("snaprate: \(file.path) line 2: unknown scope"), "\(stderr)")
        #expect(!stderr.contains(token))
        let missing = try ServeProcess.refusedStart(store, environment: ["SNAPRATE_TOKENS_FILE": folder.path + "/none"])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read the tokens file"), "\(missing.stderr)")
        let inline = try ServeProcess.refusedStart(store, environment: ["SNAPRATE_TOKENS": "ingest short"])
        #expect(inline.status == 2 && inline.stderr.contains("SNAPRATE_TOKENS entry 1: the token is shorter"), "\(inline.stderr)")
    }
}
