/// A kiosk's id: `[A-Za-z0-9_-]{1,64}`. Anything else is refused before it reaches a ring or store.
public struct KioskID: Sendable, Hashable, CustomStringConvertible {
    public static let maxLength = 64
    /// Words a kiosk id takes in a ring record: 64 ASCII bytes, zero-padded.
    public static let wordCount = maxLength / 8

    public let value: String

    /// Nil unless `value` is 1 to 64 characters of `A-Z a-z 0-9 _ -`.
    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        guard (1...Self.maxLength).contains(bytes.count), bytes.allSatisfy(Self.isAllowed) else { return nil }
        self.value = value
    }

    public var description: String { value }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    func encode(into words: UnsafeMutableBufferPointer<UInt64>, at index: Int) {
        PackedASCII.encode(value, into: words, at: index, count: Self.wordCount)
    }

    /// Decodes an id from ring words. A torn read can only give a string the ring then discards.
    init(words: UnsafeBufferPointer<UInt64>, at index: Int) {
        value = PackedASCII.decode(words, at: index, count: Self.wordCount)
    }
}

/// Short ASCII strings in fixed words, little-endian, zero-padded (zero never occurs in them).
enum PackedASCII {
    static func encode(_ string: String, into words: UnsafeMutableBufferPointer<UInt64>, at index: Int, count: Int) {
        for word in 0..<count { words[index + word] = 0 }
        for (offset, byte) in string.utf8.prefix(count * 8).enumerated() {
            words[index + offset / 8] |= UInt64(byte) << (UInt64(offset % 8) * 8)
        }
    }

    static func decode(_ words: UnsafeBufferPointer<UInt64>, at index: Int, count: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 8)
        outer: for word in 0..<count {
            let value = words[index + word]
            for shift in stride(from: 0, to: 64, by: 8) {
                let byte = UInt8(truncatingIfNeeded: value >> UInt64(shift))
                if byte == 0 { break outer }
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
