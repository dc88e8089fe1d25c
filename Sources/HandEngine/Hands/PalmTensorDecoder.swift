import Foundation

/// Turns the palm model's raw outputs into detections, as MediaPipe's `TensorsToDetectionsCalculator`
/// does with the options in `palm_detection_cpu.pbtxt`: 2016 boxes of 18 values (box x, y, w, h
/// then 7 keypoints x, y, i.e. `reverse_output_order`), coordinates divided by 192 and offset by the
/// anchor, score = sigmoid(clip(logit, ±100)), kept when ≥ 0.5.
public struct PalmTensorDecoder: Sendable {
    public static let coordinatesPerBox = 18
    public static let keypointCount = 7
    /// The scale the regressions are expressed in (the model's input size).
    public var coordinateScale: Float = 192
    public var scoreClipping: Float = 100
    public var minScore: Float = 0.5
    public let anchors: [Anchor]

    public init(anchors: [Anchor] = SSDAnchors.generate(.palmDetection)) {
        self.anchors = anchors
    }

    /// Detections in the model input's normalised coordinates, in anchor order.
    public func decode(boxes: UnsafeBufferPointer<Float>, scores: UnsafeBufferPointer<Float>) -> [PalmDetection] {
        precondition(scores.count >= anchors.count && boxes.count >= anchors.count * Self.coordinatesPerBox,
                     "palm outputs smaller than the anchor set")
        // Compare logits rather than probabilities: sigmoid is monotonic, so only the few boxes that
        // pass need the exponential.
        let minLogit = log(minScore / (1 - minScore))
        var detections: [PalmDetection] = []
        for index in anchors.indices {
            let logit = min(max(scores[index], -scoreClipping), scoreClipping)
            guard logit >= minLogit else { continue }
            let score = 1 / (1 + exp(-logit))
            // The logit test can disagree with MediaPipe's probability test by one ulp at the edge.
            guard score >= minScore else { continue }
            let anchor = anchors[index]
            let base = index * Self.coordinatesPerBox
            let xCenter = boxes[base] / coordinateScale * anchor.width + anchor.xCenter
            let yCenter = boxes[base + 1] / coordinateScale * anchor.height + anchor.yCenter
            let width = boxes[base + 2] / coordinateScale * anchor.width
            let height = boxes[base + 3] / coordinateScale * anchor.height
            // MediaPipe drops boxes whose decoded size is negative or NaN (b/171391719).
            guard width >= 0, height >= 0 else { continue }
            var keypoints: [SIMD2<Float>] = []
            keypoints.reserveCapacity(Self.keypointCount)
            for k in 0..<Self.keypointCount {
                let offset = base + 4 + 2 * k
                keypoints.append(SIMD2(boxes[offset] / coordinateScale * anchor.width + anchor.xCenter,
                                       boxes[offset + 1] / coordinateScale * anchor.height + anchor.yCenter))
            }
            detections.append(PalmDetection(score: score, xMin: xCenter - width / 2, yMin: yCenter - height / 2,
                                            width: width, height: height, keypoints: keypoints))
        }
        return detections
    }
}
