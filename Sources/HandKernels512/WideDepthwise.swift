/// DEPTHWISE_CONV_2D's interior on 512-bit vectors, for 3- and 5-wide filters at stride 1 or 2:
/// up to eight adjacent output pixels x 16 channels, or x 32 (two blocks, `+Pairs`) wherever two
/// blocks are left, each input vector loaded once and fed to every output whose window covers it,
/// the filter row's weights in registers (the AVX2 stride-1 paths do the same on 8 channels in
/// HandEngine's `DepthwiseConv2DKernel.octet3/5`). Every lane adds the bias, then the taps row by
/// row, left to right, as HandEngine's AVX2 paths do, so both widths give the same bits. Written
/// out by a small generator: every (input, tap) pair spelled out.
public enum WideDepthwise {
    /// Whether `octets` has a kernel for this filter width and stride.
    public static func supports(filterWidth: Int, stride: Int) -> Bool {
        (filterWidth == 3 || filterWidth == 5) && (stride == 1 || stride == 2)
    }

    /// Sums (bias included), clamped to `clamp` when given (a fused RELU or RELU6), of `count`
    /// (1...8) output pixels, `outputStride` floats apart from `output`, for `blocks` blocks of 16
    /// channels. The first block's first tap in filter row 0 is at `source` (input pixels
    /// `pixelStride` apart, so output pixels `stride` of them apart), its weights at `weights`
    /// (`[KH][KW]`, `tapStride` floats apart) and its bias at `bias`; each next block is 16 floats
    /// further on in all four.
    @inline(never)
    public static func octets(
        filterWidth: Int, stride: Int, blocks: Int, source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int,
        filterRows: Range<Int>, weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)? = nil
    ) {
        // Pairs of blocks, then a last single one, each switch calling its kernels by name. (One
        // switch over both, or a kernel chosen once as a function value, ran the layers 5-15% slower.)
        var block = 0
        while block + 1 < blocks {
            let offset = block * 16
            switch (filterWidth, stride) {
            case (5, 1):
                pairOctet5(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                           weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                           output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            case (3, 1):
                pairOctet3(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                           weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                           output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            case (5, 2):
                pairOctet5Stride2(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                                  weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                                  output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            default:
                pairOctet3Stride2(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                                  weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                                  output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            }
            block += 2
        }
        if block < blocks {
            let offset = block * 16
            switch (filterWidth, stride) {
            case (5, 1):
                octet5(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                       weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                       output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            case (3, 1):
                octet3(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                       weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                       output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            case (5, 2):
                octet5Stride2(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                              weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                              output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            default:
                octet3Stride2(source: source + offset, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                              weights: weights + offset, tapStride: tapStride, bias: bias + offset,
                              output: output + offset, outputStride: outputStride, count: count, clamp: clamp)
            }
        }
    }

    @inline(__always)
    private static func octet3(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let start = load(bias)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 3 * tapStride
            let w0 = load(taps), w1 = load(taps + 1 * tapStride), w2 = load(taps + 2 * tapStride)
            var v = load(row + 0 * pixelStride)
            s0 = s0.addingProduct(v, w0)
            v = load(row + 1 * pixelStride)
            s0 = s0.addingProduct(v, w1)
            s1 = s1.addingProduct(v, w0)
            v = load(row + 2 * pixelStride)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w1)
            s2 = s2.addingProduct(v, w0)
            v = load(row + 3 * pixelStride)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w1)
            s3 = s3.addingProduct(v, w0)
            v = load(row + 4 * pixelStride)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w1)
            s4 = s4.addingProduct(v, w0)
            v = load(row + 5 * pixelStride)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w1)
            s5 = s5.addingProduct(v, w0)
            v = load(row + 6 * pixelStride)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w1)
            s6 = s6.addingProduct(v, w0)
            v = load(row + 7 * pixelStride)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w1)
            s7 = s7.addingProduct(v, w0)
            v = load(row + 8 * pixelStride)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w1)
            v = load(row + 9 * pixelStride)
            s7 = s7.addingProduct(v, w2)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            s0.replace(with: low, where: s0 .< low); s0.replace(with: high, where: s0 .> high)
            s1.replace(with: low, where: s1 .< low); s1.replace(with: high, where: s1 .> high)
            s2.replace(with: low, where: s2 .< low); s2.replace(with: high, where: s2 .> high)
            s3.replace(with: low, where: s3 .< low); s3.replace(with: high, where: s3 .> high)
            s4.replace(with: low, where: s4 .< low); s4.replace(with: high, where: s4 .> high)
            s5.replace(with: low, where: s5 .< low); s5.replace(with: high, where: s5 .> high)
            s6.replace(with: low, where: s6 .< low); s6.replace(with: high, where: s6 .> high)
            s7.replace(with: low, where: s7 .< low); s7.replace(with: high, where: s7 .> high)
        }
        store(s0, output)
        if count > 1 { store(s1, output + 1 * outputStride) }
        if count > 2 { store(s2, output + 2 * outputStride) }
        if count > 3 { store(s3, output + 3 * outputStride) }
        if count > 4 { store(s4, output + 4 * outputStride) }
        if count > 5 { store(s5, output + 5 * outputStride) }
        if count > 6 { store(s6, output + 6 * outputStride) }
        if count > 7 { store(s7, output + 7 * outputStride) }
    }

    @inline(__always)
    private static func octet5(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let start = load(bias)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 5 * tapStride
            let w0 = load(taps), w1 = load(taps + 1 * tapStride), w2 = load(taps + 2 * tapStride), w3 = load(taps + 3 * tapStride), w4 = load(taps + 4 * tapStride)
            var v = load(row + 0 * pixelStride)
            s0 = s0.addingProduct(v, w0)
            v = load(row + 1 * pixelStride)
            s0 = s0.addingProduct(v, w1)
            s1 = s1.addingProduct(v, w0)
            v = load(row + 2 * pixelStride)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w1)
            s2 = s2.addingProduct(v, w0)
            v = load(row + 3 * pixelStride)
            s0 = s0.addingProduct(v, w3)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w1)
            s3 = s3.addingProduct(v, w0)
            v = load(row + 4 * pixelStride)
            s0 = s0.addingProduct(v, w4)
            s1 = s1.addingProduct(v, w3)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w1)
            s4 = s4.addingProduct(v, w0)
            v = load(row + 5 * pixelStride)
            s1 = s1.addingProduct(v, w4)
            s2 = s2.addingProduct(v, w3)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w1)
            s5 = s5.addingProduct(v, w0)
            v = load(row + 6 * pixelStride)
            s2 = s2.addingProduct(v, w4)
            s3 = s3.addingProduct(v, w3)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w1)
            s6 = s6.addingProduct(v, w0)
            v = load(row + 7 * pixelStride)
            s3 = s3.addingProduct(v, w4)
            s4 = s4.addingProduct(v, w3)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w1)
            s7 = s7.addingProduct(v, w0)
            v = load(row + 8 * pixelStride)
            s4 = s4.addingProduct(v, w4)
            s5 = s5.addingProduct(v, w3)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w1)
            v = load(row + 9 * pixelStride)
            s5 = s5.addingProduct(v, w4)
            s6 = s6.addingProduct(v, w3)
            s7 = s7.addingProduct(v, w2)
            v = load(row + 10 * pixelStride)
            s6 = s6.addingProduct(v, w4)
            s7 = s7.addingProduct(v, w3)
            v = load(row + 11 * pixelStride)
            s7 = s7.addingProduct(v, w4)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            s0.replace(with: low, where: s0 .< low); s0.replace(with: high, where: s0 .> high)
            s1.replace(with: low, where: s1 .< low); s1.replace(with: high, where: s1 .> high)
            s2.replace(with: low, where: s2 .< low); s2.replace(with: high, where: s2 .> high)
            s3.replace(with: low, where: s3 .< low); s3.replace(with: high, where: s3 .> high)
            s4.replace(with: low, where: s4 .< low); s4.replace(with: high, where: s4 .> high)
            s5.replace(with: low, where: s5 .< low); s5.replace(with: high, where: s5 .> high)
            s6.replace(with: low, where: s6 .< low); s6.replace(with: high, where: s6 .> high)
            s7.replace(with: low, where: s7 .< low); s7.replace(with: high, where: s7 .> high)
        }
        store(s0, output)
        if count > 1 { store(s1, output + 1 * outputStride) }
        if count > 2 { store(s2, output + 2 * outputStride) }
        if count > 3 { store(s3, output + 3 * outputStride) }
        if count > 4 { store(s4, output + 4 * outputStride) }
        if count > 5 { store(s5, output + 5 * outputStride) }
        if count > 6 { store(s6, output + 6 * outputStride) }
        if count > 7 { store(s7, output + 7 * outputStride) }
    }

    @inline(__always)
    private static func octet3Stride2(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let start = load(bias)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 3 * tapStride
            let w0 = load(taps), w1 = load(taps + 1 * tapStride), w2 = load(taps + 2 * tapStride)
            var v = load(row + 0 * pixelStride)
            s0 = s0.addingProduct(v, w0)
            v = load(row + 1 * pixelStride)
            s0 = s0.addingProduct(v, w1)
            v = load(row + 2 * pixelStride)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w0)
            v = load(row + 3 * pixelStride)
            s1 = s1.addingProduct(v, w1)
            v = load(row + 4 * pixelStride)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w0)
            v = load(row + 5 * pixelStride)
            s2 = s2.addingProduct(v, w1)
            v = load(row + 6 * pixelStride)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w0)
            v = load(row + 7 * pixelStride)
            s3 = s3.addingProduct(v, w1)
            v = load(row + 8 * pixelStride)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w0)
            v = load(row + 9 * pixelStride)
            s4 = s4.addingProduct(v, w1)
            v = load(row + 10 * pixelStride)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w0)
            v = load(row + 11 * pixelStride)
            s5 = s5.addingProduct(v, w1)
            v = load(row + 12 * pixelStride)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w0)
            v = load(row + 13 * pixelStride)
            s6 = s6.addingProduct(v, w1)
            v = load(row + 14 * pixelStride)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w0)
            v = load(row + 15 * pixelStride)
            s7 = s7.addingProduct(v, w1)
            v = load(row + 16 * pixelStride)
            s7 = s7.addingProduct(v, w2)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            s0.replace(with: low, where: s0 .< low); s0.replace(with: high, where: s0 .> high)
            s1.replace(with: low, where: s1 .< low); s1.replace(with: high, where: s1 .> high)
            s2.replace(with: low, where: s2 .< low); s2.replace(with: high, where: s2 .> high)
            s3.replace(with: low, where: s3 .< low); s3.replace(with: high, where: s3 .> high)
            s4.replace(with: low, where: s4 .< low); s4.replace(with: high, where: s4 .> high)
            s5.replace(with: low, where: s5 .< low); s5.replace(with: high, where: s5 .> high)
            s6.replace(with: low, where: s6 .< low); s6.replace(with: high, where: s6 .> high)
            s7.replace(with: low, where: s7 .< low); s7.replace(with: high, where: s7 .> high)
        }
        store(s0, output)
        if count > 1 { store(s1, output + 1 * outputStride) }
        if count > 2 { store(s2, output + 2 * outputStride) }
        if count > 3 { store(s3, output + 3 * outputStride) }
        if count > 4 { store(s4, output + 4 * outputStride) }
        if count > 5 { store(s5, output + 5 * outputStride) }
        if count > 6 { store(s6, output + 6 * outputStride) }
        if count > 7 { store(s7, output + 7 * outputStride) }
    }

    @inline(__always)
    private static func octet5Stride2(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let start = load(bias)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 5 * tapStride
            let w0 = load(taps), w1 = load(taps + 1 * tapStride), w2 = load(taps + 2 * tapStride), w3 = load(taps + 3 * tapStride), w4 = load(taps + 4 * tapStride)
            var v = load(row + 0 * pixelStride)
            s0 = s0.addingProduct(v, w0)
            v = load(row + 1 * pixelStride)
            s0 = s0.addingProduct(v, w1)
            v = load(row + 2 * pixelStride)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w0)
            v = load(row + 3 * pixelStride)
            s0 = s0.addingProduct(v, w3)
            s1 = s1.addingProduct(v, w1)
            v = load(row + 4 * pixelStride)
            s0 = s0.addingProduct(v, w4)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w0)
            v = load(row + 5 * pixelStride)
            s1 = s1.addingProduct(v, w3)
            s2 = s2.addingProduct(v, w1)
            v = load(row + 6 * pixelStride)
            s1 = s1.addingProduct(v, w4)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w0)
            v = load(row + 7 * pixelStride)
            s2 = s2.addingProduct(v, w3)
            s3 = s3.addingProduct(v, w1)
            v = load(row + 8 * pixelStride)
            s2 = s2.addingProduct(v, w4)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w0)
            v = load(row + 9 * pixelStride)
            s3 = s3.addingProduct(v, w3)
            s4 = s4.addingProduct(v, w1)
            v = load(row + 10 * pixelStride)
            s3 = s3.addingProduct(v, w4)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w0)
            v = load(row + 11 * pixelStride)
            s4 = s4.addingProduct(v, w3)
            s5 = s5.addingProduct(v, w1)
            v = load(row + 12 * pixelStride)
            s4 = s4.addingProduct(v, w4)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w0)
            v = load(row + 13 * pixelStride)
            s5 = s5.addingProduct(v, w3)
            s6 = s6.addingProduct(v, w1)
            v = load(row + 14 * pixelStride)
            s5 = s5.addingProduct(v, w4)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w0)
            v = load(row + 15 * pixelStride)
            s6 = s6.addingProduct(v, w3)
            s7 = s7.addingProduct(v, w1)
            v = load(row + 16 * pixelStride)
            s6 = s6.addingProduct(v, w4)
            s7 = s7.addingProduct(v, w2)
            v = load(row + 17 * pixelStride)
            s7 = s7.addingProduct(v, w3)
            v = load(row + 18 * pixelStride)
            s7 = s7.addingProduct(v, w4)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            s0.replace(with: low, where: s0 .< low); s0.replace(with: high, where: s0 .> high)
            s1.replace(with: low, where: s1 .< low); s1.replace(with: high, where: s1 .> high)
            s2.replace(with: low, where: s2 .< low); s2.replace(with: high, where: s2 .> high)
            s3.replace(with: low, where: s3 .< low); s3.replace(with: high, where: s3 .> high)
            s4.replace(with: low, where: s4 .< low); s4.replace(with: high, where: s4 .> high)
            s5.replace(with: low, where: s5 .< low); s5.replace(with: high, where: s5 .> high)
            s6.replace(with: low, where: s6 .< low); s6.replace(with: high, where: s6 .> high)
            s7.replace(with: low, where: s7 .< low); s7.replace(with: high, where: s7 .> high)
        }
        store(s0, output)
        if count > 1 { store(s1, output + 1 * outputStride) }
        if count > 2 { store(s2, output + 2 * outputStride) }
        if count > 3 { store(s3, output + 3 * outputStride) }
        if count > 4 { store(s4, output + 4 * outputStride) }
        if count > 5 { store(s5, output + 5 * outputStride) }
        if count > 6 { store(s6, output + 6 * outputStride) }
        if count > 7 { store(s7, output + 7 * outputStride) }
    }
}
