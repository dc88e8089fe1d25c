/// One 16-channel block of 12 rows: the last full block when a layer has an odd number.
extension WideGemm {
    @inline(__always)
    static func single(
        a: UnsafePointer<Float>, aStride: Int, validRows: Int, segments: Int, segmentStride: Int, run: Int,
        weights: UnsafePointer<Float>, bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, outputStride: Int,
        epilogue: WideEpilogue
    ) {
        // Spelled out rather than min(r, last), which the compiler called out of line here.
        let last = validRows - 1
        var a0 = a + (0 < validRows ? 0 : last) * aStride, a1 = a + (1 < validRows ? 1 : last) * aStride,
            a2 = a + (2 < validRows ? 2 : last) * aStride, a3 = a + (3 < validRows ? 3 : last) * aStride,
            a4 = a + (4 < validRows ? 4 : last) * aStride, a5 = a + (5 < validRows ? 5 : last) * aStride,
            a6 = a + (6 < validRows ? 6 : last) * aStride, a7 = a + (7 < validRows ? 7 : last) * aStride,
            a8 = a + (8 < validRows ? 8 : last) * aStride, a9 = a + (9 < validRows ? 9 : last) * aStride,
            a10 = a + (10 < validRows ? 10 : last) * aStride, a11 = a + (11 < validRows ? 11 : last) * aStride
        let start = load(bias)
        var c0 = start, c1 = start, c2 = start, c3 = start, c4 = start, c5 = start, c6 = start, c7 = start, c8 = start,
            c9 = start, c10 = start, c11 = start
        var b = weights
        for _ in 0..<segments {
            for index in 0..<run {
                let w = load(b)
                c0 = c0.addingProduct(SIMD16(repeating: a0[index]), w)
                c1 = c1.addingProduct(SIMD16(repeating: a1[index]), w)
                c2 = c2.addingProduct(SIMD16(repeating: a2[index]), w)
                c3 = c3.addingProduct(SIMD16(repeating: a3[index]), w)
                c4 = c4.addingProduct(SIMD16(repeating: a4[index]), w)
                c5 = c5.addingProduct(SIMD16(repeating: a5[index]), w)
                c6 = c6.addingProduct(SIMD16(repeating: a6[index]), w)
                c7 = c7.addingProduct(SIMD16(repeating: a7[index]), w)
                c8 = c8.addingProduct(SIMD16(repeating: a8[index]), w)
                c9 = c9.addingProduct(SIMD16(repeating: a9[index]), w)
                c10 = c10.addingProduct(SIMD16(repeating: a10[index]), w)
                c11 = c11.addingProduct(SIMD16(repeating: a11[index]), w)
                b += 16
            }
            a0 += segmentStride; a1 += segmentStride; a2 += segmentStride; a3 += segmentStride; a4 += segmentStride
            a5 += segmentStride; a6 += segmentStride; a7 += segmentStride; a8 += segmentStride; a9 += segmentStride
            a10 += segmentStride; a11 += segmentStride
        }
        if let residual = epilogue.residual {
            let step = epilogue.residualStride
            c0 += load(residual + 0 * step)
            if validRows > 1 { c1 += load(residual + 1 * step) }
            if validRows > 2 { c2 += load(residual + 2 * step) }
            if validRows > 3 { c3 += load(residual + 3 * step) }
            if validRows > 4 { c4 += load(residual + 4 * step) }
            if validRows > 5 { c5 += load(residual + 5 * step) }
            if validRows > 6 { c6 += load(residual + 6 * step) }
            if validRows > 7 { c7 += load(residual + 7 * step) }
            if validRows > 8 { c8 += load(residual + 8 * step) }
            if validRows > 9 { c9 += load(residual + 9 * step) }
            if validRows > 10 { c10 += load(residual + 10 * step) }
            if validRows > 11 { c11 += load(residual + 11 * step) }
        }
        // Rows past `validRows` are activated too: they stay in registers and are never stored.
        switch epilogue.activation {
        case .none:
            break
        case let .clamp(lower, upper):
            let low = SIMD16<Float>(repeating: lower), high = SIMD16<Float>(repeating: upper)
            c0.replace(with: low, where: c0 .< low); c0.replace(with: high, where: c0 .> high)
            c1.replace(with: low, where: c1 .< low); c1.replace(with: high, where: c1 .> high)
            c2.replace(with: low, where: c2 .< low); c2.replace(with: high, where: c2 .> high)
            c3.replace(with: low, where: c3 .< low); c3.replace(with: high, where: c3 .> high)
            c4.replace(with: low, where: c4 .< low); c4.replace(with: high, where: c4 .> high)
            c5.replace(with: low, where: c5 .< low); c5.replace(with: high, where: c5 .> high)
            c6.replace(with: low, where: c6 .< low); c6.replace(with: high, where: c6 .> high)
            c7.replace(with: low, where: c7 .< low); c7.replace(with: high, where: c7 .> high)
            c8.replace(with: low, where: c8 .< low); c8.replace(with: high, where: c8 .> high)
            c9.replace(with: low, where: c9 .< low); c9.replace(with: high, where: c9 .> high)
            c10.replace(with: low, where: c10 .< low); c10.replace(with: high, where: c10 .> high)
            c11.replace(with: low, where: c11 .< low); c11.replace(with: high, where: c11 .> high)
        case let .prelu(slopes):
            let first = load(slopes), zero = SIMD16<Float>(repeating: 0)
            c0 = c0.replacing(with: zero, where: c0 .< zero)
                .addingProduct(first, c0.replacing(with: zero, where: c0 .> zero))
            c1 = c1.replacing(with: zero, where: c1 .< zero)
                .addingProduct(first, c1.replacing(with: zero, where: c1 .> zero))
            c2 = c2.replacing(with: zero, where: c2 .< zero)
                .addingProduct(first, c2.replacing(with: zero, where: c2 .> zero))
            c3 = c3.replacing(with: zero, where: c3 .< zero)
                .addingProduct(first, c3.replacing(with: zero, where: c3 .> zero))
            c4 = c4.replacing(with: zero, where: c4 .< zero)
                .addingProduct(first, c4.replacing(with: zero, where: c4 .> zero))
            c5 = c5.replacing(with: zero, where: c5 .< zero)
                .addingProduct(first, c5.replacing(with: zero, where: c5 .> zero))
            c6 = c6.replacing(with: zero, where: c6 .< zero)
                .addingProduct(first, c6.replacing(with: zero, where: c6 .> zero))
            c7 = c7.replacing(with: zero, where: c7 .< zero)
                .addingProduct(first, c7.replacing(with: zero, where: c7 .> zero))
            c8 = c8.replacing(with: zero, where: c8 .< zero)
                .addingProduct(first, c8.replacing(with: zero, where: c8 .> zero))
            c9 = c9.replacing(with: zero, where: c9 .< zero)
                .addingProduct(first, c9.replacing(with: zero, where: c9 .> zero))
            c10 = c10.replacing(with: zero, where: c10 .< zero)
                .addingProduct(first, c10.replacing(with: zero, where: c10 .> zero))
            c11 = c11.replacing(with: zero, where: c11 .< zero)
                .addingProduct(first, c11.replacing(with: zero, where: c11 .> zero))
        }
        if let postAdd = epilogue.postAdd {
            c0 += load(postAdd + 0 * outputStride)
            if validRows > 1 { c1 += load(postAdd + 1 * outputStride) }
            if validRows > 2 { c2 += load(postAdd + 2 * outputStride) }
            if validRows > 3 { c3 += load(postAdd + 3 * outputStride) }
            if validRows > 4 { c4 += load(postAdd + 4 * outputStride) }
            if validRows > 5 { c5 += load(postAdd + 5 * outputStride) }
            if validRows > 6 { c6 += load(postAdd + 6 * outputStride) }
            if validRows > 7 { c7 += load(postAdd + 7 * outputStride) }
            if validRows > 8 { c8 += load(postAdd + 8 * outputStride) }
            if validRows > 9 { c9 += load(postAdd + 9 * outputStride) }
            if validRows > 10 { c10 += load(postAdd + 10 * outputStride) }
            if validRows > 11 { c11 += load(postAdd + 11 * outputStride) }
        }
        store(c0, output + 0 * outputStride)
        if validRows > 1 { store(c1, output + 1 * outputStride) }
        if validRows > 2 { store(c2, output + 2 * outputStride) }
        if validRows > 3 { store(c3, output + 3 * outputStride) }
        if validRows > 4 { store(c4, output + 4 * outputStride) }
        if validRows > 5 { store(c5, output + 5 * outputStride) }
        if validRows > 6 { store(c6, output + 6 * outputStride) }
        if validRows > 7 { store(c7, output + 7 * outputStride) }
        if validRows > 8 { store(c8, output + 8 * outputStride) }
        if validRows > 9 { store(c9, output + 9 * outputStride) }
        if validRows > 10 { store(c10, output + 10 * outputStride) }
        if validRows > 11 { store(c11, output + 11 * outputStride) }
    }
}
