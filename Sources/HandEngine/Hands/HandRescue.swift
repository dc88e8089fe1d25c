import Foundation

/// A wider search, beyond MediaPipe, for photos where its palm detector finds nothing.
///
/// The palm detector misses hands that fill most of the picture (close-up crops, small webcam
/// stills): they are larger than the palms it was trained on. Two ways round it, tried in order:
/// 1. zoom out: shrink the photo into the middle of a black square 1.5, 2 or 3 times its size and
///    run the palm detector again;
/// 2. try fixed squares (the whole picture, then smaller ones in the middle and towards the
///    corners, each turned 0° and ±90°) as the landmark model's ROI, and let the hand's own
///    landmarks re-centre the ROI, as tracking does between video frames.
/// Either way a hand is kept only when the landmark model, looking at the refined ROI, is very sure
/// there is one (presence > 0.9): on the shared set's photos without a hand no candidate even
/// reaches 0.5 at first look, so the bar leaves a wide margin.
public final class HandRescue {
    public struct Options: Sendable {
        /// Zoom-out factors for the second palm search (the black square's side over the photo's
        /// larger side).
        public var zoomOuts: [Float] = [1.5, 2, 3]
        /// ROI rotations (radians) for the square search; a thumb gesture's palm axis is
        /// often horizontal, so the quarter turns matter.
        public var squareRotations: [Float] = [0, .pi / 2, -.pi / 2]
        /// The square ROIs to try: centre (normalised to the picture) and side
        /// (over the picture's larger side). The whole picture, then smaller squares in the middle
        /// and towards the corners, where a hand cut by the frame's edge often is.
        public var searchSquares: [SearchSquare] = [SearchSquare(x: 0.5, y: 0.5, side: 1), SearchSquare(x: 0.5, y: 0.5, side: 0.7)]
            + [0.35, 0.65].flatMap { y in [0.35, 0.65].map { x in SearchSquare(x: x, y: y, side: 0.7) } }
        /// How many times a candidate's ROI is re-derived from its own landmarks.
        public var refinements = 2
        /// The presence a rescued hand must exceed after refinement (MediaPipe's own bar is 0.5).
        public var minPresence: Float = 0.9

        public init() {}
    }

    /// A square region of the picture to try as a hand ROI.
    public struct SearchSquare: Sendable {
        public var x: Float
        public var y: Float
        public var side: Float

        public init(x: Float, y: Float, side: Float) {
            self.x = x
            self.y = y
            self.side = side
        }
    }

    public let options: Options
    private let palmDetector: PalmDetector
    private let landmarker: HandLandmarker
    private let maxHands: Int
    private let duplicateIoU: Float

    init(options: Options, palmDetector: PalmDetector, landmarker: HandLandmarker, maxHands: Int, duplicateIoU: Float) {
        self.options = options
        self.palmDetector = palmDetector
        self.landmarker = landmarker
        self.maxHands = maxHands
        self.duplicateIoU = duplicateIoU
    }

    /// Hands found by the wider search; empty when none is convincing.
    func search(_ image: RGBImage) -> [Hand] {
        for zoom in options.zoomOuts {
            let palms = palmDetector.detect(in: image, region: .letterbox(width: image.width, height: image.height, zoomOut: zoom))
            let rois = palms.prefix(maxHands).map { HandROI.fromPalm($0, imageWidth: image.width, imageHeight: image.height) }
            let hands = HandTracker.associate(rois, threshold: duplicateIoU).compactMap { confirmed(from: $0, in: image) }
            if !hands.isEmpty { return hands }
        }
        // The squares overlap and can all find the same hand: keep only the surest.
        var candidates: [Hand] = []
        for square in options.searchSquares {
            let side = Float(image.largerSide) * square.side
            for rotation in options.squareRotations {
                let roi = HandROI(xCenter: square.x, yCenter: square.y, width: side / Float(image.width),
                                  height: side / Float(image.height), rotation: rotation)
                if let hand = confirmed(from: roi, in: image) { candidates.append(hand) }
            }
        }
        return candidates.max { $0.score < $1.score }.map { [$0] } ?? []
    }

    /// The hand in `roi` after re-centring on its own landmarks, if the model is sure of it.
    private func confirmed(from roi: HandROI, in image: RGBImage) -> Hand? {
        var hand = landmarker.landmarks(in: image, roi: roi)
        // A first look that sees no hand at all is not worth refining.
        guard hand.score > 0.5 else { return nil }
        for _ in 0..<options.refinements {
            let next = HandROI.fromLandmarks(hand.landmarks, imageWidth: image.width, imageHeight: image.height)
            hand = landmarker.landmarks(in: image, roi: next)
        }
        return hand.score > options.minPresence ? hand : nil
    }
}
