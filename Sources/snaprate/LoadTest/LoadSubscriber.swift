import Foundation
import HummingbirdWSClient
import Logging

/// What one `WS /ws` subscriber of a load test received.
final class SubscriberRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var sequences: [Int64] = []
    private var latencies: [Double] = []
    private var gaps = 0
    private var failure: String?

    func received(sequence: Int64, latency: Double?) {
        lock.withLock {
            sequences.append(sequence)
            if let latency { latencies.append(latency) }
        }
    }

    func gap() { lock.withLock { gaps += 1 } }

    func failed(_ message: String) { lock.withLock { failure = message } }

    var snapshot: (sequences: [Int64], latencies: [Double], gaps: Int, failure: String?) {
        lock.withLock { (sequences, latencies, gaps, failure) }
    }
}

/// A `WS /ws?since=SEQ` subscriber that records every rating's sequence number and, for live
/// ones, its push latency: from the arrival of the frame that completed the hold (`at` minus the
/// rating's `latency_ms`) to now.
struct LoadSubscriber {
    let url: String
    let token: LoadAccess
    let record: SubscriberRecord
    let logger: Logger

    struct Message: Decodable {
        var type: String
        var seq: Int64?
        var at: String?
        var latency_ms: Double?
    }

    func run() async {
        let decoder = JSONDecoder()
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        do {
            try await WebSocketClient.connect(url: url, configuration: token.webSocket(), tlsConfiguration: token.tls, logger: logger) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message,
                          let parsed = try? decoder.decode(Message.self, from: Data(text.utf8)) else { continue }
                    switch parsed.type {
                    case "rating":
                        guard let seq = parsed.seq else { continue }
                        var latency: Double?
                        if let at = parsed.at, let date = try? iso.parse(at) {
                            latency = Date().timeIntervalSince(date) + (parsed.latency_ms ?? 0) / 1000
                        }
                        record.received(sequence: seq, latency: latency)
                    case "gap":
                        record.gap()
                    default:
                        continue
                    }
                }
            }
        } catch is CancellationError {
        } catch {
            if !Task.isCancelled { record.failed("\(error)") }
        }
    }
}
