import ArgumentParser

/// `--clip FILE[:COUNT]`: a clip and how many of the load test's streams replay it.
struct ClipShare: ExpressibleByArgument, Sendable, Equatable {
    var path: String
    /// nil: as many as `--streams`, when this is the only clip.
    var count: Int?

    init(path: String, count: Int?) {
        self.path = path
        self.count = count
    }

    init?(argument: String) {
        // The count follows the last colon; a path may hold colons of its own.
        if let colon = argument.lastIndex(of: ":"), let count = Int(argument[argument.index(after: colon)...]) {
            guard count >= 0, colon > argument.startIndex else { return nil }
            self.init(path: String(argument[..<colon]), count: count)
        } else {
            guard !argument.isEmpty else { return nil }
            self.init(path: argument, count: nil)
        }
    }

    /// Each stream's clip, in the order of the shares: `[a:2, b:1]` is `[a, a, b]`. A share
    /// without a count takes `streams`, and is then the only one allowed.
    static func streams(_ shares: [ClipShare], streams: Int) throws(ValidationError) -> [String] {
        if shares.count > 1, shares.contains(where: { $0.count == nil }) {
            throw ValidationError("with more than one --clip, give each its count of streams: --clip FILE:COUNT")
        }
        return shares.flatMap { Array(repeating: $0.path, count: $0.count ?? streams) }
    }
}
