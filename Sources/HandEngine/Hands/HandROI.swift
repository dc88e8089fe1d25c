import Foundation

/// The rotated square of the image the landmark model looks at (MediaPipe's `NormalizedRect`):
/// centre and size normalised to the image's width and height, rotation in radians.
public struct HandROI: Sendable, Equatable {
    public var xCenter: Float
    public var yCenter: Float
    public var width: Float
    public var height: Float
    public var rotation: Float

    public init(xCenter: Float, yCenter: Float, width: Float, height: Float, rotation: Float) {
        self.xCenter = xCenter
        self.yCenter = yCenter
        self.width = width
        self.height = height
        self.rotation = rotation
    }

    /// The same region in pixels.
    public func pixelRect(imageWidth: Int, imageHeight: Int) -> RotatedRect {
        RotatedRect(centerX: xCenter * Float(imageWidth), centerY: yCenter * Float(imageHeight),
                    width: width * Float(imageWidth), height: height * Float(imageHeight), rotation: rotation)
    }

    /// Overlap of the unrotated boxes, as MediaPipe's `AssociationNormRectCalculator` measures it
    /// when it de-duplicates hands (it ignores rotation).
    public func iou(_ other: HandROI) -> Float {
        let left = max(xCenter - width / 2, other.xCenter - other.width / 2)
        let right = min(xCenter + width / 2, other.xCenter + other.width / 2)
        let top = max(yCenter - height / 2, other.yCenter - other.height / 2)
        let bottom = min(yCenter + height / 2, other.yCenter + other.height / 2)
        guard right > left, bottom > top else { return 0 }
        let intersection = (right - left) * (bottom - top)
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }

    /// MediaPipe's `RectTransformationCalculator` for normalised rects: shift along the rotated
    /// axes (in units of the rect's size), optionally square to the long side in pixels, then scale.
    public func transformed(scale: Float, shiftX: Float = 0, shiftY: Float, squareLong: Bool,
                            imageWidth: Int, imageHeight: Int) -> HandROI {
        let w = Float(imageWidth), h = Float(imageHeight)
        var result = self
        let cosine = cos(rotation), sine = sin(rotation)
        result.xCenter += (w * width * shiftX * cosine - h * height * shiftY * sine) / w
        result.yCenter += (w * width * shiftX * sine + h * height * shiftY * cosine) / h
        var newWidth = width, newHeight = height
        if squareLong {
            let longSide = max(width * w, height * h)
            newWidth = longSide / w
            newHeight = longSide / h
        }
        result.width = newWidth * scale
        result.height = newHeight * scale
        return result
    }

    /// `PalmDetectionDetectionToRoi`: the palm box rotated so that wrist (keypoint 0) → middle-finger
    /// MCP (keypoint 2) points up, moved half a box towards the fingers and grown 2.6× to a square.
    /// The detection must be normalised to the image.
    public static func fromPalm(_ palm: PalmDetection, imageWidth: Int, imageHeight: Int) -> HandROI {
        let w = Float(imageWidth), h = Float(imageHeight)
        let wrist = palm.keypoints[0], middle = palm.keypoints[2]
        let rotation = normalizeRadians(Float.pi / 2 - atan2(-(middle.y - wrist.y) * h, (middle.x - wrist.x) * w))
        let box = HandROI(xCenter: palm.xMin + palm.width / 2, yCenter: palm.yMin + palm.height / 2,
                          width: palm.width, height: palm.height, rotation: rotation)
        return box.transformed(scale: 2.6, shiftY: -0.5, squareLong: true, imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// `HandLandmarkLandmarksToRoi`: the tracking ROI for the next frame from this frame's 21
    /// landmarks (normalised to the image), squared, grown 2× and shifted a tenth of its height
    /// towards the fingers (shift_y −0.1 in the hand's frame, where the wrist is at the bottom).
    public static func fromLandmarks(_ landmarks: [SIMD3<Float>], imageWidth: Int, imageHeight: Int) -> HandROI {
        handRect(landmarks, imageWidth: imageWidth, imageHeight: imageHeight)
            .transformed(scale: 2.0, shiftY: -0.1, squareLong: true, imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// The joints `HandLandmarksToRectCalculator` uses: wrist, thumb CMC/MCP/IP and the MCP and PIP
    /// of each finger (the fingertips move too much to bound a stable box).
    static let rectJoints = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]

    /// MediaPipe's `HandLandmarksToRectCalculator`: rotation from the wrist to the mean of the index,
    /// middle and ring MCPs (weighted as MediaPipe does: middle counts double), and the tightest box
    /// of the joints in that rotated frame.
    static func handRect(_ landmarks: [SIMD3<Float>], imageWidth: Int, imageHeight: Int) -> HandROI {
        let w = Float(imageWidth), h = Float(imageHeight)
        let wrist = landmarks[0]
        let indexRing = (landmarks[5] + landmarks[13]) / 2
        let target = (indexRing + landmarks[9]) / 2
        let rotation = normalizeRadians(Float.pi / 2 - atan2(-(target.y - wrist.y) * h, (target.x - wrist.x) * w))
        let reverse = normalizeRadians(-rotation)

        var minX = Float.greatestFiniteMagnitude, minY = Float.greatestFiniteMagnitude
        // MediaPipe starts its maxima at numeric_limits<float>::min() (the smallest positive float),
        // not at -infinity; harmless for real landmarks, kept for parity.
        var maxX = Float.leastNormalMagnitude, maxY = Float.leastNormalMagnitude
        for joint in rectJoints {
            minX = min(minX, landmarks[joint].x); maxX = max(maxX, landmarks[joint].x)
            minY = min(minY, landmarks[joint].y); maxY = max(maxY, landmarks[joint].y)
        }
        let centerX = (maxX + minX) / 2, centerY = (maxY + minY) / 2

        let cosReverse = cos(reverse), sinReverse = sin(reverse)
        minX = .greatestFiniteMagnitude; minY = .greatestFiniteMagnitude
        maxX = .leastNormalMagnitude; maxY = .leastNormalMagnitude
        for joint in rectJoints {
            let x = (landmarks[joint].x - centerX) * w, y = (landmarks[joint].y - centerY) * h
            let px = x * cosReverse - y * sinReverse, py = x * sinReverse + y * cosReverse
            minX = min(minX, px); maxX = max(maxX, px)
            minY = min(minY, py); maxY = max(maxY, py)
        }
        let projectedX = (maxX + minX) / 2, projectedY = (maxY + minY) / 2
        let cosine = cos(rotation), sine = sin(rotation)
        let pixelX = projectedX * cosine - projectedY * sine + w * centerX
        let pixelY = projectedX * sine + projectedY * cosine + h * centerY
        return HandROI(xCenter: pixelX / w, yCenter: pixelY / h, width: (maxX - minX) / w, height: (maxY - minY) / h,
                       rotation: rotation)
    }
}

/// An angle in [−π, π), as MediaPipe's `NormalizeRadians`.
func normalizeRadians(_ angle: Float) -> Float {
    angle - 2 * Float.pi * ((angle + Float.pi) / (2 * Float.pi)).rounded(.down)
}
