import Foundation
import HandEngine
import Testing

@Suite(.timeLimit(.minutes(15))) struct AffineCropTests {
    /// A deterministic, irregular test picture.
    static func picture(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in pixels.indices { pixels[i] = UInt8((i &* 7919 &+ (i / 3) &* 31) % 251) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    func warp(_ image: RGBImage, _ region: RotatedRect, _ size: Int, _ border: BorderMode) -> [Float] {
        var out = [Float](repeating: -1, count: size * size * 3)
        out.withUnsafeMutableBufferPointer { AffineCrop.warp(image, region: region, into: $0, width: size, height: size, border: border) }
        return out
    }

    /// Straightforward bilinear sampling with bounds checks everywhere, to compare against.
    func reference(_ image: RGBImage, _ region: RotatedRect, _ size: Int, _ border: BorderMode) -> [Float] {
        var out = [Float](repeating: 0, count: size * size * 3)
        let c = cos(region.rotation), s = sin(region.rotation)
        for y in 0..<size {
            for x in 0..<size {
                let lx = (Float(x) / Float(size) - 0.5) * region.width, ly = (Float(y) / Float(size) - 0.5) * region.height
                let sx = region.centerX + c * lx - s * ly, sy = region.centerY + s * lx + c * ly
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Float(x0), fy = sy - Float(y0)
                for ch in 0..<3 {
                    func at(_ px: Int, _ py: Int) -> Float {
                        var px = px, py = py
                        if border == .zero {
                            if px < 0 || py < 0 || px >= image.width || py >= image.height { return 0 }
                        } else {
                            px = min(max(px, 0), image.width - 1); py = min(max(py, 0), image.height - 1)
                        }
                        return Float(image.pixels[(py * image.width + px) * 3 + ch])
                    }
                    let v = (1 - fx) * (1 - fy) * at(x0, y0) + fx * (1 - fy) * at(x0 + 1, y0)
                        + (1 - fx) * fy * at(x0, y0 + 1) + fx * fy * at(x0 + 1, y0 + 1)
                    out[(y * size + x) * 3 + ch] = v / 255
                }
            }
        }
        return out
    }

    @Test func wholeSquareImageAtItsOwnSizeIsAnExactCopy() {
        let image = Self.picture(width: 16, height: 16)
        let out = warp(image, RotatedRect(centerX: 8, centerY: 8, width: 16, height: 16), 16, .zero)
        let worst = zip(out, image.pixels).map { abs($0 - Float($1) / 255) }.max() ?? 1
        #expect(worst < 1e-6)
    }

    @Test func letterboxPadsTheShortSideWithBlack() {
        let image = RGBImage(width: 20, height: 10, pixels: [UInt8](repeating: 255, count: 20 * 10 * 3))
        let out = warp(image, .letterbox(width: 20, height: 10), 20, .zero)
        #expect(out[0] == 0)                              // top band
        #expect(out[(10 * 20 + 10) * 3] == 1)             // middle
        #expect(out[(19 * 20 + 10) * 3] == 0)             // bottom band
    }

    @Test func quarterTurnRotatesThePicture() {
        let image = Self.picture(width: 8, height: 8)
        // Output x runs down the source's y axis; output y runs against the source's x axis.
        let out = warp(image, RotatedRect(centerX: 4, centerY: 4, width: 8, height: 8, rotation: .pi / 2), 8, .replicate)
        let expected = reference(image, RotatedRect(centerX: 4, centerY: 4, width: 8, height: 8, rotation: .pi / 2), 8, .replicate)
        for (a, b) in zip(out, expected) { #expect(abs(a - b) < 1e-4) }
        // Output (x=1, y=6) samples source (x=2, y=1) up to rounding of the quarter turn.
        #expect(abs(out[(6 * 8 + 1) * 3] - Float(image.pixels[(1 * 8 + 2) * 3]) / 255) < 1e-3)
    }

    @Test(arguments: [BorderMode.zero, .replicate])
    func rotatedCropsReachingPastTheEdgesMatchTheReference(_ border: BorderMode) {
        let image = Self.picture(width: 37, height: 23)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let region = RotatedRect(
                centerX: Float.random(in: -10...47, using: &generator), centerY: Float.random(in: -10...33, using: &generator),
                width: Float.random(in: 3...60, using: &generator), height: Float.random(in: 3...60, using: &generator),
                rotation: Float.random(in: -4...4, using: &generator))
            let got = warp(image, region, 24, border), expected = reference(image, region, 24, border)
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-4, "region \(region)")
        }
    }

    /// Inside the picture, pixels go eight at a time through a C kernel, the rest of a row one at a
    /// time in Swift: both must give each sample exactly the blend `AffineCrop` documents, so a
    /// frame's landmarks do not depend on where in a row a pixel fell.
    @Test func theInteriorGivesTheDocumentedBlendToTheBit() {
        let image = Self.picture(width: 97, height: 61)
        // 21 columns: two groups of eight and a rest of five, rotated and scaled either way.
        for (size, region) in [(21, RotatedRect(centerX: 48, centerY: 30, width: 40, height: 30, rotation: 0.37)),
                               (21, RotatedRect(centerX: 50, centerY: 28, width: 15, height: 12, rotation: -2.1)),
                               (16, RotatedRect(centerX: 47, centerY: 31, width: 44, height: 26, rotation: 3.0))] {
            let got = warp(image, region, size, .replicate)
            let cosine = cos(region.rotation), sine = sin(region.rotation)
            let stepX = SIMD2<Float>(cosine, sine) * (region.width / Float(size))
            let stepY = SIMD2<Float>(-sine, cosine) * (region.height / Float(size))
            let origin = SIMD2<Float>(region.centerX, region.centerY) - stepX * Float(size) / 2 - stepY * Float(size) / 2
            var differing = 0
            for y in 0..<size {
                let rowOrigin = origin + stepY * Float(y)
                for x in 0..<size {
                    let point = rowOrigin + stepX * Float(x)
                    let floorX = point.x.rounded(.down), floorY = point.y.rounded(.down)
                    let fx = point.x - floorX, fy = point.y - floorY
                    for channel in 0..<3 {
                        func texel(_ dx: Int, _ dy: Int) -> Float {
                            Float(image.pixels[((Int(floorY) + dy) * image.width + Int(floorX) + dx) * 3 + channel])
                        }
                        let upper = texel(0, 0) + (texel(1, 0) - texel(0, 0)) * fx
                        let lower = texel(0, 1) + (texel(1, 1) - texel(0, 1)) * fx
                        let expected = (upper + (lower - upper) * fy) * (1 / 255)
                        if got[(y * size + x) * 3 + channel].bitPattern != expected.bitPattern { differing += 1 }
                    }
                }
            }
            #expect(differing == 0, "region \(region): \(differing) of \(size * size * 3) values differ")
        }
    }

    /// The fast path stores four floats a pixel, the fourth over the next pixel's red: the last
    /// pixel of a row, and of the tensor, must not write past its three.
    @Test func aCropInsideThePictureWritesNothingPastItsPixels() {
        let image = Self.picture(width: 40, height: 30)
        let size = 8, region = RotatedRect(centerX: 20, centerY: 15, width: 10, height: 10)
        var buffer = [Float](repeating: -7, count: size * size * 3 + 4)
        buffer.withUnsafeMutableBufferPointer {
            AffineCrop.warp(image, region: region, into: UnsafeMutableBufferPointer(rebasing: $0[0..<(size * size * 3)]),
                            width: size, height: size, border: .zero)
        }
        #expect(Array(buffer.suffix(4)) == [-7, -7, -7, -7])
        let expected = reference(image, region, size, .zero)
        #expect(zip(buffer, expected).map { abs($0 - $1) }.max() ?? 1 < 1e-4)
    }
}
