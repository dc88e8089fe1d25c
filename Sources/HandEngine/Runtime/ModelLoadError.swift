/// Why a model file cannot be run, naming the file and the op or tensor at fault.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
