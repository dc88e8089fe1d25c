import Foundation

/// One rating, as it travels from the stream that detected it through the ring and the store to
/// every subscriber, the API and the CSV export. The store gives it its sequence number.
public struct RatingRecord: Sendable, Equatable {
    /// The store's number for it: global, only growing, the same on every node and every replay.
    /// Nil until the rating is stored.
    public var sequence: Int64?
    /// The event (conference, fair) the rating belongs to.
    public var event: String
    public var kiosk: KioskID
    /// The stream session that detected it: a kiosk that reconnects starts a new one.
    public var session: UUID
    public var rating: Rating
    /// Mean per-frame confidence over the hold, in [0, 1].
    public var confidence: Float
    /// Seconds on the stream's own clock, of the frame that completed the hold.
    public var mediaTime: Double
    public var wallTime: Date
    /// From the frame that completed the hold being handed to detection to the rating, in ms.
    public var latencyMilliseconds: Double
    /// The hand model variant that detected it (`lite`, `full`).
    public var model: String

    public init(sequence: Int64? = nil, event: String, kiosk: KioskID, session: UUID, rating: Rating, confidence: Float,
                mediaTime: Double, wallTime: Date, latencyMilliseconds: Double, model: String) {
        self.sequence = sequence
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

    /// The store's number for a rating that has been stored: what the stored-ratings ring, a replay
    /// and every subscriber order by. Asking it of a rating not stored is a programming error.
    public var storedSequence: Int64 {
        guard let sequence else { preconditionFailure("the sequence number of a rating not yet stored") }
        return sequence
    }

    /// The same rating with the number the store gave it.
    public func stored(as sequence: Int64) -> RatingRecord {
        var copy = self
        copy.sequence = sequence
        return copy
    }
}

/// Up and down counts for one kiosk.
public struct KioskSummary: Sendable, Equatable {
    public var kiosk: KioskID
    public var up: Int
    public var down: Int

    public init(kiosk: KioskID, up: Int, down: Int) {
        self.kiosk = kiosk
        self.up = up
        self.down = down
    }
}
