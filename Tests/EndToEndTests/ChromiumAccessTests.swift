import Foundation
import Testing
import TestSupport

extension BrowserTests.Chromium {
    /// A daemon with tokens: the kiosk page takes its token from the address's fragment (and
    /// removes it from the address), streams with it through the WebSocket subprotocol; the
    /// dashboard, opened without one, is refused, asks for one (the prompt is answered by a stub)
    /// and then follows the kiosk live. No token reaches the daemon's log or the pages' console.
    @Test func withTokensTheKioskTakesItsTokenFromTheAddressAndTheDashboardAsksForOne() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let artifacts = Self.artifacts
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let tokens = AccessControlTests.Tokens()
        let server = try ServeProcess(store: folder.appendingPathComponent("access.sqlite").path,
                                      arguments: ["--tokens", try tokens.write(in: folder), "--log-level", "debug"])
        let chromium = try HeadlessChromium(fakeCamera: nil, profile: folder.appendingPathComponent("profile"),
                                            log: artifacts.appendingPathComponent("chromium-access.log"))
        defer { chromium.stop() }
        let base = server.baseURL
        let kioskWindow = try await chromium.firstPage()
        let dashboardWindow = try await chromium.openWindow()

        try await ChromiumPage.with(kioskWindow) { kiosk in
            try await kiosk.navigate("\(base)/kiosk?kiosk=secure#token=\(tokens.kiosk)")
            let streaming = try await kiosk.waitFor(KioskView.self, KioskView.script, "the kiosk to stream with its token") {
                $0.connections >= 1 && $0.classMessages > 0
            }
            #expect(streaming.problem.isEmpty)
            #expect(try await kiosk.evaluate("location.href") as? String == "\(base)/kiosk?kiosk=secure", "the token left the address")

            try await ChromiumPage.with(dashboardWindow) { dashboard in
                // Whoever opens the dashboard without a token is asked for one.
                try await dashboard.connection.send("Page.addScriptToEvaluateOnNewDocument", ["source": """
                    window.prompt = () => { window.asked = (window.asked ?? 0) + 1; return "\(tokens.dashboard)"; };
                    """])
                try await dashboard.navigate("\(base)/dashboard")
                let live = try await dashboard.waitFor(DashboardView.self, DashboardView.script,
                                                        "the dashboard to show the kiosk live") { view in
                    view.state == "live" && view.kiosks.contains { $0.kiosk == "secure" && $0.stream == "live" }
                }
                #expect(live.kiosks.count == 1)
                #expect(try await dashboard.evaluate("window.asked") as? Int == 1, "asked once")
                // Its export link fetches with the token (the blob it saves is caught on its way).
                let header = try await dashboard.evaluate("""
                    (async () => {
                      const made = new Promise((resolve) => {
                        const original = URL.createObjectURL;
                        URL.createObjectURL = (blob) => { resolve(blob); return original.call(URL, blob); };
                      });
                      document.getElementById("csv-all").click();
                      return (await (await made).text()).split("\\n")[0];
                    })()
                    """) as? String
                #expect(header?.hasPrefix("seq,event,kiosk") == true, "\(header ?? "no CSV")")
                try await dashboard.screenshot(to: artifacts.appendingPathComponent("dashboard-token.png"))
                for page in [kiosk.reportedProblems, dashboard.reportedProblems] {
                    BrowserTests.expectNoScriptProblems(page, page: "access")
                    #expect(!tokens.all.contains { page.joined(separator: "\n").contains($0) }, "no token on the console")
                }
            }
            try await kiosk.navigate("about:blank")
        }
        #expect(server.terminate() == 0, "\(server.stderr)")
        try? Data(server.stderr.utf8).write(to: artifacts.appendingPathComponent("serve-access.log"))
        #expect(server.stderr.contains("access refused"), "the dashboard was refused first")
        #expect(!tokens.all.contains { server.stderr.contains($0) })
    }
}
