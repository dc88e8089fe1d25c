import Foundation
import HandEngine
import Logging
import MediaIngest
import Testing
import TestSupport

extension ParityRuns {
    /// Trackers that share a `HandModelPool` (as a server's streams do) find exactly what trackers
    /// with models of their own find: tracking state lives in the tracker, never in the models.
    @Suite(.timeLimit(.minutes(15)), .serialized, .enabled(if: ParityEnvironment.shouldRun, ParityEnvironment.skipReason))
    struct SharedModelsTests {
        private func frames(_ name: String) throws -> [(time: Double, image: RGBImage)] {
            let clip = try TestData.requireGestures().appendingPathComponent("clips/\(name)")
            let decoder = try MediaDecoder(file: clip.path, options: DecodeOptions(pixelFormat: .rgb24))
            var frames: [(time: Double, image: RGBImage)] = []
            while let frame = try decoder.nextFrame() {
                frames.append((frame.time, RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)))
            }
            return frames
        }

        @Test func interleavedStreamsOnSharedModelsMatchStreamsOnTheirOwn() throws {
            let logger = Logger(label: "shared")
            let first = try frames("nvpr_down_up_down.webm"), second = try frames("upra_thumbs_up.webm")
            let pool = HandModelPool(variant: .lite, logger: logger)
            let sharedA = HandTracker(models: .shared(pool), options: .video, logger: logger)
            let sharedB = HandTracker(models: .shared(pool), options: .video, logger: logger)
            let ownA = try HandTracker(variant: .lite, options: .video, logger: logger)
            let ownB = try HandTracker(variant: .lite, options: .video, logger: logger)
            var handsSeen = 0
            // One frame of each stream in turn, so each shared set serves both streams alternately.
            for index in 0..<max(first.count, second.count) {
                for (frames, shared, own) in [(first, sharedA, ownA), (second, sharedB, ownB)] where index < frames.count {
                    let frame = frames[index]
                    let expected = own.process(frame.image, time: frame.time)
                    let got = shared.process(frame.image, time: frame.time)
                    #expect(got.map(\.landmarks) == expected.map(\.landmarks), "frame \(index) at \(frame.time) s")
                    handsSeen += got.count
                }
            }
            #expect(handsSeen > 100, "the clips show hands most of the time")
            // Used one frame at a time, the pool never needed a second set.
            #expect(pool.count == 1)
        }
    }
}
