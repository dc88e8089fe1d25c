/// How a frame's pixels are laid out in `Frame.pixels`.
public enum PixelFormat: String, Sendable {
    /// Interleaved 8-bit R, G, B; rows of `width * 3` bytes. What the hand engine reads.
    case rgb24
    /// The luma plane alone, 8 bits a pixel.
    case gray8
    /// Planar Y, then U, then V at half resolution, as the VP8/VP9 decoders produce it (a copy, no
    /// conversion).
    case yuv420p
}

/// One decoded picture with its media timestamp.
public struct Frame: Sendable {
    /// Presentation time in seconds, on the stream's own clock.
    public let time: Double
    /// How long the frame is shown, in seconds, when the container says.
    public let duration: Double?
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// Tightly packed pixels in `format` (no row padding).
    public let pixels: [UInt8]
    public let isKeyframe: Bool

    public init(time: Double, duration: Double?, width: Int, height: Int, format: PixelFormat,
                pixels: [UInt8], isKeyframe: Bool) {
        self.time = time
        self.duration = duration
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
        self.isKeyframe = isKeyframe
    }

    /// Bytes per row of the first plane.
    public var rowBytes: Int {
        switch format {
        case .rgb24: width * 3
        case .gray8, .yuv420p: width
        }
    }
}
