/// A media source that cannot be read, with a one-line message that names it.
public struct MediaError: Error, CustomStringConvertible, Sendable, Equatable {
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
