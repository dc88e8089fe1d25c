/// A picture as the hand pipeline reads it: interleaved 8-bit R, G, B, rows of `width * 3` bytes
/// with no padding. HandEngine knows nothing of video; callers convert their frames to this.
public struct RGBImage: Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "an image needs a positive size")
        precondition(pixels.count == width * height * 3, "RGB24 pixels must be width * height * 3 bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The longer side in pixels: landmark errors are measured against it.
    public var largerSide: Int { max(width, height) }
}
