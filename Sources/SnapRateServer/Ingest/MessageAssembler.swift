import NIOCore
import HummingbirdWebSocket

/// Joins a WebSocket message's frames, refusing one that grows over the limit before more of it
/// is held: a client (Hummingbird's among them) may split a message into any number of frames,
/// which the WebSocket layer's own frame limit does not bound.
struct MessageAssembler {
    enum Message: Equatable {
        case binary([UInt8])
        case text(String)
        /// The message has passed `limit` bytes; nothing more of it is kept.
        case tooLarge(Int)
    }

    let limit: Int
    private var opcode: WebSocketDataFrame.Opcode?
    private var bytes: [UInt8] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds a frame; returns the message it completes, if it does.
    mutating func add(_ frame: WebSocketDataFrame) -> Message? {
        add(frame.opcode, frame.data, fin: frame.fin)
    }

    /// Adds a frame given by its parts.
    mutating func add(_ frameOpcode: WebSocketDataFrame.Opcode, _ data: ByteBuffer, fin: Bool) -> Message? {
        if frameOpcode != .continuation, fin {
            // A message in one frame, the usual case: copied once at its size, where appending
            // grows a buffer by doubling, to twice a 200 ms cluster a stream at worst.
            opcode = nil
            bytes = []
            guard data.readableBytes <= limit else { return .tooLarge(data.readableBytes) }
            return frameOpcode == .text ? .text(String(buffer: data)) : .binary(Array(data.readableBytesView))
        }
        if frameOpcode != .continuation {
            opcode = frameOpcode
            bytes.removeAll(keepingCapacity: true)
        }
        guard let opcode else { return nil }  // a continuation without a first frame
        let size = bytes.count + data.readableBytes
        guard size <= limit else {
            self.opcode = nil
            bytes = []
            return .tooLarge(size)
        }
        bytes += data.readableBytesView
        guard fin else { return nil }
        self.opcode = nil
        defer { bytes = [] }
        return opcode == .text ? .text(String(decoding: bytes, as: UTF8.self)) : .binary(bytes)
    }
}
