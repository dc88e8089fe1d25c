import Foundation
import Logging
import NIOConcurrencyHelpers
import SnapRateCore

/// What a decode run reports, in order: the stream's parameters once, each frame, then the counts.
public enum DecodeEvent: Sendable {
    case opened(StreamInfo)
    case frame(Frame)
    /// A picture not converted yet (`DecodedFrames.Handover.pictures`).
    case picture(DecodedPicture)
    case finished(DecodeCounters)
}

extension DecodedFrames {
    /// What the consumer is handed for each picture.
    public enum Handover: Sendable {
        /// `.frame` events, converted to the options' pixel format.
        case frames
        /// `.picture` events, as decoded: the consumer looks at each (its luma, say) and converts
        /// only those it uses, with `Iterator.frame(from:)`.
        case pictures
    }
}

/// How decoded frames reach a consumer that is slower than the decoder.
public enum FrameDelivery: Sendable {
    /// Every frame: the decoder waits for the consumer (offline analysis).
    case everyFrame
    /// A live source: while the stream is less than `maxLag` seconds behind real time (measured
    /// from its first frame; a file piped in runs far ahead) the decoder waits for the consumer,
    /// as above. Further behind, a new frame replaces the oldest waiting one instead, so a
    /// consumer that cannot keep up gets recent frames and does not drift from the camera.
    /// Replaced frames are counted.
    case live(maxLag: Double)
}

/// Decodes a byte source on a thread of its own and hands the events to async code.
///
/// The decoder blocks on its source, so it must not sit on the cooperative pool. At most `lookahead`
/// frames wait for the consumer; past that the decoder thread waits too, which slows reading from
/// the source: backpressure all the way to the socket or pipe (with `.live` delivery, only while
/// the source is ahead of real time). Ending the iteration early closes the source and stops the
/// thread.
public struct DecodedFrames: AsyncSequence, Sendable {
    public typealias Element = DecodeEvent

    private let source: ByteSource
    private let options: DecodeOptions
    private let lookahead: Int
    private let delivery: FrameDelivery
    private let handover: Handover
    private let logger: Logger

    public init(source: ByteSource, options: DecodeOptions = DecodeOptions(), lookahead: Int = 2,
                delivery: FrameDelivery = .everyFrame, handover: Handover = .frames,
                logger: Logger = Logger(label: "snaprate.decode")) {
        self.source = source
        self.options = options
        self.lookahead = Swift.max(1, lookahead)
        self.delivery = delivery
        self.handover = handover
        self.logger = logger
    }

