import Foundation
import Metrics
import Logging
import MediaIngest
import Rating
import RatingStore
import RatingStream

/// How a stream ended, as recorded on its session.
enum StreamEnd: Sendable, Equatable {
    case finished
    /// The client went away without saying the stream was over.
    case disconnected
    case shutdown
    /// The client sent nothing for the idle timeout; the message says so.
    case idle(String)
    case failed(String)

    var reason: String {
        switch self {
        case .finished: "finished"
        case .disconnected: "disconnected"
        case .shutdown: "shutdown"
        case .idle: "idle"
        case .failed(let message): "error: \(message)"
        }
    }

    /// What the client is told when the stream did not end well.
    var errorMessage: String? {
        switch self {
        case .idle(let message), .failed(let message): message
        case .finished, .disconnected, .shutdown: nil
        }
    }
}

/// Runs one stream: its own decoder thread and `RatingPipeline`, in order, frame by frame (the
/// same per-frame path as `analyze`), publishing each rating into the ring and recording the
/// stream as a session in the store.
///
/// Detection runs on the server's `DetectionExecutor`. A stream that falls behind real time
/// skips detection on frames (its `DetectionPacer` decides) rather than drift from its camera;
/// while it keeps up, it detects every frame, exactly like `analyze`.
struct StreamRunner: Sendable {
    let context: ServerContext
    let kiosk: KioskID
    let session = UUID()

    /// How often a running stream reports its counters to the status ring.
    static let statusInterval = Duration.seconds(1)

    /// Called for each frame (after detection) and each rating (after it is in the ring).
    struct Observer: Sendable {
        var frame: @Sendable (FrameOutcome) async -> Void = { _ in }
        var rating: @Sendable (DetectedRating) async -> Void = { _ in }
        /// Why the stream ended when its source simply ran out (a socket can tell more than EOF).
        var endOfSource: @Sendable () -> StreamEnd = { .finished }
        /// Why the caller cut the source short, if it did (a limit broken): that, not what the
        /// decoder made of the cut, is how the stream ended.
        var stopped: @Sendable () -> StreamEnd? = { nil }
    }

    func run(source: ByteSource, observer: Observer = Observer()) async -> (end: StreamEnd, counters: DecodeCounters) {
        await withTaskExecutorPreference(context.detection) {
            await runOnDetectionExecutor(source: source, observer: observer)
        }
    }

