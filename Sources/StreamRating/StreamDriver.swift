import HandEngine
import Logging
import MediaIngest
import ThumbRating

/// Runs one stream from its bytes to its ratings: decoding on a thread of its own, then every
/// frame it is given through a `RatingPipeline`, in order. `analyze`, `eval`, `serve --stdin` and
/// WebSocket ingest all run this one loop, so the same bytes give the same ratings everywhere;
/// what differs between them is a `Pacing`, an `Effort` and the observers they pass.
public struct StreamDriver: Sendable {
    public struct Configuration: Sendable {
        public var decode: DecodeOptions
        public var pacing: Pacing
        public var effort: Effort
        /// Where detection runs; nil leaves it to the caller's executor.
        public var executor: (any TaskExecutor)?
        /// Changes each picture before detection (`eval --robustness` shows the pipeline the same
        /// clip as a farther, darker or tilted camera would).
        public var adjustPicture: (@Sendable (RGBImage) -> RGBImage)?

        public init(decode: DecodeOptions = DecodeOptions(), pacing: Pacing = .everyFrame, effort: Effort = .full,
                    executor: (any TaskExecutor)? = nil, adjustPicture: (@Sendable (RGBImage) -> RGBImage)? = nil) {
            self.decode = decode
            self.pacing = pacing
            self.effort = effort
            self.executor = executor
            self.adjustPicture = adjustPicture
        }
    }

    public let configuration: Configuration
    public let logger: Logger

    public init(configuration: Configuration = Configuration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Decodes `source` and rates its frames, telling `observer` as it goes; returns the whole
    /// stream's report, with what the source or the decoder threw, if anything, as its `failure`.
    public func run(source: ByteSource, pipeline: RatingPipeline,
                    observer: any StreamObserver = StreamObservers()) async -> StreamReport {
        var report = StreamReport()
        do {
            try await withTaskExecutorPreference(configuration.executor) {
                try await drive(source: source, pipeline: pipeline, observer: observer, report: &report)
            }
        } catch {
            report.failure = error
        }
        return report
    }

    private func drive(source: ByteSource, pipeline: RatingPipeline, observer: any StreamObserver,
                       report: inout StreamReport) async throws {
        var options = configuration.decode
        options.pixelFormat = .rgb24
        let frames = DecodedFrames(source: source, options: options, lookahead: configuration.pacing.lookahead,
                                   delivery: configuration.pacing.delivery, logger: logger)
        var iterator = frames.makeAsyncIterator()
        // Media time of the last frame that came after skipped ones: the stream was behind.
        var lastBehind: Double?
        let clock = ContinuousClock()
        var waitStart = clock.now
        while true {
            // The picture lives only inside this switch: a stream suspended below (an observer,
            // its turn on the executor) holds no picture.
            let step: DetectedFrame
            switch try await iterator.next() {
            case nil:
                return
            case .opened(let info)?:
                report.info = info
                await observer.streamOpened(info)
                continue
            case .finished(let counters)?:
                report.counters = counters
                continue
            case .frame(let frame)?:
                let handed = clock.now
                let skipped = iterator.framesReplaced - report.framesSkipped
                let picture = RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)
                let reduced = configuration.effort.reduces(at: frame.time, afterSkipping: skipped, lastBehind: &lastBehind)
                let outcome = pipeline.process(configuration.adjustPicture?(picture) ?? picture, at: frame.time,
                                               reducedEffort: reduced)
                report.add(outcome, frame: frame, skipped: skipped)
                step = DetectedFrame(outcome: outcome, framesSkipped: skipped, decodeWait: waitStart.duration(to: handed),
                                     handed: handed)
            }
            await observer.frameDetected(step, report: report)
            // A frame already waiting is handed over without a suspension: let other streams that
            // share the executor have their turn before this one goes on.
            await Task.yield()
            waitStart = clock.now
        }
    }
}
