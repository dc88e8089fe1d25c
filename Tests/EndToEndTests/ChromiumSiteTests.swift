import Foundation
import Testing
import TestSupport

extension BrowserTests.Chromium {
    /// A daemon on its defaults (loopback, no tokens) and a foreign page in the same Chromium,
    /// served by a second HTTP server on another port: the page's WebSockets to the daemon's
    /// ingest and live feed are refused before the upgrade; a foreign name mapped to loopback (DNS
    /// rebinding) gets 421 for the API and cannot open a socket either; the daemon's own kiosk page
    /// and dashboard still stream and follow.
    @Test func aForeignPageCanNeitherStreamNorListenAndARebindingNameIsRefused() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let artifacts = Self.artifacts
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let server = try ServeProcess(store: folder.appendingPathComponent("site.sqlite").path, arguments: ["--log-level", "debug"])
        let port = server.port
        let foreign = try await offPool { try ForeignSite(serving: """
            <!doctype html><title>not snaprate</title><script>
            window.results = {};
            for (const [name, path] of [["ingest", "/ingest/intruder"], ["live", "/ws?since=0"]]) {
              const socket = new WebSocket(`ws://127.0.0.1:\(port)${path}`);
              socket.onopen = () => { window.results[name] = "open"; };
              socket.onclose = (event) => { window.results[name] ??= `closed ${event.code}`; };
            }
            </script>
            """, in: folder.appendingPathComponent("foreign")) }
        defer { foreign.stop() }
        let chromium = try HeadlessChromium(fakeCamera: nil, profile: folder.appendingPathComponent("profile"),
                                            log: artifacts.appendingPathComponent("chromium-site.log"),
                                            arguments: ["--host-resolver-rules=MAP rebind.evil.test 127.0.0.1"])
        defer { chromium.stop() }
        let window = try await chromium.firstPage()