    public func makeAsyncIterator() -> Iterator {
        let mailbox = FrameMailbox()
        let stop = StopFlag()
        let source = source, options = options, logger = logger, delivery = delivery, lookahead = lookahead
        let handover = handover
        let thread = Thread {
            nameCurrentThread("decode ", source.name)
            lowerThreadPriority(by: options.threadNiceness)
            do {
                let decoder = try MediaDecoder(source: source, options: options, logger: logger)
                mailbox.put(.event(.opened(decoder.info)))
                switch (delivery, handover) {
                case (.everyFrame, .frames):
                    while !stop.isSet, let frame = try decoder.nextFrame() {
                        guard mailbox.waitForRoom(limit: lookahead) else { break }
                        mailbox.put(.event(.frame(frame)))
                    }
                case (.everyFrame, .pictures):
                    while !stop.isSet, let picture = try decoder.nextPicture() {
                        guard mailbox.waitForRoom(limit: lookahead) else { break }
                        mailbox.put(.picture(picture))
                    }
                case (.live(let maxLag), _):
                    // Pictures, converted by the consumer when it takes them (`DecodedPicture`).
                    var clock = RealTimeReference()
                    while !stop.isSet, let picture = try decoder.nextPicture() {
                        // Behind real time by more than maxLag (a live source the consumer cannot
                        // keep up with), a full mailbox is not waited for: the oldest waiting
                        // picture gives way. Otherwise (a file piped in runs far ahead) wait as
                        // offline.
                        if clock.lag(of: picture.time) < maxLag {
                            guard mailbox.waitForRoom(limit: lookahead) else { break }
                            mailbox.put(.picture(picture))
                        } else {
                            mailbox.put(.picture(picture), replacingOldestAbove: lookahead)
                        }
                    }
                }
                mailbox.put(.event(.finished(decoder.counters)))
                mailbox.finish()
            } catch {
                mailbox.finish(throwing: error)
            }
        }
        thread.start()
        return Iterator(mailbox: mailbox, ending: IterationEnd(mailbox: mailbox, stop: stop, source: source),
                        converter: FrameConverter(format: options.pixelFormat, outputSize: options.outputSize),
                        format: options.pixelFormat, handover: handover, logger: logger)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let mailbox: FrameMailbox
        let ending: IterationEnd
        /// Converts the pictures live delivery hands over, on the consumer's side.
        let converter: FrameConverter
        let format: PixelFormat
        let handover: Handover
        let logger: Logger
        private var refusedPictures = 0

        init(mailbox: FrameMailbox, ending: IterationEnd, converter: FrameConverter, format: PixelFormat,
             handover: Handover, logger: Logger) {
            self.mailbox = mailbox
            self.ending = ending
            self.converter = converter
            self.format = format
            self.handover = handover
            self.logger = logger
        }

        /// Frames decoded but never delivered because `.live` delivery replaced them.
        public var framesReplaced: Int { mailbox.replacedCount }

        public mutating func next() async throws -> DecodeEvent? {
            while let item = try await mailbox.next() {
                switch item {
                case .event(.finished(var counters)):
                    // Pictures libswscale refused here count as the decoder's own refusals do.
                    counters.framesDecoded -= refusedPictures
                    counters.decodeErrors += refusedPictures
                    return .finished(counters)
                case .event(let event):
                    return event
                case .picture(let picture):
                    if handover == .pictures { return .picture(picture) }
                    if let frame = frame(from: picture) { return .frame(frame) }
                }
            }
            return nil
        }

        /// A picture this iterator handed over, converted to the options' pixel format; nil (and
        /// counted as a decode error) when libswscale refuses it.
        public mutating func frame(from picture: DecodedPicture) -> Frame? {
            if let frame = picture.frame(converter: converter, format: format) { return frame }
            // Logged as the decoder logs the frames it cannot convert itself.
            refusedPictures += 1
            logger.warning("decode error, skipped", metadata: [
                "source": "\(ending.source.name)", "stage": "convert", "error": "libswscale refused the picture",
            ])
            return nil
        }
    }
}

/// Stops the decoder thread and closes the source when the consumer lets go of the iterator,
/// whether it read to the end, stopped early or was cancelled.
final class IterationEnd: Sendable {
    let mailbox: FrameMailbox
    let stop: StopFlag
    let source: ByteSource

    init(mailbox: FrameMailbox, stop: StopFlag, source: ByteSource) {
        self.mailbox = mailbox
        self.stop = stop
        self.source = source
    }

    deinit {
        stop.set()
        source.close()
        mailbox.close()
    }
}

/// How far a live stream runs behind real time: the wall time since its first frame minus the
/// media time since then. A stall of the source counts as lag too, which is right for a camera:
/// frames that arrive late are old.
struct RealTimeReference {
    private let clock = ContinuousClock()
    private var origin: (wall: ContinuousClock.Instant, media: Double)?

    /// Seconds behind real time (negative: ahead, as a file piped in runs).
    mutating func lag(of mediaTime: Double) -> Double {
        let now = clock.now
        guard let origin, mediaTime >= origin.media else {
            // The first frame, or a clock that went back: level by definition.
            self.origin = (now, mediaTime)
            return 0
        }
        return origin.wall.duration(to: now).inSeconds - (mediaTime - origin.media)
    }
}

/// A flag one thread sets and another polls.
struct StopFlag: Sendable {
    private let value = NIOLockedValueBox(false)

    var isSet: Bool { value.withLockedValue { $0 } }

    func set() { value.withLockedValue { $0 = true } }
}
