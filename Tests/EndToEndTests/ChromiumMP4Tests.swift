import Foundation
import Testing
import TestSupport

extension BrowserTests.Chromium {
    /// Safari records only fragmented MP4. Debian's Chromium records MP4 too (H.264, one fragment
    /// every few seconds rather than every timeslice), so the kiosk page, told to record only MP4
    /// (`record=mp4`), takes the path a Safari kiosk takes: the clip on its fake camera is rated
    /// and stored.
    @Test func theKioskPageRecordingMP4IsRated() async throws {
        let clip = try Clips.clip(Self.clipName)
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let artifacts = Self.artifacts
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)

        let camera = try FakeCamera.y4m(from: clip, into: folder)
        let server = try ServeProcess(store: folder.appendingPathComponent("mp4.sqlite").path, arguments: ["--log-level", "debug"])
        let chromium = try HeadlessChromium(fakeCamera: camera, profile: folder.appendingPathComponent("profile"),
                                            log: artifacts.appendingPathComponent("chromium-mp4.log"))
        defer { chromium.stop() }
        let window = try await chromium.firstPage()
        try await ChromiumPage.with(window) { kiosk in
            try await kiosk.navigate("\(server.baseURL)/kiosk?kiosk=\(Self.kiosk)&record=mp4")
            let streaming = try await kiosk.waitFor(KioskView.self, KioskView.script, "the kiosk to stream MP4") {
                $0.connections >= 1 && $0.classMessages > 0
            }
            #expect(streaming.recording?.hasPrefix("video/mp4") == true, "\(streaming.recording ?? "nothing")")
            // Chromium sends a fragment every few seconds, so ratings come in bursts; any loop of
            // the fake camera may be the one that shows all three gestures.
            let stored = try await Self.storedRatings(server.baseURL) { Self.containsLoop($0.map(\.rating)) }
            print("BrowserTests: MP4 (\(streaming.recording ?? "?")) stored ratings \(stored.map(\.rating))")
            let now = try await kiosk.evaluate(KioskView.self, KioskView.script)
            #expect(now.problem.isEmpty, "no stream error: \(now.problem)")
            try await kiosk.screenshot(to: artifacts.appendingPathComponent("kiosk-mp4.png"))
            BrowserTests.expectNoScriptProblems(kiosk.reportedProblems, page: "kiosk (MP4)")
        }
        #expect(server.terminate() == 0, "\(server.stderr)")
        try? Data(server.stderr.utf8).write(to: artifacts.appendingPathComponent("serve-mp4.log"))
        #expect(server.stderr.contains("h264"), "the daemon decoded H.264 (see serve-mp4.log)")
    }
}
