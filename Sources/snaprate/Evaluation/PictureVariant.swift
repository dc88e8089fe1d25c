import ArgumentParser
import Foundation
import HandEngine

/// A way a real kiosk changes the picture of a gesture, applied in memory to photos and to every
/// frame of a clip alike, so `eval --robustness` can score the same data under each.
enum PictureVariant: String, CaseIterable, Sendable, ExpressibleByArgument {
    case asIs = "as-is"
    case rotatedClockwise = "rotated+20"
    case rotatedAnticlockwise = "rotated-20"
    case mirrored
    case dark = "dark-noisy"
    case twiceAsFar = "distance-2x"
    case threeTimesAsFar = "distance-3x"

    /// The kiosk frame the distance variants fit a picture into before shrinking it.
    static let kioskWidth = 640, kioskHeight = 480

    /// The change as the stream driver takes it; nil for the picture as it is.
    var adjustment: (@Sendable (RGBImage) -> RGBImage)? {
        guard self != .asIs else { return nil }
        return { image in self.apply(image) }
    }

    func apply(_ image: RGBImage) -> RGBImage {
        switch self {
        case .asIs: image
        case .rotatedClockwise: Self.rotated(image, degrees: 20)
        case .rotatedAnticlockwise: Self.rotated(image, degrees: -20)
        case .mirrored: Self.mirrored(image)
        case .dark: Self.darkened(image)
        case .twiceAsFar: Self.fartherAway(image, factor: 2)
        case .threeTimesAsFar: Self.fartherAway(image, factor: 3)
        }
    }

    /// Turned about its centre (positive is clockwise on screen), on a canvas of the same size;
    /// what falls outside the picture is black, as a tilted camera's corners are not.
    private static func rotated(_ image: RGBImage, degrees: Float) -> RGBImage {
        let angle = degrees * .pi / 180
        let c = cos(angle), s = sin(angle)
        let cx = Float(image.width) / 2, cy = Float(image.height) / 2
        return RGBImage.render(width: image.width, height: image.height) { x, y in
            // Inverse map: the source point that lands on (x, y).
            let dx = x - cx, dy = y - cy
            return image.bilinear(x: c * dx + s * dy + cx, y: -s * dx + c * dy + cy)
        }
    }

    private static func mirrored(_ image: RGBImage) -> RGBImage {
        var pixels = image.pixels
        let row = image.width * 3
        for y in 0..<image.height {
            for x in 0..<image.width {
                let to = y * row + x * 3, from = y * row + (image.width - 1 - x) * 3
                pixels[to] = image.pixels[from]
                pixels[to + 1] = image.pixels[from + 1]
                pixels[to + 2] = image.pixels[from + 2]
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    /// A dim room on a cheap sensor: a third of the light, half the contrast, and grain (Gaussian,
    /// sigma 6 levels, from a fixed seed so every run scores the same pictures).
    private static func darkened(_ image: RGBImage) -> RGBImage {
        var noise = GaussianNoise(seed: 0x5EED)
        let pixels = image.pixels.map { value -> UInt8 in
            let dimmed = 0.33 * (0.5 * Float(value) + 64) + noise.next() * 6
            return UInt8(max(0, min(255, dimmed.rounded())))
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    /// The visitor `factor` times further away: the picture fitted into a 640x480 frame, shrunk to
    /// 1/factor of that and centred on black.
    private static func fartherAway(_ image: RGBImage, factor: Float) -> RGBImage {
        let fit = min(Float(kioskWidth) / Float(image.width), Float(kioskHeight) / Float(image.height))
        let scale = fit / factor
        let width = Float(image.width) * scale, height = Float(image.height) * scale
        let left = (Float(kioskWidth) - width) / 2, top = (Float(kioskHeight) - height) / 2
        // Each output pixel averages the source over its footprint, as a sensor's pixel does.
        let taps = max(1, Int((1 / scale).rounded(.up)))
        return RGBImage.render(width: kioskWidth, height: kioskHeight) { x, y in
            let sx = (x - left) / scale, sy = (y - top) / scale
            guard sx >= 0, sy >= 0, sx < Float(image.width), sy < Float(image.height) else { return .zero }
            var sum = SIMD3<Float>.zero
            for j in 0..<taps {
                for i in 0..<taps {
                    let u = sx + (Float(i) + 0.5) / (Float(taps) * scale) - 0.5 / scale
                    let v = sy + (Float(j) + 0.5) / (Float(taps) * scale) - 0.5 / scale
                    sum += image.bilinear(x: u, y: v)
                }
            }
            return sum / Float(taps * taps)
        }
    }
}

extension RGBImage {
    /// A picture whose every pixel (sampled at its centre, x + 0.5, y + 0.5) is `color`'s answer.
    static func render(width: Int, height: Int, _ color: (Float, Float) -> SIMD3<Float>) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let value = color(Float(x) + 0.5, Float(y) + 0.5)
                let offset = (y * width + x) * 3
                for channel in 0..<3 {
                    pixels[offset + channel] = UInt8(max(0, min(255, value[channel].rounded())))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The colour at a point (pixel centres at +0.5), bilinear, black outside the picture.
    func bilinear(x: Float, y: Float) -> SIMD3<Float> {
        let fx = x - 0.5, fy = y - 0.5
        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
        let ax = fx - Float(x0), ay = fy - Float(y0)
        func texel(_ px: Int, _ py: Int) -> SIMD3<Float> {
            guard px >= 0, py >= 0, px < width, py < height else { return .zero }
            let offset = (py * width + px) * 3
            return SIMD3(Float(pixels[offset]), Float(pixels[offset + 1]), Float(pixels[offset + 2]))
        }
        let top = texel(x0, y0) * (1 - ax) + texel(x0 + 1, y0) * ax
        let bottom = texel(x0, y0 + 1) * (1 - ax) + texel(x0 + 1, y0 + 1) * ax
        return top * (1 - ay) + bottom * ay
    }
}

/// Standard normal numbers from a fixed seed (xorshift64*, Box-Muller): the same grain every run.
struct GaussianNoise {
    private var state: UInt64
    private var spare: Float?

    init(seed: UInt64) { state = seed | 1 }

    mutating func next() -> Float {
        if let spare {
            self.spare = nil
            return spare
        }
        let u = max(uniform(), 1e-7), v = uniform()
        let radius = (-2 * log(u)).squareRoot()
        spare = radius * sin(2 * .pi * v)
        return radius * cos(2 * .pi * v)
    }

    private mutating func uniform() -> Float {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Float((state &* 0x2545_F491_4F6C_DD1D) >> 40) / Float(1 << 24)
    }
}
