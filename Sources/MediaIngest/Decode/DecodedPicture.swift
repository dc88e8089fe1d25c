import CFFmpeg

/// A decoded picture not converted yet: a reference to the decoder's own buffer (FFmpeg counts
/// references, so taking one copies nothing) with its timing.
///
/// Pictures let a consumer pay for a conversion only on the pictures it uses: live delivery
/// converts only the picture the consumer takes, not the ones a newer picture replaced, and a
/// stream driver that looks at the luma first (`withLuma`) converts only the pictures it detects.
public final class DecodedPicture: @unchecked Sendable {
    // Owned by this object and never changed after `init`; read by the one consumer that takes it.
    private var frame: UnsafeMutablePointer<AVFrame>?
    public let time: Double
    public let duration: Double?
    public let isKeyframe: Bool
    public let width: Int
    public let height: Int

    /// Nil when FFmpeg cannot allocate the reference.
    init?(referencing decoded: UnsafeMutablePointer<AVFrame>, time: Double, duration: Double?, isKeyframe: Bool) {
        guard let clone = av_frame_clone(decoded) else { return nil }
        frame = clone
        self.time = time
        self.duration = duration
        self.isKeyframe = isKeyframe
        width = Int(clone.pointee.width)
        height = Int(clone.pointee.height)
    }

    deinit {
        av_frame_free(&frame)
    }

    /// Calls `body` with the picture's own 8-bit luma plane, read in place, or with nil when the
    /// decoder's layout has none (RGB, more than 8 bits a sample).
    public func withLuma<Result>(_ body: (LumaPlane?) -> Result) -> Result {
        guard let frame, Self.eightBitLuma.contains(frame.pointee.format),
              let base = snaprate_frame_plane(frame, 0) else { return body(nil) }
        return body(LumaPlane(base: UnsafePointer(base), width: width, height: height,
                              rowBytes: Int(snaprate_frame_linesize(frame, 0))))
    }

    /// The picture converted as `MediaDecoder.nextFrame()` would; nil when libswscale refuses it.
    func frame(converter: FrameConverter, format: PixelFormat) -> Frame? {
        guard let frame, let converted = converter.convert(frame) else { return nil }
        return Frame(time: time, duration: duration, width: converted.width, height: converted.height,
                     format: format, pixels: converted.pixels, isKeyframe: isKeyframe)
    }

    /// Layouts whose first plane is 8-bit luma, one byte a pixel: what cameras and browsers send.
    private static let eightBitLuma: Set<Int32> = Set([
        AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUVJ422P,
        AV_PIX_FMT_YUV444P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_NV12, AV_PIX_FMT_NV21, AV_PIX_FMT_GRAY8,
    ].map(\.rawValue))
}

/// A picture's luma plane, borrowed for the length of a call: `height` rows of `width` bytes,
/// `rowBytes` apart.
public struct LumaPlane {
    public let base: UnsafePointer<UInt8>
    public let width: Int
    public let height: Int
    public let rowBytes: Int

    public init(base: UnsafePointer<UInt8>, width: Int, height: Int, rowBytes: Int) {
        self.base = base
        self.width = width
        self.height = height
        self.rowBytes = rowBytes
    }
}
