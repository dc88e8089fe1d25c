import CropKernels
import Foundation

/// What a warp reads outside the image: MediaPipe's palm input uses zeros (BORDER_ZERO), the
/// landmark input repeats the edge pixels (the ImageToTensorCalculator default, BORDER_REPLICATE).
public enum BorderMode: Sendable {
    case zero
    case replicate
}

/// Bilinear warp of a rotated rectangle of an RGB image into a float tensor (NHWC, values in
/// [0, 1]), with the geometry of MediaPipe's OpenCV ImageToTensor converter: the rectangle's
/// corners land on the output's corners and output pixel (x, y) samples the source at
/// centre + R(rotation) · ((x / outWidth − ½) · width, (y / outHeight − ½) · height).
public enum AffineCrop {
    public static func warp(_ image: RGBImage, region: RotatedRect, into output: UnsafeMutableBufferPointer<Float>,
                            width outWidth: Int, height outHeight: Int, border: BorderMode) {
        precondition(output.count >= outWidth * outHeight * 3, "output tensor too small")
        precondition(region.isValid, "crop region must have a finite, positive size")
        let cosine = cos(region.rotation), sine = sin(region.rotation)
        // source = origin + x · stepX + y · stepY
        let stepX = SIMD2<Float>(cosine, sine) * (region.width / Float(outWidth))
        let stepY = SIMD2<Float>(-sine, cosine) * (region.height / Float(outHeight))
        let origin = SIMD2<Float>(region.centerX, region.centerY) - stepX * Float(outWidth) / 2 - stepY * Float(outHeight) / 2
        let imageWidth = image.width, imageHeight = image.height
        let maxX = Float(imageWidth - 1), maxY = Float(imageHeight - 1)
        guard imageWidth >= 3 else {
            // Too narrow for the fast path's one-pixel margin: every sample the careful way.
            return warpAtBorder(image, origin: origin, stepX: stepX, stepY: stepY, into: output,
                                width: outWidth, height: outHeight, border: border)
        }
        // The C kernel's gathers take 32-bit offsets.
        let gathers = image.pixels.count < Int(Int32.max) - 8
        image.pixels.withUnsafeBufferPointer { pixels in
            let rowBytes = imageWidth * 3
            for y in 0..<outHeight {
                let rowOrigin = origin + stepY * Float(y)
                let outRow = output.baseAddress! + y * outWidth * 3
                let (first, end) = interiorSpan(rowOrigin: rowOrigin, step: stepX, count: outWidth,
                                                 maxX: maxX - 1, maxY: maxY)
                // Outside [first, end) a neighbour may fall off the image: the careful path.
                for x in 0..<first {
                    sampleAtBorder(pixels, imageWidth, imageHeight, rowOrigin + stepX * Float(x), outRow + x * 3, border)
                }
                // Inside, all four neighbours exist: no bounds checks in the hot loop. Runs of eight
                // pixels go to a C kernel that gathers their texels (`snaprate_crop_row_rgb8`, a third
                // off the landmark crop); the rest blend the three channels together as one vector,
                // with the same arithmetic, so every pixel gets the same bits either way. Each texel
                // is read as four bytes (its R, G, B and the next byte, which is ignored); the span
                // keeps one pixel clear of the last column so that fourth byte is always inside.
                let base = UnsafeRawPointer(pixels.baseAddress!)
                @inline(__always) func texel(_ offset: Int) -> SIMD4<Float> {
                    SIMD4<Float>(base.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self))
                }
                let scale = SIMD4<Float>(repeating: 1 / 255)
                @inline(__always) func sample(_ x: Int) -> SIMD4<Float> {
                    let point = rowOrigin + stepX * Float(x)
                    let floorX = point.x.rounded(.down), floorY = point.y.rounded(.down)
                    let fx = SIMD4<Float>(repeating: point.x - floorX), fy = SIMD4<Float>(repeating: point.y - floorY)
                    let top = Int(floorY) * rowBytes + Int(floorX) * 3
                    let bottom = top + rowBytes
                    let topLeft = texel(top), bottomLeft = texel(bottom)
                    let upper = topLeft + (texel(top + 3) - topLeft) * fx
                    let lower = bottomLeft + (texel(bottom + 3) - bottomLeft) * fx
                    return (upper + (lower - upper) * fy) * scale
                }
                // All four lanes are stored, the fourth over the next pixel's red, which that
                // pixel's own store then replaces: one vector store instead of three scalar ones
                // lets the whole blend stay in one register (with three, it was split lane by lane).
                var x = first
                if gathers {
                    let count = (end - first) / 8 * 8
                    snaprate_crop_row_rgb8(pixels.baseAddress!, rowBytes, rowOrigin.x, rowOrigin.y, stepX.x, stepX.y,
                                           Int32(first), Int32(count), outRow + first * 3)
                    x += count
                }
                while x + 1 < end {
                    UnsafeMutableRawPointer(outRow + x * 3).storeBytes(of: sample(x), as: SIMD4<Float>.self)
                    x += 1
                }
                if x < end {
                    let value = sample(x), out = outRow + x * 3
                    out[0] = value.x
                    out[1] = value.y
                    out[2] = value.z
                }
                for x in end..<outWidth {
                    sampleAtBorder(pixels, imageWidth, imageHeight, rowOrigin + stepX * Float(x), outRow + x * 3, border)
                }
            }
        }
    }

    private static func warpAtBorder(_ image: RGBImage, origin: SIMD2<Float>, stepX: SIMD2<Float>, stepY: SIMD2<Float>,
                                     into output: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
                                     border: BorderMode) {
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                let rowOrigin = origin + stepY * Float(y)
                for x in 0..<width {
                    sampleAtBorder(pixels, image.width, image.height, rowOrigin + stepX * Float(x),
                                   output.baseAddress! + (y * width + x) * 3, border)
                }
            }
        }
    }

    /// The run of output columns whose sample point has all four neighbours inside the image,
    /// i.e. 0 ≤ x < maxX and 0 ≤ y < maxY. The point moves linearly along a row, so the run is one
    /// interval; it is solved for, then trimmed by testing the actual points so rounding can't lie.
    static func interiorSpan(rowOrigin: SIMD2<Float>, step: SIMD2<Float>, count: Int, maxX: Float, maxY: Float) -> (Int, Int) {
        var low: Float = 0, high = Float(count)
        for axis in 0..<2 {
            let start = rowOrigin[axis], delta = step[axis], limit = axis == 0 ? maxX : maxY
            if delta == 0 {
                if !(start >= 0 && start < limit) { return (0, 0) }
            } else {
                let a = (0 - start) / delta, b = (limit - start) / delta
                low = max(low, min(a, b))
                high = min(high, max(a, b))
            }
        }
        guard high > low else { return (0, 0) }
        var first = max(0, Int(low.rounded(.down)))
        var end = min(count, Int(high.rounded(.up)))
        func inside(_ x: Int) -> Bool {
            let p = rowOrigin + step * Float(x)
            return p.x >= 0 && p.x < maxX && p.y >= 0 && p.y < maxY
        }
        while first < end, !inside(first) { first += 1 }
        while end > first, !inside(end - 1) { end -= 1 }
        return (first, end)
    }

    private static func sampleAtBorder(_ pixels: UnsafeBufferPointer<UInt8>, _ width: Int, _ height: Int,
                                       _ point: SIMD2<Float>, _ out: UnsafeMutablePointer<Float>, _ border: BorderMode) {
        // Clamp far-away points first so the Int conversion is safe; the result is the same.
        let px = min(max(point.x, -2), Float(width) + 1), py = min(max(point.y, -2), Float(height) + 1)
        let floorX = px.rounded(.down), floorY = py.rounded(.down)
        let fx = px - floorX, fy = py - floorY
        let x0 = Int(floorX), y0 = Int(floorY)
        var sum = SIMD3<Float>.zero
        func add(_ x: Int, _ y: Int, _ weight: Float) {
            var sx = x, sy = y
            switch border {
            case .zero:
                guard sx >= 0, sx < width, sy >= 0, sy < height else { return }
            case .replicate:
                sx = min(max(sx, 0), width - 1)
                sy = min(max(sy, 0), height - 1)
            }
            let index = (sy * width + sx) * 3
            sum += SIMD3(Float(pixels[index]), Float(pixels[index + 1]), Float(pixels[index + 2])) * weight
        }
        add(x0, y0, (1 - fx) * (1 - fy))
        add(x0 + 1, y0, fx * (1 - fy))
        add(x0, y0 + 1, (1 - fx) * fy)
        add(x0 + 1, y0 + 1, fx * fy)
        sum /= 255
        out[0] = sum.x
        out[1] = sum.y
        out[2] = sum.z
    }
}
