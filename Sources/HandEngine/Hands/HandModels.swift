import Foundation
import Logging

/// The two networks hand tracking runs, each with its prepared weights and its arena. Not
/// thread-safe: one frame at a time uses a set. Tracking state lives in `HandTracker`, not here,
/// so many streams can take turns on a few sets (see `HandModelPool`).
public final class HandModels {
    public let palmDetector: PalmDetector
    public let landmarker: HandLandmarker

    public init(palmDetector: PalmDetector, landmarker: HandLandmarker) {
        self.palmDetector = palmDetector
        self.landmarker = landmarker
    }

    /// Loads the variant's two models from `models`, with their weights in `sharing` if given.
    /// The two share one arena: a frame runs them one after the other, and each reads its
    /// outputs before the other runs.
    public convenience init(variant: ModelVariant, models: ModelDirectory = .standard(), logger: Logger,
                            sharing: SharedWeights? = nil) throws {
        let arena = SharedArena()
        self.init(palmDetector: try PalmDetector(model: models.require(.palm(variant)), logger: logger, sharing: sharing, arena: arena),
                  landmarker: try HandLandmarker(model: models.require(.landmark(variant)), logger: logger, sharing: sharing, arena: arena))
    }
}

/// Where a tracker gets the models for each frame: a set of its own (one stream, offline), or a
/// pool shared by every stream of a server, so memory grows with the cores, not the streams.
public enum HandModelSource {
    case own(HandModels)
    case shared(HandModelPool)

    func withModels<T>(_ body: (HandModels) -> T) -> T? {
        switch self {
        case .own(let models): body(models)
        case .shared(let pool): pool.withModels(body)
        }
    }
}
