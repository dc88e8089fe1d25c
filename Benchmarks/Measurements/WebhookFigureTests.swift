import Foundation
import Testing
import TestSupport

/// What a webhook adds to push latency, on loopback: a camera-paced clip into `serve --stdin`, a
/// `WS /ws` subscriber and a webhook receiver in this process timing each rating's arrival on one
/// clock. Both start from the same moment (the rating entering the stored-ratings ring), so the
/// difference is the webhook's own path: its task, the signature, the HTTP request. Run with
/// SNAPRATE_FIGURES=1.
@Suite(.timeLimit(.minutes(15)), .enabled(if: ProcessInfo.processInfo.environment["SNAPRATE_FIGURES"] == "1"), .serialized)
struct WebhookFigureTests {
    @Test func webhookArrivalAfterTheWebSocketPush() async throws {
        let clip = try Clips.clip("nvpr_down_up_down.webm")
        let loops = 20
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        let folder = try Clips.temporaryFolder()
        let file = folder.appendingPathComponent("webhooks.txt").path
        try "\(receiver.url) figure-secret-0123456789 id=figure\n".write(toFile: file, atomically: true, encoding: .utf8)
        let server = try ServeProcess(store: folder.appendingPathComponent("f.sqlite").path,
                                      arguments: ["--stdin", "cam", "--webhooks", file], detectsEveryFrame: false)
        let pushed = PushTimes()
        let subscriber = Task {
            try await SocketClients.subscribe("\(server.webSocketURL)/ws") { log in
                if let seq = log.ratings.last?.seq { pushed.record(seq) }
                return false
            }
        }
        let camera = try LoopedClip(clip, loops: loops)
        server.pumpStdin(from: camera.output)
        camera.process.waitUntilExit()
        _ = try await SocketClients.endedSessions(server.baseURL, kiosk: "cam")
        try await eventually("every rating delivered") { receiver.requests.count >= pushed.count }
        subscriber.cancel()
        let times = pushed.times
        let added = receiver.requests.compactMap { request -> Double? in
            guard let seq = request.seq, let push = times[seq] else { return nil }
            let (seconds, attoseconds) = (request.arrived - push).components
            return Double(seconds) * 1000 + Double(attoseconds) * 1e-15
        }.sorted()
        func percentile(_ p: Double) -> String {
            added.isEmpty ? "nan" : String(format: "%.2f", added[min(added.count - 1, Int((Double(added.count) * p).rounded(.up)) - 1)])
        }
        print("FIGURE webhook after WS push on loopback: samples=\(added.count) p50=\(percentile(0.5))ms "
              + "p99=\(percentile(0.99))ms min=\(String(format: "%.2f", added.first ?? .nan))ms max=\(String(format: "%.2f", added.last ?? .nan))ms")
        #expect(added.count == times.count)
        _ = server.terminate()
    }
}

/// When the subscriber got each rating, by sequence number.
final class PushTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var arrivals: [Int64: ContinuousClock.Instant] = [:]

    func record(_ seq: Int64) {
        let now = ContinuousClock.now
        lock.withLock { if arrivals[seq] == nil { arrivals[seq] = now } }
    }

    var times: [Int64: ContinuousClock.Instant] { lock.withLock { arrivals } }
    var count: Int { lock.withLock { arrivals.count } }
}
