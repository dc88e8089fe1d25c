import Foundation
import HandEngine
import Logging
import MediaIngest
import SnapRateCore
import StreamRating
import ThumbRating

/// What a load test's streams should have rated: the looped clip the streams sent, run through
/// `analyze`'s path in full, every frame searched (the reference the scene gate is held to).
struct ExpectedRatings: Sendable {
    /// A clip's ratings over its looped run, and its frame rate.
    struct Clip: Sendable {
        var ratings: [RatingEvent]
        var framesPerSecond: Double
    }

    let variant: ModelVariant
    let models: ModelDirectory
    let logger: Logger

    /// The looped clip the streams sent, rated.
    func rate(_ looped: LoopedClip) async throws -> Clip {
        let pipeline = try RatingPipeline(variant: variant, models: models, logger: logger)
        let driver = StreamDriver(configuration: .init(detection: .everyFrame), logger: logger)
        let report = await driver.run(source: try FileDescriptorSource(path: looped.path), pipeline: pipeline)
        if let failure = report.failure { throw failure }
        let fps = report.duration > 0 ? Double(report.counters.framesDecoded) / report.duration : 0
        return Clip(ratings: report.ratings, framesPerSecond: fps)
    }
}

/// One stream's stored ratings against what its clip should have given over the part streamed.
struct RatingMatch: Equatable {
    /// Expected ratings in the part streamed.
    var expected = 0
    /// Expected ratings found among the stored ones.
    var matched = 0
    /// Stored ratings in the part streamed that match none expected.
    var extra = 0
    /// For each match, how much later (media seconds) the stored rating came than expected.
    var delays: [Double] = []

    var detected: Int { matched + extra }
    var missing: Int { expected - matched }

    /// How late a rating may be and still be matched; later than this it counts as missing (and
    /// the stored one as extra).
    static let window = 1.0

    /// Matches `stored` (one stream's, any order) against `expected` in media-time order. The
    /// part streamed ends `allowance` before `end`, the last media time the server reported for
    /// the stream: an expected rating after it may not have had the frames to come late in.
    init(expected: [(rating: Rating, time: Double)], stored: [(rating: Rating, time: Double)],
         end: Double, allowance: Double) {
        let cut = end - allowance
        var unmatched = stored.sorted { $0.time < $1.time }
        for want in expected where want.time <= cut {
            self.expected += 1
            guard let index = unmatched.firstIndex(where: {
                $0.rating == want.rating && abs($0.time - want.time) <= Self.window
            }) else { continue }
            matched += 1
            delays.append(unmatched[index].time - want.time)
            unmatched.remove(at: index)
        }
        extra = unmatched.filter { $0.time <= cut }.count
    }
}
