import MediaIngest
import ThumbRating

/// What rating one stream produced, from its first frame to its end; while it runs, so far.
public struct StreamReport: Sendable {
    public var info: StreamInfo?
    /// Frames decoded (skipped ones included) and decode errors; the decoder's final count once
    /// the stream has ended.
    public var counters = DecodeCounters()
    public var framesDetected = 0
    /// Frames decoded but never detected, because detection was behind a live stream.
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

    mutating func add(_ outcome: FrameOutcome, frame: Frame, skipped: Int) {
        if firstTime == nil { firstTime = frame.time }
        endTime = max(endTime, frame.time + (frame.duration ?? 0))
        detectionSeconds += outcome.detectionSeconds
        framesDetected += 1
        framesSkipped += skipped
        counters.framesDecoded += 1 + skipped
        if let rating = outcome.rating { ratings.append(rating) }
    }
}

/// One frame after detection, as observers see it.
public struct DetectedFrame: Sendable {
    public var outcome: FrameOutcome
    /// Frames decoded since the previous one and never detected.
    public var framesSkipped: Int
    /// How long the driver waited for this frame from the decoder.
    public var decodeWait: Duration
    /// When the frame was handed to detection: a rating's latency counts from here.
    public var handed: ContinuousClock.Instant
}

/// Told about a stream as the driver runs it: output lines, metrics, status, ratings published.
public protocol StreamObserver: Sendable {
    func streamOpened(_ info: StreamInfo) async
    /// After each detected frame, with the report so far; a frame that completed a rating carries
    /// it in `frame.outcome.rating`.
    func frameDetected(_ frame: DetectedFrame, report: StreamReport) async
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

    public func frameDetected(_ frame: DetectedFrame, report: StreamReport) async {
        for observer in observers { await observer.frameDetected(frame, report: report) }
    }
}