    private func runOnDetectionExecutor(source: ByteSource, observer: Observer) async -> (end: StreamEnd, counters: DecodeCounters) {
        var logger = context.logger
        logger[metadataKey: "kiosk"] = "\(kiosk)"
        logger[metadataKey: "session"] = "\(session)"
        let metrics = context.metrics
        let store = context.store
        // Recorded beside the stream, not before it: detection never waits on the store. Like the
        // session's end, it is written even if shutdown cancels this task.
        let record = StreamSessionRecord(id: session, event: context.configuration.event, kiosk: kiosk.value, started: Date())
        let sessionStart = Task { try await store.startSession(record) }
        metrics.activeStreams.increment()
        await publishStatus(.started, counters: DecodeCounters(), detected: 0)
        logger.info("stream started")

        var counters = DecodeCounters()
        var detected = 0
        let end: StreamEnd
        do {
            let pipeline = try RatingPipeline(pool: context.handModels, logger: logger)
            let decodedCounter = metrics.framesDecoded(kiosk: kiosk.value)
            let detectedCounter = metrics.framesDetected(kiosk: kiosk.value)
            let skippedCounter = metrics.framesSkipped(kiosk: kiosk.value)
            let clock = ContinuousClock()
            var waitStart = clock.now
            // Progress goes on the board about once a second: the dashboard's frame rate and
            // "last seen" are only as fresh as this.
            var lastStatus = clock.now
            let options = DecodeOptions(pixelFormat: .rgb24, maxDimension: context.configuration.limits.maxDimension,
                                        framePool: context.framePool)
            let frames = DecodedFrames(source: source, options: options, lookahead: 1,
                                       delivery: .live(maxLag: context.configuration.maxLag), logger: logger)
            var iterator = frames.makeAsyncIterator()
            var replaced = 0
            // Media time of the last frame that found frames replaced before it: the stream was behind.
            var lastBehind: Double?
            frames: while true {
                // The picture lives only inside this switch. A stream parked at one of the awaits
                // below (its turn at the detection threads, the ring) holds none: sixteen parked
                // streams each held a 640x480 RGB picture, 15 MB, when it lived to the yield.
                let outcome: FrameOutcome
                let handed: ContinuousClock.Instant
                switch try await iterator.next() {
                case nil:
                    break frames
                case .opened(let info)?:
                    logger.info("stream opened", metadata: ["codec": "\(info.codec)", "width": "\(info.width)", "height": "\(info.height)"])
                    continue frames
                case .finished(let final)?:
                    counters = final
                    continue frames
                case .frame(let frame)?:
                    handed = clock.now
                    metrics.decodeLatency.recordInterval(waitStart.duration(to: handed))
                    // Frames the decoder replaced while this stream was behind were decoded too.
                    let newlyReplaced = iterator.framesReplaced - replaced
                    replaced += newlyReplaced
                    if newlyReplaced > 0 { skippedCounter.increment(by: newlyReplaced) }
                    decodedCounter.increment(by: 1 + newlyReplaced)
                    counters.framesDecoded += 1 + newlyReplaced
                    if newlyReplaced > 0 { lastBehind = frame.time }
                    // A stream that was behind in the last second sheds the tracker's costly wider
                    // search, so that more of its frames (and the other streams') get detected.
                    let behind = lastBehind.map { frame.time - $0 < 1 && frame.time >= $0 } ?? false
                    outcome = pipeline.process(frame, reducedEffort: behind)
                }
                detected += 1
                detectedCounter.increment()
                metrics.detectLatency.recordSeconds(outcome.detectionSeconds)
                await observer.frame(outcome)
                if let event = outcome.rating {
                    let rating = DetectedRating(
                        kiosk: kiosk, session: session, rating: event.rating, confidence: event.confidence,
                        mediaTime: event.time, wallTime: Date(),
                        latencyMilliseconds: handed.duration(to: clock.now).milliseconds,
                        model: context.configuration.modelVariant.rawValue)
                    await context.detected.publish(rating)
                    metrics.ratingsDetected.increment()
                    metrics.ratings(kiosk: kiosk.value, rating: event.rating.rawValue).increment()
                    await observer.rating(rating)
                }
                if lastStatus.duration(to: clock.now) >= Self.statusInterval {
                    lastStatus = clock.now
                    await publishStatus(.running, counters: counters, detected: detected)
                }
                // A waiting frame is handed over without a suspension: let the other streams
                // queued for the detection threads have their turn before this one goes on.
                await Task.yield()
                waitStart = clock.now
            }
            end = Task.isCancelled ? .shutdown : observer.stopped() ?? observer.endOfSource()
        } catch is CancellationError {
            end = .shutdown
        } catch {
            metrics.streamErrors.increment()
            end = Task.isCancelled ? .shutdown : observer.stopped() ?? .failed("\(error)")
        }
        metrics.activeStreams.decrement()
        await publishStatus(.ended, counters: counters, detected: detected)
        // The session's end is written even when this task was cancelled by shutdown.
        let sessionID = session, finalCounters = counters
        let recorded = Task {
            do { try await sessionStart.value } catch { logger.error("could not record the session start: \(store.describe(error))") }
            try await store.endSession(id: sessionID, ended: Date(), framesDecoded: finalCounters.framesDecoded,
                                       decodeErrors: finalCounters.decodeErrors, reason: end.reason)
        }
        do { try await recorded.value } catch { logger.error("could not record the session end: \(store.describe(error))") }
        logger.info("stream ended", metadata: ["reason": "\(end.reason)", "frames": "\(counters.framesDecoded)"])
        return (end, counters)
    }

    private func publishStatus(_ state: StreamStatus.State, counters: DecodeCounters, detected: Int) async {
        await context.status.publish(StreamStatus(kiosk: kiosk, session: session, state: state,
                                                  framesDecoded: counters.framesDecoded, framesDetected: detected,
                                                  decodeErrors: counters.decodeErrors, wallTime: Date()))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
    var milliseconds: Double { seconds * 1000 }
}

extension Metrics.Timer {
    func recordSeconds(_ seconds: Double) { recordNanoseconds(Int64(seconds * 1e9)) }
    func recordInterval(_ duration: Duration) { recordSeconds(duration.seconds) }
}
