/// What one blocking read from a byte source produced.
public enum ByteRead: Sendable, Equatable {
    /// This many bytes were written to the front of the buffer (always at least one).
    case bytes(Int)
    /// The source has no more bytes.
    case end
    /// The source failed; the message says why, for the user.
    case failure(String)
}

/// A stream of bytes that the decoder pulls from, on the decoder's own thread.
///
/// Reads block until bytes arrive: a live pipe or a browser feed produces frames as its bytes come
/// in, not at the end. Implementations must tolerate being read from one thread while being fed or
/// closed from others.
public protocol ByteSource: AnyObject, Sendable {
    /// A name the user recognises in messages: a path, `stdin`, a kiosk id.
    var name: String { get }

    /// Blocks until at least one byte is available, the source ends, or it fails.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteRead

    /// Tells the source that its reader has gone: producers stop waiting, later reads end.
    func close()
}
