import Foundation
import SnapRateCore
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One simulated camera: ffmpeg replays a clip at its own frame rate (`-re`), looping, as a live
/// WebM stream cut into clusters of at most 200 ms (as MediaRecorder's 200 ms timeslice would;
/// the muxer's default holds up to 5 s, which arrives as one late burst), and its bytes go to
/// `WS /ingest/{kiosk}` as binary messages, the way a browser's chunks do. Stops after `duration`
/// seconds and says the stream is over.
struct PacedStream {
    let clip: String
    /// Seconds into the run before the stream connects; it still ends with the others.
    var delay: Double = 0
    let ingestURL: String
    let token: LoadAccess
    let duration: Double
    let ffmpeg: String
    let logger: Logger
    /// The latest media time the server said it rated (its class messages back to the kiosk).
    let lastMediaTime = NIOLockedValueBox(0.0)

    /// Runs the stream; returns why it failed, if it did.
    func run() async -> String? {
        do {
            try await stream()
            return nil
        } catch {
            return "\(ingestURL): \(error)"
        }
    }

    private func stream() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(duration)
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-v", "fatal", "-re", "-stream_loop", "-1", "-i", clip,
                             "-c", "copy", "-f", "webm", "-live", "1", "-cluster_time_limit", "200", "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        let chunks = AsyncStream<Data> { continuation in
            Thread.detachNewThread {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    continuation.yield(data)
                }
                continuation.finish()
            }
        }
        defer { if process.isRunning { process.terminate() } }
        try await WebSocketClient.connect(url: ingestURL, configuration: token.webSocket(maxFrameSize: Defaults.maxMessageSize),
                                         tlsConfiguration: token.tls, logger: logger) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Read the server's messages all along: the client answers the server's pings
                // only while its inbound stream is read, and an unanswered ping closes the socket.
                group.addTask { [lastMediaTime] in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, let time = Self.classTime(text) else { continue }
                        lastMediaTime.withLockedValue { $0 = max($0, time) }
                    }
                }
                for await chunk in chunks {
                    try await outbound.write(.binary(ByteBuffer(bytes: chunk)))
                    if clock.now >= deadline { break }
                }
                process.terminate()
                try await outbound.write(.text("{\"type\":\"end\"}"))
                // The server sends the last ratings, then closes.
                try await group.waitForAll()
            }
        }
    }

    /// The media time of a `{"type":"class",...,"time":t}` message.
    static func classTime(_ text: String) -> Double? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              object["type"] as? String == "class" else { return nil }
        return (object["time"] as? NSNumber)?.doubleValue
    }
}
