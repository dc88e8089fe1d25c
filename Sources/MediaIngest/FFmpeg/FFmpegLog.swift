import CFFmpeg

/// FFmpeg's own console logging. SnapRate reports problems itself, with the source's name, so the
/// libraries are quiet unless someone debugging asks for their chatter.
public enum FFmpegLog {
    public enum Level: Int32, Sendable {
        case quiet = -8
        case error = 16
        case warning = 24
        case info = 32
        case debug = 48
    }

    /// Process-wide, so only the program's entry point calls it.
    public static func setLevel(_ level: Level) {
        av_log_set_level(level.rawValue)
    }
}