        try await ChromiumPage.with(window) { page in
            try await page.navigate("http://127.0.0.1:\(foreign.port)/")
            let results = try await page.waitFor([String: String].self, "JSON.stringify(window.results)",
                                                 "both sockets to end") { $0.count == 2 }
            #expect(results == ["ingest": "closed 1006", "live": "closed 1006"], "\(results)")

            // The rebinding name reaches the daemon, which does not answer for it.
            try await page.navigate("http://rebind.evil.test:\(port)/api/ratings")
            let text = try await page.evaluate("document.body.innerText") as? String ?? ""
            #expect(text.contains("is not a name of this server") && !text.contains("\"ratings\""), "\(text)")
            let socket = try await page.evaluate("""
                new Promise((resolve) => {
                  const socket = new WebSocket(`ws://${location.host}/ws?since=0`);
                  socket.onopen = () => resolve("open");
                  socket.onclose = (event) => resolve(`closed ${event.code}`);
                })
                """) as? String
            #expect(socket == "closed 1006")

            // The daemon's own pages are let through.
            try await page.navigate("\(server.baseURL)/kiosk?kiosk=own")
            let streaming = try await page.waitFor(KioskView.self, KioskView.script, "the own kiosk page to stream") {
                $0.connections >= 1 && $0.classMessages > 0
            }
            #expect(streaming.problem.isEmpty)
            try await page.navigate("\(server.baseURL)/dashboard")
            _ = try await page.waitFor(DashboardView.self, DashboardView.script, "the dashboard to follow") {
                $0.state == "live"
            }
            try await page.navigate("about:blank")
        }
        let metrics = String(decoding: try await HTTP.get("\(server.baseURL)/metrics").body, as: UTF8.self)
        #expect(metrics.contains("snaprate_access_refused_total{reason=\"origin\"} 2"), "\(metrics)")
        #expect(metrics.contains("snaprate_access_refused_total{reason=\"host\"}"))
        #expect(!metrics.contains("kiosk=\"intruder\""), "no stream of the foreign page's")
        #expect(server.terminate() == 0, "\(server.stderr)")
        try? Data(server.stderr.utf8).write(to: artifacts.appendingPathComponent("serve-site.log"))
    }

    /// HTTPS as a venue sets it up: `snaprate tls init` for a venue name, its authority trusted in
    /// Chromium's certificate store (an NSS database made with certutil), the name mapped to
    /// loopback. The kiosk page at https://kiosk.venue.test is a secure context, gets the camera,
    /// streams over WSS and its gestures are rated and stored.
    @Test func overHTTPSAVenueNameIsASecureContextThatStreamsOverWSSAndIsRated() async throws {
        let clip = try Clips.clip(Self.clipName)
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let artifacts = Self.artifacts
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let tls = folder.appendingPathComponent("tls")
        _ = try await TLSServeTests.tlsInit(tls, names: ["kiosk.venue.test"])
        let authority = tls.appendingPathComponent("ca.crt")
        // Chromium on Linux trusts the authorities in $HOME/.pki/nssdb.
        let home = folder.appendingPathComponent("home")
        let database = home.appendingPathComponent(".pki/nssdb")
        try FileManager.default.createDirectory(at: database, withIntermediateDirectories: true)
        for arguments in [["-N", "--empty-password"], ["-A", "-t", "C,,", "-n", "snaprate-test-authority", "-i", authority.path]] {
            let result = try await TLSServeTests.run("/usr/bin/certutil", ["-d", "sql:\(database.path)"] + arguments)
            try #require(result.status == 0, "certutil \(arguments): \(result.errors)")
        }

        let camera = try await offPool { try FakeCamera.y4m(from: clip, into: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("https.sqlite").path,
                                      arguments: ["--tls-dir", tls.path, "--log-level", "debug"])
        let port = server.port
        let chromium = try HeadlessChromium(fakeCamera: camera, profile: folder.appendingPathComponent("profile"),
                                            log: artifacts.appendingPathComponent("chromium-https.log"),
                                            arguments: ["--host-resolver-rules=MAP kiosk.venue.test 127.0.0.1"],
                                            environment: ["HOME": home.path])
        defer { chromium.stop() }
        let kiosk = "venue-tls"
        let window = try await chromium.firstPage()
        let confirmed = try await ChromiumPage.with(window) { page in
            // An untrusted certificate would stop the navigation at Chromium's warning.
            try await page.navigate("https://kiosk.venue.test:\(port)/kiosk?kiosk=\(kiosk)")
            #expect(try await page.evaluate("window.isSecureContext") as? Bool == true)
            let streaming = try await page.waitFor(KioskView.self, KioskView.script, "the kiosk to stream over WSS") {
                $0.connections >= 1 && $0.classMessages > 0 && $0.videoWidth > 0
            }
            #expect(streaming.problem.isEmpty && streaming.camera != nil, "\(streaming)")
            let rated = try await page.waitFor(KioskView.self, KioskView.script, "a rating confirmed") {
                $0.confirmedCount >= 1
            }
            try await page.screenshot(to: artifacts.appendingPathComponent("kiosk-https.png"))
            BrowserTests.expectNoScriptProblems(page.reportedProblems, page: "kiosk over HTTPS")
            try await page.navigate("about:blank")
            return rated.confirmedList
        }
        let stored = try await TLSServeTests.curl("https://kiosk.venue.test:\(port)/api/ratings?kiosk=\(kiosk)",
                                            ["--cacert", authority.path, "--resolve", "kiosk.venue.test:\(port):127.0.0.1"])
        let rows = (try? JSONSerialization.jsonObject(with: Data(stored.body.utf8)) as? [String: Any])?["ratings"] as? [[String: Any]]
        let ratings = (rows ?? []).compactMap { $0["rating"] as? String }
        #expect(!confirmed.isEmpty && Array(ratings.prefix(confirmed.count)) == confirmed, "\(confirmed) vs \(stored.body)")
        #expect(server.terminate() == 0, "\(server.stderr)")
        try? Data(server.stderr.utf8).write(to: artifacts.appendingPathComponent("serve-https.log"))
    }
}

/// A second web server on loopback, another origin than the daemon's: Python's http.server,
/// serving one page as `index.html`.
final class ForeignSite: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(serving page: String, in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(page.utf8).write(to: folder.appendingPathComponent("index.html"))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..." (each read blocks
        // until python says more, or exits).
        var text = ""
        var found: Int?
        while found == nil, process.isRunning {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: " port "), let number = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                found = number
            }
        }
        guard let found else {
            process.terminate()
            throw MissingTestData(description: "python3 -m http.server did not start: \(text)")
        }
        port = found
    }

    func stop() {
        HeadlessChromium.terminate(process, timeout: 10)
    }
}
