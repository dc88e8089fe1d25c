import Foundation
@testable import HandEngine
import Logging
import Testing

@Suite(.timeLimit(.minutes(15))) struct TrackerTests {
    func roi(_ x: Float, _ y: Float, rotation: Float = 0) -> HandROI {
        HandROI(xCenter: x, yCenter: y, width: 0.2, height: 0.2, rotation: rotation)
    }

    @Test func overlappingROIsKeepTheLaterOne() {
        // A tracked ROI (last) replaces the palm ROI it overlaps; a separate hand stays.
        let palmA = roi(0.3, 0.3), palmB = roi(0.8, 0.8), tracked = roi(0.32, 0.3, rotation: 0.5)
        let kept = HandTracker.associate([palmA, palmB, tracked], threshold: 0.5)
        #expect(kept == [palmB, tracked])
    }

    @Test func roisOverlappingByHalfOrLessAreDifferentHands() {
        // Shifted by a third of their width: IoU exactly 0.5, not above it.
        let a = roi(0.3, 0.3), b = roi(0.3 + 0.2 / 3, 0.3)
        #expect(HandTracker.associate([a, b], threshold: 0.5).count == 2)
    }

    /// On CI a missing model fails (the error names `snaprate setup`); elsewhere the test is skipped.
    static let runModelTests = ProcessInfo.processInfo.environment["CI"] == "true"
        || ModelFile.allCases.allSatisfy { (try? ModelDirectory.standard().require($0)) != nil }

    @Test(.enabled(if: runModelTests, "needs the models (run `snaprate setup`)"))
    func emptySceneFindsNothingAndKeepsLookingForPalms() throws {
        let tracker = try HandTracker(variant: .lite, options: .mediaPipeVideo, logger: Logger(label: "test"))
        let grey = RGBImage(width: 64, height: 48, pixels: [UInt8](repeating: 128, count: 64 * 48 * 3))
        for _ in 0..<3 { #expect(tracker.process(grey).isEmpty) }
        #expect(tracker.palmDetectionRuns == 3)
    }
}
