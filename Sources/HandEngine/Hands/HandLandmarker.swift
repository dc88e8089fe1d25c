import Foundation
import Logging

/// MediaPipe's `HandLandmarkCpu`: warp the ROI into the 224x224 landmark model (edge pixels
/// repeated, values in [0, 1]), run it, and project the 21 landmarks back into the image.
///
/// The model's presence and handedness outputs end in a LOGISTIC op (checked in both .tflite
/// files), so they are probabilities already; no sigmoid is applied here.
public final class HandLandmarker {
    public static let inputSize = 224
    public static let landmarkCount = 21
    /// `TensorsToLandmarksCalculator`'s `normalize_z`: the training data's z spread.
    static let zNormalisation: Float = 0.4

    private let interpreter: Interpreter
    private let landmarksOutput: Int
    private let presenceOutput: Int
    private let handednessOutput: Int

    public init(model url: URL, logger: Logger, sharing: SharedWeights? = nil, arena: SharedArena? = nil) throws {
        interpreter = try Interpreter(model: url, logger: logger, sharing: sharing, arena: arena)
        // MediaPipe splits the outputs by position: 0 screen landmarks, 1 presence, 2 handedness,
        // 3 world landmarks; the names in the 0.10.21 files are Identity, Identity_1, Identity_2.
        guard let landmarks = interpreter.outputIndex(named: "Identity"),
              let presence = interpreter.outputIndex(named: "Identity_1"),
              let handedness = interpreter.outputIndex(named: "Identity_2"),
              interpreter.outputs[landmarks].shape.reduce(1, *) == Self.landmarkCount * 3,
              interpreter.inputs.first?.shape == [1, Self.inputSize, Self.inputSize, 3]
        else {
            throw HandModelError("\(url.lastPathComponent) does not look like MediaPipe's hand landmark model")
        }
        landmarksOutput = landmarks
        presenceOutput = presence
        handednessOutput = handedness
    }

    /// Landmarks of the hand in `roi` (a square in pixels), whatever its presence score: the caller
    /// decides what score is enough.
    public func landmarks(in image: RGBImage, roi: HandROI) -> Hand {
        let region = roi.pixelRect(imageWidth: image.width, imageHeight: image.height)
        AffineCrop.warp(image, region: region, into: interpreter.input(0),
                        width: Self.inputSize, height: Self.inputSize, border: .replicate)
        interpreter.invoke()
        let raw = interpreter.output(landmarksOutput)
        let cosine = cos(roi.rotation), sine = sin(roi.rotation)
        let size = Float(Self.inputSize)
        var points: [SIMD3<Float>] = []
        points.reserveCapacity(Self.landmarkCount)
        for index in 0..<Self.landmarkCount {
            // Tensor pixels → [0, 1] of the crop (no letterbox: the ROI is square) → image, as
            // `LandmarkProjectionCalculator` does; z is scaled like x.
            let x = raw[index * 3] / size - 0.5
            let y = raw[index * 3 + 1] / size - 0.5
            let z = raw[index * 3 + 2] / size / Self.zNormalisation
            points.append(SIMD3((cosine * x - sine * y) * roi.width + roi.xCenter,
                                (sine * x + cosine * y) * roi.height + roi.yCenter,
                                z * roi.width))
        }
        let presence = interpreter.output(presenceOutput)[0]
        // Binary classification over handedness.txt ("Left", "Right"): the value is P(Left).
        let left = interpreter.output(handednessOutput)[0]
        return Hand(landmarks: points, score: presence, handedness: left >= 0.5 ? .left : .right,
                    handednessScore: left >= 0.5 ? left : 1 - left, roi: roi)
    }
}
