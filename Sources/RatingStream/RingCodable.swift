/// A value the ring can carry: a fixed number of 64-bit words.
///
/// The ring copies elements word by word with atomic stores and loads, so a reader that races a
/// writer sees torn words, never a torn reference: that is why elements are plain words and not
/// Swift values with references (a `String` copied while it is overwritten would crash).
public protocol RingCodable: Sendable {
    static var wordCount: Int { get }
    func encode(into words: UnsafeMutableBufferPointer<UInt64>)
    init(words: UnsafeBufferPointer<UInt64>)
}
