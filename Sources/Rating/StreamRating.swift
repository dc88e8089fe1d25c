import Logging
import MediaIngest

/// What rating one stream produced, from its first frame to its end.
public struct StreamReport: Sendable {
    public var info: StreamInfo?
    public var counters = DecodeCounters()
    public var ratings: [RatingEvent] = []
    public var firstTime: Double?
    public var endTime: Double = 0
    public var detectionSeconds: Double = 0

    public init() {}

    /// Media seconds from the first frame to the end of the last.
    public var duration: Double { firstTime.map { endTime - $0 } ?? 0 }
}

public enum StreamRating {
    /// Decodes `source` on its own thread and runs every frame through `pipeline`, in order, calling
    /// `onFrame` with each outcome as it happens (live sources report while they run).
    /// `adjust` changes each decoded picture before detection (`eval --robustness` shows the
    /// pipeline the same clip as a farther, darker or tilted camera would).
    public static func run(
        source: ByteSource, pipeline: RatingPipeline, options: DecodeOptions, logger: Logger,
        onFrame: (FrameOutcome) throws -> Void = { _ in },
        adjust: (@Sendable (Frame) -> Frame)? = nil
    ) async throws -> StreamReport {
        var report = StreamReport()
        var rgb = options
        rgb.pixelFormat = .rgb24
        for try await event in DecodedFrames(source: source, options: rgb, logger: logger) {
            switch event {
            case .opened(let info):
                report.info = info
            case .frame(let frame):
                let outcome = pipeline.process(adjust?(frame) ?? frame)
                if report.firstTime == nil { report.firstTime = frame.time }
                report.endTime = max(report.endTime, frame.time + (frame.duration ?? 0))
                report.detectionSeconds += outcome.detectionSeconds
                if let rating = outcome.rating { report.ratings.append(rating) }
                try onFrame(outcome)
            case .finished(let counters):
                report.counters = counters
            }
        }
        return report
    }
}
