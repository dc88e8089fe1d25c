import SnapRateCore

/// One rating, as the smoother emits it for a stream.
public struct RatingEvent: Sendable, Equatable {
    public var rating: Rating
    /// Media time of the frame that completed the hold, in seconds on the stream's clock.
    public var time: Double
    /// Mean per-frame confidence over the hold.
    public var confidence: Float
    /// Time spent detecting the frame that completed the hold, in seconds: what this event cost.
    public var detectionSeconds: Double

    public init(rating: Rating, time: Double, confidence: Float, detectionSeconds: Double) {
        self.rating = rating
        self.time = time
        self.confidence = confidence
        self.detectionSeconds = detectionSeconds
    }
}
