import Foundation
import SnapRateCore

/// The bearer tokens a server accepts, each with its scopes. Empty means access control is off.
///
/// Written one per line (a file) or separated by `;` (an environment variable) as
/// `SCOPES TOKEN`: scopes comma-separated from `ingest`, `subscribe` and `admin`, then the token,
/// where `ingest:KIOSK` (or `ingest:PREFIX*`, repeated for more) allows only those kiosks,
/// 24 to 256 of `A-Z a-z 0-9 - . _ ~` (characters that travel unchanged in a header, a WebSocket
/// subprotocol and a URL fragment). Blank lines and lines starting with `#` are skipped.
public struct AccessTokens: Sendable {
    struct Entry: Sendable {
        let secret: SecretBytes
        let scopes: UInt8
        /// Nil: every kiosk.
        let ingestKiosks: [KioskPattern]?
        /// Where it was written ("tokens.txt line 3"), for messages; never the token.
        let origin: String
    }

    static let minimumLength = 24
    static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    private(set) var entries: [Entry] = []

    /// No tokens: every route is open.
    public init() {}

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// The tokens of a file's text, one entry a line; messages name `source` and the line.
    public static func parse(_ text: String, source: String) throws -> AccessTokens {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return try parse(lines.enumerated().map { ("\(source) line \($0.offset + 1)", $0.element) })
    }

    /// The tokens of an environment variable's value, entries separated by `;` or new lines.
    public static func parse(environment value: String, name: String) throws -> AccessTokens {
        let parts = value.split(omittingEmptySubsequences: false) { $0 == ";" || $0 == "\n" }
        return try parse(parts.enumerated().map { ("\(name) entry \($0.offset + 1)", $0.element) })
    }

    /// Reads and parses a tokens file.
    public static func load(file path: String) throws -> AccessTokens {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AccessTokensError(description: "cannot read the tokens file \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Both sets; a token given twice (in either) is an error, since its scopes would be ambiguous.
    public func merging(_ other: AccessTokens) throws -> AccessTokens {
        var merged = self
        for entry in other.entries { try merged.add(entry) }
        return merged
    }

    /// The scopes of the configured token equal to `presented`; empty when none is.
    public func scopes(for presented: some StringProtocol) -> [AccessScope] {
        grant(for: presented).scopes
    }

    /// What the configured token equal to `presented` allows; no scopes when none is.
    ///
    /// Every configured token is compared, in full, whatever matched before: the time taken
    /// depends on how many tokens there are, not on which one matched or how close a guess came.
    public func grant(for presented: some StringProtocol) -> AccessGrant {
        guard let candidate = SecretBytes(presented) else { return AccessGrant(scopes: [], ingestKiosks: []) }
        var bits: UInt8 = 0
        var matched = 0
        for (index, entry) in entries.enumerated() {
            let equal = entry.secret.matches(candidate)
            bits |= entry.scopes & (equal ? 0xFF : 0)
            matched |= index & (equal ? ~0 : 0)
        }
        guard bits != 0 else { return AccessGrant(scopes: [], ingestKiosks: []) }
        return AccessGrant(scopes: AccessScope.scopes(in: bits), ingestKiosks: entries[matched].ingestKiosks)
    }

    private static func parse(_ lines: [(origin: String, text: Substring)]) throws -> AccessTokens {
        var tokens = AccessTokens()
        for (origin, line) in lines {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") { continue }
            try tokens.add(entry(text, origin: origin))
        }
        return tokens
    }

    /// One `SCOPES TOKEN` entry. Messages never quote a field that could be a token.
    private static func entry(_ text: String, origin: String) throws -> Entry {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 2 else {
            throw AccessTokensError(description: "\(origin): expected SCOPES TOKEN, e.g. ingest,subscribe 3f9a…")
        }
        var bits: UInt8 = 0
        var everyKiosk = false
        var kiosks: [KioskPattern] = []
        for name in fields[0].split(separator: ",", omittingEmptySubsequences: false) {
            if name.hasPrefix("ingest:") {
                guard let pattern = KioskPattern(name.dropFirst("ingest:".count)) else {
                    throw AccessTokensError(description: "\(origin): ingest: takes a kiosk id (A-Z a-z 0-9 _ -, at most "
                        + "\(KioskID.maxLength)) or an id's start and *, e.g. ingest:door-1 or ingest:hall-b-*")
                }
                bits |= AccessScope.ingest.bit
                if pattern.isPrefix, pattern.text.isEmpty { everyKiosk = true } else { kiosks.append(pattern) }
                continue
            }
            guard let scope = AccessScope(rawValue: String(name)) else {
                let shown = name.count < minimumLength ? " \(String(name).debugDescription)" : ""
                throw AccessTokensError(description: "\(origin): unknown scope\(shown) (scopes are ingest, ingest:KIOSK, "
                    + "subscribe and admin, comma-separated, before the token)")
            }
            if scope == .ingest { everyKiosk = true }
            bits |= scope.bit
        }
        let token = fields[1]
        guard token.utf8.count >= minimumLength else {
            throw AccessTokensError(description: "\(origin): the token is shorter than \(minimumLength) characters "
                + "(make one with: openssl rand -hex 32)")
        }
        guard token.utf8.allSatisfy(allowed.contains), let secret = SecretBytes(token) else {
            throw AccessTokensError(description: "\(origin): a token is at most \(SecretBytes.width) of A-Z a-z 0-9 - . _ ~")
        }
        return Entry(secret: secret, scopes: bits, ingestKiosks: everyKiosk || kiosks.isEmpty ? nil : kiosks, origin: origin)
    }

    private mutating func add(_ entry: Entry) throws {
        if let earlier = entries.first(where: { $0.secret.matches(entry.secret) }) {
            throw AccessTokensError(description: "\(entry.origin): the same token as \(earlier.origin)")
        }
        entries.append(entry)
    }
}

/// A tokens file or variable that cannot be used, in one line that never contains a token.
public struct AccessTokensError: Error, CustomStringConvertible {
    public let description: String
}

/// The tokens never show themselves, however the configuration that holds them is printed.
extension AccessTokens: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "AccessTokens(\(count) tokens)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["count": count]) }
}
