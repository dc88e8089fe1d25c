import Foundation
import HummingbirdWebSocket
import Logging
import MediaIngest
import NIOCore
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
        let feed = ChunkFeed(name: "ws:\(kiosk)")
        let runner = StreamRunner(context: context, kiosk: kiosk)
        let throttle = ClassThrottle(interval: 1 / max(0.1, context.configuration.classMessagesPerSecond))
        let ended = EndFlag()
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
            })
        let maxSize = context.configuration.maxMessageSize
        let result = try await withThrowingTaskGroup(of: StreamEnd?.self) { group in
            group.addTask {
                await runner.run(source: feed, observer: observer).end
            }
            group.addTask {
                var header = EBMLHeaderCheck()
                var received = 0
                defer {
                    feed.finish(failure: header.finish())
                    logger.debug("ingest socket input ended", metadata: ["kiosk": "\(kiosk)", "messages": "\(received)"])
                }
                // A connection that breaks ends the feed like a hang-up: the decoder still
                // finishes what arrived, and the session says `disconnected`.
                do {
                    for try await message in inbound.messages(maxSize: maxSize) {
                        received += 1
                        guard case .binary(var buffer) = message else {
                            // `{"type":"end"}`: the client has sent everything; finish what was sent.
                            if case .text(let text) = message, text.contains("\"end\"") {
                                ended.set()
                                break
                            }
                            continue
                        }
                        switch header.admit(buffer.readBytes(length: buffer.readableBytes) ?? []) {
                        case .undecided:
                            continue
                        case .refuse(let reason):
                            feed.finish(failure: reason)
                            return nil
                        case .pass(let bytes):
                            guard await feed.push(bytes) else { return nil }
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
                if case .failed(let message) = next {
                    logger.warning("ingest stream failed", metadata: ["kiosk": "\(kiosk)", "error": "\(message)"])
                    try? await outbound.write(.text(PushMessage.error(message)))
                    try? await outbound.close(.unacceptableData, reason: "stream error")
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
