import Foundation
import Testing
import TestSupport

/// `GET /api/streams` as the dashboard reads it: each running stream reports about once a second,
/// with its frame rate over the last report.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests)) struct StreamHealthTests {
    @Test func aRunningStreamReportsItsFrameRateAndWhenItWasLastSeen() async throws {
        // 12 s of 640x480: several status reports even when decoded faster than real time.
        let clip = try Clips.clip("dhar_kiosk_session.webm")
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("health.sqlite").path, arguments: ["--stdin", "door"])
        // The pipe stays open, as a camera's would, so the stream is still running afterwards.
        let written = server.feedStdin(try Data(contentsOf: URL(fileURLWithPath: clip)), keepOpen: true)

        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        // Generous: under the full test run the server's detection threads (at a lower priority)
        // can wait a long while for a core.
        var stream: [String: Any] = [:]
        try await eventually("a stream with a frame rate, now \(stream)", every: .milliseconds(200)) {
            let streams = try await SocketClients.getJSON("\(server.baseURL)/api/streams")["streams"] as? [[String: Any]] ?? []
            stream = streams.first ?? [:]
            return (stream["fps"] as? Double ?? 0) > 0
        }
        let fps = try #require(stream["fps"] as? Double, "\(stream)")
        #expect(fps > 0)
        #expect(stream["kiosk"] as? String == "door" && stream["state"] as? String == "running")
        let started = try #require((stream["started"] as? String).flatMap { try? iso.parse($0) }, "\(stream)")
        let updated = try #require((stream["updated"] as? String).flatMap { try? iso.parse($0) }, "\(stream)")
        #expect(updated > started, "a later report than the start")
        #expect((stream["frames"] as? Int ?? 0) > 0 && (stream["detected"] as? Int ?? 0) > 0)
        // The server reads the whole clip.
        try await offPool { try written.waitWithoutDeadline(for: "the server to read the whole clip") }
        #expect(server.terminate() == 0, "\(server.stderr)")
    }
}
