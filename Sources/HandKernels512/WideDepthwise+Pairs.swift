/// Two 16-channel blocks at a time: sixteen independent sums instead of eight. With eight, each
/// sum's three or five products a filter row wait on one another (an FMA's latency is four of its
/// issue slots), and each block is a call of its own; two blocks keep both FMA units busy and
/// halve the calls. 26 to 28 of the 32 vector registers: the taps of both blocks, the sums and the
/// two input vectors in flight. Written out by a small generator, like the single-block kernels,
/// clamp and stores included: a helper taking the eight sums of a block ran the layers 15% slower.
extension WideDepthwise {
    @inline(__always)
    static func pairOctet3(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let startA = load(bias), startB = load(bias + 16)
        var a0 = startA, a1 = startA, a2 = startA, a3 = startA, a4 = startA, a5 = startA, a6 = startA, a7 = startA
        var b0 = startB, b1 = startB, b2 = startB, b3 = startB, b4 = startB, b5 = startB, b6 = startB, b7 = startB
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 3 * tapStride
            let u0 = load(taps), u1 = load(taps + 1 * tapStride), u2 = load(taps + 2 * tapStride)
            let w0 = load(taps + 0 * tapStride + 16), w1 = load(taps + 1 * tapStride + 16), w2 = load(taps + 2 * tapStride + 16)
            var v = load(row), x = load(row + 16)
            a0 = a0.addingProduct(v, u0); b0 = b0.addingProduct(x, w0)
            v = load(row + 1 * pixelStride); x = load(row + 1 * pixelStride + 16)
            a0 = a0.addingProduct(v, u1); b0 = b0.addingProduct(x, w1)
            a1 = a1.addingProduct(v, u0); b1 = b1.addingProduct(x, w0)
            v = load(row + 2 * pixelStride); x = load(row + 2 * pixelStride + 16)
            a0 = a0.addingProduct(v, u2); b0 = b0.addingProduct(x, w2)
            a1 = a1.addingProduct(v, u1); b1 = b1.addingProduct(x, w1)
            a2 = a2.addingProduct(v, u0); b2 = b2.addingProduct(x, w0)
            v = load(row + 3 * pixelStride); x = load(row + 3 * pixelStride + 16)
            a1 = a1.addingProduct(v, u2); b1 = b1.addingProduct(x, w2)
            a2 = a2.addingProduct(v, u1); b2 = b2.addingProduct(x, w1)
            a3 = a3.addingProduct(v, u0); b3 = b3.addingProduct(x, w0)
            v = load(row + 4 * pixelStride); x = load(row + 4 * pixelStride + 16)
            a2 = a2.addingProduct(v, u2); b2 = b2.addingProduct(x, w2)
            a3 = a3.addingProduct(v, u1); b3 = b3.addingProduct(x, w1)
            a4 = a4.addingProduct(v, u0); b4 = b4.addingProduct(x, w0)
            v = load(row + 5 * pixelStride); x = load(row + 5 * pixelStride + 16)
            a3 = a3.addingProduct(v, u2); b3 = b3.addingProduct(x, w2)
            a4 = a4.addingProduct(v, u1); b4 = b4.addingProduct(x, w1)
            a5 = a5.addingProduct(v, u0); b5 = b5.addingProduct(x, w0)
            v = load(row + 6 * pixelStride); x = load(row + 6 * pixelStride + 16)
            a4 = a4.addingProduct(v, u2); b4 = b4.addingProduct(x, w2)
            a5 = a5.addingProduct(v, u1); b5 = b5.addingProduct(x, w1)
            a6 = a6.addingProduct(v, u0); b6 = b6.addingProduct(x, w0)
            v = load(row + 7 * pixelStride); x = load(row + 7 * pixelStride + 16)
            a5 = a5.addingProduct(v, u2); b5 = b5.addingProduct(x, w2)
            a6 = a6.addingProduct(v, u1); b6 = b6.addingProduct(x, w1)
            a7 = a7.addingProduct(v, u0); b7 = b7.addingProduct(x, w0)
            v = load(row + 8 * pixelStride); x = load(row + 8 * pixelStride + 16)
            a6 = a6.addingProduct(v, u2); b6 = b6.addingProduct(x, w2)
            a7 = a7.addingProduct(v, u1); b7 = b7.addingProduct(x, w1)
            v = load(row + 9 * pixelStride); x = load(row + 9 * pixelStride + 16)
            a7 = a7.addingProduct(v, u2); b7 = b7.addingProduct(x, w2)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            a0.replace(with: low, where: a0 .< low); a0.replace(with: high, where: a0 .> high)
            a1.replace(with: low, where: a1 .< low); a1.replace(with: high, where: a1 .> high)
            a2.replace(with: low, where: a2 .< low); a2.replace(with: high, where: a2 .> high)
            a3.replace(with: low, where: a3 .< low); a3.replace(with: high, where: a3 .> high)
            a4.replace(with: low, where: a4 .< low); a4.replace(with: high, where: a4 .> high)
            a5.replace(with: low, where: a5 .< low); a5.replace(with: high, where: a5 .> high)
            a6.replace(with: low, where: a6 .< low); a6.replace(with: high, where: a6 .> high)
            a7.replace(with: low, where: a7 .< low); a7.replace(with: high, where: a7 .> high)
            b0.replace(with: low, where: b0 .< low); b0.replace(with: high, where: b0 .> high)
            b1.replace(with: low, where: b1 .< low); b1.replace(with: high, where: b1 .> high)
            b2.replace(with: low, where: b2 .< low); b2.replace(with: high, where: b2 .> high)
            b3.replace(with: low, where: b3 .< low); b3.replace(with: high, where: b3 .> high)
            b4.replace(with: low, where: b4 .< low); b4.replace(with: high, where: b4 .> high)
            b5.replace(with: low, where: b5 .< low); b5.replace(with: high, where: b5 .> high)
            b6.replace(with: low, where: b6 .< low); b6.replace(with: high, where: b6 .> high)
            b7.replace(with: low, where: b7 .< low); b7.replace(with: high, where: b7 .> high)
        }
        store(a0, output); store(b0, output + 16)
        if count > 1 { store(a1, output + 1 * outputStride); store(b1, output + 1 * outputStride + 16) }
        if count > 2 { store(a2, output + 2 * outputStride); store(b2, output + 2 * outputStride + 16) }
        if count > 3 { store(a3, output + 3 * outputStride); store(b3, output + 3 * outputStride + 16) }
        if count > 4 { store(a4, output + 4 * outputStride); store(b4, output + 4 * outputStride + 16) }
        if count > 5 { store(a5, output + 5 * outputStride); store(b5, output + 5 * outputStride + 16) }
        if count > 6 { store(a6, output + 6 * outputStride); store(b6, output + 6 * outputStride + 16) }
        if count > 7 { store(a7, output + 7 * outputStride); store(b7, output + 7 * outputStride + 16) }
    }

    @inline(__always)
    static func pairOctet5(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let startA = load(bias), startB = load(bias + 16)
        var a0 = startA, a1 = startA, a2 = startA, a3 = startA, a4 = startA, a5 = startA, a6 = startA, a7 = startA
        var b0 = startB, b1 = startB, b2 = startB, b3 = startB, b4 = startB, b5 = startB, b6 = startB, b7 = startB
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 5 * tapStride
            let u0 = load(taps), u1 = load(taps + 1 * tapStride), u2 = load(taps + 2 * tapStride), u3 = load(taps + 3 * tapStride), u4 = load(taps + 4 * tapStride)
            let w0 = load(taps + 0 * tapStride + 16), w1 = load(taps + 1 * tapStride + 16), w2 = load(taps + 2 * tapStride + 16), w3 = load(taps + 3 * tapStride + 16), w4 = load(taps + 4 * tapStride + 16)
            var v = load(row), x = load(row + 16)
            a0 = a0.addingProduct(v, u0); b0 = b0.addingProduct(x, w0)
            v = load(row + 1 * pixelStride); x = load(row + 1 * pixelStride + 16)
            a0 = a0.addingProduct(v, u1); b0 = b0.addingProduct(x, w1)
            a1 = a1.addingProduct(v, u0); b1 = b1.addingProduct(x, w0)
            v = load(row + 2 * pixelStride); x = load(row + 2 * pixelStride + 16)
            a0 = a0.addingProduct(v, u2); b0 = b0.addingProduct(x, w2)
            a1 = a1.addingProduct(v, u1); b1 = b1.addingProduct(x, w1)
            a2 = a2.addingProduct(v, u0); b2 = b2.addingProduct(x, w0)
            v = load(row + 3 * pixelStride); x = load(row + 3 * pixelStride + 16)
            a0 = a0.addingProduct(v, u3); b0 = b0.addingProduct(x, w3)
            a1 = a1.addingProduct(v, u2); b1 = b1.addingProduct(x, w2)
            a2 = a2.addingProduct(v, u1); b2 = b2.addingProduct(x, w1)
            a3 = a3.addingProduct(v, u0); b3 = b3.addingProduct(x, w0)
            v = load(row + 4 * pixelStride); x = load(row + 4 * pixelStride + 16)
            a0 = a0.addingProduct(v, u4); b0 = b0.addingProduct(x, w4)
            a1 = a1.addingProduct(v, u3); b1 = b1.addingProduct(x, w3)
            a2 = a2.addingProduct(v, u2); b2 = b2.addingProduct(x, w2)
            a3 = a3.addingProduct(v, u1); b3 = b3.addingProduct(x, w1)
            a4 = a4.addingProduct(v, u0); b4 = b4.addingProduct(x, w0)
            v = load(row + 5 * pixelStride); x = load(row + 5 * pixelStride + 16)
            a1 = a1.addingProduct(v, u4); b1 = b1.addingProduct(x, w4)
            a2 = a2.addingProduct(v, u3); b2 = b2.addingProduct(x, w3)
            a3 = a3.addingProduct(v, u2); b3 = b3.addingProduct(x, w2)
            a4 = a4.addingProduct(v, u1); b4 = b4.addingProduct(x, w1)
            a5 = a5.addingProduct(v, u0); b5 = b5.addingProduct(x, w0)
            v = load(row + 6 * pixelStride); x = load(row + 6 * pixelStride + 16)
            a2 = a2.addingProduct(v, u4); b2 = b2.addingProduct(x, w4)
            a3 = a3.addingProduct(v, u3); b3 = b3.addingProduct(x, w3)
            a4 = a4.addingProduct(v, u2); b4 = b4.addingProduct(x, w2)
            a5 = a5.addingProduct(v, u1); b5 = b5.addingProduct(x, w1)
            a6 = a6.addingProduct(v, u0); b6 = b6.addingProduct(x, w0)
            v = load(row + 7 * pixelStride); x = load(row + 7 * pixelStride + 16)
            a3 = a3.addingProduct(v, u4); b3 = b3.addingProduct(x, w4)
            a4 = a4.addingProduct(v, u3); b4 = b4.addingProduct(x, w3)
            a5 = a5.addingProduct(v, u2); b5 = b5.addingProduct(x, w2)
            a6 = a6.addingProduct(v, u1); b6 = b6.addingProduct(x, w1)
            a7 = a7.addingProduct(v, u0); b7 = b7.addingProduct(x, w0)
            v = load(row + 8 * pixelStride); x = load(row + 8 * pixelStride + 16)
            a4 = a4.addingProduct(v, u4); b4 = b4.addingProduct(x, w4)
            a5 = a5.addingProduct(v, u3); b5 = b5.addingProduct(x, w3)
            a6 = a6.addingProduct(v, u2); b6 = b6.addingProduct(x, w2)
            a7 = a7.addingProduct(v, u1); b7 = b7.addingProduct(x, w1)
            v = load(row + 9 * pixelStride); x = load(row + 9 * pixelStride + 16)
            a5 = a5.addingProduct(v, u4); b5 = b5.addingProduct(x, w4)
            a6 = a6.addingProduct(v, u3); b6 = b6.addingProduct(x, w3)
            a7 = a7.addingProduct(v, u2); b7 = b7.addingProduct(x, w2)
            v = load(row + 10 * pixelStride); x = load(row + 10 * pixelStride + 16)
            a6 = a6.addingProduct(v, u4); b6 = b6.addingProduct(x, w4)
            a7 = a7.addingProduct(v, u3); b7 = b7.addingProduct(x, w3)
            v = load(row + 11 * pixelStride); x = load(row + 11 * pixelStride + 16)
            a7 = a7.addingProduct(v, u4); b7 = b7.addingProduct(x, w4)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            a0.replace(with: low, where: a0 .< low); a0.replace(with: high, where: a0 .> high)
            a1.replace(with: low, where: a1 .< low); a1.replace(with: high, where: a1 .> high)
            a2.replace(with: low, where: a2 .< low); a2.replace(with: high, where: a2 .> high)
            a3.replace(with: low, where: a3 .< low); a3.replace(with: high, where: a3 .> high)
            a4.replace(with: low, where: a4 .< low); a4.replace(with: high, where: a4 .> high)
            a5.replace(with: low, where: a5 .< low); a5.replace(with: high, where: a5 .> high)
            a6.replace(with: low, where: a6 .< low); a6.replace(with: high, where: a6 .> high)
            a7.replace(with: low, where: a7 .< low); a7.replace(with: high, where: a7 .> high)
            b0.replace(with: low, where: b0 .< low); b0.replace(with: high, where: b0 .> high)
            b1.replace(with: low, where: b1 .< low); b1.replace(with: high, where: b1 .> high)
            b2.replace(with: low, where: b2 .< low); b2.replace(with: high, where: b2 .> high)
            b3.replace(with: low, where: b3 .< low); b3.replace(with: high, where: b3 .> high)
            b4.replace(with: low, where: b4 .< low); b4.replace(with: high, where: b4 .> high)
            b5.replace(with: low, where: b5 .< low); b5.replace(with: high, where: b5 .> high)
            b6.replace(with: low, where: b6 .< low); b6.replace(with: high, where: b6 .> high)
            b7.replace(with: low, where: b7 .< low); b7.replace(with: high, where: b7 .> high)
        }
        store(a0, output); store(b0, output + 16)
        if count > 1 { store(a1, output + 1 * outputStride); store(b1, output + 1 * outputStride + 16) }
        if count > 2 { store(a2, output + 2 * outputStride); store(b2, output + 2 * outputStride + 16) }
        if count > 3 { store(a3, output + 3 * outputStride); store(b3, output + 3 * outputStride + 16) }
        if count > 4 { store(a4, output + 4 * outputStride); store(b4, output + 4 * outputStride + 16) }
        if count > 5 { store(a5, output + 5 * outputStride); store(b5, output + 5 * outputStride + 16) }
        if count > 6 { store(a6, output + 6 * outputStride); store(b6, output + 6 * outputStride + 16) }
        if count > 7 { store(a7, output + 7 * outputStride); store(b7, output + 7 * outputStride + 16) }
    }

    @inline(__always)
    static func pairOctet3Stride2(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let startA = load(bias), startB = load(bias + 16)
        var a0 = startA, a1 = startA, a2 = startA, a3 = startA, a4 = startA, a5 = startA, a6 = startA, a7 = startA
        var b0 = startB, b1 = startB, b2 = startB, b3 = startB, b4 = startB, b5 = startB, b6 = startB, b7 = startB
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 3 * tapStride
            let u0 = load(taps), u1 = load(taps + 1 * tapStride), u2 = load(taps + 2 * tapStride)
            let w0 = load(taps + 0 * tapStride + 16), w1 = load(taps + 1 * tapStride + 16), w2 = load(taps + 2 * tapStride + 16)
            var v = load(row), x = load(row + 16)
            a0 = a0.addingProduct(v, u0); b0 = b0.addingProduct(x, w0)
            v = load(row + 1 * pixelStride); x = load(row + 1 * pixelStride + 16)
            a0 = a0.addingProduct(v, u1); b0 = b0.addingProduct(x, w1)
            v = load(row + 2 * pixelStride); x = load(row + 2 * pixelStride + 16)
            a0 = a0.addingProduct(v, u2); b0 = b0.addingProduct(x, w2)
            a1 = a1.addingProduct(v, u0); b1 = b1.addingProduct(x, w0)
            v = load(row + 3 * pixelStride); x = load(row + 3 * pixelStride + 16)
            a1 = a1.addingProduct(v, u1); b1 = b1.addingProduct(x, w1)
            v = load(row + 4 * pixelStride); x = load(row + 4 * pixelStride + 16)
            a1 = a1.addingProduct(v, u2); b1 = b1.addingProduct(x, w2)
            a2 = a2.addingProduct(v, u0); b2 = b2.addingProduct(x, w0)
            v = load(row + 5 * pixelStride); x = load(row + 5 * pixelStride + 16)
            a2 = a2.addingProduct(v, u1); b2 = b2.addingProduct(x, w1)
            v = load(row + 6 * pixelStride); x = load(row + 6 * pixelStride + 16)
            a2 = a2.addingProduct(v, u2); b2 = b2.addingProduct(x, w2)
            a3 = a3.addingProduct(v, u0); b3 = b3.addingProduct(x, w0)
            v = load(row + 7 * pixelStride); x = load(row + 7 * pixelStride + 16)
            a3 = a3.addingProduct(v, u1); b3 = b3.addingProduct(x, w1)
            v = load(row + 8 * pixelStride); x = load(row + 8 * pixelStride + 16)
            a3 = a3.addingProduct(v, u2); b3 = b3.addingProduct(x, w2)
            a4 = a4.addingProduct(v, u0); b4 = b4.addingProduct(x, w0)
            v = load(row + 9 * pixelStride); x = load(row + 9 * pixelStride + 16)
            a4 = a4.addingProduct(v, u1); b4 = b4.addingProduct(x, w1)
            v = load(row + 10 * pixelStride); x = load(row + 10 * pixelStride + 16)
            a4 = a4.addingProduct(v, u2); b4 = b4.addingProduct(x, w2)
            a5 = a5.addingProduct(v, u0); b5 = b5.addingProduct(x, w0)
            v = load(row + 11 * pixelStride); x = load(row + 11 * pixelStride + 16)
            a5 = a5.addingProduct(v, u1); b5 = b5.addingProduct(x, w1)
            v = load(row + 12 * pixelStride); x = load(row + 12 * pixelStride + 16)
            a5 = a5.addingProduct(v, u2); b5 = b5.addingProduct(x, w2)
            a6 = a6.addingProduct(v, u0); b6 = b6.addingProduct(x, w0)
            v = load(row + 13 * pixelStride); x = load(row + 13 * pixelStride + 16)
            a6 = a6.addingProduct(v, u1); b6 = b6.addingProduct(x, w1)
            v = load(row + 14 * pixelStride); x = load(row + 14 * pixelStride + 16)
            a6 = a6.addingProduct(v, u2); b6 = b6.addingProduct(x, w2)
            a7 = a7.addingProduct(v, u0); b7 = b7.addingProduct(x, w0)
            v = load(row + 15 * pixelStride); x = load(row + 15 * pixelStride + 16)
            a7 = a7.addingProduct(v, u1); b7 = b7.addingProduct(x, w1)
            v = load(row + 16 * pixelStride); x = load(row + 16 * pixelStride + 16)
            a7 = a7.addingProduct(v, u2); b7 = b7.addingProduct(x, w2)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            a0.replace(with: low, where: a0 .< low); a0.replace(with: high, where: a0 .> high)
            a1.replace(with: low, where: a1 .< low); a1.replace(with: high, where: a1 .> high)
            a2.replace(with: low, where: a2 .< low); a2.replace(with: high, where: a2 .> high)
            a3.replace(with: low, where: a3 .< low); a3.replace(with: high, where: a3 .> high)
            a4.replace(with: low, where: a4 .< low); a4.replace(with: high, where: a4 .> high)
            a5.replace(with: low, where: a5 .< low); a5.replace(with: high, where: a5 .> high)
            a6.replace(with: low, where: a6 .< low); a6.replace(with: high, where: a6 .> high)
            a7.replace(with: low, where: a7 .< low); a7.replace(with: high, where: a7 .> high)
            b0.replace(with: low, where: b0 .< low); b0.replace(with: high, where: b0 .> high)
            b1.replace(with: low, where: b1 .< low); b1.replace(with: high, where: b1 .> high)
            b2.replace(with: low, where: b2 .< low); b2.replace(with: high, where: b2 .> high)
            b3.replace(with: low, where: b3 .< low); b3.replace(with: high, where: b3 .> high)
            b4.replace(with: low, where: b4 .< low); b4.replace(with: high, where: b4 .> high)
            b5.replace(with: low, where: b5 .< low); b5.replace(with: high, where: b5 .> high)
            b6.replace(with: low, where: b6 .< low); b6.replace(with: high, where: b6 .> high)
            b7.replace(with: low, where: b7 .< low); b7.replace(with: high, where: b7 .> high)
        }
        store(a0, output); store(b0, output + 16)
        if count > 1 { store(a1, output + 1 * outputStride); store(b1, output + 1 * outputStride + 16) }
        if count > 2 { store(a2, output + 2 * outputStride); store(b2, output + 2 * outputStride + 16) }
        if count > 3 { store(a3, output + 3 * outputStride); store(b3, output + 3 * outputStride + 16) }
        if count > 4 { store(a4, output + 4 * outputStride); store(b4, output + 4 * outputStride + 16) }
        if count > 5 { store(a5, output + 5 * outputStride); store(b5, output + 5 * outputStride + 16) }
        if count > 6 { store(a6, output + 6 * outputStride); store(b6, output + 6 * outputStride + 16) }
        if count > 7 { store(a7, output + 7 * outputStride); store(b7, output + 7 * outputStride + 16) }
    }

    @inline(__always)
    static func pairOctet5Stride2(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        weights: UnsafePointer<Float>, tapStride: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, count: Int, clamp: (lower: Float, upper: Float)?
    ) {
        let startA = load(bias), startB = load(bias + 16)
        var a0 = startA, a1 = startA, a2 = startA, a3 = startA, a4 = startA, a5 = startA, a6 = startA, a7 = startA
        var b0 = startB, b1 = startB, b2 = startB, b3 = startB, b4 = startB, b5 = startB, b6 = startB, b7 = startB
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = weights + ky * 5 * tapStride
            let u0 = load(taps), u1 = load(taps + 1 * tapStride), u2 = load(taps + 2 * tapStride), u3 = load(taps + 3 * tapStride), u4 = load(taps + 4 * tapStride)
            let w0 = load(taps + 0 * tapStride + 16), w1 = load(taps + 1 * tapStride + 16), w2 = load(taps + 2 * tapStride + 16), w3 = load(taps + 3 * tapStride + 16), w4 = load(taps + 4 * tapStride + 16)
            var v = load(row), x = load(row + 16)
            a0 = a0.addingProduct(v, u0); b0 = b0.addingProduct(x, w0)
            v = load(row + 1 * pixelStride); x = load(row + 1 * pixelStride + 16)
            a0 = a0.addingProduct(v, u1); b0 = b0.addingProduct(x, w1)
            v = load(row + 2 * pixelStride); x = load(row + 2 * pixelStride + 16)
            a0 = a0.addingProduct(v, u2); b0 = b0.addingProduct(x, w2)
            a1 = a1.addingProduct(v, u0); b1 = b1.addingProduct(x, w0)
            v = load(row + 3 * pixelStride); x = load(row + 3 * pixelStride + 16)
            a0 = a0.addingProduct(v, u3); b0 = b0.addingProduct(x, w3)
            a1 = a1.addingProduct(v, u1); b1 = b1.addingProduct(x, w1)
            v = load(row + 4 * pixelStride); x = load(row + 4 * pixelStride + 16)
            a0 = a0.addingProduct(v, u4); b0 = b0.addingProduct(x, w4)
            a1 = a1.addingProduct(v, u2); b1 = b1.addingProduct(x, w2)
            a2 = a2.addingProduct(v, u0); b2 = b2.addingProduct(x, w0)
            v = load(row + 5 * pixelStride); x = load(row + 5 * pixelStride + 16)
            a1 = a1.addingProduct(v, u3); b1 = b1.addingProduct(x, w3)
            a2 = a2.addingProduct(v, u1); b2 = b2.addingProduct(x, w1)
            v = load(row + 6 * pixelStride); x = load(row + 6 * pixelStride + 16)
            a1 = a1.addingProduct(v, u4); b1 = b1.addingProduct(x, w4)
            a2 = a2.addingProduct(v, u2); b2 = b2.addingProduct(x, w2)
            a3 = a3.addingProduct(v, u0); b3 = b3.addingProduct(x, w0)
            v = load(row + 7 * pixelStride); x = load(row + 7 * pixelStride + 16)
            a2 = a2.addingProduct(v, u3); b2 = b2.addingProduct(x, w3)
            a3 = a3.addingProduct(v, u1); b3 = b3.addingProduct(x, w1)
            v = load(row + 8 * pixelStride); x = load(row + 8 * pixelStride + 16)
            a2 = a2.addingProduct(v, u4); b2 = b2.addingProduct(x, w4)
            a3 = a3.addingProduct(v, u2); b3 = b3.addingProduct(x, w2)
            a4 = a4.addingProduct(v, u0); b4 = b4.addingProduct(x, w0)
            v = load(row + 9 * pixelStride); x = load(row + 9 * pixelStride + 16)
            a3 = a3.addingProduct(v, u3); b3 = b3.addingProduct(x, w3)
            a4 = a4.addingProduct(v, u1); b4 = b4.addingProduct(x, w1)
            v = load(row + 10 * pixelStride); x = load(row + 10 * pixelStride + 16)
            a3 = a3.addingProduct(v, u4); b3 = b3.addingProduct(x, w4)
            a4 = a4.addingProduct(v, u2); b4 = b4.addingProduct(x, w2)
            a5 = a5.addingProduct(v, u0); b5 = b5.addingProduct(x, w0)
            v = load(row + 11 * pixelStride); x = load(row + 11 * pixelStride + 16)
            a4 = a4.addingProduct(v, u3); b4 = b4.addingProduct(x, w3)
            a5 = a5.addingProduct(v, u1); b5 = b5.addingProduct(x, w1)
            v = load(row + 12 * pixelStride); x = load(row + 12 * pixelStride + 16)
            a4 = a4.addingProduct(v, u4); b4 = b4.addingProduct(x, w4)
            a5 = a5.addingProduct(v, u2); b5 = b5.addingProduct(x, w2)
            a6 = a6.addingProduct(v, u0); b6 = b6.addingProduct(x, w0)
            v = load(row + 13 * pixelStride); x = load(row + 13 * pixelStride + 16)
            a5 = a5.addingProduct(v, u3); b5 = b5.addingProduct(x, w3)
            a6 = a6.addingProduct(v, u1); b6 = b6.addingProduct(x, w1)
            v = load(row + 14 * pixelStride); x = load(row + 14 * pixelStride + 16)
            a5 = a5.addingProduct(v, u4); b5 = b5.addingProduct(x, w4)
            a6 = a6.addingProduct(v, u2); b6 = b6.addingProduct(x, w2)
            a7 = a7.addingProduct(v, u0); b7 = b7.addingProduct(x, w0)
            v = load(row + 15 * pixelStride); x = load(row + 15 * pixelStride + 16)
            a6 = a6.addingProduct(v, u3); b6 = b6.addingProduct(x, w3)
            a7 = a7.addingProduct(v, u1); b7 = b7.addingProduct(x, w1)
            v = load(row + 16 * pixelStride); x = load(row + 16 * pixelStride + 16)
            a6 = a6.addingProduct(v, u4); b6 = b6.addingProduct(x, w4)
            a7 = a7.addingProduct(v, u2); b7 = b7.addingProduct(x, w2)
            v = load(row + 17 * pixelStride); x = load(row + 17 * pixelStride + 16)
            a7 = a7.addingProduct(v, u3); b7 = b7.addingProduct(x, w3)
            v = load(row + 18 * pixelStride); x = load(row + 18 * pixelStride + 16)
            a7 = a7.addingProduct(v, u4); b7 = b7.addingProduct(x, w4)
        }
        if let clamp {
            let low = SIMD16<Float>(repeating: clamp.lower), high = SIMD16<Float>(repeating: clamp.upper)
            a0.replace(with: low, where: a0 .< low); a0.replace(with: high, where: a0 .> high)
            a1.replace(with: low, where: a1 .< low); a1.replace(with: high, where: a1 .> high)
            a2.replace(with: low, where: a2 .< low); a2.replace(with: high, where: a2 .> high)
            a3.replace(with: low, where: a3 .< low); a3.replace(with: high, where: a3 .> high)
            a4.replace(with: low, where: a4 .< low); a4.replace(with: high, where: a4 .> high)
            a5.replace(with: low, where: a5 .< low); a5.replace(with: high, where: a5 .> high)
            a6.replace(with: low, where: a6 .< low); a6.replace(with: high, where: a6 .> high)
            a7.replace(with: low, where: a7 .< low); a7.replace(with: high, where: a7 .> high)
            b0.replace(with: low, where: b0 .< low); b0.replace(with: high, where: b0 .> high)
            b1.replace(with: low, where: b1 .< low); b1.replace(with: high, where: b1 .> high)
            b2.replace(with: low, where: b2 .< low); b2.replace(with: high, where: b2 .> high)
            b3.replace(with: low, where: b3 .< low); b3.replace(with: high, where: b3 .> high)
            b4.replace(with: low, where: b4 .< low); b4.replace(with: high, where: b4 .> high)
            b5.replace(with: low, where: b5 .< low); b5.replace(with: high, where: b5 .> high)
            b6.replace(with: low, where: b6 .< low); b6.replace(with: high, where: b6 .> high)
            b7.replace(with: low, where: b7 .< low); b7.replace(with: high, where: b7 .> high)
        }
        store(a0, output); store(b0, output + 16)
        if count > 1 { store(a1, output + 1 * outputStride); store(b1, output + 1 * outputStride + 16) }
        if count > 2 { store(a2, output + 2 * outputStride); store(b2, output + 2 * outputStride + 16) }
        if count > 3 { store(a3, output + 3 * outputStride); store(b3, output + 3 * outputStride + 16) }
        if count > 4 { store(a4, output + 4 * outputStride); store(b4, output + 4 * outputStride + 16) }
        if count > 5 { store(a5, output + 5 * outputStride); store(b5, output + 5 * outputStride + 16) }
        if count > 6 { store(a6, output + 6 * outputStride); store(b6, output + 6 * outputStride + 16) }
        if count > 7 { store(a7, output + 7 * outputStride); store(b7, output + 7 * outputStride + 16) }
    }
}
