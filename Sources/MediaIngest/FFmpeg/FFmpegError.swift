import CFFmpeg

/// FFmpeg's error codes as text, for messages.
enum FFmpegError {
    static let endOfFile = snaprate_averror_eof()
    static let again = snaprate_averror_eagain()
    static let invalidData = snaprate_averror_invaliddata()
    static let outOfMemory = snaprate_averror_enomem()

    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        return buffer.withUnsafeMutableBufferPointer { pointer in
            String(cString: snaprate_error_string(code, pointer.baseAddress, pointer.count))
        }
    }
}
