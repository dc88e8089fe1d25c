import Foundation
import HummingbirdWebSocket
import Logging
import MediaIngest
import NIOCore
import NIOWebSocket
import Rating
import RatingStream

/// `WS /ingest/{kiosk}`: a browser's MediaRecorder chunks in as binary messages, per-frame classes
/// (throttled) and every rating out as JSON on the same socket. A text message `{"type":"end"}`
/// ends the stream while keeping the socket open: the server sends the last ratings, then closes.
///
/// The chunks go into a `ChunkFeed` that the stream's decoder reads as one byte stream. When the
/// client closes, the feed ends and the decoder finishes the frames it holds. A stream that is not
/// WebM, or that the decoder gives up on, gets an error message and a close; other streams go on.
struct IngestSocket {
    let context: ServerContext
    let kiosk: KioskID

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let limits = context.configuration.limits
        let feed = ChunkFeed(name: "ws:\(kiosk)", maxChunkSize: limits.maxChunkSize, idleTimeout: limits.idleTimeout)
        let runner = StreamRunner(context: context, kiosk: kiosk)
        let throttle = ClassThrottle(interval: 1 / max(0.1, context.configuration.classMessagesPerSecond))
        let ended = EndFlag()
        let broken = BrokenLimit()
        let context = context
        let observer = StreamRunner.Observer(
            frame: { outcome in
                guard throttle.admit() else { return }
                try? await outbound.write(.text(PushMessage.frameClass(outcome.frameClass.thumb.rawValue,
                                                                       hands: outcome.frameClass.hands,
                                                                       time: outcome.time)))
            },
            rating: { rating in
                try? await outbound.write(.text(PushMessage.detected(rating)))
            },
            endOfSource: {
                if ended.isSet { return .finished }
                return context.isAccepting ? .disconnected : .shutdown
            },
            stopped: {
                if let limit = broken.value { return .failed(limit.message) }
                return feed.timedOut ? .idle("\(feed.name): no bytes for \(limits.idleTimeout.shown) (idle timeout)") : nil
            })
        let maxSize = context.configuration.maxMessageSize
        let result = try await withThrowingTaskGroup(of: StreamEnd?.self) { group in
            group.addTask {
                await runner.run(source: feed, observer: observer).end
            }
            group.addTask {
                var header = EBMLHeaderCheck()
                var messages = MessageAssembler(limit: maxSize)
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
                // A connection that breaks ends the feed like a hang-up: the decoder still
                // finishes what arrived, and the session says `disconnected`.
                do {
                    for try await frame in inbound {
                        switch messages.add(frame) {
                        case nil:
                            continue
                        case .tooLarge(let size):
                            stop("message_size", "a message of \(size) bytes or more is over the \(maxSize)-byte message limit",
                                 close: .messageTooLarge)
                            return nil
                        case .text(let text):
                            // `{"type":"end"}`: the client has sent everything; finish what was sent.
                            if text.contains("\"end\"") {
                                ended.set()
                                return nil
                            }
                        case .binary(let bytes):
                            received += 1
                            guard rate.admit(bytes.count, at: clock.now) else {
                                stop("ingest_rate", "sent more than \(limits.maxIngestRate) bytes/s over \(limits.rateWindow.shown) (ingest rate limit)",
                                     close: .policyViolation)
                                return nil
                            }
                            switch header.admit(bytes) {
                            case .undecided:
                                continue
                            case .refuse(let reason):
                                feed.finish(failure: reason)
                                return nil
                            case .pass(let bytes):
                                switch await feed.push(bytes) {
                                case .queued: continue
                                case .closed: return nil
                                case .refused(let reason):
                                    stop("chunk_size", reason, close: .messageTooLarge)
                                    return nil
                                }
                            }
                        }
                    }
                } catch {
                    logger.debug("ingest socket read ended: \(error)", metadata: ["kiosk": "\(kiosk)"])
                }
                return nil
            }
            var end: StreamEnd?
            // The stream's end decides; the reader stops when the decoder has gone.
            while let next = try await group.next() {
                guard let next else { continue }
                end = next
                if let message = next.errorMessage {
                    let limit = broken.value
                    let name = limit?.limit ?? (feed.timedOut ? "idle" : nil)
                    if let name { context.metrics.limitHits(name).increment() }
                    logger.warning("ingest stream failed", metadata: ["kiosk": "\(kiosk)", "error": "\(message)",
                                                                     "limit": "\(name ?? "none")"])
                    try? await outbound.write(.text(PushMessage.error(message)))
                    let close = limit?.close ?? (name == "idle" ? .policyViolation : .unacceptableData)
                    try? await outbound.close(close, reason: name ?? "stream error")
                }
                group.cancelAll()
            }
            return end
        }
        logger.debug("ingest socket done", metadata: ["kiosk": "\(kiosk)", "end": "\(result?.reason ?? "none")"])
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

/// Set once the client said the stream is over.
final class EndFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Lets through at most one message per interval.
final class ClassThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: Double
    private var last: ContinuousClock.Instant?
    private let clock = ContinuousClock()

    init(interval: Double) { self.interval = interval }

    func admit() -> Bool {
        lock.withLock {
            let now = clock.now
            if let last, last.duration(to: now).seconds < interval { return false }
            last = now
            return true
        }
    }
}
