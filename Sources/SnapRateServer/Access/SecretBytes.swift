/// A token's bytes in a fixed-width buffer, compared in constant time.
///
/// Every comparison reads all `width` bytes of both sides whatever their contents or lengths,
/// and folds the differences together with no early exit: how long a comparison takes says
/// nothing about how much of a guess was right, nor how long the real token is.
struct SecretBytes: Sendable {
    /// The longest token accepted. Anything longer is refused before it is compared (its length is
    /// the caller's own, so refusing it early tells nothing about a configured token).
    static let width = 256

    private let bytes: [UInt8]
    private let length: Int

    /// Nil when `text` is longer than `width` bytes.
    init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count <= Self.width else { return nil }
        bytes = utf8 + [UInt8](repeating: 0, count: Self.width - utf8.count)
        length = utf8.count
    }

    /// Whether both hold the same token, taking the same time whatever they hold.
    func matches(_ other: SecretBytes) -> Bool {
        var difference = UInt(bitPattern: length ^ other.length)
        for index in 0..<Self.width {
            difference |= UInt(bytes[index] ^ other.bytes[index])
        }
        return difference == 0
    }
}

/// A secret never shows itself: not in `"\(value)"`, `String(reflecting:)` nor `dump` (which
/// ServiceLifecycle's debug log does to every service, and so to whatever one holds).
extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    var description: String { "<secret>" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: []) }
}
