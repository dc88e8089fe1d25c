import SnapRateCore

/// A kiosk an `ingest` scope names: one id (`ingest:door-1`) or every id that starts with a
/// prefix (`ingest:hall-b-*`).
struct KioskPattern: Sendable, Equatable {
    let text: String
    let isPrefix: Bool

    /// Nil unless `written` is a kiosk id, or a kiosk id's start followed by `*`.
    init?(_ written: Substring) {
        isPrefix = written.hasSuffix("*")
        let body = isPrefix ? written.dropLast() : written
        // A prefix may be empty (`ingest:*` is every kiosk); an id may not.
        guard body.isEmpty ? isPrefix : KioskID(String(body)) != nil else { return nil }
        text = String(body)
    }

    func matches(_ kiosk: String) -> Bool {
        isPrefix ? kiosk.hasPrefix(text) : kiosk == text
    }
}

/// What one token allows: its scopes and, for `ingest`, which kiosks.
public struct AccessGrant: Sendable, Equatable {
    public let scopes: [AccessScope]
    /// Nil: every kiosk (plain `ingest`).
    let ingestKiosks: [KioskPattern]?

    static let everything = AccessGrant(scopes: AccessScope.allCases, ingestKiosks: nil)

    /// Whether the holder may stream as `kiosk`.
    public func allowsIngest(to kiosk: String) -> Bool {
        guard scopes.contains(.ingest) else { return false }
        return ingestKiosks?.contains { $0.matches(kiosk) } ?? true
    }
}
