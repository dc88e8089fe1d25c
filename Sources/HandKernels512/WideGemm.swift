/// The GEMM micro-kernel for 512-bit vectors: 12 pixels x 32 output channels (two packed
/// 16-channel blocks) = 24 zmm accumulators, plus two weight registers and a broadcast, within
/// the 32 registers AVX-512 has. This target alone is built for AVX-512 (`Package.swift`); its
/// functions run only where `snaprate_cpu_has_avx512` said the CPU has it.
///
/// The rows are written out one by one, as in HandEngine's AVX2 `Gemm.tile`, so that every
/// accumulator stays in a register; the epilogue is spelled out in place for the same reason:
/// the compiler left helper functions out of line in a body this large, and a call per register
/// tripled the time of the layers with short reductions.
public enum WideGemm {
    public static let rows = 12

    /// Rows `a`, `a + aStride`, ... (rows past `validRows` repeat the last one: computed, not
    /// stored) times the weight blocks `first` and `second` (`[reduction][16]` each; `second` nil
    /// for one block), each row's reduction in `segments` runs of `run`, `segmentStride` apart;
    /// finished by `epilogue` and stored, `validRows` rows of 32 (or 16) floats at `output`,
    /// `outputStride` floats apart. `halfSecond`: only the first 8 of `second`'s channels are
    /// real (24 = 16 + 8) and stored; the other 8 are computed (their reads of a residual or a
    /// post-activation add land in the tensor's slack at worst) and dropped.
    @inline(never)
    public static func tile(
        a: UnsafePointer<Float>, aStride: Int, validRows: Int, segments: Int, segmentStride: Int, run: Int,
        first: UnsafePointer<Float>, second: UnsafePointer<Float>?, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, epilogue: WideEpilogue, halfSecond: Bool = false
    ) {
        if let second {
            pair(a: a, aStride: aStride, validRows: validRows, segments: segments, segmentStride: segmentStride, run: run,
                 first: first, second: second, bias: bias, output: output, outputStride: outputStride, epilogue: epilogue,
                 halfSecond: halfSecond)
        } else {
            single(a: a, aStride: aStride, validRows: validRows, segments: segments, segmentStride: segmentStride, run: run,
                   weights: first, bias: bias, output: output, outputStride: outputStride, epilogue: epilogue)
        }
    }

