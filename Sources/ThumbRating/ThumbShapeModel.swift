import Foundation

/// Whether a hand has the shape of a thumb gesture (four fingers folded, thumb out), from its
/// `HandPose.shapeFeatures`: a logistic regression on standardised features.
///
/// The numbers are learned, not set by hand: `snaprate train-thumbs` fits them on a labelled photo
/// set (`ThumbShapeModel.fit`) and writes `ThumbShapeModel+Standard.swift`; `snaprate eval` refits
/// them with each source of photos left out in turn to report figures on people the model has not
/// seen.
public struct ThumbShapeModel: Sendable, Equatable {
    public var mean: [Float]
    public var scale: [Float]
    public var weights: [Float]
    public var bias: Float

    public init(mean: [Float], scale: [Float], weights: [Float], bias: Float) {
        precondition(mean.count == HandPose.featureCount && scale.count == mean.count && weights.count == mean.count,
                     "a shape model has one mean, scale and weight per feature")
        self.mean = mean
        self.scale = scale
        self.weights = weights
        self.bias = bias
    }

    /// The probability that `features` are a thumb gesture's shape.
    public func probability(_ features: [Float]) -> Float {
        var logit = bias
        for i in weights.indices {
            logit += weights[i] * (features[i] - mean[i]) / scale[i]
        }
        return 1 / (1 + expf(-logit))
    }
}
