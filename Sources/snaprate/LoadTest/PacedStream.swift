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
    /// How long the server has, once told the stream is over, to send its last ratings and close.
    var closeGrace: Duration = .seconds(20)
    let logger: Logger
    /// The latest media time the server said it rated (its class messages back to the kiosk).
    let lastMediaTime = NIOLockedValueBox(0.0)
    /// What the server sent: whether anything, and its `{"type":"error"}` message if one came.
    private let heard = NIOLockedValueBox(Heard())

    struct Heard {
        var anything = false
        var error: String?
    }

    /// Runs the stream; returns why it failed, if it did. The server's own reason comes first: the
    /// socket error that follows it (a write on the socket the server closed) says nothing.
    func run() async -> String? {
        var failure: String?
        do {
            try await stream()
        } catch let error as ServerStayedOpen {
            failure = heard.withLockedValue { $0.anything } ? error.description : error.description + ", and sent nothing"
        } catch {
            failure = "\(error)"
        }
        return (heard.withLockedValue { $0.error } ?? failure).map { "\(ingestURL): \($0)" }
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
                group.addTask { [lastMediaTime, heard] in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        heard.withLockedValue { $0.anything = true }
                        guard case .text(let text) = message else { continue }
                        if let time = Self.classTime(text) {
                            lastMediaTime.withLockedValue { $0 = max($0, time) }
                        } else if let error = Self.errorMessage(text) {
                            heard.withLockedValue { $0.error = $0.error ?? error }
                        }
                    }
                }
                let started = clock.now
                for chunk in looped.handovers {
                    try await clock.sleep(until: started + .seconds(chunk.due))
                    try await outbound.write(.binary(ByteBuffer(bytes: looped.bytes[chunk.bytes])))
                    if clock.now >= deadline { break }
                }
                try await outbound.write(.text("{\"type\":\"end\"}"))
                // The server sends the last ratings, then closes; the wait for that is bounded
                // because the client can miss the close. A server that refuses a stream sends its
                // reason, a close frame and the end of its output at once; when those arrive with
                // the upgrade's 101 answer, the WebSocket client drops them, end of input included
                // (seen under load), and its inbound stream would wait for ever.
                let grace = closeGrace
                group.addTask {
                    try await Task.sleep(for: grace)
                    throw ServerStayedOpen(grace: grace)
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The server neither closed the stream nor ended its messages within the grace after its end.
    struct ServerStayedOpen: Error, CustomStringConvertible {
        let grace: Duration
        var description: String { "the server did not close the stream within \(grace.shown) of its end" }
    }

    /// The media time of a `{"type":"class",...,"time":t}` message.
    static func classTime(_ text: String) -> Double? {
        guard let object = message(text, type: "class") else { return nil }
        return (object["time"] as? NSNumber)?.doubleValue
    }

    /// The text of a `{"type":"error","message":...}` message.
    static func errorMessage(_ text: String) -> String? {
        message(text, type: "error")?["message"] as? String
    }

    private static func message(_ text: String, type: String) -> [String: Any]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              object["type"] as? String == type else { return nil }
        return object
    }
}
