import HandEngine
import SnapRateCore

/// Decides from 21 landmarks whether a hand shows thumbs-up, thumbs-down or neither, in two
/// separate questions, so that turning the camera cannot change the answer to the first:
/// - **shape**, in the hand's own frame (`HandPose`): are the four fingers folded and the thumb out?
///   A logistic regression learned from labelled photos (`ThumbShapeModel`) answers;
/// - **direction**, in the picture: the thumb counts as up or down within `maxAngle` of vertical.
///   Visitors tilt the thumb (a wrist turned towards a webcam at chest height points it 50-65
///   degrees off vertical), and a thumb more than about 75 degrees off points sideways; the
///   default sits between the two.
public struct ThumbClassifier: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// The largest angle, in degrees, between the thumb and vertical that still rates.
        public var maxAngle: Float = 67.5
        /// The shape probability a hand needs to count as a thumb gesture.
        public var minShapeProbability: Float = 0.5
        public var shape: ThumbShapeModel = .standard

        public init() {}

        public init(shape: ThumbShapeModel) {
            self.shape = shape
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The verdict on one hand; `width` and `height` turn normalised landmarks into pixels, so
    /// angles are true angles whatever the picture's aspect. The confidence of a rating is the
    /// shape probability; of `none`, how far the hand is from a rating.
    public func classify(_ hand: Hand, width: Int, height: Int) -> (thumb: ThumbClass, confidence: Float) {
        let pose = HandPose(hand, width: width, height: height)
        let shape = configuration.shape.probability(pose.shapeFeatures)
        let angle = pose.thumbAngleFromUp
        let rating: Rating? = angle <= configuration.maxAngle ? .up : (180 - angle <= configuration.maxAngle ? .down : nil)
        guard shape >= configuration.minShapeProbability, let rating else {
            return (.none, rating == nil ? max(shape, 1 - shape) : 1 - shape)
        }
        return (rating == .up ? .up : .down, shape)
    }

    /// The frame's class from all its hands: one rating gesture among hands that show none gives
    /// that rating; opposite ratings cancel out.
    public func classify(_ hands: [Hand], width: Int, height: Int) -> FrameClass {
        guard !hands.isEmpty else { return .noHands }
        var best: [Rating: Float] = [:]
        var noneConfidence: Float = 1
        for hand in hands {
            let verdict = classify(hand, width: width, height: height)
            if let rating = verdict.thumb.rating {
                best[rating] = max(best[rating] ?? 0, verdict.confidence)
            } else {
                noneConfidence = min(noneConfidence, verdict.confidence)
            }
        }
        if best.count == 1, let (rating, confidence) = best.first {
            return FrameClass(thumb: rating == .up ? .up : .down, confidence: confidence, hands: hands.count)
        }
        let confidence = best.count > 1 ? Float(0.5) : noneConfidence
        return FrameClass(thumb: .none, confidence: confidence, hands: hands.count)
    }
}
