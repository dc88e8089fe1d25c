import CFFmpeg

/// A decoded picture not converted yet: a reference to the decoder's own buffer (FFmpeg counts
/// references, so taking one copies nothing) with its timing.
///
/// Live delivery queues these and converts only the picture the consumer takes. A picture that a
/// newer one replaces costs no conversion, and a stream holds one converted frame at a time (the
/// one being detected), not one in detection, one waiting and one just converted.
final class DecodedPicture: @unchecked Sendable {
    // Owned by this object; read only by the one consumer that takes it.
    private var frame: UnsafeMutablePointer<AVFrame>?
    let time: Double
    let duration: Double?
    let isKeyframe: Bool

    /// Nil when FFmpeg cannot allocate the reference.
    init?(referencing decoded: UnsafeMutablePointer<AVFrame>, time: Double, duration: Double?, isKeyframe: Bool) {
        guard let clone = av_frame_clone(decoded) else { return nil }
        frame = clone
        self.time = time
        self.duration = duration
        self.isKeyframe = isKeyframe
    }

    deinit {
        av_frame_free(&frame)
    }

    /// The picture converted as `MediaDecoder.nextFrame()` would; nil when libswscale refuses it.
    func frame(converter: FrameConverter, format: PixelFormat) -> Frame? {
        guard let frame, let converted = converter.convert(frame) else { return nil }
        return Frame(time: time, duration: duration, width: converted.width, height: converted.height,
                     format: format, pixels: converted.pixels, isKeyframe: isKeyframe)
    }
}
