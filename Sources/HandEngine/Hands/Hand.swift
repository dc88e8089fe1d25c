/// Which hand MediaPipe says it is. MediaPipe assumes a mirrored (selfie) image, so on an unmirrored
/// camera picture "Left" is the person's right hand; SnapRate reports the label unchanged.
public enum Handedness: String, Sendable, Codable {
    case left = "Left"
    case right = "Right"
}

/// One hand found in an image.
public struct Hand: Sendable {
    /// 21 landmarks (0 wrist, 1–4 thumb, 5–8 index, 9–12 middle, 13–16 ring, 17–20 pinky):
    /// x and y normalised to the image's width and height (origin top left), z relative depth with
    /// the wrist near 0, scaled like x (MediaPipe's convention).
    public var landmarks: [SIMD3<Float>]
    /// The landmark model's hand-presence probability.
    public var score: Float
    public var handedness: Handedness
    /// The probability of `handedness`.
    public var handednessScore: Float
    /// The region the landmarks were read from.
    public var roi: HandROI

    public init(landmarks: [SIMD3<Float>], score: Float, handedness: Handedness, handednessScore: Float, roi: HandROI) {
        self.landmarks = landmarks
        self.score = score
        self.handedness = handedness
        self.handednessScore = handednessScore
        self.roi = roi
    }
}
