import Foundation
import Logging

/// MediaPipe's `PalmDetectionCpu`: letterbox the image into the 192x192 palm model (aspect kept,
/// zero border, values in [0, 1]), run it, decode the 2016 anchors, weighted NMS at IoU 0.3, and
/// map the boxes back from the letterboxed square to the image.
public final class PalmDetector {
    public static let inputSize = 192

    private let interpreter: Interpreter
    private var decoder: PalmTensorDecoder
    private let boxesOutput: Int
    private let scoresOutput: Int
    private let logger: Logger

    public var minScore: Float {
        get { decoder.minScore }
        set { decoder.minScore = newValue }
    }

    public init(model url: URL, logger: Logger, sharing: SharedWeights? = nil, arena: SharedArena? = nil) throws {
        interpreter = try Interpreter(model: url, logger: logger, sharing: sharing, arena: arena)
        decoder = PalmTensorDecoder()
        self.logger = logger
        // The regressors (18 values per anchor) and the scores (1 per anchor); told apart by shape
        // so that a renamed output doesn't silently swap them.
        guard let boxes = interpreter.outputs.firstIndex(where: { $0.shape.last == PalmTensorDecoder.coordinatesPerBox }),
              let scores = interpreter.outputs.firstIndex(where: { $0.shape.last == 1 }),
              interpreter.inputs.first?.shape == [1, Self.inputSize, Self.inputSize, 3]
        else {
            throw HandModelError("\(url.lastPathComponent) does not look like MediaPipe's palm detector")
        }
        boxesOutput = boxes
        scoresOutput = scores
    }

    /// Palms in `image`, best first, normalised to the image.
    public func detect(in image: RGBImage) -> [PalmDetection] {
        detect(in: image, region: .letterbox(width: image.width, height: image.height))
    }

    /// Palms in a square `region` of the image (which may reach past its edges: the outside reads
    /// as black). The plain letterbox is the centred square of the image's larger side; a larger
    /// square zooms out, which helps when a hand fills the picture.
    public func detect(in image: RGBImage, region: RotatedRect) -> [PalmDetection] {
        precondition(region.rotation == 0 && region.width == region.height, "palm regions are upright squares")
        AffineCrop.warp(image, region: region, into: interpreter.input(0),
                        width: Self.inputSize, height: Self.inputSize, border: .zero)
        interpreter.invoke()
        let raw = decoder.decode(boxes: interpreter.output(boxesOutput), scores: interpreter.output(scoresOutput))
        let palms = WeightedNMS.suppress(raw, iouThreshold: 0.3)
        logger.trace("palm detector", metadata: ["candidates": "\(raw.count)", "palms": "\(palms.count)"])
        return palms.map { removeLetterbox($0, region: region, image: image) }
    }

    /// Model-input coordinates → image coordinates. For the plain letterbox this is MediaPipe's
    /// `DetectionLetterboxRemovalCalculator` ((v − pad) / (1 − 2·pad)) written as a map of the square.
    private func removeLetterbox(_ palm: PalmDetection, region: RotatedRect, image: RGBImage) -> PalmDetection {
        let size = SIMD2<Float>(Float(image.width), Float(image.height))
        let side = SIMD2<Float>(repeating: region.width)
        let origin = SIMD2<Float>(region.centerX, region.centerY) - side / 2
        func map(_ point: SIMD2<Float>) -> SIMD2<Float> { (origin + point * side) / size }
        var result = palm
        let corner = map(SIMD2(palm.xMin, palm.yMin))
        result.xMin = corner.x
        result.yMin = corner.y
        result.width = palm.width * region.width / size.x
        result.height = palm.height * region.width / size.y
        result.keypoints = palm.keypoints.map(map)
        return result
    }
}

/// A model file that loads but is not the model the pipeline expects.
public struct HandModelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
