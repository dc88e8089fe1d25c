import Foundation
import HandEngine
import Logging
import MediaIngest
import Testing
import TestSupport

extension ParityRuns {
    /// The wider search (SnapRate's default for photos and, paced, for video) against MediaPipe: how
    /// many more photos get a hand, that pictures without any hand stay empty, and what a search costs.
    @Suite(.timeLimit(.minutes(15)), .serialized, .enabled(if: ParityEnvironment.shouldRun, ParityEnvironment.skipReason))
    struct HandRescueTests {
        /// Photos in `images/none` that show no hand at all (checked by eye: an empty wall, a face).
        /// The other none-photos MediaPipe finds nothing on show fists or open palms, where a hand is right.
        static let handless = ["none/MBSL_empty_0.jpg", "none/MBSL_empty_2.jpg", "none/MBSL_empty_50.jpg",
                               "none/MBSL_empty_76.jpg", "none/ISHA_up_0.jpg"]

        @Test(arguments: ModelVariant.allCases)
        func findsMoreHandsWithoutInventingAny(_ variant: ModelVariant) throws {
            let gestures = try TestData.requireGestures()
            let reference = try MediaPipeReference.load(from: gestures)
            let expected = try #require(reference.models[variant.rawValue])
            let tracker = try HandTracker(variant: variant, options: .photo, logger: Logger(label: "rescue"))

            var agreement = LandmarkAgreement()
            var invented: [String] = []
            var scores: [String] = []
            for photo in try ParityEnvironment.photos(in: gestures) {
                let photoReference = try #require(expected[photo])
                let hands = tracker.process(try PhotoLoader.load(gestures.appendingPathComponent("images/\(photo)")))
                agreement.add(photo: photo, reference: photoReference, found: hands)
                if photoReference.hands.isEmpty, let best = hands.first {
                    scores.append("\(photo)=\(String(format: "%.3f", best.score))")
                }
                if Self.handless.contains(photo), !hands.isEmpty { invented.append(photo) }
            }
            let extra = agreement.extraPhotos
            let byLabel = Dictionary(grouping: extra) { String($0.prefix { $0 != "/" }) }.mapValues(\.count)
            let missedByMediaPipe = expected.values.filter(\.hands.isEmpty).count
            print("""
                rescue \(variant): hands on \(extra.count) of the \(missedByMediaPipe) photos where MediaPipe finds none \
                (up \(byLabel["up"] ?? 0), down \(byLabel["down"] ?? 0), none \(byLabel["none"] ?? 0)); \
                on photos with no hand at all: \(invented.count) \(invented); \
                MediaPipe's photos still found \(agreement.photosFound)/\(agreement.referencePhotos), \
                mean error \(percent(agreement.meanError, digits: 2)); found: \(scores.joined(separator: " "))
                """)
            #expect(invented.isEmpty)
            #expect(agreement.detectionRate >= 0.95)
            // Thumb photos MediaPipe misses that the rescue finds (23 lite, 28 full when written; the
            // squares over the picture's edges added the hands cut off by the frame).
            #expect((byLabel["up"] ?? 0) + (byLabel["down"] ?? 0) >= 20)
        }

        /// The whole search on pictures without a hand, where it costs the most (nothing passes, so
        /// every square is looked at and the best few refined): no hand, and the time per call.
        @Test(arguments: ModelVariant.allCases)
        func findsNothingOnHandlessPicturesAndReportsItsCost(_ variant: ModelVariant) throws {
            let gestures = try TestData.requireGestures()
            let tracker = try HandTracker(variant: variant, options: .photo, logger: Logger(label: "rescue"))
            var pictures = try Self.handless.map { ($0, try PhotoLoader.load(gestures.appendingPathComponent("images/\($0)"))) }
            pictures += try Self.firefoxFrames(in: gestures).enumerated().filter { $0.offset % 10 == 0 }
                .map { ("firefox frame \($0.offset)", $0.element.image) }
            let clock = ContinuousClock()
            var worst = Duration.zero
            var invented: [String] = []
            for (name, picture) in pictures {
                var hands: [Hand] = []
                let elapsed = clock.measure { hands = tracker.process(picture) }
                worst = max(worst, elapsed)
                if !hands.isEmpty { invented.append(name) }
            }
            print("rescue \(variant): whole search (photo) on \(pictures.count) handless pictures, worst \(milliseconds(worst)) ms per call")
            #expect(invented.isEmpty, "hands invented on \(invented)")
        }

        /// Firefox's fake camera (coloured frames, no hand) through SnapRate's video options: the
        /// rescue runs twice a second on a third of the squares each time, and finds nothing.
        @Test(arguments: ModelVariant.allCases)
        func videoRescueFindsNothingOnTheBrowsersFakeCamera(_ variant: ModelVariant) throws {
            let frames = try Self.firefoxFrames(in: try TestData.requireGestures())
            #expect(frames.count == 120)
            let tracker = try HandTracker(variant: variant, options: .video, logger: Logger(label: "rescue"))
            let clock = ContinuousClock()
            var worst = Duration.zero
            var framesWithHands = 0
            for frame in frames {
                var hands: [Hand] = []
                let elapsed = clock.measure { hands = tracker.process(frame.image, time: frame.time) }
                worst = max(worst, elapsed)
                if !hands.isEmpty { framesWithHands += 1 }
            }
            print("rescue \(variant): video on Firefox's fake camera, worst frame \(milliseconds(worst)) ms (one rescue slice)")
            #expect(framesWithHands == 0)
        }

