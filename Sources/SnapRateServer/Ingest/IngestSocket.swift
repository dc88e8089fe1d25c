import Foundation
import HummingbirdWebSocket
import Logging
import MediaIngest
import NIOCore
import NIOWebSocket
import NIOConcurrencyHelpers
import SnapRateCore
import StreamRating

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
        let echo = KioskEcho(outbound: outbound, throttle: throttle)
        let ending = StreamRunner.Ending(
            endOfSource: {
                if ended.isSet { return .finished }
                return context.isAccepting ? .disconnected : .shutdown
            },
            stopped: {
                if let limit = broken.value { return .failed(limit.message) }
                return feed.timedOut ? .idle(Self.idleHit(feed, limits).message) : nil
            })
        let maxSize = context.configuration.maxMessageSize
        let result = try await withThrowingTaskGroup(of: StreamEnd?.self) { group in
            group.addTask {
                await runner.run(source: feed, observer: echo, ending: ending) { record in
                    try? await outbound.write(.text(PushMessage.rating(record)))
                }.end
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
                    let limit = broken.value?.limit ?? (feed.timedOut ? Limit.idle : nil)
                    if let limit { context.metrics.limitHits(limit).increment() }
                    logger.warning("ingest stream failed", metadata: ["kiosk": "\(kiosk)", "error": "\(message)",
                                                                     "limit": "\(limit?.label ?? "none")"])
                    try? await outbound.write(.text(PushMessage.error(message)))
                    let close = limit.map { WebSocketErrorCode(codeNumber: Int($0.closeCode)) } ?? .unacceptableData
                    try? await outbound.close(close, reason: limit?.label ?? "stream error")
                }
                group.cancelAll()
            }
            return end
        }
        logger.debug("ingest socket done", metadata: ["kiosk": "\(kiosk)", "end": "\(result?.reason ?? "none")"])
    }

    static func idleHit(_ feed: ChunkFeed, _ limits: IngestLimits) -> LimitHit {
        LimitHit(.idle, "\(feed.name): no bytes for \(limits.idleTimeout.shown) (idle timeout)")
    }
}

/// What an ingesting kiosk is sent back: per-frame classes (throttled) and its ratings as detected.
struct KioskEcho: StreamObserver {
    let outbound: WebSocketOutboundWriter
    let throttle: ClassThrottle

    func frameRated(_ frame: RatedFrame, report: StreamReport) async {
        guard throttle.admit() else { return }
        let frameClass = frame.outcome.frameClass
        try? await outbound.write(.text(PushMessage.frameClass(frameClass.thumb.rawValue, hands: frameClass.hands,
                                                               time: frame.outcome.time)))
    }
}

/// Set once the client said the stream is over.
struct EndFlag: Sendable {
    private let value = NIOLockedValueBox(false)
    var isSet: Bool { value.withLockedValue { $0 } }
    func set() { value.withLockedValue { $0 = true } }
}

/// Lets through at most one message per interval.
struct ClassThrottle: Sendable {
    private let interval: Duration
    private let last = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    init(interval: Double) { self.interval = .inSeconds(interval) }

    func admit() -> Bool {
        last.withLockedValue { last in
            let now = ContinuousClock.now
            if let last, last.duration(to: now) < interval { return false }
            last = now
            return true
        }
    }
}
