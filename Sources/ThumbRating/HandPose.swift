import Foundation
import HandEngine

/// A hand's shape in its own frame, and the direction its thumb points in the picture.
///
/// The shape is measured relative to the palm: landmarks are taken in pixels (so angles are true
/// whatever the picture's aspect), moved so the wrist is the origin, turned so the wrist-to-middle-
/// knuckle axis points along +y, mirrored so the index side lies on +x, and scaled by the palm's
/// size. Turning the camera, mirroring the picture or stepping back changes none of the shape
/// features; only `thumbAngleFromUp` sees the picture's own up.
public struct HandPose: Sendable {
    /// (knuckle, middle joint, last joint, tip) of the index, middle, ring and little fingers.
    private static let fingers: [(mcp: Int, pip: Int, dip: Int, tip: Int)] =
        [(5, 6, 7, 8), (9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20)]

    /// How many numbers `shapeFeatures` holds.
    public static let featureCount = 25

    /// The numbers the shape model reads, in a fixed order (see `init`).
    public let shapeFeatures: [Float]
    /// The angle between the thumb (base to tip) and the picture's up, in degrees: 0 up, 180 down.
    public let thumbAngleFromUp: Float

    /// The palm's size in pixels: the mean of its outline from the wrist to the index and
    /// little-finger knuckles, across them, and from the wrist to the middle knuckle.
    public static func palmSize(_ p: [SIMD2<Float>]) -> Float {
        func distance(_ a: Int, _ b: Int) -> Float { ((p[a] - p[b]) * (p[a] - p[b])).sum().squareRoot() }
        return max((distance(0, 5) + distance(0, 17) + distance(5, 17) + distance(0, 9)) / 4, 1e-6)
    }

    public init(_ hand: Hand, width: Int, height: Int) {
        let points = hand.landmarks.map { SIMD2<Float>($0.x * Float(width), $0.y * Float(height)) }
        self.init(pixels: points)
    }

    /// From 21 landmarks in pixels (x right, y down).
    public init(pixels p: [SIMD2<Float>]) {
        precondition(p.count == 21, "a hand has 21 landmarks")
        func length(_ v: SIMD2<Float>) -> Float { max((v * v).sum().squareRoot(), 1e-6) }
        func distance(_ a: Int, _ b: Int) -> Float { length(p[a] - p[b]) }
        func cosine(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { (a * b).sum() / (length(a) * length(b)) }

        let palm = Self.palmSize(p)
        let axis = (p[9] - p[0]) / length(p[9] - p[0])
        // The index side: from the little finger's knuckle towards the index knuckle and the
        // thumb's base, which stays well to one side even when the knuckle row is seen end-on.
        var across = SIMD2<Float>(-axis.y, axis.x)
        if ((p[5] + p[2] - 2 * p[17]) * across).sum() < 0 { across = -across }
        func own(_ i: Int) -> SIMD2<Float> {
            let d = p[i] - p[0]
            return SIMD2((d * across).sum(), (d * axis).sum()) / palm
        }

        var features: [Float] = []
        features.reserveCapacity(Self.featureCount)
        for finger in Self.fingers {
            // Extended fingers reach far from the wrist, in line with their first segment; folded
            // ones come back towards it.
            features.append(distance(finger.tip, 0) / max(distance(finger.mcp, 0), 1e-3))
            features.append(distance(finger.tip, finger.mcp) / palm)
            features.append(cosine(p[finger.pip] - p[finger.mcp], p[finger.tip] - p[finger.dip]))
            features.append(own(finger.tip).y)
        }
        // The thumb: straight and long when extended, its tip away from the folded fingers and the
        // hand's extreme point the way it points (a thumb tucked over a fist is neither).
        let thumb = p[4] - p[2]
        features.append(distance(2, 4) / max(distance(2, 3) + distance(3, 4), 1e-3))
        features.append(distance(2, 4) / palm)
        let tip = own(4)
        features.append(tip.x)
        features.append(tip.y)
        let direction = (own(4) - own(2)) / length(own(4) - own(2))
        features.append(direction.x)
        features.append(direction.y)
        features.append(distance(4, 5) / palm)
        features.append(distance(4, 10) / palm)
        let unit = thumb / length(thumb)
        let beyond = (5...20).map { ((p[$0] - p[4]) * unit).sum() }.max()!
        features.append(-beyond / palm)
        shapeFeatures = features

        let whole = p[4] - p[1]
        thumbAngleFromUp = atan2f(abs(whole.x), -whole.y) * 180 / .pi
    }
}
