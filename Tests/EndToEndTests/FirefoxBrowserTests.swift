import Foundation
import Testing
import TestSupport

extension BrowserTests {
    /// The kiosk page and the dashboard in a real headless Firefox, driven through WebDriver BiDi.
    /// Firefox's fake camera shows moving colours and no hand, so nothing is rated: what is checked
    /// is that the page records in Firefox (negotiating its own MediaRecorder type), streams to the
    /// daemon, which decodes every frame and sends classes back, and that Firefox's dashboard shows
    /// the stream live. Runs where Firefox is installed; on CI always.
    @Suite(.enabled(if: HeadlessFirefox.testsShouldRun)) struct Firefox {
        static let kiosk = "firefox"

        @Test func theKioskPageStreamsFromFirefoxAndItsDashboardShowsTheStream() async throws {
            let folder = try Clips.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let artifacts = BrowserTests.artifacts
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            print("BrowserTests.Firefox: screenshots and Firefox's log in \(artifacts.path)")
            let server = try ServeProcess(store: folder.appendingPathComponent("firefox.sqlite").path)
            let firefox = try HeadlessFirefox(profile: folder.appendingPathComponent("profile"),
                                              log: artifacts.appendingPathComponent("firefox.log"))
            defer { firefox.stop() }
            let base = server.baseURL

            try await FirefoxPage.with(firefox.bidi) { kiosk in
                try await kiosk.navigate("\(base)/kiosk?kiosk=\(Self.kiosk)")
                let streaming = try await kiosk.waitFor(KioskView.self, KioskView.script, "Firefox's kiosk to stream") {
                    $0.connections >= 1 && $0.classMessages > 0 && $0.videoWidth > 0
                }
                #expect(streaming.recording?.hasPrefix("video/webm") == true, "\(streaming.recording ?? "no recorder")")
                #expect(streaming.previewTransform == "matrix(-1, 0, 0, 1, 0, 0)", "the preview is mirrored")
                #expect(streaming.problem.isEmpty && streaming.confirmedCount == 0)
                #expect(["nohand", "none", "unknown"].contains(streaming.seen), "no hand in Firefox's fake camera: \(streaming.seen)")
                try await kiosk.screenshot(to: artifacts.appendingPathComponent("kiosk-firefox.png"))

                let dashboard = try await kiosk.openWindow()
                try await dashboard.navigate("\(base)/dashboard")
                let live = try await dashboard.waitFor(DashboardView.self, DashboardView.script,
                                                       "Firefox's dashboard to show the stream") { view in
                    let row = view.kiosks.first { $0.kiosk == Self.kiosk }
                    return view.state == "live" && row?.stream == "live" && (row?.fps ?? 0) > 0
                }
                #expect(live.up == 0 && live.down == 0 && live.events.isEmpty)
                try await dashboard.screenshot(to: artifacts.appendingPathComponent("dashboard-firefox.png"))

                try await kiosk.navigate("about:blank")
                BrowserTests.expectNoScriptProblems(kiosk.reportedProblems, page: "Firefox kiosk and dashboard")
            }

            // The page went away: its stream ended as a hang-up, every frame it sent decoded.
            let sessions = try await SocketClients.endedSessions(base, kiosk: Self.kiosk)
            #expect(sessions.count == 1)
            #expect(sessions.first?["end_reason"] as? String == "disconnected")
            #expect((sessions.first?["frames"] as? Int ?? 0) > 0 && sessions.first?["decode_errors"] as? Int == 0)
            BrowserTests.printFrameRates(sessions)
            #expect(server.terminate() == 0)
            #expect(server.stderr.contains("codec=vp8"), "Firefox records VP8, the page's first choice")
        }
    }
}
