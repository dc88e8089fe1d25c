import Foundation
import HandEngine
import Logging
import MediaIngest
import Testing
import TestSupport

extension ParityRuns {
    /// Video mode on a real clip: hands are tracked through the gesture segments, and the time per
    /// frame is printed (decoding excluded).
    @Suite(.timeLimit(.minutes(15)), .serialized, .enabled(if: ParityEnvironment.shouldRun, ParityEnvironment.skipReason))
    struct ClipTrackingTests {
        struct Segment: Decodable {
            let label: String
            let start: Double
            let end: Double
        }

        struct Truth: Decodable {
            let segments: [Segment]
        }

        @Test(arguments: ModelVariant.allCases)
        func tracksTheHandThroughTheGestures(_ variant: ModelVariant) throws {
            let gestures = try TestData.requireGestures()
            let clip = gestures.appendingPathComponent("clips/nvpr_down_up_down.webm")
            let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: clip.deletingPathExtension().appendingPathExtension("json")))
            let decoder = try MediaDecoder(file: clip.path, options: DecodeOptions(pixelFormat: .rgb24))
            var frames: [(time: Double, image: RGBImage)] = []
            while let frame = try decoder.nextFrame() {
                frames.append((frame.time, RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)))
            }
            // MediaPipe's two-hand default runs the palm detector on every frame that shows one hand;
            // with one hand wanted, tracking alone carries the hand once found.
            for maxHands in [2, 1] {
                var options = HandTrackerOptions.mediaPipeVideo
                options.maxHands = maxHands
                let tracker = try HandTracker(variant: variant, options: options, logger: Logger(label: "clip"))
                let clock = ContinuousClock()
                var found: [(time: Double, hands: Int)] = []
                let elapsed = clock.measure {
                    for frame in frames { found.append((frame.time, tracker.process(frame.image).count)) }
                }
                let gestureFrames = found.filter { frame in
                    truth.segments.contains { $0.label != "none" && frame.time >= $0.start && frame.time <= $0.end }
                }
                let withHand = gestureFrames.filter { $0.hands > 0 }.count
                let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                print("""
                    clip \(variant), max \(maxHands) hands: hand on \(withHand)/\(gestureFrames.count) gesture frames, \
                    \(found.filter { $0.hands > 0 }.count)/\(found.count) frames overall; \
                    palm detector ran on \(tracker.palmDetectionRuns) frames; \
                    \(String(format: "%.1f", milliseconds / Double(found.count))) ms/frame (decode excluded)
                    """)
                #expect(Double(withHand) >= 0.9 * Double(gestureFrames.count))
            }
        }
    }
}
