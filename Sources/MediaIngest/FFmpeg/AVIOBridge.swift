import CFFmpeg

/// A custom AVIOContext that pulls bytes from a `ByteSource`, so FFmpeg never opens a file or a
/// pipe itself and the same demuxer serves files, standard input and browser chunks.
///
/// The source cannot seek, and FFmpeg is told so. But a demuxer that meets damage (Matroska's
/// resync) seeks back to just after the last element it trusted; on a stream that cannot seek
/// that works only while the bytes are still in FFmpeg's buffer, which depends on how much each
/// read happened to return. So the bridge keeps the last `history` bytes it read and serves such
/// a seek from them: damaged input decodes the same from a file, a pipe or chunks of any size, as
/// long as the seek goes back no further than that. Matroska's resync goes back to the start of
/// the cluster it was in: 256 KiB holds a whole cluster of Firefox's recordings (about 26 KiB)
/// and of most ffmpeg-muxed clips at kiosk bitrates (the test clips' are up to 211 KiB, one 277),
/// not Chromium's, which can run to a megabyte. It is held by every live stream.
final class AVIOBridge {
    let context: UnsafeMutablePointer<AVIOContext>
    private let state: Unmanaged<State>

    /// What the C callbacks reach through `opaque`.
    final class State {
        let source: ByteSource
        /// Bytes read from the source so far.
        var bytesRead = 0
        var failure: String?
        /// The first bytes of the stream, kept for container checks FFmpeg does not report.
        var prefix: [UInt8] = []
        static let prefixLimit = 64
        /// The last bytes read, from stream offset `historyStart`, for seeks back.
        var history: [UInt8] = []
        var historyStart = 0
        let historyLimit: Int
        /// The stream offset of the next byte FFmpeg reads: below `bytesRead` after a seek back.
        var position = 0

        init(source: ByteSource, historyLimit: Int, readSize: Int) {
            self.source = source
            self.historyLimit = historyLimit
            // Allocated once: appends never outgrow it (see `remember`), so the array never
            // doubles past what it needs.
            history.reserveCapacity(historyLimit + historyLimit / 8 + readSize)
        }

        func remember(_ bytes: UnsafeBufferPointer<UInt8>) {
            if prefix.count < Self.prefixLimit {
                prefix.append(contentsOf: bytes.prefix(Self.prefixLimit - prefix.count))
            }
            history.append(contentsOf: bytes)
            // Trimmed in steps of an eighth of the limit: each byte is moved at most eight times,
            // and the array holds at most one read more than that.
            if history.count > historyLimit + historyLimit / 8 {
                let excess = history.count - historyLimit
                history.removeFirst(excess)
                historyStart += excess
            }
        }
    }

    var bytesRead: Int { state.takeUnretainedValue().bytesRead }
    var failure: String? { state.takeUnretainedValue().failure }
    var prefix: [UInt8] { state.takeUnretainedValue().prefix }

    init(source: ByteSource, bufferSize: Int = 64 << 10, history: Int = 256 << 10) throws(MediaError) {
        // FFmpeg may reallocate or free this buffer, so it must come from av_malloc.
        guard let buffer = av_malloc(bufferSize)?.assumingMemoryBound(to: UInt8.self) else {
            throw MediaError(source: source.name, reason: "out of memory for the input buffer")
        }
        let state = Unmanaged.passRetained(State(source: source, historyLimit: history, readSize: bufferSize))
        guard let context = avio_alloc_context(buffer, Int32(bufferSize), 0, state.toOpaque(), readPacket, nil, seekBack) else {
            av_free(buffer)
            state.release()
            throw MediaError(source: source.name, reason: "out of memory for the input context")
        }
        // Not seekable: demuxers must not go looking for an index at the end of a live stream.
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
    if state.position < state.bytesRead {
        // After a seek back: the remembered bytes first.
        let from = state.position - state.historyStart
        let count = min(Int(size), state.history.count - from)
        state.history.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + from, count: count) }
        state.position += count
        return Int32(count)
    }
    switch state.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(size))) {
    case .bytes(let count):
        state.remember(UnsafeBufferPointer(start: buffer, count: count))
        state.bytesRead += count
        state.position = state.bytesRead
        return Int32(count)
    case .end:
        return snaprate_averror_eof()
    case .failure(let message):
        state.failure = message
        return snaprate_averror(EIO)
    }
}

/// Seeks within the remembered bytes (or to where reading stands); anything else cannot be done.
private let seekBack: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
    guard let opaque else { return Int64(snaprate_averror(EINVAL)) }
    let state = Unmanaged<AVIOBridge.State>.fromOpaque(opaque).takeUnretainedValue()
    let target: Int64
    switch whence {
    case SEEK_SET: target = offset
    case SEEK_CUR: target = Int64(state.position) + offset
    default: return Int64(snaprate_averror(ESPIPE))  // SEEK_END, AVSEEK_SIZE: the size is unknown
    }
    guard target >= Int64(state.historyStart), target <= Int64(state.bytesRead) else {
        return Int64(snaprate_averror(ESPIPE))
    }
    state.position = Int(target)
    return target
}
