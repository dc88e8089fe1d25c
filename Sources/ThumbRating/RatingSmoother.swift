import SnapRateCore

/// Turns per-frame classes into rating events a kiosk can trust: one event per gesture, no flicker,
/// no double counting. Works on media timestamps, never frame counts, because browser streams have
/// variable frame rates.
public struct RatingSmoother: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// A class must hold this long (media seconds) before it is a rating.
        public var hold: Double
        /// After a rating, the same rating is taken again only once the stream has shown no rating
        /// gesture for this long.
        public var rearm: Double
        /// Gaps shorter than this (frames without a hand, or a classification blip) neither end nor
        /// restart a gesture: its hold keeps running through them.
        public var dropout: Double
        /// Of the hold, the part from the gesture's first frame to its latest must be at least this
        /// fraction: a gesture may lapse into a short gap and still count, a flicker may not.
        public var minEvidence: Double

        public init(hold: Double = 0.5, rearm: Double = 0.75, dropout: Double = 0.75, minEvidence: Double = 0.6) {
            self.hold = hold
            self.rearm = rearm
            self.dropout = dropout
            self.minEvidence = minEvidence
        }
    }

    /// A gesture being held.
    private struct Candidate {
        var rating: Rating
        var since: Double
        var lastSeen: Double
        var confidenceSum: Float
        var frames: Int
        var emitted: Bool
    }

    public let configuration: Configuration
    private var candidate: Candidate?
    /// The last rating emitted, and whether it may be emitted again.
    private var lastEmitted: Rating?
    private var rearmed = true
    /// When a rating gesture (up or down) was last seen.
    private var lastGesture: Double?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Feeds one frame's class; returns the rating this frame completes, if any.
    public mutating func observe(_ frame: FrameClass, at time: Double, detectionSeconds: Double = 0) -> RatingEvent? {
        if let lastGesture, time - lastGesture >= configuration.rearm {
            rearmed = true
        }
        if let held = candidate, time - held.lastSeen >= configuration.dropout {
            candidate = nil
        }
        if let rating = frame.thumb.rating {
            lastGesture = time
            if var held = candidate, held.rating == rating {
                held.lastSeen = time
                held.confidenceSum += frame.confidence
                held.frames += 1
                candidate = held
            } else {
                // A new gesture, or a change straight from one rating to the other: its hold starts now.
                candidate = Candidate(rating: rating, since: time, lastSeen: time,
                                      confidenceSum: frame.confidence, frames: 1, emitted: false)
            }
        }
        // The hold is measured up to this frame even when this frame is a short gap in the gesture.
        guard var held = candidate, !held.emitted, time - held.since >= configuration.hold,
              held.lastSeen - held.since >= configuration.minEvidence * configuration.hold,
              held.rating != lastEmitted || rearmed else { return nil }
        held.emitted = true
        candidate = held
        lastEmitted = held.rating
        rearmed = false
        return RatingEvent(rating: held.rating, time: time, confidence: held.confidenceSum / Float(held.frames),
                           detectionSeconds: detectionSeconds)
    }
}
