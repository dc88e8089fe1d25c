import MediaIngest
import ThumbRating

/// What rating one stream produced, from its first frame to its end; while it runs, so far.
public struct StreamReport: Sendable {
    public var info: StreamInfo?
    /// Frames decoded (skipped ones included) and decode errors; the decoder's final count once
    /// the stream has ended.
    public var counters = DecodeCounters()
    /// Frames searched for hands.
    public var framesDetected = 0
    /// Frames the scene gate passed without a search (no hand tracked, nothing new to look at).
    public var framesUnsearched = 0
    /// Frames decoded but never seen by detection at all, because it was behind a live stream.
    public var framesSkipped = 0
    public var ratings: [RatingEvent] = []
    public var firstTime: Double?
    public var endTime: Double = 0
    public var detectionSeconds: Double = 0
    /// Why the stream stopped early, if it did: what its source or decoder threw.
    public var failure: (any Error)?

    public init() {}

    /// Media seconds from the first frame to the end of the last.
    public var duration: Double { firstTime.map { endTime - $0 } ?? 0 }

    mutating func add(_ outcome: FrameOutcome, duration: Double?, skipped: Int) {
        if firstTime == nil { firstTime = outcome.time }
        endTime = max(endTime, outcome.time + (duration ?? 0))
        detectionSeconds += outcome.detectionSeconds
        if outcome.searched { framesDetected += 1 } else { framesUnsearched += 1 }
        framesSkipped += skipped
        counters.framesDecoded += 1 + skipped
        if let rating = outcome.rating { ratings.append(rating) }
    }
}

/// One frame after the pipeline, searched for hands or not (`outcome.searched`), as observers see it.
public struct RatedFrame: Sendable {
    public var outcome: FrameOutcome
    /// Frames decoded since the previous one and never seen by detection (a live stream behind).
    public var framesSkipped: Int
    /// How long the driver waited for this frame from the decoder.
    public var decodeWait: Duration
    /// When the frame was handed to detection: a rating's latency counts from here.
    public var handed: ContinuousClock.Instant
}

/// Told about a stream as the driver runs it: output lines, metrics, status, ratings published.
public protocol StreamObserver: Sendable {
    func streamOpened(_ info: StreamInfo) async
    /// After each frame through the pipeline, with the report so far; a frame that completed a
    /// rating carries it in `frame.outcome.rating`.
    func frameRated(_ frame: RatedFrame, report: StreamReport) async
}

extension StreamObserver {
    public func streamOpened(_ info: StreamInfo) async {}
}

/// Several observers, told in order.
public struct StreamObservers: StreamObserver {
    public var observers: [any StreamObserver]

    public init(_ observers: [any StreamObserver] = []) { self.observers = observers }

    public func streamOpened(_ info: StreamInfo) async {
        for observer in observers { await observer.streamOpened(info) }
    }

    public func frameRated(_ frame: RatedFrame, report: StreamReport) async {
        for observer in observers { await observer.frameRated(frame, report: report) }
    }
}
