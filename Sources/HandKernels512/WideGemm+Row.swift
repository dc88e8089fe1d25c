extension WideGemm {
    /// One row times `blocks` full 16-channel weight blocks (`[reduction][16]` each, `blockStride`
    /// floats apart from `weights`), eight blocks at a time: raw sums (bias included) stored at
    /// `output`; the caller finishes them. For the last few rows of a chunk (the 49th of a 7x7
    /// map), where a 12-row tile would compute a whole tile's FMAs for them: here each weight is
    /// used once, as a row has nothing to share it with. A last group of fewer than eight blocks
    /// repeats its last block (computed, not stored), as the tiles repeat their last row. Every
    /// lane adds bias, then the reduction in order, as the tiles do.
    @inline(never)
    public static func row(
        a: UnsafePointer<Float>, segments: Int, segmentStride: Int, run: Int,
        weights: UnsafePointer<Float>, blockStride: Int, blocks: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        var first = 0
        while first < blocks {
            let last = min(first + 8, blocks) - 1
            // Spelled out rather than min(first + k, last), which the compiler may call out of line.
            let i1 = first + 1 <= last ? first + 1 : last, i2 = first + 2 <= last ? first + 2 : last,
                i3 = first + 3 <= last ? first + 3 : last, i4 = first + 4 <= last ? first + 4 : last,
                i5 = first + 5 <= last ? first + 5 : last, i6 = first + 6 <= last ? first + 6 : last,
                i7 = first + 7 <= last ? first + 7 : last
            let w0 = weights + first * blockStride, w1 = weights + i1 * blockStride, w2 = weights + i2 * blockStride,
                w3 = weights + i3 * blockStride, w4 = weights + i4 * blockStride, w5 = weights + i5 * blockStride,
                w6 = weights + i6 * blockStride, w7 = weights + i7 * blockStride
            var s0 = load(bias + first * 16), s1 = load(bias + i1 * 16), s2 = load(bias + i2 * 16),
                s3 = load(bias + i3 * 16), s4 = load(bias + i4 * 16), s5 = load(bias + i5 * 16),
                s6 = load(bias + i6 * 16), s7 = load(bias + i7 * 16)
            var row = a, offset = 0
            for _ in 0..<segments {
                for index in 0..<run {
                    let x = SIMD16(repeating: row[index])
                    s0 = s0.addingProduct(x, load(w0 + offset)); s1 = s1.addingProduct(x, load(w1 + offset))
                    s2 = s2.addingProduct(x, load(w2 + offset)); s3 = s3.addingProduct(x, load(w3 + offset))
                    s4 = s4.addingProduct(x, load(w4 + offset)); s5 = s5.addingProduct(x, load(w5 + offset))
                    s6 = s6.addingProduct(x, load(w6 + offset)); s7 = s7.addingProduct(x, load(w7 + offset))
                    offset += 16
                }
                row += segmentStride
            }
            let out = output + first * 16, count = last - first + 1
            store(s0, out)
            if count > 1 { store(s1, out + 16) }
            if count > 2 { store(s2, out + 32) }
            if count > 3 { store(s3, out + 48) }
            if count > 4 { store(s4, out + 64) }
            if count > 5 { store(s5, out + 80) }
            if count > 6 { store(s6, out + 96) }
            if count > 7 { store(s7, out + 112) }
            first += 8
        }
    }
}
