import Foundation
import Logging

/// MediaPipe's `HandLandmarkTrackingCpu` for one stream: palm detection → hand ROIs → landmarks,
/// and in video mode each hand's landmarks give its ROI in the next frame.
///
/// The palm detector runs only when fewer than `maxHands` hands were tracked into this frame
/// (always for photos). Its ROIs and the tracked ones are merged as MediaPipe's association does:
/// an ROI overlapping an earlier one by IoU > 0.5 replaces it, tracked ROIs coming last so they win.
///
/// Not thread-safe; one tracker per stream. The networks themselves come from a
/// `HandModelSource` for each frame, so trackers can share them.
public final class HandTracker {
    public let options: HandTrackerOptions
    private let models: HandModelSource
    private let rescue: HandRescue?
    private let logger: Logger
    /// ROIs for the next frame, from this frame's landmarks (video mode only).
    private var trackedROIs: [HandROI] = []
    private var trackedSize: (width: Int, height: Int) = (0, 0)
    /// Media time of the last palm detection and of the last rescue search (video mode).
    private var lastPalmSearch: Double?
    private var lastRescue: Double?
    private var rescueBackoff: Double?
    /// Video: palm searches since a hand was last tracked (the zoomed-in squares take turns).
    private var searchesWithoutHand = 0
    /// Video: where the tracked hands were when the landmark model lost them all, and when.
    private var lostHands: (rois: [HandROI], time: Double?)?

    /// Palm-detector runs since creation: how often tracking saved one.
    public private(set) var palmDetectionRuns = 0
    /// Rescue searches since creation.
    public private(set) var rescueSearches = 0
    /// Video: looks where a lost hand was, since creation (`HandRescue.lookAgain`).
    public private(set) var lostHandLooks = 0

    public init(models: HandModelSource, options: HandTrackerOptions, logger: Logger) {
        self.models = models
        self.options = options
        self.logger = logger
        rescue = options.rescue.map {
            HandRescue(options: $0, maxHands: options.maxHands, duplicateIoU: options.duplicateIoU)
        }
    }

    public convenience init(palmDetector: PalmDetector, landmarker: HandLandmarker, options: HandTrackerOptions, logger: Logger) {
        self.init(models: .own(HandModels(palmDetector: palmDetector, landmarker: landmarker)), options: options, logger: logger)
    }

    /// Loads the variant's two models from `models`, for this tracker alone.
    public convenience init(variant: ModelVariant, models: ModelDirectory = .standard(),
                            options: HandTrackerOptions, logger: Logger) throws {
        let own = try HandModels(variant: variant, models: models, logger: logger)
        self.init(models: .own(own), options: options, logger: logger)
    }

    /// Whether a hand found in the last picture will be followed into the next (video mode).
    public var isTracking: Bool { !trackedROIs.isEmpty }

    /// Forgets tracked hands (a new scene or stream).
    public func reset() {
        trackedROIs = []
        lastPalmSearch = nil
        lastRescue = nil
        rescueBackoff = nil
        searchesWithoutHand = 0
        lostHands = nil
        rescue?.reset()
    }

    /// The hands in `image`, in MediaPipe's order (new detections first, then tracked hands).
    /// `time` is the frame's media time, which paces the searches of `palmSearchInterval` and
    /// `rescueInterval` in video mode; without it every frame searches.
    ///
    /// `allowRescue` false skips the wider search on this frame, whatever the options say: a live
    /// stream that has fallen behind real time sheds its most expensive, least common work first.
    public func process(_ image: RGBImage, time: Double? = nil, allowRescue: Bool = true) -> [Hand] {
        models.withModels { process(image, time: time, allowRescue: allowRescue, models: $0) } ?? []
    }

