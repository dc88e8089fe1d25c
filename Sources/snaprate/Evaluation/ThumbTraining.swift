import HandEngine
import SnapRateCore
import ThumbRating

/// How the thumb-shape model is learned from observed photos: the same recipe for the committed
/// model (`train-thumbs`) and for every leave-one-source-out refit (`eval`).
struct ThumbTraining: Sendable {
    /// Jittered copies of each hand (landmarks moved by Gaussian noise of `jitter` palm sizes), so
    /// the model does not rely on the exact landmark placement of the few people it saw.
    var jitterCopies = 4
    var jitter: Float = 0.04
    var ridge = 1.0

    /// The model fitted on every observation of the as-is pictures whose source is not `leftOut`;
    /// nil when those hold no thumb gesture or nothing else to tell it from.
    func fit(_ observations: [Evaluator.Observation], leavingOut leftOut: String? = nil) -> ThumbShapeModel? {
        let samples = samples(observations.filter { $0.variant == .asIs && $0.photo.source != leftOut })
        guard samples.contains(where: \.isThumbGesture), samples.contains(where: { !$0.isThumbGesture }) else { return nil }
        return ThumbShapeModel.fit(samples, ridge: ridge)
    }

    /// Every hand in a `none` photo is a negative; in an `up` or `down` photo, the hands whose thumb
    /// points the labelled way are positives (a second hand in a rating photo may show anything,
    /// so it teaches nothing). Positives and negatives weigh the same in total.
    func samples(_ observations: [Evaluator.Observation]) -> [ThumbShapeModel.Sample] {
        let direction = ThumbClassifier.Configuration().maxAngle
        var noise = GaussianNoise(seed: 0x7417_B5)
        var hands: [(pixels: [SIMD2<Float>], positive: Bool)] = []
        for observation in observations where observation.error == nil {
            for hand in observation.hands {
                let pixels = hand.landmarks.map { SIMD2($0.x * Float(observation.width), $0.y * Float(observation.height)) }
                let angle = HandPose(pixels: pixels).thumbAngleFromUp
                switch observation.photo.truth {
                case .none: hands.append((pixels, false))
                case .up where angle <= direction, .down where 180 - angle <= direction: hands.append((pixels, true))
                default: continue
                }
            }
        }
        let positives = hands.filter(\.positive).count, negatives = hands.count - positives
        var samples: [ThumbShapeModel.Sample] = []
        for hand in hands {
            let weight = Double(hands.count) / Double(2 * max(1, hand.positive ? positives : negatives))
            samples.append(.init(features: HandPose(pixels: hand.pixels).shapeFeatures, isThumbGesture: hand.positive, weight: weight))
            let palm = HandPose.palmSize(hand.pixels)
            for _ in 0..<jitterCopies {
                let moved = hand.pixels.map { $0 + SIMD2(noise.next(), noise.next()) * jitter * palm }
                samples.append(.init(features: HandPose(pixels: moved).shapeFeatures, isThumbGesture: hand.positive, weight: weight))
            }
        }
        return samples
    }
}
