import Foundation
import HandEngine

/// Builds 21-landmark hands from a few words, in a square image: a palm seen from the side with the
/// knuckles in a column, each finger extended or folded, the thumb pointing some way.
struct HandSketch {
    var fingersExtended: [Bool] = [false, false, false, false]
    /// The thumb's direction in degrees from image up (0 up, 180 down, 90 sideways).
    var thumbAngle: Float = 0
    var thumbExtended = true
    /// Where the fingers point when extended, in degrees from image up.
    var fingerAngle: Float = 90
    var centre = SIMD2<Float>(0.5, 0.5)
    var scale: Float = 0.1

    func hand() -> Hand {
        var points = [SIMD2<Float>](repeating: .zero, count: 21)
        let down = direction(thumbAngle + 180)
        // The palm: wrist below the knuckles when the thumb is up, and the other way round.
        let palmAxis = direction(thumbAngle)
        points[0] = -palmAxis * 1.8
        for (finger, knuckle) in [5, 9, 13, 17].enumerated() {
            let base = -palmAxis * (0.2 + Float(finger) * 0.35)
            let side = direction(fingerAngle)
            points[knuckle] = base
            if fingersExtended[finger] {
                // An extended finger reaches about 1.5 thumb lengths from its knuckle.
                for joint in 1...3 { points[knuckle + joint] = base + side * Float(joint) * 0.6 }
            } else {
                // Folded: out, back and in, ending near the knuckle.
                points[knuckle + 1] = base + side * 0.4
                points[knuckle + 2] = base + side * 0.45 + down * 0.2
                points[knuckle + 3] = base + side * 0.15 + down * 0.25
            }
        }
        points[1] = -palmAxis * 1.2 + direction(fingerAngle + 180) * 0.3
        points[2] = -palmAxis * 0.6 + direction(fingerAngle + 180) * 0.25
        if thumbExtended {
            // A thumb is about 1.2 times as long as the row of knuckles is wide.
            points[3] = points[2] + palmAxis * 0.6
            points[4] = points[3] + palmAxis * 0.6
        } else {
            points[3] = points[2] + direction(fingerAngle) * 0.3
            points[4] = points[3] + direction(fingerAngle) * 0.3 + down * 0.2
        }
        let landmarks = points.map { SIMD3<Float>(centre.x + $0.x * scale, centre.y + $0.y * scale, 0) }
        return Hand(landmarks: landmarks, score: 0.99, handedness: .right, handednessScore: 0.99,
                    roi: HandROI(xCenter: centre.x, yCenter: centre.y, width: scale * 4, height: scale * 4, rotation: 0))
    }

    /// A unit vector `degrees` clockwise from image up (y grows downwards).
    private func direction(_ degrees: Float) -> SIMD2<Float> {
        let radians = degrees * .pi / 180
        return SIMD2(sinf(radians), -cosf(radians))
    }
}
