import SnapRateCore

/// The classifier's verdict on one frame.
public struct FrameClass: Sendable, Equatable {
    public var thumb: ThumbClass
    /// How sure the classifier is of `thumb`, in [0, 1].
    public var confidence: Float
    /// How many hands the frame showed.
    public var hands: Int

    public init(thumb: ThumbClass, confidence: Float, hands: Int) {
        self.thumb = thumb
        self.confidence = confidence
        self.hands = hands
    }

    public static let noHands = FrameClass(thumb: .none, confidence: 1, hands: 0)
}
