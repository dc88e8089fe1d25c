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
    /// False for a picture passed without a hand search (`RatingPipeline.processUnsearched`).
    public var searched: Bool
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

    /// Whether a hand is being followed from picture to picture: then every picture must be
    /// processed, or the hand is lost.
    public var isTrackingHand: Bool { tracker.isTracking }

    /// A picture at `time` that the caller decided not to search: no hand was tracked into it, and
    /// its scene gave no reason to look yet (see `SceneGate`). It counts as a picture without
    /// hands, which is what the last search saw, so the smoother's clock runs on as if it had been
    /// searched: a held gesture's gap, the re-arming after a rating.
    public func processUnsearched(at time: Double) -> FrameOutcome {
        let rating = smoother.observe(.noHands, at: time)
        return FrameOutcome(time: time, frameClass: .noHands, rating: rating, detectionSeconds: 0, searched: false)
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
        return FrameOutcome(time: time, frameClass: frameClass, rating: rating, detectionSeconds: seconds, searched: true)
    }
}
