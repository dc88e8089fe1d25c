import Crypto
import Foundation
import SnapRateCore

/// One receiver that every stored rating it asks for is POSTed to.
public struct WebhookTarget: Sendable {
    /// Names the target in metrics, logs and its cursor in the store: `id=NAME`, or the URL's
    /// host (and port, when the URL gives one). Never the secret, nor the URL's path or query,
    /// which some services' URLs carry their credential in.
    public let id: String
    public let url: String
    let key: SymmetricKey
    /// Nil: every kiosk.
    public let kiosks: Set<KioskID>?
    /// Nil: up and down.
    public let rating: Rating?
    /// Where it was written ("webhooks.txt line 3"), for messages.
    let origin: String

    /// Plain http to another machine: the signature proves who sent a rating, but anyone on the
    /// way can read it. Loopback (a relay on the same box) is not the network.
    public var sendsInClearText: Bool {
        guard let url = URL(string: url), url.scheme?.lowercased() == "http", let host = url.host else { return false }
        return !ListenAddress.isLoopback(host)
    }

    /// Whether `record` is one this target asked for.
    func accepts(_ record: RatingRecord) -> Bool {
        (kiosks?.contains(record.kiosk) ?? true) && (rating.map { $0 == record.rating } ?? true)
    }
}

/// The webhook targets of a file: one `URL SECRET [id=NAME] [kiosks=K1,K2] [ratings=up|down]` a
/// line, blank lines and lines starting with `#` skipped, as in the tokens file.
public struct WebhookTargets: Sendable {
    public private(set) var targets: [WebhookTarget] = []

    static let minimumSecretLength = 16
    static let idCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:".utf8)

    public init() {}

    public var isEmpty: Bool { targets.isEmpty }

    /// Reads and parses a webhooks file.
    public static func load(file path: String) throws -> WebhookTargets {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw WebhookTargetsError(description: "cannot read the webhooks file \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// The targets of a file's text; messages name `source` and the line, never a secret.
    public static func parse(_ text: String, source: String) throws -> WebhookTargets {
        var parsed = WebhookTargets()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let target = try target(trimmed, origin: "\(source) line \(index + 1)")
            if let earlier = parsed.targets.first(where: { $0.id == target.id }) {
                throw WebhookTargetsError(description: "\(target.origin): the same id \(target.id) as \(earlier.origin) "
                    + "(give one of them id=NAME)")
            }
            parsed.targets.append(target)
        }
        return parsed
    }

    private static func target(_ text: String, origin: String) throws -> WebhookTarget {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let usage = "expected URL SECRET [id=NAME] [kiosks=K1,K2] [ratings=up|down]"
        guard fields.count >= 2, !fields[1].contains("=") || fields[1].count >= minimumSecretLength else {
            throw WebhookTargetsError(description: "\(origin): \(usage)")
        }
        guard let url = URL(string: String(fields[0])), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.fragment == nil else {
            throw WebhookTargetsError(description: "\(origin): the URL must be http:// or https:// with a host and no #fragment")
        }
        let secret = fields[1]
        guard secret.utf8.count >= minimumSecretLength else {
            throw WebhookTargetsError(description: "\(origin): the secret is shorter than \(minimumSecretLength) characters "
                + "(make one with: openssl rand -hex 32)")
        }
        var id = url.port.map { "\(host):\($0)" } ?? host
        var kiosks: Set<KioskID>?
        var rating: Rating?
        for option in fields.dropFirst(2) {
            let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0], value = parts.count == 2 ? parts[1] : ""
            switch name {
            case "id":
                guard (1...64).contains(value.utf8.count), value.utf8.allSatisfy(idCharacters.contains) else {
                    throw WebhookTargetsError(description: "\(origin): id= takes 1 to 64 of A-Z a-z 0-9 - . _ :")
                }
                id = String(value)
            case "kiosks":
                let ids = value.split(separator: ",", omittingEmptySubsequences: false).map { KioskID(String($0)) }
                guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
                    throw WebhookTargetsError(description: "\(origin): kiosks= takes kiosk ids (1 to \(KioskID.maxLength) "
                        + "of A-Z a-z 0-9 _ -), comma-separated")
                }
                kiosks = Set(ids.compactMap { $0 })
            case "ratings":
                guard let value = Rating(rawValue: String(value)) else {
                    throw WebhookTargetsError(description: "\(origin): ratings= takes up or down")
                }
                rating = value
            default:
                // Only a short name before `=` is shown: a stray field could be a second secret.
                let shown = parts.count == 2 && name.count < minimumSecretLength ? " \(String(name).debugDescription)" : ""
                throw WebhookTargetsError(description: "\(origin): unknown option\(shown) (\(usage))")
            }
        }
        return WebhookTarget(id: id, url: url.absoluteString, key: SymmetricKey(data: Data(secret.utf8)), kiosks: kiosks,
                             rating: rating, origin: origin)
    }
}

/// A webhooks file that cannot be used, in one line that never contains a secret.
public struct WebhookTargetsError: Error, CustomStringConvertible {
    public let description: String
}

/// The secrets never show themselves, however the configuration that holds them is printed.
extension WebhookTarget: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WebhookTarget(\(id))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}
