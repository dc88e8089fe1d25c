import Foundation
import HummingbirdWebSocket
import Logging
import MediaIngest
import NIOWebSocket
import RatingStream

/// The client's side of an ingest socket: frames joined into messages, binary messages checked
/// against the limits and the container's magic (`ContainerSniffer`: WebM or MP4), then pushed
/// into the stream's feed; `{"type":"end"}` ends it. A broken limit is recorded in `broken` and
/// ends the feed at once.
struct IngestReader {
    let feed: ChunkFeed
    let limits: IngestLimits
    let maxMessageSize: Int
    let kiosk: KioskID
    let logger: Logger

    func read(_ inbound: WebSocketInboundStream, ended: EndFlag, broken: BrokenLimit) async {
        var header = ContainerSniffer()
        var messages = MessageAssembler(limit: maxMessageSize)
        var rate = IngestRate(bytesPerSecond: limits.maxIngestRate, window: limits.rateWindow)
        let clock = ContinuousClock()
        var received = 0
        defer {
            feed.finish(failure: header.finish())
            logger.debug("ingest socket input ended", metadata: ["kiosk": "\(kiosk)", "messages": "\(received)"])
        }
        /// Ends the feed at once for a broken limit; the stream's end reports it.
        func stop(_ limit: String, _ reason: String, close: WebSocketErrorCode) {
            let message = "\(feed.name): \(reason)"
            broken.set(BrokenLimit.Hit(limit: limit, message: message, close: close))
            feed.abort(failure: message)
        }
        // A connection that breaks ends the feed like a hang-up: the decoder still finishes what
        // arrived, and the session says `disconnected`.
        do {
            for try await frame in inbound {
                switch messages.add(frame) {
                case nil:
                    continue
                case .tooLarge(let size):
                    stop("message_size", "a message of \(size) bytes or more is over the \(maxMessageSize)-byte message limit",
                         close: .messageTooLarge)
                    return
                case .text(let text):
                    // `{"type":"end"}`: the client has sent everything; finish what was sent.
                    if text.contains("\"end\"") {
                        ended.set()
                        return
                    }
                case .binary(let bytes):
                    received += 1
                    guard rate.admit(bytes.count, at: clock.now) else {
                        let window = limits.rateWindow.shown
                        stop("ingest_rate", "sent more than \(limits.maxIngestRate) bytes/s over \(window) (ingest rate limit)",
                             close: .policyViolation)
                        return
                    }
                    switch header.admit(bytes) {
                    case .undecided:
                        continue
                    case .refuse(let reason):
                        feed.finish(failure: reason)
                        return
                    case .pass(let bytes):
                        switch await feed.push(bytes) {
                        case .queued:
                            continue
                        case .closed:
                            return
                        case .refused(let reason):
                            stop("chunk_size", reason, close: .messageTooLarge)
                            return
                        }
                    }
                }
            }
        } catch {
            logger.debug("ingest socket read ended: \(error)", metadata: ["kiosk": "\(kiosk)"])
        }
    }
}

/// The first limit an ingest stream broke, set by the socket reader, read when the stream ends.
final class BrokenLimit: @unchecked Sendable {
    struct Hit: Sendable {
        /// The name in `snaprate_limit_hits_total{limit=...}`.
        let limit: String
        let message: String
        let close: WebSocketErrorCode
    }

    private let lock = NSLock()
    private var hit: Hit?
    var value: Hit? { lock.withLock { hit } }
    func set(_ new: Hit) { lock.withLock { if hit == nil { hit = new } } }
}
