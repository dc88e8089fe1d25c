import HandEngine
import Testing

/// Geometry against numbers MediaPipe 0.10.21 itself produced (Python solution, lite models) for a
/// 640x480 photo with a tilted hand: its palm detection, the ROI it derived from it, the hand's
/// landmarks and the tracking ROI it derived from those.
@Suite(.timeLimit(.minutes(15))) struct ROITests {
    static let width = 640, height = 480
    static let palm = PalmDetection(
        score: 0.9036661, xMin: 0.4769695, yMin: 0.6691604, width: 0.1639446, height: 0.2183843,
        keypoints: [SIMD2(0.6247888, 0.8525226), SIMD2(0.516494, 0.696462), SIMD2(0.5096319, 0.7623038),
                    SIMD2(0.5046952, 0.8267166), SIMD2(0.5015718, 0.8898315), SIMD2(0.6094072, 0.7570242),
                    SIMD2(0.5768654, 0.6641628)])
    static let roiFromPalm = HandROI(xCenter: 0.4883344, yCenter: 0.7230357, width: 0.426256, height: 0.5683414, rotation: -1.039558)
    static let landmarks: [SIMD3<Float>] = [
        SIMD3(0.6205648, 0.8450532, 6.807891e-09), SIMD3(0.6153912, 0.7429911, -0.04906931), SIMD3(0.5731655, 0.6402906, -0.08877006),
        SIMD3(0.544282, 0.5653731, -0.119638), SIMD3(0.5325958, 0.4962206, -0.1468781), SIMD3(0.4553369, 0.6932263, -0.1061872),
        SIMD3(0.5054944, 0.6642893, -0.1464986), SIMD3(0.5457256, 0.7005306, -0.1559892), SIMD3(0.5352535, 0.7183868, -0.1631317),
        SIMD3(0.4396151, 0.765122, -0.1070693), SIMD3(0.5106975, 0.741208, -0.1512884), SIMD3(0.5584967, 0.7621745, -0.1425299),
        SIMD3(0.5364822, 0.7761854, -0.1366115), SIMD3(0.4486547, 0.8375556, -0.109839), SIMD3(0.5124858, 0.8173956, -0.1546628),
        SIMD3(0.5546689, 0.8225506, -0.1403765), SIMD3(0.5325841, 0.830702, -0.1266014), SIMD3(0.4657691, 0.9045898, -0.1160865),
        SIMD3(0.5098104, 0.890485, -0.1455077), SIMD3(0.5473784, 0.8783914, -0.1406934), SIMD3(0.5349534, 0.8784076, -0.1335736),
    ]
    static let roiFromLandmarks = HandROI(xCenter: 0.5240685, yCenter: 0.7436767, width: 0.5322542, height: 0.7096723, rotation: -1.240857)

    func expectClose(_ a: HandROI, _ b: HandROI, tolerance: Float = 1e-5) {
        #expect(abs(a.xCenter - b.xCenter) < tolerance, "x \(a.xCenter) vs \(b.xCenter)")
        #expect(abs(a.yCenter - b.yCenter) < tolerance, "y \(a.yCenter) vs \(b.yCenter)")
        #expect(abs(a.width - b.width) < tolerance, "width \(a.width) vs \(b.width)")
        #expect(abs(a.height - b.height) < tolerance, "height \(a.height) vs \(b.height)")
        #expect(abs(a.rotation - b.rotation) < tolerance, "rotation \(a.rotation) vs \(b.rotation)")
    }

    @Test func palmDetectionGivesMediaPipesROI() {
        expectClose(HandROI.fromPalm(Self.palm, imageWidth: Self.width, imageHeight: Self.height), Self.roiFromPalm)
    }

    @Test func landmarksGiveMediaPipesTrackingROI() {
        expectClose(HandROI.fromLandmarks(Self.landmarks, imageWidth: Self.width, imageHeight: Self.height), Self.roiFromLandmarks)
    }

    @Test func roisAreSquareInPixels() {
        let roi = HandROI.fromPalm(Self.palm, imageWidth: Self.width, imageHeight: Self.height)
        #expect(abs(roi.width * Float(Self.width) - roi.height * Float(Self.height)) < 1e-3)
    }

    @Test func uprightPalmShiftsTowardsTheFingers() {
        // Wrist straight below the middle-finger MCP: no rotation, the ROI moves up half a box.
        var palm = Self.palm
        palm.xMin = 0.4; palm.yMin = 0.4; palm.width = 0.2; palm.height = 0.2
        palm.keypoints[0] = SIMD2(0.5, 0.6)
        palm.keypoints[2] = SIMD2(0.5, 0.45)
        let roi = HandROI.fromPalm(palm, imageWidth: 100, imageHeight: 100)
        #expect(abs(roi.rotation) < 1e-6)
        #expect(abs(roi.yCenter - 0.4) < 1e-6 && abs(roi.xCenter - 0.5) < 1e-6)
        #expect(abs(roi.width - 0.52) < 1e-6)
        // Fingers pointing right: rotated a quarter turn, shifted right.
        palm.keypoints[2] = SIMD2(0.65, 0.6)
        let turned = HandROI.fromPalm(palm, imageWidth: 100, imageHeight: 100)
        #expect(abs(turned.rotation - .pi / 2) < 1e-6)
        #expect(abs(turned.xCenter - 0.6) < 1e-6 && abs(turned.yCenter - 0.5) < 1e-6)
    }

    @Test func iouIgnoresRotation() {
        let a = HandROI(xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.2, rotation: 0)
        var b = a
        b.rotation = 1
        #expect(abs(a.iou(b) - 1) < 1e-6)
        b.xCenter = 0.6
        #expect(abs(a.iou(b) - 1.0 / 3) < 1e-6)
    }
}
