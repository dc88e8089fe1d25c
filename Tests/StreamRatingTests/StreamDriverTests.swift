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

        func frameRated(_ frame: RatedFrame, report: StreamReport) async {
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
        let report = await StreamDriver(configuration: .init(detection: .everyFrame), logger: Self.logger).run(
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
        let report = await StreamDriver(configuration: .init(detection: .everyFrame, adjustPicture: blank),
                                        logger: Self.logger).run(
            source: try FileDescriptorSource(path: clip), pipeline: try RatingPipeline(variant: .lite, logger: Self.logger))
        #expect(report.failure == nil && report.framesDetected == 154)
        #expect(report.ratings.isEmpty)
    }

    @Test(.enabled(if: TestData.runGestureTests))
    func theSceneGateSearchesAPictureThatNeverChangesOncePerHeartbeat() async throws {
        let clip = try TestData.requireGestures().appendingPathComponent("clips/nvpr_down_up_down.webm").path
        let blank: @Sendable (RGBImage) -> RGBImage = { picture in
            RGBImage(width: picture.width, height: picture.height, pixels: [UInt8](repeating: 40, count: picture.pixels.count))
        }
        let gate = SceneGate.Configuration()
        let recorder = Recorder()
        let report = await StreamDriver(configuration: .init(detection: .followingScene(gate), adjustPicture: blank),
                                        logger: Self.logger).run(
            source: try FileDescriptorSource(path: clip), pipeline: try RatingPipeline(variant: .lite, logger: Self.logger),
            observer: recorder)
        #expect(report.failure == nil)
        // The first picture, then one heartbeat in the 5.1 s clip (at 4 s).
        #expect(report.framesDetected == 2)
        #expect(report.framesDetected + report.framesUnsearched == 154)
        // Every frame still reaches the observers, searched or not.
        #expect(recorder.seen.withLockedValue { $0.frames } == 154)
    }

    @Test(.enabled(if: TestData.runGestureTests))
    func theSceneGateKeepsEveryRatingOfTheSharedClips() async throws {
        let clips = try TestData.requireGestures().appendingPathComponent("clips")
        let names = try FileManager.default.contentsOfDirectory(atPath: clips.path).filter { $0.hasSuffix(".webm") }.sorted()
        #expect(names.count == 8)
        for name in names {
            let path = clips.appendingPathComponent(name).path
            func run(_ detection: Detection) async throws -> StreamReport {
                await StreamDriver(configuration: .init(detection: detection), logger: Self.logger).run(
                    source: try FileDescriptorSource(path: path), pipeline: try RatingPipeline(variant: .lite, logger: Self.logger))
            }
            let everyFrame = try await run(.everyFrame), gated = try await run(.followingScene(SceneGate.Configuration()))
            #expect(gated.ratings.map(\.rating) == everyFrame.ratings.map(\.rating), "\(name)")
            for (late, early) in zip(gated.ratings, everyFrame.ratings) {
                #expect(late.time - early.time <= 0.3 && late.time >= early.time - 0.3, "\(name): \(early.time) → \(late.time)")
            }
            #expect(gated.framesDetected + gated.framesUnsearched == everyFrame.framesDetected, "\(name)")
        }
    }

    @Test func whatTheDecoderThrowsIsTheReportsFailure() async throws {
        let report = await StreamDriver(logger: Self.logger).run(
            source: try FileDescriptorSource(path: TestData.fixture("garbage.bin")),
            pipeline: try RatingPipeline(variant: .lite, logger: Self.logger))
        #expect(report.failure != nil)
        #expect(report.framesDetected == 0 && report.ratings.isEmpty)
    }
}
