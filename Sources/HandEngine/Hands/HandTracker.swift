import Foundation
import Logging

/// MediaPipe's `HandLandmarkTrackingCpu` for one stream: palm detection → hand ROIs → landmarks,
/// and in video mode each hand's landmarks give its ROI in the next frame.
///
/// The palm detector runs only when fewer than `maxHands` hands were tracked into this frame
/// (always for photos). Its ROIs and the tracked ones are merged as MediaPipe's association does:
/// an ROI overlapping an earlier one by IoU > 0.5 replaces it, tracked ROIs coming last so they win.
///
/// Not thread-safe; one tracker per stream.
public final class HandTracker {
    public let options: HandTrackerOptions
    private let palmDetector: PalmDetector
    private let landmarker: HandLandmarker
    private let rescue: HandRescue?
    private let logger: Logger
    /// ROIs for the next frame, from this frame's landmarks (video mode only).
    private var trackedROIs: [HandROI] = []
    private var trackedSize: (width: Int, height: Int) = (0, 0)
    /// Media time of the last palm detection and of the last rescue search (video mode).
    private var lastPalmSearch: Double?
    private var lastRescue: Double?
    private var rescueBackoff: Double?

    /// Palm-detector runs since creation: how often tracking saved one.
    public private(set) var palmDetectionRuns = 0

    public init(palmDetector: PalmDetector, landmarker: HandLandmarker, options: HandTrackerOptions, logger: Logger) {
        self.palmDetector = palmDetector
        self.landmarker = landmarker
        self.options = options
        self.logger = logger
        palmDetector.minScore = options.minDetectionScore
        rescue = options.rescue.map {
            HandRescue(options: $0, palmDetector: palmDetector, landmarker: landmarker,
                       maxHands: options.maxHands, duplicateIoU: options.duplicateIoU)
        }
    }

    /// Loads the variant's two models from `models`.
    public convenience init(variant: ModelVariant, models: ModelDirectory = .standard(),
                            options: HandTrackerOptions, logger: Logger) throws {
        let palm = try PalmDetector(model: models.require(.palm(variant)), logger: logger)
        let landmarker = try HandLandmarker(model: models.require(.landmark(variant)), logger: logger)
        self.init(palmDetector: palm, landmarker: landmarker, options: options, logger: logger)
    }

    /// Forgets tracked hands (a new scene or stream).
    public func reset() {
        trackedROIs = []
        lastPalmSearch = nil
        lastRescue = nil
        rescueBackoff = nil
        rescue?.reset()
    }

    /// The hands in `image`, in MediaPipe's order (new detections first, then tracked hands).
    /// `time` is the frame's media time, which paces the searches of `palmSearchInterval` and
    /// `rescueInterval` in video mode; without it every frame searches.
    public func process(_ image: RGBImage, time: Double? = nil) -> [Hand] {
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
            let palms = palmDetector.detect(in: image).prefix(options.maxHands)
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
        if options.mode == .video { trackedROIs = next }

        if !hands.isEmpty {
            paceRescue(found: true)
        } else if let rescue, rescueDue(at: time) {
            lastRescue = time
            // Video searches a slice of the squares each time, to bound a frame's delay.
            hands = rescue.search(image, sliced: options.mode == .video)
            paceRescue(found: !hands.isEmpty)
            if options.mode == .video {
                trackedROIs = hands.map { HandROI.fromLandmarks($0.landmarks, imageWidth: image.width, imageHeight: image.height) }
            }
        }
        logger.trace("hands", metadata: ["palmDetection": "\(detected)", "hands": "\(hands.count)"])
        return hands
    }

    /// Whether the palm detector should run: always with no hand tracked or no clock, else once
    /// per `palmSearchInterval`.
    private func palmSearchDue(at time: Double?) -> Bool {
        guard !trackedROIs.isEmpty, let interval = options.palmSearchInterval, let time, let last = lastPalmSearch else {
            return true
        }
        return time - last >= interval || time < last
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
