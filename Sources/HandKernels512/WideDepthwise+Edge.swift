extension WideDepthwise {
    /// One output pixel whose window the padding clips, on 512-bit vectors: `channels` channels,
    /// 64 at a time in four independent chains, each lane adding the bias, then the window's taps
    /// row by row, left to right, as every other depthwise path does. The window's first tap
    /// (channel 0) is at `source`, its `rows` x `columns` taps `rowStride` and `pixelStride` floats
    /// apart; its weights start at `weights`, taps `tapStride` floats apart and filter rows
    /// `filterWidth` taps apart. Weights and bias are zero-padded and may be read 63 floats past
    /// `channels`, and so may the source; only `channels` sums are stored.
    @inline(never)
    public static func clippedPixel(
        channels: Int, source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, rows: Int, columns: Int,
        weights: UnsafePointer<Float>, tapStride: Int, filterWidth: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, clamp: (lower: Float, upper: Float)?
    ) {
        var channel = 0
        while channel < channels {
            var s0 = load(bias + channel), s1 = load(bias + channel + 16)
            var s2 = load(bias + channel + 32), s3 = load(bias + channel + 48)
            for ky in 0..<rows {
                for kx in 0..<columns {
                    let input = source + ky * rowStride + kx * pixelStride + channel
                    let weight = weights + (ky * filterWidth + kx) * tapStride + channel
                    s0 = s0.addingProduct(load(input), load(weight))
                    s1 = s1.addingProduct(load(input + 16), load(weight + 16))
                    s2 = s2.addingProduct(load(input + 32), load(weight + 32))
                    s3 = s3.addingProduct(load(input + 48), load(weight + 48))
                }
            }
            let left = channels - channel
            put(s0, output + channel, valid: left, clamp: clamp)
            if left > 16 { put(s1, output + channel + 16, valid: left - 16, clamp: clamp) }
            if left > 32 { put(s2, output + channel + 32, valid: left - 32, clamp: clamp) }
            if left > 48 { put(s3, output + channel + 48, valid: left - 48, clamp: clamp) }
            channel += 64
        }
    }

    @inline(__always)
    private static func put(_ sum: SIMD16<Float>, _ target: UnsafeMutablePointer<Float>, valid: Int,
                            clamp: (lower: Float, upper: Float)?) {
        var sum = sum
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            sum.replace(with: low, where: sum .< low)
            sum.replace(with: high, where: sum .> high)
        }
        if valid >= 16 {
            store(sum, target)
        } else if valid >= 8 {
            storeLow(sum, target)
            for lane in 8..<valid { target[lane] = sum[lane] }
        } else {
            for lane in 0..<valid { target[lane] = sum[lane] }
        }
    }
}