        /// Video: a frame that only lost its tracked hand does not start the rescue search. The palm
        /// detector looks first, on the next frame (nothing is tracked then); when it finds nothing,
        /// the landmark model looks where the hand was, and the wider search waits its interval
        /// from the loss.
        @Test(arguments: ModelVariant.allCases)
        func aLostHandGetsThePalmDetectorsLookThenOneWhereItWas(_ variant: ModelVariant) throws {
            let gestures = try TestData.requireGestures()
            let reference = try MediaPipeReference.load(from: gestures)
            let expected = try #require(reference.models[variant.rawValue])
            let logger = Logger(label: "rescue")
            // A thumb photo whose one hand the palm detector finds on the first frame, as MediaPipe does.
            var found: (tracker: HandTracker, picture: RGBImage)?
            for photo in try ParityEnvironment.photos(in: gestures) where photo.hasPrefix("up/") && expected[photo]?.hands.count == 1 {
                let tracker = try HandTracker(variant: variant, options: .video, logger: logger)
                let picture = try PhotoLoader.load(gestures.appendingPathComponent("images/\(photo)"))
                if tracker.process(picture, time: 0).count == 1, tracker.rescueSearches == 0 {
                    found = (tracker, picture)
                    break
                }
            }
            let (tracker, picture) = try #require(found)
            let empty = RGBImage(width: picture.width, height: picture.height,
                                 pixels: [UInt8](repeating: 0, count: picture.pixels.count))
            let palmRuns = tracker.palmDetectionRuns
            let lost = 1.0 / 30

            // The hand is gone: its tracked ROI shows none, and this frame searches no further.
            #expect(tracker.process(empty, time: lost).isEmpty)
            #expect(tracker.palmDetectionRuns == palmRuns)
            #expect(tracker.rescueSearches == 0 && tracker.lostHandLooks == 0)
            // Nothing tracked now: the palm detector looks and finds nothing, then one look where the
            // hand was, which finds nothing either.
            #expect(tracker.process(empty, time: 2.0 / 30).isEmpty)
            #expect(tracker.palmDetectionRuns == palmRuns + 1)
            #expect(tracker.rescueSearches == 0 && tracker.lostHandLooks == 1)
            // That look is not repeated, and the wider search waits for its interval from the loss.
            #expect(tracker.process(empty, time: 3.0 / 30).isEmpty)
            #expect(tracker.palmDetectionRuns == palmRuns + 2)
            #expect(tracker.rescueSearches == 0 && tracker.lostHandLooks == 1)
            #expect(tracker.process(empty, time: lost + tracker.options.rescueInterval + 1.0 / 30).isEmpty)
            #expect(tracker.rescueSearches == 1 && tracker.lostHandLooks == 1)
        }

        /// Video: a hand that only the wider search could find (the palm detector misses it), lost
        /// for one picture and back in the next, is found again by the look where it was, with no
        /// second wider search (it is not due so soon).
        @Test(arguments: ModelVariant.allCases)
        func aHandThePalmDetectorMissesIsFoundAgainWhereItWasLost(_ variant: ModelVariant) throws {
            let gestures = try TestData.requireGestures()
            let logger = Logger(label: "rescue")
            var tried = 0, looked = 0
            var foundAgain: [String] = []
            for photo in try ParityEnvironment.photos(in: gestures) where !photo.hasPrefix("none/") {
                let tracker = try HandTracker(variant: variant, options: .video, logger: logger)
                let picture = try PhotoLoader.load(gestures.appendingPathComponent("images/\(photo)"))
                // Only pictures where the palm detector found nothing and the wider search a hand.
                guard tracker.process(picture, time: 0).count == 1, tracker.rescueSearches == 1 else { continue }
                tried += 1
                let empty = RGBImage(width: picture.width, height: picture.height,
                                     pixels: [UInt8](repeating: 0, count: picture.pixels.count))
                #expect(tracker.process(empty, time: 1.0 / 30).isEmpty)
                if tracker.process(picture, time: 2.0 / 30).count == 1 {
                    foundAgain.append(photo)
                }
                #expect(tracker.rescueSearches == 1, "\(photo): the wider search ran again")
                // None when the palm detector, on its turn at a zoomed-in square, found the hand.
                #expect(tracker.lostHandLooks <= 1, "\(photo)")
                looked += tracker.lostHandLooks
                if tried == 10 { break }
            }
            print("rescue \(variant): \(foundAgain.count) of \(tried) hands only the wider search finds were found again after a lost picture, \(looked) looked for where they were")
            #expect(tried == 10)
            // Without the look where it was, only those a zoomed-in palm search happens to find would
            // be: the wider search is not due again for half a second.
            #expect(foundAgain.count >= 8)
        }

        /// The Firefox MediaRecorder chunks, joined into the WebM they make, decoded.
        static func firefoxFrames(in gestures: URL) throws -> [(time: Double, image: RGBImage)] {
            let folder = gestures.appendingPathComponent("browser/firefox_vp8")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasPrefix("chunk") && $0.hasSuffix(".bin") }.sorted()
            var bytes = Data()
            for name in names { bytes.append(try Data(contentsOf: folder.appendingPathComponent(name))) }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("firefox-\(getpid()).webm")
            try bytes.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let decoder = try MediaDecoder(file: file.path, options: DecodeOptions(pixelFormat: .rgb24))
            var frames: [(time: Double, image: RGBImage)] = []
            while let frame = try decoder.nextFrame() {
                frames.append((frame.time, RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)))
            }
            return frames
        }

        private func milliseconds(_ duration: Duration) -> String {
            let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            return String(format: "%.0f", ms)
        }
    }
}
