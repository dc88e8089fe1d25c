import Foundation
import HummingbirdWebSocket
import Logging
import MediaIngest
import NIOWebSocket
import NIOConcurrencyHelpers
import SnapRateCore

/// The client's side of an ingest socket: frames joined into messages, binary messages checked
/// against the limits and the container's magic (`ContainerSniffer`: WebM or MP4), an MP4's boxes
/// walked for the samples they declare (`MP4BoxWalker`), then pushed into the stream's feed;
/// `{"type":"end"}` ends it. A broken limit is recorded in `broken` and ends the feed at once.
struct IngestReader {
    let feed: ChunkFeed
    let limits: IngestLimits
    let maxMessageSize: Int
    let kiosk: KioskID
    let logger: Logger

    func read(_ inbound: WebSocketInboundStream, ended: EndFlag, broken: BrokenLimit) async {
        var header = ContainerSniffer()
        var boxes = MP4BoxWalker()
        var messages = MessageAssembler(limit: maxMessageSize)
        var rate = IngestRate(bytesPerSecond: limits.maxIngestRate, window: limits.rateWindow)
        let clock = ContinuousClock()
        var received = 0
        defer {
            feed.finish(failure: header.finish())
            logger.debug("ingest socket input ended", metadata: ["kiosk": "\(kiosk)", "messages": "\(received)"])
        }
        /// Ends the feed at once for a broken limit; the stream's end reports it.
        func stop(_ limit: Limit, _ reason: String) {
            let hit = LimitHit(limit, "\(feed.name): \(reason)")
            broken.set(hit)
            feed.abort(failure: hit.message)
        }
        // A connection that breaks ends the feed like a hang-up: the decoder still finishes what
        // arrived, and the session says `disconnected`.
        do {
            for try await frame in inbound {
                switch messages.add(frame) {
                case nil:
                    continue
                case .tooLarge(let size):
                    stop(.messageSize, "a message of \(size) bytes or more is over the \(maxMessageSize)-byte message limit")
                    return
                case .text(let text):
                    // `{"type":"end"}`: the client has sent everything; finish what was sent.
                    if text.contains("\"end\"") {
                        ended.set()
                        return
                    }
                case .binary(let bytes):
                    received += 1
                    let sent = bytes.count
                    guard rate.admit(bytes.count, at: clock.now) else {
                        let window = limits.rateWindow.shown
                        stop(.ingestRate, "sent more than \(limits.maxIngestRate) bytes/s over \(window) (ingest rate limit)")
                        return
                    }
                    switch header.admit(bytes) {
                    case .undecided:
                        continue
                    case .refuse(let reason):
                        feed.finish(failure: reason)
                        return
                    case .pass(var bytes):
                        if header.container == .mp4 {
                            switch boxes.admit(bytes) {
                            case .pass(let walked): bytes = walked
                            case .refuse(let reason):
                                stop(.mp4Samples, reason)
                                return
                            }
                        }
                        // Bytes held back from earlier messages (a box header, a moof) come along
                        // now, in pieces no larger than this message: the chunk limit stays the
                        // client's.
                        var start = 0
                        while start < bytes.count {
                            let end = min(bytes.count, start + max(1, sent))
                            switch await feed.push(start == 0 && end == bytes.count ? bytes : Array(bytes[start..<end])) {
                            case .queued:
                                start = end
                            case .closed:
                                return
                            case .refused(let reason):
                                stop(.chunkSize, reason)
                                return
                            }
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
struct BrokenLimit: Sendable {
    private let hit = NIOLockedValueBox<LimitHit?>(nil)
    var value: LimitHit? { hit.withLockedValue { $0 } }
    func set(_ new: LimitHit) { hit.withLockedValue { if $0 == nil { $0 = new } } }
}
