/// A kiosk's id: `[A-Za-z0-9_-]{1,64}`. Anything else is refused where it enters (a URL, a flag,
/// a stored row), so every layer past that point holds a valid one.
public struct KioskID: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let maxLength = 64

    public let value: String

    /// Nil unless `value` is 1 to 64 characters of `A-Z a-z 0-9 _ -`.
    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        guard (1...Self.maxLength).contains(bytes.count), bytes.allSatisfy(Self.isAllowed) else { return nil }
        self.value = value
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = KioskID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a kiosk id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
