import Foundation

/// Convolution weights repacked at load, shared by every interpreter of the same model file.
///
/// Kernels only read their weights, so the model sets of a `HandModelPool` (one per frame being
/// detected at once) can hold one copy between them; each set keeps its own arena and scratch.
public final class SharedWeights: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var packed: [String: PackedWeights] = [:]

    public init() {}

    /// The weights stored under `key`, packed by `make` the first time.
    func packed(_ key: String, make: () -> PackedWeights) -> PackedWeights {
        lock.withLock {
            if let known = packed[key] { return known }
            let made = make()
            packed[key] = made
            return made
        }
    }
}
