import Foundation
import Rating

/// A rating as the store keeps it: what was detected, where, when and by which models.
public struct NewRating: Sendable, Equatable {
    public var event: String
    public var kiosk: String
    /// The stream session that detected it: a kiosk that reconnects starts a new one.
    public var session: UUID
    public var rating: Rating
    public var confidence: Float
    /// Seconds on the stream's own clock.
    public var mediaTime: Double
    public var wallTime: Date
    /// From the arrival of the frame that completed the hold to the event, in milliseconds.
    public var latencyMilliseconds: Double
    public var model: String

    public init(event: String, kiosk: String, session: UUID, rating: Rating, confidence: Float, mediaTime: Double,
                wallTime: Date, latencyMilliseconds: Double, model: String) {
        self.event = event
        self.kiosk = kiosk
        self.session = session
        self.rating = rating
        self.confidence = confidence
        self.mediaTime = mediaTime
        self.wallTime = wallTime
        self.latencyMilliseconds = latencyMilliseconds
        self.model = model
    }
}

/// A stored rating with its global sequence number, given by the store: every node and every
/// replay agrees on it, and it only grows.
public struct RatingRecord: Sendable, Equatable {
    public var sequence: Int64
    public var rating: NewRating

    public init(sequence: Int64, rating: NewRating) {
        self.sequence = sequence
        self.rating = rating
    }
}

/// Up and down counts for one kiosk.
public struct KioskSummary: Sendable, Equatable {
    public var kiosk: String
    public var up: Int
    public var down: Int

    public init(kiosk: String, up: Int, down: Int) {
        self.kiosk = kiosk
        self.up = up
        self.down = down
    }
}
