import Foundation
import HandEngine

/// The measurements of a hand that the thumb rule reads, in image pixels (x right, y down).
struct HandGeometry {
    private static let fingers: [(knuckle: Int, tip: Int)] = [(5, 8), (9, 12), (13, 16), (17, 20)]

    /// MCP-to-tip distance of the thumb over the length of its two segments: 1 when straight.
    let thumbStraightness: Float
    /// The longest knuckle-to-fingertip reach of the four fingers, in thumb lengths.
    let fingerSpan: Float
    /// The angle between the whole thumb (CMC to tip) and image up, in degrees: 0 up, 180 down.
    /// The whole thumb rather than its last segments: a thumb that bends at the tip still points
    /// where its base sends it.
    let thumbAngleFromUp: Float
    /// How far the thumb tip stands above every finger landmark, as a fraction of the hand's size
    /// (negative when a finger is higher).
    let upMargin: Float
    /// The same, below.
    let downMargin: Float

    init(_ hand: Hand, width: Float, height: Float) {
        let points = hand.landmarks.map { SIMD2<Float>($0.x * width, $0.y * height) }
        func distance(_ a: Int, _ b: Int) -> Float {
            let d = points[a] - points[b]
            return (d * d).sum().squareRoot()
        }
        let thumbLength = max(distance(2, 4), 1e-3)
        thumbStraightness = thumbLength / max(distance(2, 3) + distance(3, 4), 1e-3)
        fingerSpan = Self.fingers.map { distance($0.knuckle, $0.tip) }.max()! / thumbLength

        let thumb = points[4] - points[1]
        thumbAngleFromUp = atan2f(abs(thumb.x), -thumb.y) * 180 / .pi

        let xs = points.map(\.x), ys = points.map(\.y)
        let size = max(max(xs.max()! - xs.min()!, ys.max()! - ys.min()!), 1e-3)
        let fingerYs = ys[5...20]
        upMargin = (fingerYs.min()! - points[4].y) / size
        downMargin = (points[4].y - fingerYs.max()!) / size
    }
}
