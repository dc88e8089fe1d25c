import Foundation
import HandEngine
import MediaIngest

/// Decodes a photo of the shared set into the hand pipeline's image type.
enum PhotoLoader {
    static func load(_ url: URL) throws -> RGBImage {
        let decoder = try MediaDecoder(file: url.path, options: DecodeOptions(pixelFormat: .rgb24, acceptStillImages: true))
        guard let frame = try decoder.nextFrame() else {
            throw MediaError(source: url.path, reason: "no picture decoded")
        }
        return RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)
    }
}
