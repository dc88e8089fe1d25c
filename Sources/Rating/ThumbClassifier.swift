import HandEngine

/// Decides from 21 landmarks whether a hand shows thumbs-up, thumbs-down or neither.
///
/// The rule reads what a person sees in the gesture, in the image plane (MediaPipe's depth is too
/// noisy on fists seen from the side to judge curl in 3D):
/// - the thumb is straight: its MCP-to-tip distance is nearly the length of its two segments;
/// - the four fingers are folded: no fingertip reaches further from its knuckle than `maxFingerSpan`
///   thumb lengths (an open palm, a V sign, a pointing finger reach 1.35-2x; a fist 0.2-1x);
/// - the thumb (base to tip) points within `maxAngle` degrees of vertical, and its tip is the hand's extreme
///   point that way, beyond every finger landmark by `minMargin` of the hand's size (a fist with the
///   thumb tucked on top is not a thumbs-up).
public struct ThumbClassifier: Sendable {
    public struct Thresholds: Sendable, Equatable {
        public var maxAngle: Float = 50
        public var minMargin: Float = 0.1
        public var maxFingerSpan: Float = 1.25
        public var minThumbStraightness: Float = 0.75

        public init() {}
    }

    public let thresholds: Thresholds

    public init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
    }

    /// The verdict on one hand; `width` and `height` turn normalised landmarks into pixels, so
    /// angles are true angles whatever the image's aspect.
    public func classify(_ hand: Hand, width: Int, height: Int) -> (thumb: ThumbClass, confidence: Float) {
        let geometry = HandGeometry(hand, width: Float(width), height: Float(height))
        let t = thresholds
        // Each score is how far inside its threshold the hand is: 0 at the threshold, 1 well inside.
        let straight = inside(geometry.thumbStraightness, above: t.minThumbStraightness, span: 0.2)
        let folded = inside(geometry.fingerSpan, below: t.maxFingerSpan, span: 0.5)
        let upward = geometry.thumbAngleFromUp
        let rating: Rating? = upward <= t.maxAngle ? .up : (180 - upward <= t.maxAngle ? .down : nil)
        guard straight > 0, folded > 0, let rating else {
            return (.none, 1 - 0.5 * max(0, min(straight, folded)))
        }
        let angle = rating == .up ? upward : 180 - upward
        let margin = rating == .up ? geometry.upMargin : geometry.downMargin
        let aimed = inside(angle, below: t.maxAngle, span: t.maxAngle)
        let beyond = inside(margin, above: t.minMargin, span: 0.3)
        guard beyond > 0 else { return (.none, 0.75) }
        let score = min(straight, folded, aimed, beyond)
        return (rating == .up ? .up : .down, 0.5 + 0.5 * score)
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

    private func inside(_ value: Float, below limit: Float, span: Float) -> Float {
        max(-1, min(1, (limit - value) / span))
    }

    private func inside(_ value: Float, above limit: Float, span: Float) -> Float {
        max(-1, min(1, (value - limit) / span))
    }
}
