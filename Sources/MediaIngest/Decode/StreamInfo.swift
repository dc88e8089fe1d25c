/// What the container says about the video stream being decoded.
public struct StreamInfo: Sendable, Equatable {
    /// FFmpeg's short codec name: `vp8`, `vp9`, `h264`, `png`...
    public let codec: String
    /// FFmpeg's demuxer name: `matroska,webm`, `png_pipe`...
    public let container: String
    public let width: Int
    public let height: Int
    /// True for a single picture (PNG, JPEG) rather than a clip.
    public let isStillImage: Bool
}

/// Running counts for one decoded stream.
public struct DecodeCounters: Sendable, Equatable {
    public var framesDecoded = 0
    /// Packets or frames the decoder rejected; counted, logged and skipped.
    public var decodeErrors = 0
    /// Packets dropped before the first keyframe (a stream joined mid-way).
    public var packetsBeforeKeyframe = 0
    /// Set when the input stopped short (truncated file, broken pipe): what was decoded stands.
    public var endedEarly: String?

    public init() {}
}
