import Foundation

/// A wider search, beyond MediaPipe, for pictures where its palm detector finds nothing.
///
/// The palm detector misses hands that fill most of the picture (close-up crops, small webcam
/// stills), hands cut off by the picture's edge (no whole palm to see), small hands in dim,
/// blurred pictures, and a visitor two metres from a tablet, whose palm shrinks to a few pixels of
/// the detector's 192x192 input. Three ways round it, tried in order:
/// 1. zoom out: shrink the picture into the middle of a black square 1.5, 2 or 3 times its size and
///    run the palm detector again;
/// 2. zoom in: run the palm detector on overlapping squares of half the picture's larger side,
///    where a small hand is twice the size it is in the whole picture;
/// 3. try fixed squares (`SearchSquare.standard`: the whole picture, squares hanging over each
///    edge, quadrants, a grid of smaller ones; each turned by quarter turns) as the landmark model's
///    ROI, take the few the model likes best at first look, and let the hand's own landmarks
///    re-centre its ROI, as tracking does between video frames.
/// In video, a hand the tracker has just lost first gets one look where it was (`lookAgain`): its
/// last ROI, grown. Every way, a hand is kept only when the landmark model, looking at the refined
/// ROI, is very sure there is one (presence > 0.9). On the shared set's pictures without a hand
/// (an empty room, a face, a browser's synthetic camera) no square's refined presence reaches
/// 0.75, so the bar leaves a margin.
///
/// Not thread-safe (it keeps its place in the squares between video frames); one per tracker.
public final class HandRescue {
    public struct Options: Sendable {
        /// Zoom-out factors for the second palm search (the black square's side over the photo's
        /// larger side).
        public var zoomOuts: [Float] = [1.5, 2, 3]
        /// Photos: the zoomed-in palm search's squares, side over the picture's larger side
        /// (`ZoomInSquares`). Video searches them in turn with the tracker's own palm search.
        public var zoomInSide: Float? = 0.5
        /// ROI rotations (radians) for the square search: all four quarter turns. The landmark
        /// model expects the fingers above the wrist; in a thumb gesture they point sideways, and
        /// in a thumbs-down made with the wrist raised, down.
        public var squareRotations: [Float] = [0, .pi / 2, -.pi / 2, .pi]
        /// The square ROIs to try.
        public var searchSquares: [SearchSquare] = SearchSquare.standard
        /// How many squares, the best at first look, may be refined: refining costs two landmark
        /// runs each, and the squares overlap, so the best few nearly always hold the hand if any
        /// does.
        public var refinedSquares = 3
        /// The first-look presence a square needs to be refined at all.
        public var minFirstLook: Float = 0.5
        /// How many times a candidate's ROI is re-derived from its own landmarks.
        public var refinements = 2
        /// The presence a rescued hand must exceed after refinement (MediaPipe's own bar is 0.5).
        public var minPresence: Float = 0.9
        /// Video: a hand the tracker has just lost is looked for again in its last ROI grown by
        /// this, which still holds it after it moved by a quarter of that ROI's side.
        public var lostHandGrowth: Float = 1.5
        /// Video: one search tries only this share of the squares (1 of `videoSlices`), the next
        /// search the next share, so a search costs a fraction of a photo's while the whole
        /// set is still covered every `videoSlices` searches (1.5 s at two searches a second).
        public var videoSlices = 3

        public init() {}

        /// For live video, where the search runs on frames with no hand in sight, which at a kiosk
        /// is most of the day: one zoomed-out palm search and a sixth of the squares per call
        /// (12 landmark looks, ~60 ms with the lite models), so at two calls a second an idle
        /// stream spends about a tenth of a core on it, all squares covered every 3 s.
        public static var video: Options {
            var options = Options()
            options.zoomOuts = [2]
            options.videoSlices = 6
            return options
        }
    }

    /// A square region of the picture to try as a hand ROI: centre normalised to the picture,
    /// side over the picture's larger side. A square may reach beyond the picture: the landmark
    /// crop repeats the edge pixels there (MediaPipe's own border for that model), which is what
    /// a hand cut off by the frame needs to be seen whole-sized.
    public struct SearchSquare: Sendable, Equatable {
        public var x: Float
        public var y: Float
        public var side: Float

        public init(x: Float, y: Float, side: Float) {
            self.x = x
            self.y = y
            self.side = side
        }

        /// Squares for three hand sizes, largest first:
        /// - side 1: the whole picture, and one hanging 35% of its side over each edge (a hand that
        ///   fills the frame and is cut off by it: the part inside is all the model gets, and a
        ///   square centred inside would show it too small and off-centre);
        /// - side 0.7: the four quadrants' worth, overlapping in the middle;
        /// - side 0.5: a 3x3 grid, for hands a third of the frame or smaller that the palm
        ///   detector still misses (blur, dim light, the back of the hand).
        public static let standard: [SearchSquare] =
            [SearchSquare(x: 0.5, y: 0.5, side: 1)]
                + [(0.15, 0.5), (0.85, 0.5), (0.5, 0.15), (0.5, 0.85)].map { SearchSquare(x: $0.0, y: $0.1, side: 1) }
                + grid([0.35, 0.65], side: 0.7)
                + grid([0.3, 0.5, 0.7], side: 0.5)