    @inline(__always)
    private static func pair(
        a: UnsafePointer<Float>, aStride: Int, validRows: Int, segments: Int, segmentStride: Int, run: Int,
        first: UnsafePointer<Float>, second: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int, epilogue: WideEpilogue, halfSecond: Bool
    ) {
        // Spelled out rather than min(r, last), which the compiler called out of line here.
        let last = validRows - 1
        var a0 = a + (0 < validRows ? 0 : last) * aStride, a1 = a + (1 < validRows ? 1 : last) * aStride,
            a2 = a + (2 < validRows ? 2 : last) * aStride, a3 = a + (3 < validRows ? 3 : last) * aStride,
            a4 = a + (4 < validRows ? 4 : last) * aStride, a5 = a + (5 < validRows ? 5 : last) * aStride,
            a6 = a + (6 < validRows ? 6 : last) * aStride, a7 = a + (7 < validRows ? 7 : last) * aStride,
            a8 = a + (8 < validRows ? 8 : last) * aStride, a9 = a + (9 < validRows ? 9 : last) * aStride,
            a10 = a + (10 < validRows ? 10 : last) * aStride, a11 = a + (11 < validRows ? 11 : last) * aStride
        let low = load(bias), high = load(bias + 16)
        var l0 = low, h0 = high, l1 = low, h1 = high, l2 = low, h2 = high, l3 = low, h3 = high, l4 = low, h4 = high,
            l5 = low, h5 = high, l6 = low, h6 = high, l7 = low, h7 = high, l8 = low, h8 = high, l9 = low, h9 = high,
            l10 = low, h10 = high, l11 = low, h11 = high
        var b0 = first, b1 = second
        for _ in 0..<segments {
            for index in 0..<run {
                let wl = load(b0), wh = load(b1)
                let x0 = SIMD16(repeating: a0[index]); l0 = l0.addingProduct(x0, wl); h0 = h0.addingProduct(x0, wh)
                let x1 = SIMD16(repeating: a1[index]); l1 = l1.addingProduct(x1, wl); h1 = h1.addingProduct(x1, wh)
                let x2 = SIMD16(repeating: a2[index]); l2 = l2.addingProduct(x2, wl); h2 = h2.addingProduct(x2, wh)
                let x3 = SIMD16(repeating: a3[index]); l3 = l3.addingProduct(x3, wl); h3 = h3.addingProduct(x3, wh)
                let x4 = SIMD16(repeating: a4[index]); l4 = l4.addingProduct(x4, wl); h4 = h4.addingProduct(x4, wh)
                let x5 = SIMD16(repeating: a5[index]); l5 = l5.addingProduct(x5, wl); h5 = h5.addingProduct(x5, wh)
                let x6 = SIMD16(repeating: a6[index]); l6 = l6.addingProduct(x6, wl); h6 = h6.addingProduct(x6, wh)
                let x7 = SIMD16(repeating: a7[index]); l7 = l7.addingProduct(x7, wl); h7 = h7.addingProduct(x7, wh)
                let x8 = SIMD16(repeating: a8[index]); l8 = l8.addingProduct(x8, wl); h8 = h8.addingProduct(x8, wh)
                let x9 = SIMD16(repeating: a9[index]); l9 = l9.addingProduct(x9, wl); h9 = h9.addingProduct(x9, wh)
                let x10 = SIMD16(repeating: a10[index]); l10 = l10.addingProduct(x10, wl); h10 = h10.addingProduct(x10, wh)
                let x11 = SIMD16(repeating: a11[index]); l11 = l11.addingProduct(x11, wl); h11 = h11.addingProduct(x11, wh)
                b0 += 16; b1 += 16
            }
            a0 += segmentStride; a1 += segmentStride; a2 += segmentStride; a3 += segmentStride; a4 += segmentStride
            a5 += segmentStride; a6 += segmentStride; a7 += segmentStride; a8 += segmentStride; a9 += segmentStride
            a10 += segmentStride; a11 += segmentStride
        }
        if let residual = epilogue.residual {
            let step = epilogue.residualStride
            l0 += load(residual + 0 * step); h0 += load(residual + 0 * step + 16)
            if validRows > 1 { l1 += load(residual + 1 * step); h1 += load(residual + 1 * step + 16) }
            if validRows > 2 { l2 += load(residual + 2 * step); h2 += load(residual + 2 * step + 16) }
            if validRows > 3 { l3 += load(residual + 3 * step); h3 += load(residual + 3 * step + 16) }
            if validRows > 4 { l4 += load(residual + 4 * step); h4 += load(residual + 4 * step + 16) }
            if validRows > 5 { l5 += load(residual + 5 * step); h5 += load(residual + 5 * step + 16) }
            if validRows > 6 { l6 += load(residual + 6 * step); h6 += load(residual + 6 * step + 16) }
            if validRows > 7 { l7 += load(residual + 7 * step); h7 += load(residual + 7 * step + 16) }
            if validRows > 8 { l8 += load(residual + 8 * step); h8 += load(residual + 8 * step + 16) }
            if validRows > 9 { l9 += load(residual + 9 * step); h9 += load(residual + 9 * step + 16) }
            if validRows > 10 { l10 += load(residual + 10 * step); h10 += load(residual + 10 * step + 16) }
            if validRows > 11 { l11 += load(residual + 11 * step); h11 += load(residual + 11 * step + 16) }
        }
        // Rows past `validRows` are activated too: they stay in registers and are never stored.
        switch epilogue.activation {
        case .none:
            break
        case let .clamp(lower, upper):
            let low = SIMD16<Float>(repeating: lower), high = SIMD16<Float>(repeating: upper)
            l0.replace(with: low, where: l0 .< low); l0.replace(with: high, where: l0 .> high)
            h0.replace(with: low, where: h0 .< low); h0.replace(with: high, where: h0 .> high)
            l1.replace(with: low, where: l1 .< low); l1.replace(with: high, where: l1 .> high)
            h1.replace(with: low, where: h1 .< low); h1.replace(with: high, where: h1 .> high)
            l2.replace(with: low, where: l2 .< low); l2.replace(with: high, where: l2 .> high)
            h2.replace(with: low, where: h2 .< low); h2.replace(with: high, where: h2 .> high)
            l3.replace(with: low, where: l3 .< low); l3.replace(with: high, where: l3 .> high)
            h3.replace(with: low, where: h3 .< low); h3.replace(with: high, where: h3 .> high)
            l4.replace(with: low, where: l4 .< low); l4.replace(with: high, where: l4 .> high)
            h4.replace(with: low, where: h4 .< low); h4.replace(with: high, where: h4 .> high)
            l5.replace(with: low, where: l5 .< low); l5.replace(with: high, where: l5 .> high)
            h5.replace(with: low, where: h5 .< low); h5.replace(with: high, where: h5 .> high)
            l6.replace(with: low, where: l6 .< low); l6.replace(with: high, where: l6 .> high)
            h6.replace(with: low, where: h6 .< low); h6.replace(with: high, where: h6 .> high)
            l7.replace(with: low, where: l7 .< low); l7.replace(with: high, where: l7 .> high)
            h7.replace(with: low, where: h7 .< low); h7.replace(with: high, where: h7 .> high)
            l8.replace(with: low, where: l8 .< low); l8.replace(with: high, where: l8 .> high)
            h8.replace(with: low, where: h8 .< low); h8.replace(with: high, where: h8 .> high)
            l9.replace(with: low, where: l9 .< low); l9.replace(with: high, where: l9 .> high)
            h9.replace(with: low, where: h9 .< low); h9.replace(with: high, where: h9 .> high)
            l10.replace(with: low, where: l10 .< low); l10.replace(with: high, where: l10 .> high)
            h10.replace(with: low, where: h10 .< low); h10.replace(with: high, where: h10 .> high)
            l11.replace(with: low, where: l11 .< low); l11.replace(with: high, where: l11 .> high)
            h11.replace(with: low, where: h11 .< low); h11.replace(with: high, where: h11 .> high)
        case let .prelu(slopes):
            let first = load(slopes), second = load(slopes + 16), zero = SIMD16<Float>(repeating: 0)
            l0 = l0.replacing(with: zero, where: l0 .< zero)
                .addingProduct(first, l0.replacing(with: zero, where: l0 .> zero))
            h0 = h0.replacing(with: zero, where: h0 .< zero)
                .addingProduct(second, h0.replacing(with: zero, where: h0 .> zero))
            l1 = l1.replacing(with: zero, where: l1 .< zero)
                .addingProduct(first, l1.replacing(with: zero, where: l1 .> zero))
            h1 = h1.replacing(with: zero, where: h1 .< zero)
                .addingProduct(second, h1.replacing(with: zero, where: h1 .> zero))
            l2 = l2.replacing(with: zero, where: l2 .< zero)
                .addingProduct(first, l2.replacing(with: zero, where: l2 .> zero))
            h2 = h2.replacing(with: zero, where: h2 .< zero)
                .addingProduct(second, h2.replacing(with: zero, where: h2 .> zero))
            l3 = l3.replacing(with: zero, where: l3 .< zero)
                .addingProduct(first, l3.replacing(with: zero, where: l3 .> zero))
            h3 = h3.replacing(with: zero, where: h3 .< zero)
                .addingProduct(second, h3.replacing(with: zero, where: h3 .> zero))
            l4 = l4.replacing(with: zero, where: l4 .< zero)
                .addingProduct(first, l4.replacing(with: zero, where: l4 .> zero))
            h4 = h4.replacing(with: zero, where: h4 .< zero)
                .addingProduct(second, h4.replacing(with: zero, where: h4 .> zero))
            l5 = l5.replacing(with: zero, where: l5 .< zero)
                .addingProduct(first, l5.replacing(with: zero, where: l5 .> zero))
            h5 = h5.replacing(with: zero, where: h5 .< zero)
                .addingProduct(second, h5.replacing(with: zero, where: h5 .> zero))
            l6 = l6.replacing(with: zero, where: l6 .< zero)
                .addingProduct(first, l6.replacing(with: zero, where: l6 .> zero))
            h6 = h6.replacing(with: zero, where: h6 .< zero)
                .addingProduct(second, h6.replacing(with: zero, where: h6 .> zero))
            l7 = l7.replacing(with: zero, where: l7 .< zero)
                .addingProduct(first, l7.replacing(with: zero, where: l7 .> zero))
            h7 = h7.replacing(with: zero, where: h7 .< zero)
                .addingProduct(second, h7.replacing(with: zero, where: h7 .> zero))
            l8 = l8.replacing(with: zero, where: l8 .< zero)
                .addingProduct(first, l8.replacing(with: zero, where: l8 .> zero))
            h8 = h8.replacing(with: zero, where: h8 .< zero)
                .addingProduct(second, h8.replacing(with: zero, where: h8 .> zero))
            l9 = l9.replacing(with: zero, where: l9 .< zero)
                .addingProduct(first, l9.replacing(with: zero, where: l9 .> zero))
            h9 = h9.replacing(with: zero, where: h9 .< zero)
                .addingProduct(second, h9.replacing(with: zero, where: h9 .> zero))
            l10 = l10.replacing(with: zero, where: l10 .< zero)
                .addingProduct(first, l10.replacing(with: zero, where: l10 .> zero))
            h10 = h10.replacing(with: zero, where: h10 .< zero)
                .addingProduct(second, h10.replacing(with: zero, where: h10 .> zero))
            l11 = l11.replacing(with: zero, where: l11 .< zero)
                .addingProduct(first, l11.replacing(with: zero, where: l11 .> zero))
            h11 = h11.replacing(with: zero, where: h11 .< zero)
                .addingProduct(second, h11.replacing(with: zero, where: h11 .> zero))
        }
        if let postAdd = epilogue.postAdd {
            l0 += load(postAdd + 0 * outputStride); h0 += load(postAdd + 0 * outputStride + 16)
            if validRows > 1 { l1 += load(postAdd + 1 * outputStride); h1 += load(postAdd + 1 * outputStride + 16) }
            if validRows > 2 { l2 += load(postAdd + 2 * outputStride); h2 += load(postAdd + 2 * outputStride + 16) }
            if validRows > 3 { l3 += load(postAdd + 3 * outputStride); h3 += load(postAdd + 3 * outputStride + 16) }
            if validRows > 4 { l4 += load(postAdd + 4 * outputStride); h4 += load(postAdd + 4 * outputStride + 16) }
            if validRows > 5 { l5 += load(postAdd + 5 * outputStride); h5 += load(postAdd + 5 * outputStride + 16) }
            if validRows > 6 { l6 += load(postAdd + 6 * outputStride); h6 += load(postAdd + 6 * outputStride + 16) }
            if validRows > 7 { l7 += load(postAdd + 7 * outputStride); h7 += load(postAdd + 7 * outputStride + 16) }
            if validRows > 8 { l8 += load(postAdd + 8 * outputStride); h8 += load(postAdd + 8 * outputStride + 16) }
            if validRows > 9 { l9 += load(postAdd + 9 * outputStride); h9 += load(postAdd + 9 * outputStride + 16) }
            if validRows > 10 { l10 += load(postAdd + 10 * outputStride); h10 += load(postAdd + 10 * outputStride + 16) }
            if validRows > 11 { l11 += load(postAdd + 11 * outputStride); h11 += load(postAdd + 11 * outputStride + 16) }
        }
        if halfSecond {
            store(l0, output + 0 * outputStride); storeLow(h0, output + 0 * outputStride + 16)
            if validRows > 1 { store(l1, output + 1 * outputStride); storeLow(h1, output + 1 * outputStride + 16) }
            if validRows > 2 { store(l2, output + 2 * outputStride); storeLow(h2, output + 2 * outputStride + 16) }
            if validRows > 3 { store(l3, output + 3 * outputStride); storeLow(h3, output + 3 * outputStride + 16) }
            if validRows > 4 { store(l4, output + 4 * outputStride); storeLow(h4, output + 4 * outputStride + 16) }
            if validRows > 5 { store(l5, output + 5 * outputStride); storeLow(h5, output + 5 * outputStride + 16) }
            if validRows > 6 { store(l6, output + 6 * outputStride); storeLow(h6, output + 6 * outputStride + 16) }
            if validRows > 7 { store(l7, output + 7 * outputStride); storeLow(h7, output + 7 * outputStride + 16) }
            if validRows > 8 { store(l8, output + 8 * outputStride); storeLow(h8, output + 8 * outputStride + 16) }
            if validRows > 9 { store(l9, output + 9 * outputStride); storeLow(h9, output + 9 * outputStride + 16) }
            if validRows > 10 { store(l10, output + 10 * outputStride); storeLow(h10, output + 10 * outputStride + 16) }
            if validRows > 11 { store(l11, output + 11 * outputStride); storeLow(h11, output + 11 * outputStride + 16) }
        } else {
            store(l0, output + 0 * outputStride); store(h0, output + 0 * outputStride + 16)
            if validRows > 1 { store(l1, output + 1 * outputStride); store(h1, output + 1 * outputStride + 16) }
            if validRows > 2 { store(l2, output + 2 * outputStride); store(h2, output + 2 * outputStride + 16) }
            if validRows > 3 { store(l3, output + 3 * outputStride); store(h3, output + 3 * outputStride + 16) }
            if validRows > 4 { store(l4, output + 4 * outputStride); store(h4, output + 4 * outputStride + 16) }
            if validRows > 5 { store(l5, output + 5 * outputStride); store(h5, output + 5 * outputStride + 16) }
            if validRows > 6 { store(l6, output + 6 * outputStride); store(h6, output + 6 * outputStride + 16) }
            if validRows > 7 { store(l7, output + 7 * outputStride); store(h7, output + 7 * outputStride + 16) }
            if validRows > 8 { store(l8, output + 8 * outputStride); store(h8, output + 8 * outputStride + 16) }
            if validRows > 9 { store(l9, output + 9 * outputStride); store(h9, output + 9 * outputStride + 16) }
            if validRows > 10 { store(l10, output + 10 * outputStride); store(h10, output + 10 * outputStride + 16) }
            if validRows > 11 { store(l11, output + 11 * outputStride); store(h11, output + 11 * outputStride + 16) }
        }
    }
}

@inline(__always)
func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store(_ value: SIMD16<Float>, _ target: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(target).storeBytes(of: value, as: SIMD16<Float>.self)
}

/// The first 8 lanes of `value` at `target`.
@inline(__always)
func storeLow(_ value: SIMD16<Float>, _ target: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(target).storeBytes(of: value.lowHalf, as: SIMD8<Float>.self)
}
