import Foundation
@testable import HandEngine
import Logging
import Testing
import TestSupport

// TEMPORARY: the real rescue's squares, first looks and refinements, as JSON lines.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["RESCUE_PROBE2"] != nil))
struct RescueProbe2 {
    @Test func probe() throws {
        let env = ProcessInfo.processInfo.environment
        let variant: ModelVariant = env["PROBE_VARIANT"] == "full" ? .full : .lite
        let gestures = try TestData.requireGestures()
        let models = ModelDirectory.standard()
        let landmarker = try HandLandmarker(model: models.require(.landmark(variant)), logger: Logger(label: "p"))
        let palm = try PalmDetector(model: models.require(.palm(variant)), logger: Logger(label: "p"))
        let rescue = HandRescue(options: .init(), palmDetector: palm, landmarker: landmarker, maxHands: 2, duplicateIoU: 0.5)
        let out = FileHandle(forWritingAtPath: env["PROBE_OUT"]!)!
        for name in env["PROBE_IMAGES"]!.split(separator: ",") {
            let image = try PhotoLoader.load(gestures.appendingPathComponent("images/\(name)"))
            for roi in rescue.squareROIs(for: image, sliced: false) {
                var hand = landmarker.landmarks(in: image, roi: roi)
                var scores = [hand.score]
                var lms: [[[Float]]] = []
                if hand.score > 0.5 {
                    for _ in 0..<4 {
                        hand = landmarker.landmarks(in: image, roi: HandROI.fromLandmarks(hand.landmarks, imageWidth: image.width, imageHeight: image.height))
                        scores.append(hand.score)
                        lms.append(hand.landmarks.map { [$0.x, $0.y] })
                    }
                }
                let rec: [String: Any] = ["image": String(name), "w": image.width, "h": image.height, "scores": scores, "lms": lms,
                                          "roi": [roi.xCenter, roi.yCenter, roi.width, roi.rotation]]
                out.write(try JSONSerialization.data(withJSONObject: rec)); out.write("\n".data(using: .utf8)!)
            }
        }
        try out.close()
    }
}
