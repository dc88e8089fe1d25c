import Foundation
import Logging

/// Model sets shared by many trackers, lent out one frame at a time.
///
/// A set holds several megabytes of weights and arena; a server with sixteen streams on two cores
/// only ever runs two frames at once. The pool grows to the most sets in use at one time and
/// keeps them; it never blocks a caller.
public final class HandModelPool: @unchecked Sendable {
    public let variant: ModelVariant
    private let models: ModelDirectory
    private let logger: Logger
    /// One copy of the weights for all sets.
    private let weights = SharedWeights()
    private let lock = NSLock()
    private var idle: [HandModels] = []
    private var loaded = 0

    /// Loads nothing yet; `prepare()` or the first frame does.
    public init(variant: ModelVariant, models: ModelDirectory = .standard(), logger: Logger) {
        self.variant = variant
        self.models = models
        self.logger = logger
    }

    /// Makes sure one set loads, so that a broken model file shows up as an error here rather
    /// than as frames without hands.
    public func prepare() throws {
        guard lock.withLock({ loaded == 0 }) else { return }
        let set = try HandModels(variant: variant, models: models, logger: logger, sharing: weights)
        giveBack(set, isNew: true)
    }

    /// How many sets have been loaded.
    public var count: Int { lock.withLock { loaded } }

    /// Runs `body` with a set no one else is using; nil when no set could be loaded.
    func withModels<T>(_ body: (HandModels) -> T) -> T? {
        var isNew = false
        var set = lock.withLock { idle.popLast() }
        if set == nil {
            do {
                set = try HandModels(variant: variant, models: models, logger: logger, sharing: weights)
                isNew = true
            } catch {
                logger.error("cannot load another set of hand models: \(error)")
                return nil
            }
        }
        guard let set else { return nil }
        defer { giveBack(set, isNew: isNew) }
        return body(set)
    }

    private func giveBack(_ set: HandModels, isNew: Bool) {
        lock.withLock {
            idle.append(set)
            if isNew { loaded += 1 }
        }
    }
}