        private static func grid(_ positions: [Float], side: Float) -> [SearchSquare] {
            positions.flatMap { y in positions.map { x in SearchSquare(x: x, y: y, side: side) } }
        }
    }

    public let options: Options
    private let maxHands: Int
    private let duplicateIoU: Float
    /// Video: which slice of the squares the next search tries.
    private var nextSlice = 0

    init(options: Options, maxHands: Int, duplicateIoU: Float) {
        self.options = options
        self.maxHands = maxHands
        self.duplicateIoU = duplicateIoU
    }

    /// Hands found by the wider search; empty when none is convincing. `sliced` (video) tries
    /// the next share of the squares rather than all of them.
    func search(_ image: RGBImage, models: HandModels, sliced: Bool = false) -> [Hand] {
        let landmarker = models.landmarker
        let zoomOuts = options.zoomOuts.map { RotatedRect.letterbox(width: image.width, height: image.height, zoomOut: $0) }
        let zoomIns = sliced ? [] : options.zoomInSide.map { ZoomInSquares.squares(for: image, side: $0) } ?? []
        for region in zoomOuts + zoomIns {
            let palms = models.palmDetector.detect(in: image, region: region)
            let rois = palms.prefix(maxHands).map { HandROI.fromPalm($0, imageWidth: image.width, imageHeight: image.height) }
            let hands = HandTracker.associate(rois, threshold: duplicateIoU).compactMap { confirmed(from: $0, in: image, landmarker: landmarker) }
            if !hands.isEmpty { return hands }
        }
        return bestSquare(in: image, rois: squareROIs(for: image, sliced: sliced), landmarker: landmarker).map { [$0] } ?? []
    }

    /// Video: the hands the tracker lost, looked for where they were (`rois`, their last ROIs),
    /// each grown by `lostHandGrowth`, refined and held to the rescue's bar. A hand the palm
    /// detector no longer sees (turned, blurred, or so close that no whole palm shows) and that
    /// moved too far in one picture for its tracked ROI is mostly still there.
    func lookAgain(at rois: [HandROI], in image: RGBImage, models: HandModels) -> [Hand] {
        let grown = rois.map {
            $0.transformed(scale: options.lostHandGrowth, shiftY: 0, squareLong: false,
                           imageWidth: image.width, imageHeight: image.height)
        }
        return HandTracker.associate(grown, threshold: duplicateIoU).compactMap {
            confirmed(from: $0, in: image, landmarker: models.landmarker)
        }
    }

    /// Forgets the video slice position (a new stream).
    func reset() {
        nextSlice = 0
    }

    /// Every square × rotation as an ROI, or in video the next slice of them. The slices interleave
    /// (every `videoSlices`-th ROI) so each one holds all sizes and places.
    func squareROIs(for image: RGBImage, sliced: Bool) -> [HandROI] {
        var rois: [HandROI] = []
        for square in options.searchSquares {
            let side = Float(image.largerSide) * square.side
            for rotation in options.squareRotations {
                rois.append(HandROI(xCenter: square.x, yCenter: square.y, width: side / Float(image.width),
                                    height: side / Float(image.height), rotation: rotation))
            }
        }
        let slices = max(1, options.videoSlices)
        guard sliced, slices > 1 else { return rois }
        let slice = nextSlice % slices
        nextSlice = (slice + 1) % slices
        return rois.indices.filter { $0 % slices == slice }.map { rois[$0] }
    }

    /// The hand among the ROIs: one cheap look at each, then the best few at first look refined in
    /// that order, keeping the first that passes. The squares overlap and can all find the same
    /// hand, so one hand at most. Not the highest refined presence: on any hand it saturates near
    /// 0.99, and a square that framed the hand worse can converge on a different pose (fingers
    /// placed outside the picture) with a hair more; the square the model liked best at first
    /// sight holds the most of the hand.
    private func bestSquare(in image: RGBImage, rois: [HandROI], landmarker: HandLandmarker) -> Hand? {
        let firstLooks = rois.map { landmarker.landmarks(in: image, roi: $0) }
            .filter { $0.score > options.minFirstLook }
            .sorted { $0.score > $1.score }
            .prefix(options.refinedSquares)
        for firstLook in firstLooks {
            if let hand = refined(firstLook, in: image, landmarker: landmarker) { return hand }
        }
        return nil
    }

    /// The hand in `roi` after re-centring on its own landmarks, if the model is sure of it.
    private func confirmed(from roi: HandROI, in image: RGBImage, landmarker: HandLandmarker) -> Hand? {
        let hand = landmarker.landmarks(in: image, roi: roi)
        // A first look that sees no hand at all is not worth refining.
        guard hand.score > options.minFirstLook else { return nil }
        return refined(hand, in: image, landmarker: landmarker)
    }

    private func refined(_ firstLook: Hand, in image: RGBImage, landmarker: HandLandmarker) -> Hand? {
        var hand = firstLook
        for _ in 0..<options.refinements {
            let next = HandROI.fromLandmarks(hand.landmarks, imageWidth: image.width, imageHeight: image.height)
            hand = landmarker.landmarks(in: image, roi: next)
        }
        return hand.score > options.minPresence ? hand : nil
    }
}
