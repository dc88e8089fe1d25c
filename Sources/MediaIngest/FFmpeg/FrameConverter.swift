import CFFmpeg

/// Turns decoded AVFrames into `Frame` pixels: libswscale for RGB, gray, another pixel layout or a
/// size change, a plain plane copy when the decoder's own YUV420P is wanted at its own size.
final class FrameConverter {
    private let format: PixelFormat
    private let outputSize: (width: Int, height: Int)?
    private var scaler: OpaquePointer?

    init(format: PixelFormat, outputSize: (width: Int, height: Int)?) {
        self.format = format
        self.outputSize = outputSize
    }

    deinit {
        sws_freeContext(scaler)
    }

    /// The converted pixels and their size, or nil when libswscale refuses the conversion.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>) -> (pixels: [UInt8], width: Int, height: Int)? {
        let sourceWidth = Int(frame.pointee.width)
        let sourceHeight = Int(frame.pointee.height)
        let width = outputSize?.width ?? sourceWidth
        let height = outputSize?.height ?? sourceHeight
        let sourceFormat = AVPixelFormat(rawValue: frame.pointee.format)

        if format == .yuv420p && sourceFormat == AV_PIX_FMT_YUV420P && width == sourceWidth && height == sourceHeight {
            return Self.planes(AV_PIX_FMT_YUV420P, width: width, height: height) { buffer, size in
                snaprate_copy_planes(frame, buffer, size)
            }
        }

        let target: AVPixelFormat = switch format {
        case .rgb24: AV_PIX_FMT_RGB24
        case .gray8: AV_PIX_FMT_GRAY8
        // Another layout (4:2:2 Motion JPEG, 10-bit VP9) or another size.
        case .yuv420p: AV_PIX_FMT_YUV420P
        }
        scaler = sws_getCachedContext(scaler, Int32(sourceWidth), Int32(sourceHeight), sourceFormat,
                                      Int32(width), Int32(height), target, SWS_BILINEAR, nil, nil, nil)
        guard let scaler else { return nil }
        if format == .yuv420p {
            return Self.planes(target, width: width, height: height) { buffer, size in
                snaprate_scale_to_planes(scaler, frame, buffer, size, target, Int32(width), Int32(height))
            }
        }
        let rowBytes = width * (format == .rgb24 ? 3 : 1)
        let size = rowBytes * height
        var ok = false
        // Some of libswscale's SIMD writers run a little past the last row: leave them slack.
        let pixels = [UInt8](unsafeUninitializedCapacity: size + 64) { buffer, count in
            ok = snaprate_scale_to_packed(scaler, frame, buffer.baseAddress, Int32(rowBytes)) == height
            count = size
        }
        return ok ? (pixels, width, height) : nil
    }

    /// A planar image packed tightly, filled by `write` (which returns the bytes it wrote).
    private static func planes(_ format: AVPixelFormat, width: Int, height: Int,
                               write: (UnsafeMutablePointer<UInt8>?, Int32) -> Int32) -> (pixels: [UInt8], width: Int, height: Int)? {
        let size = Int(av_image_get_buffer_size(format, Int32(width), Int32(height), 1))
        guard size > 0 else { return nil }
        let pixels = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = write(buffer.baseAddress, Int32(size)) == size ? size : 0
        }
        return pixels.isEmpty ? nil : (pixels, width, height)
    }
}
