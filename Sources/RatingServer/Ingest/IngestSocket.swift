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
/// client closes, the feed ends and the decoder finishes the frames it holds. A stream that is
/// neither WebM nor MP4 (`ContainerSniffer`), that the decoder gives up on, or that breaks a
/// limit (`IngestLimits`: message or chunk size, ingest rate, idle timeout) gets an error message
/// naming why and a close; other streams go on.
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
                await IngestReader(feed: feed, limits: limits, maxMessageSize: maxSize, kiosk: kiosk, logger: logger)
                    .read(inbound, ended: ended, broken: broken)
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
