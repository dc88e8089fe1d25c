/// A rating a visitor gives.
public enum Rating: String, Sendable, Codable, CaseIterable {
    case up
    case down
}

/// What one frame shows: a rating gesture or nothing.
public enum ThumbClass: String, Sendable, Codable, CaseIterable {
    case up
    case down
    case none

    public var rating: Rating? {
        switch self {
        case .up: .up
        case .down: .down
        case .none: nil
        }
    }
}
