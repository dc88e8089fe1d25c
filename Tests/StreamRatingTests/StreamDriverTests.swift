import Foundation
import HandEngine
import Logging
import MediaIngest
import NIOConcurrencyHelpers
import SnapRateCore
@testable import StreamRating
import Testing
import TestSupport
import ThumbRating

/// The one per-stream loop, with the real decoder and the real lite models.
@Suite(.timeLimit(.minutes(15))) struct StreamDriverTests {
    static let logger = Logger(label: "test.driver")

    /// Every frame's outcome and every rating, as an observer sees them.
    final class Recorder: StreamObserver {
        let seen = NIOLockedValueBox((opened: 0, frames: 0, ratings: [RatingEvent]()))

        func streamOpened(_ info: StreamInfo) async { seen.withLockedValue { $0.opened += 1 } }

        func frameDetected(_ frame: DetectedFrame, report: StreamReport) async {
            seen.withLockedValue { seen in
                seen.frames += 1
                if let rating = frame.outcome.rating { seen.ratings.append(rating) }
            }
        }
    }

    @Test func effortIsReducedForAWindowOfMediaTimeAfterASkip() {
        var lastBehind: Double?
        let effort = Effort.reducedWhileBehind(window: 1)
        #expect(!effort.reduces(at: 0, afterSkipping: 0, lastBehind: &lastBehind))
        #expect(effort.reduces(at: 2, afterSkipping: 3, lastBehind: &lastBehind))
        #expect(effort.reduces(at: 2.9, afterSkipping: 0, lastBehind: &lastBehind))
        #expect(!effort.reduces(at: 3, afterSkipping: 0, lastBehind: &lastBehind))
        var never: Double?
        #expect(!Effort.full.reduces(at: 2, afterSkipping: 3, lastBehind: &never))
    }

    @Test(.enabled(if: TestData.runGestureTests))
    func everyFrameOfAFileIsDetectedAndTheObserverSeesWhatTheReportSays() async throws {
        let clip = try TestData.requireGestures().appendingPathComponent("clips/nvpr_down_up_down.webm").path
        let recorder = Recorder()
        let report = await StreamDriver(logger: Self.logger).run(
            source: try FileDescriptorSource(path: clip), pipeline: try RatingPipeline(variant: .lite, logger: Self.logger),
            observer: recorder)
        #expect(report.failure == nil)
        #expect(report.counters.framesDecoded == 154 && report.framesDetected == 154 && report.framesSkipped == 0)
        let seen = recorder.seen.withLockedValue { $0 }
        #expect(seen.opened == 1 && seen.frames == 154)
        #expect(seen.ratings == report.ratings)
        #expect(report.ratings.map(\.rating) == [.down, .up, .down])
    }

    @Test(.enabled(if: TestData.runGestureTests))
    func aPictureAdjustmentIsWhatDetectionSees() async throws {
        let clip = try TestData.requireGestures().appendingPathComponent("clips/nvpr_down_up_down.webm").path
        // A black picture: no hand, so no rating, though every frame is still detected.
        let blank: @Sendable (RGBImage) -> RGBImage = { picture in
            RGBImage(width: picture.width, height: picture.height, pixels: [UInt8](repeating: 0, count: picture.pixels.count))
        }
        let report = await StreamDriver(configuration: .init(adjustPicture: blank), logger: Self.logger).run(
            source: try FileDescriptorSource(path: clip), pipeline: try RatingPipeline(variant: .lite, logger: Self.logger))
        #expect(report.failure == nil && report.framesDetected == 154)
        #expect(report.ratings.isEmpty)
    }

    @Test func whatTheDecoderThrowsIsTheReportsFailure() async throws {
        let report = await StreamDriver(logger: Self.logger).run(
            source: try FileDescriptorSource(path: TestData.fixture("garbage.bin")),
            pipeline: try RatingPipeline(variant: .lite, logger: Self.logger))
        #expect(report.failure != nil)
        #expect(report.framesDetected == 0 && report.ratings.isEmpty)
    }
}
