import HandEngine
import Logging
import SnapRateCore

/// What one frame produced: its class, and the rating it completed, if any.
public struct FrameOutcome: Sendable {
    public var time: Double
    public var frameClass: FrameClass
    public var rating: RatingEvent?
    /// Seconds spent in hand detection and classification for this frame.
    public var detectionSeconds: Double
}

/// One stream's whole per-frame path: hands, thumb class, smoothing. The same object serves the
/// offline `analyze` and the live daemon, so the two cannot disagree on the same bytes.
public final class RatingPipeline {
    private let tracker: HandTracker
    private let classifier: ThumbClassifier
    private var smoother: RatingSmoother
    private let clock = ContinuousClock()

    public init(tracker: HandTracker, classifier: ThumbClassifier = ThumbClassifier(),
                smoothing: RatingSmoother.Configuration = RatingSmoother.Configuration()) {
        self.tracker = tracker
        self.classifier = classifier
        self.smoother = RatingSmoother(configuration: smoothing)
    }

    /// A pipeline for video with the given model variant, from the model folder.
    public convenience init(variant: ModelVariant, models: ModelDirectory = .standard(),
                            smoothing: RatingSmoother.Configuration = RatingSmoother.Configuration(),
                            logger: Logger) throws {
        let tracker = try HandTracker(variant: variant, models: models, options: .video, logger: logger)
        self.init(tracker: tracker, smoothing: smoothing)
    }

    /// A pipeline for video whose networks come from `pool`, shared with other streams.
    public convenience init(pool: HandModelPool, smoothing: RatingSmoother.Configuration = RatingSmoother.Configuration(),
                            logger: Logger) throws {
        try pool.prepare()
        self.init(tracker: HandTracker(models: .shared(pool), options: .video, logger: logger), smoothing: smoothing)
    }

    /// Runs one picture, shown at `time` seconds on its stream's clock, through detection,
    /// classification and the smoother. `reducedEffort` skips the tracker's wider search for hands
    /// on this picture (see `HandTracker.process`).
    public func process(_ picture: RGBImage, at time: Double, reducedEffort: Bool = false) -> FrameOutcome {
        let start = clock.now
        let hands = tracker.process(picture, time: time, allowRescue: !reducedEffort)
        let frameClass = classifier.classify(hands, width: picture.width, height: picture.height)
        let seconds = (clock.now - start).inSeconds
        let rating = smoother.observe(frameClass, at: time, detectionSeconds: seconds)
        return FrameOutcome(time: time, frameClass: frameClass, rating: rating, detectionSeconds: seconds)
    }
}