    private func process(_ image: RGBImage, time: Double?, allowRescue: Bool, models: HandModels) -> [Hand] {
        let palmDetector = models.palmDetector, landmarker = models.landmarker
        palmDetector.minScore = options.minDetectionScore
        if options.mode == .photo || trackedSize != (image.width, image.height) {
            trackedROIs = []
            trackedSize = (image.width, image.height)
        }
        var candidates: [HandROI] = []
        var detected = false
        if trackedROIs.count < options.maxHands && palmSearchDue(at: time) {
            detected = true
            lastPalmSearch = time
            palmDetectionRuns += 1
            let palms = palmDetector.detect(in: image, region: palmSearchRegion(for: image)).prefix(options.maxHands)
            candidates = palms.map { HandROI.fromPalm($0, imageWidth: image.width, imageHeight: image.height) }
        }
        let rois = Self.associate(candidates + trackedROIs, threshold: options.duplicateIoU)

        var hands: [Hand] = []
        var next: [HandROI] = []
        for roi in rois {
            let hand = landmarker.landmarks(in: image, roi: roi)
            guard hand.score > options.minPresence else { continue }
            hands.append(hand)
            next.append(HandROI.fromLandmarks(hand.landmarks, imageWidth: image.width, imageHeight: image.height))
        }
        if options.mode == .video {
            noteLostHands(tracked: trackedROIs, kept: next, at: time)
            trackedROIs = next
            if !next.isEmpty { searchesWithoutHand = 0 }
        }

        if !hands.isEmpty {
            paceRescue(found: true)
        } else if allowRescue, detected, let rescue, let lost = takeLostHands(at: time) {
            // The hand was there a picture or two ago: one look where it was costs a few landmark
            // runs, the squares' slice a dozen and a palm search.
            lostHandLooks += 1
            hands = rescue.lookAgain(at: lost, in: image, models: models)
            trackedROIs = hands.map { HandROI.fromLandmarks($0.landmarks, imageWidth: image.width, imageHeight: image.height) }
        } else if allowRescue, detected, let rescue, rescueDue(at: time) {
            // Only after the palm detector has looked at this picture and found nothing. A frame
            // that merely lost its tracked hand (it moved fast, it turned) gets that look on the
            // next frame, with nothing tracked, which mostly finds the hand again for a fraction of
            // a rescue's cost; and that frame, which may be the one completing a rating, waits for
            // a landmark run, not for a search (under load, the tail of push latency).
            lastRescue = time
            rescueSearches += 1
            // Video searches a slice of the squares each time, to bound a frame's delay.
            hands = rescue.search(image, models: models, sliced: options.mode == .video)
            paceRescue(found: !hands.isEmpty)
            if options.mode == .video {
                trackedROIs = hands.map { HandROI.fromLandmarks($0.landmarks, imageWidth: image.width, imageHeight: image.height) }
            }
        }
        logger.trace("hands", metadata: ["palmDetection": "\(detected)", "hands": "\(hands.count)"])
        return hands
    }

    /// The whole picture's letterbox, or in video with no hand tracked, on every other search, the
    /// next zoomed-in square.
    private func palmSearchRegion(for image: RGBImage) -> RotatedRect {
        let whole = RotatedRect.letterbox(width: image.width, height: image.height)
        guard options.mode == .video, trackedROIs.isEmpty, let side = options.zoomInSide else { return whole }
        searchesWithoutHand += 1
        guard searchesWithoutHand % 2 == 0 else { return whole }
        let squares = ZoomInSquares.squares(for: image, side: side)
        return squares.isEmpty ? whole : squares[(searchesWithoutHand / 2 - 1) % squares.count]
    }

    /// Whether the palm detector should run: always with no hand tracked or no clock, else once
    /// per `palmSearchInterval`.
    private func palmSearchDue(at time: Double?) -> Bool {
        guard !trackedROIs.isEmpty, let interval = options.palmSearchInterval, let time, let last = lastPalmSearch else {
            return true
        }
        return time - last >= interval || time < last
    }

    /// Video: when every tracked hand was lost in this picture, remembers where they were, and the
    /// wider search waits its interval from now (the look where they were takes its turn); a hand
    /// in sight forgets them.
    private func noteLostHands(tracked: [HandROI], kept: [HandROI], at time: Double?) {
        guard rescue != nil else { return }
        if !kept.isEmpty {
            lostHands = nil
        } else if !tracked.isEmpty {
            lostHands = (tracked, time)
            lastRescue = time
            rescueBackoff = nil
        }
    }

    /// The hands lost within the last `rescueInterval`, if any, forgotten as they are handed out:
    /// they get one look.
    private func takeLostHands(at time: Double?) -> [HandROI]? {
        guard let lost = lostHands else { return nil }
        lostHands = nil
        if let time, let lostAt = lost.time, time - lostAt >= options.rescueInterval || time < lostAt { return nil }
        return lost.rois
    }

    private func rescueDue(at time: Double?) -> Bool {
        guard options.mode == .video else { return true }
        guard let time, let last = lastRescue else { return true }
        return time - last >= (rescueBackoff ?? options.rescueInterval) || time < last
    }

    /// Video: widens the gap between rescue searches while they find nothing; a hand resets it.
    private func paceRescue(found: Bool) {
        guard options.mode == .video else { return }
        rescueBackoff = found ? nil : min(2 * (rescueBackoff ?? options.rescueInterval / 2), options.maxRescueInterval)
    }

    /// MediaPipe's `AssociationNormRectCalculator`: walk the ROIs in order; each one removes every
    /// ROI already kept that it overlaps by more than `threshold`, then is kept itself.
    static func associate(_ rois: [HandROI], threshold: Float) -> [HandROI] {
        var kept: [HandROI] = []
        for roi in rois {
            kept.removeAll { $0.iou(roi) > threshold }
            kept.append(roi)
        }
        return kept
    }
}
