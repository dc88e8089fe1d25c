import Foundation
import Logging

/// What a decode run reports, in order: the stream's parameters once, each frame, then the counts.
public enum DecodeEvent: Sendable {
    case opened(StreamInfo)
    case frame(Frame)
    case finished(DecodeCounters)
}

/// Decodes a byte source on a thread of its own and hands the events to async code.
///
/// The decoder blocks on its source, so it must not sit on the cooperative pool. At most `lookahead`
/// frames wait for the consumer; past that the decoder thread waits too, which slows reading from
/// the source: backpressure all the way to the socket or pipe. Ending the iteration early closes
/// the source and stops the thread.
public struct DecodedFrames: AsyncSequence, Sendable {
    public typealias Element = DecodeEvent

    private let source: ByteSource
    private let options: DecodeOptions
    private let lookahead: Int
    private let logger: Logger

    public init(source: ByteSource, options: DecodeOptions = DecodeOptions(), lookahead: Int = 2,
                logger: Logger = Logger(label: "snaprate.decode")) {
        self.source = source
        self.options = options
        self.lookahead = Swift.max(1, lookahead)
        self.logger = logger
    }

    public func makeAsyncIterator() -> Iterator {
        let credits = DispatchSemaphore(value: lookahead)
        let stop = StopFlag()
        let (stream, continuation) = AsyncThrowingStream<DecodeEvent, any Error>.makeStream()
        let source = source, options = options, logger = logger
        continuation.onTermination = { _ in
            stop.set()
            source.close()
            credits.signal()
        }
        let thread = Thread {
            do {
                let decoder = try MediaDecoder(source: source, options: options, logger: logger)
                continuation.yield(.opened(decoder.info))
                while !stop.isSet, let frame = try decoder.nextFrame() {
                    credits.wait()
                    if stop.isSet { break }
                    continuation.yield(.frame(frame))
                }
                continuation.yield(.finished(decoder.counters))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "decode \(source.name)"
        thread.start()
        return Iterator(base: stream.makeAsyncIterator(), credits: credits)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<DecodeEvent, any Error>.AsyncIterator
        let credits: DispatchSemaphore

        public mutating func next() async throws -> DecodeEvent? {
            let event = try await base.next()
            if case .frame = event { credits.signal() }
            return event
        }
    }
}

/// A flag one thread sets and another polls.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
