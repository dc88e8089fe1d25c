import CFFmpeg

/// A custom AVIOContext that pulls bytes from a `ByteSource`, so FFmpeg never opens a file or a
/// pipe itself and the same demuxer serves files, standard input and browser chunks.
final class AVIOBridge {
    let context: UnsafeMutablePointer<AVIOContext>
    private let state: Unmanaged<State>

    /// What the C read callback reaches through `opaque`.
    final class State {
        let source: ByteSource
        var bytesRead = 0
        var failure: String?
        /// The first bytes of the stream, kept for container checks FFmpeg does not report.
        var prefix: [UInt8] = []
        static let prefixLimit = 64

        init(source: ByteSource) {
            self.source = source
        }
    }

    var bytesRead: Int { state.takeUnretainedValue().bytesRead }
    var failure: String? { state.takeUnretainedValue().failure }
    var prefix: [UInt8] { state.takeUnretainedValue().prefix }

    init(source: ByteSource, bufferSize: Int = 64 << 10) throws(MediaError) {
        // FFmpeg may reallocate or free this buffer, so it must come from av_malloc.
        guard let buffer = av_malloc(bufferSize)?.assumingMemoryBound(to: UInt8.self) else {
            throw MediaError(source: source.name, reason: "out of memory for the input buffer")
        }
        let state = Unmanaged.passRetained(State(source: source))
        guard let context = avio_alloc_context(buffer, Int32(bufferSize), 0, state.toOpaque(), readPacket, nil, nil) else {
            av_free(buffer)
            state.release()
            throw MediaError(source: source.name, reason: "out of memory for the input context")
        }
        context.pointee.seekable = 0
        self.context = context
        self.state = state
    }

    deinit {
        // The context's buffer may no longer be the one we allocated; free whatever it holds now.
        av_freep(&context.pointee.buffer)
        var pointer: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&pointer)
        state.release()
    }
}

private let readPacket: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
    opaque, buffer, size in
    guard let opaque, let buffer, size > 0 else { return snaprate_averror(EINVAL) }
    let state = Unmanaged<AVIOBridge.State>.fromOpaque(opaque).takeUnretainedValue()
    switch state.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(size))) {
    case .bytes(let count):
        if state.prefix.count < AVIOBridge.State.prefixLimit {
            let take = min(count, AVIOBridge.State.prefixLimit - state.prefix.count)
            state.prefix.append(contentsOf: UnsafeBufferPointer(start: buffer, count: take))
        }
        state.bytesRead += count
        return Int32(count)
    case .end:
        return snaprate_averror_eof()
    case .failure(let message):
        state.failure = message
        return snaprate_averror(EIO)
    }
}
