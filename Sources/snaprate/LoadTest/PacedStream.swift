import Foundation
import SnapRateCore
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One simulated camera: a looped clip's clusters (at most 200 ms each, as MediaRecorder's 200 ms
/// timeslice gives) go to `WS /ingest/{kiosk}` as binary messages at the clip's own pace, each
/// when its timeslice is over, the way a browser's chunks do. Stops after `duration` seconds and
/// says the stream is over.
struct PacedStream {
    let looped: LoopedClip
    /// Seconds into the run before the stream connects; it still ends with the others.
    var delay: Double = 0
    let ingestURL: String
    let token: LoadAccess
    let duration: Double
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
                let started = clock.now
                for chunk in looped.handovers {
                    try await clock.sleep(until: started + .seconds(chunk.due))
                    try await outbound.write(.binary(ByteBuffer(bytes: looped.bytes[chunk.bytes])))
                    if clock.now >= deadline { break }
                }
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
