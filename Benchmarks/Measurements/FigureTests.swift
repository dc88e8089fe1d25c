import Foundation
import HummingbirdWSClient
import NIOCore
import Testing
import TestSupport

/// Measured figures, not pass/fail checks of behaviour: run with SNAPRATE_FIGURES=1.
///
/// A real 640x480 30 fps clip is played into `snaprate serve --stdin` at its own pace by
/// `ffmpeg -re` (as a camera would deliver it), looped; a WebSocket subscriber times each rating.
@Suite(.timeLimit(.minutes(15)), .enabled(if: ProcessInfo.processInfo.environment["SNAPRATE_FIGURES"] == "1"), .serialized)
struct FigureTests {
    @Test(arguments: ["lite", "full"]) func liveLatencyAndCPUPerStream(models: String) async throws {
        let clip = try Clips.clip("dhar_kiosk_session.webm")
        let loops = 4
        let folder = try Clips.temporaryFolder()
        let server = try ServeProcess(store: folder.appendingPathComponent("f.sqlite").path,
                                      arguments: ["--stdin", "cam", "--models", models], detectsEveryFrame: false)
        let log = MessageLog()
        let latencies = LockedText()
        let cpuBefore = server.cpuSeconds
        let start = Date()
        let camera = try LoopedClip(clip, loops: loops)
        server.pumpStdin(from: camera.output)
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let subscriber = Task {
            try await SocketClients.subscribe("\(server.webSocketURL)/ws?kiosk=cam", into: log) { log in
                // Time each rating as it arrives (the log appends before calling this).
                if let last = log.ratings.last, let at = last.at.flatMap({ try? iso.parse($0) }),
                   let text = last.rawLatency {
                    latencies.append("\(Date().timeIntervalSince(at) * 1000 + text)\n")
                }
                return false
            }
        }
        camera.process.waitUntilExit()
        let sessions = try await SocketClients.endedSessions(server.baseURL, kiosk: "cam")
        let wall = Date().timeIntervalSince(start)
        let cpu = server.cpuSeconds - cpuBefore
        subscriber.cancel()
        let values = latencies.value.split(separator: "\n").compactMap { Double($0) }.sorted()
        let frames = sessions.first?["frames"] as? Int ?? 0
        let p50 = values.isEmpty ? .nan : values[values.count / 2]
        let p99 = values.isEmpty ? .nan : values[min(values.count - 1, Int((Double(values.count) * 0.99).rounded(.up)) - 1)]
        print("FIGURE models=\(models) frames=\(frames) wall=\(String(format: "%.1f", wall))s cpu=\(String(format: "%.1f", cpu))s "
              + "cores/stream=\(String(format: "%.2f", cpu / wall)) ratings=\(values.count) "
              + "hold-to-push p50=\(String(format: "%.1f", p50))ms p99=\(String(format: "%.1f", p99))ms max=\(String(format: "%.1f", values.last ?? .nan))ms")
        #expect(frames > 0)
        _ = server.terminate()
    }
}

extension ServerMessage {
    /// `latency_ms` of a rating message (decoded separately: figures only).
    var rawLatency: Double? { latencyMilliseconds }
}
