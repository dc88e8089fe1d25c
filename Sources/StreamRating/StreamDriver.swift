import HandEngine
import Logging
import MediaIngest
import ThumbRating

/// Runs one stream from its bytes to its ratings: decoding on a thread of its own, then every
/// frame it is given through a `RatingPipeline`, in order. `analyze`, `eval`, `serve --stdin` and
/// WebSocket ingest all run this one loop, so the same bytes give the same ratings everywhere;
/// what differs between them is a `Pacing`, an `Effort`, a `Detection` and the observers they pass.
///
/// Every picture is decoded. Unless detection is `.everyFrame`, a picture is converted for the
/// hand engine only when a `SceneGate` (on the picture's luma, read in place) says it is worth a
/// search; the others count as pictures without hands.
public struct StreamDriver: Sendable {
    public struct Configuration: Sendable {
        public var decode: DecodeOptions
        public var pacing: Pacing
        public var effort: Effort
        public var detection: Detection
        /// Where detection runs; nil leaves it to the caller's executor.
        public var executor: (any TaskExecutor)?
        /// Changes each picture before detection (`eval --robustness` shows the pipeline the same
        /// clip as a farther, darker or tilted camera would).
        public var adjustPicture: (@Sendable (RGBImage) -> RGBImage)?

        public init(decode: DecodeOptions = DecodeOptions(), pacing: Pacing = .everyFrame, effort: Effort = .full,
                    detection: Detection = .followingScene(SceneGate.Configuration()),
                    executor: (any TaskExecutor)? = nil, adjustPicture: (@Sendable (RGBImage) -> RGBImage)? = nil) {
            self.decode = decode
            self.pacing = pacing
            self.effort = effort
            self.detection = detection
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
                                   delivery: configuration.pacing.delivery, handover: .pictures, logger: logger)
        var iterator = frames.makeAsyncIterator()
        var gate = configuration.detection.gate
        // Media time of the last frame that came after skipped ones: the stream was behind.
        var lastBehind: Double?
        let clock = ContinuousClock()
        var waitStart = clock.now
        while true {
            // The picture lives only inside this switch: a stream suspended below (an observer,
            // its turn on the executor) holds no picture.
            let step: RatedFrame
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
            case .frame?:
                continue  // the handover is pictures
            case .picture(let picture)?:
                let handed = clock.now
                let skipped = iterator.framesReplaced - report.framesSkipped
                let reduced = configuration.effort.reduces(at: picture.time, afterSkipping: skipped, lastBehind: &lastBehind)
                let outcome: FrameOutcome
                switch look(at: picture, iterator: &iterator, gate: &gate, tracking: pipeline.isTrackingHand, behind: reduced) {
                case .refused:
                    continue
                case .unsearched:
                    outcome = pipeline.processUnsearched(at: picture.time)
                case .search(let image, let glance):
                    outcome = pipeline.process(image, at: picture.time, reducedEffort: reduced || glance)
                }
                report.add(outcome, duration: picture.duration, skipped: skipped)
                step = RatedFrame(outcome: outcome, framesSkipped: skipped, decodeWait: waitStart.duration(to: handed),
                                  handed: handed)
            }
            await observer.frameRated(step, report: report)
            // A frame already waiting is handed over without a suspension: after a search, let
            // other streams that share the executor have their turn before this one goes on.
            if step.outcome.searched { await Task.yield() }
            waitStart = clock.now
        }
    }

    private enum Look {
        /// libswscale refused the picture (counted as a decode error).
        case refused
        case unsearched
        /// `glance`: the palm detector alone (`SceneGate.Decision.glance`).
        case search(RGBImage, glance: Bool)
    }

    /// Whether `picture` is searched, and the picture the hand engine sees if so. The gate judges
    /// what detection would see: the decoder's own luma, or the changed picture when there is an
    /// `adjustPicture` (or no 8-bit luma plane), which is then converted first.
    private func look(at picture: DecodedPicture, iterator: inout DecodedFrames.Iterator, gate: inout SceneGate?,
                      tracking: Bool, behind: Bool) -> Look {
        func converted() -> RGBImage? {
            guard let frame = iterator.frame(from: picture) else { return nil }
            let image = RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)
            return configuration.adjustPicture?(image) ?? image
        }
        guard var scene = gate else { return converted().map { .search($0, glance: false) } ?? .refused }
        defer { gate = scene }
        var image: RGBImage?
        let thumbnail: SceneThumbnail
        if configuration.adjustPicture == nil, let luma = picture.withLuma({ $0.map(SceneThumbnail.init(luma:)) }) {
            thumbnail = luma
        } else {
            guard let adjusted = converted() else { return .refused }
            image = adjusted
            thumbnail = SceneThumbnail(picture: adjusted)
        }
        let decision = scene.decide(thumbnail, at: picture.time, tracking: tracking, behind: behind)
        guard decision != .skip else { return .unsearched }
        guard let searched = image ?? converted() else { return .refused }
        return .search(searched, glance: decision == .glance)
    }
}
