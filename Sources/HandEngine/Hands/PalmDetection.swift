/// A palm the detector found: a box, seven keypoints (0 wrist centre, 2 middle-finger MCP, …) and
/// the detector's score. Coordinates are normalised to the image the detection refers to.
public struct PalmDetection: Sendable {
    public var score: Float
    public var xMin: Float
    public var yMin: Float
    public var width: Float
    public var height: Float
    public var keypoints: [SIMD2<Float>]

    public init(score: Float, xMin: Float, yMin: Float, width: Float, height: Float, keypoints: [SIMD2<Float>]) {
        self.score = score
        self.xMin = xMin
        self.yMin = yMin
        self.width = width
        self.height = height
        self.keypoints = keypoints
    }

    /// Intersection over union of the two boxes, as MediaPipe's NMS measures overlap.
    public func iou(_ other: PalmDetection) -> Float {
        let left = max(xMin, other.xMin)
        let top = max(yMin, other.yMin)
        let right = min(xMin + width, other.xMin + other.width)
        let bottom = min(yMin + height, other.yMin + other.height)
        guard right > left, bottom > top else { return 0 }
        let intersection = (right - left) * (bottom - top)
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }
}
