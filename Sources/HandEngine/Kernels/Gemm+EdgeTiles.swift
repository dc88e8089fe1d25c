/// GEMM tiles for the edges of the problem: a last block with at most 8 real channels, and a
/// lone last row.
extension Gemm {
    /// The last block when at most 8 of its 16 channels are real (e.g. 24 = 16 + 8 channels):
    /// half the FMAs of a full tile.
    @inline(__always)
    static func narrowTile(
        _ operands: GemmOperands, row: Int, rows: Int, block: Int, weights: PackedWeights, bias: UnsafePointer<Float>,
        epilogue: Epilogue
    ) {
        var (a0, a1, a2, a3, a4, a5) = rowPointers(operands, row: row, rows: rows)
        var b = weights.block(block)
        let channel = block * PackedWeights.block
        let start = bias.load8(channel)
        var c0 = start, c1 = start, c2 = start, c3 = start, c4 = start, c5 = start
        let run = weights.reduction / operands.segments
        for _ in 0..<operands.segments {
        for index in 0..<run {
            let w = b.load8()
            c0 = c0.addingProduct(SIMD8(repeating: a0[index]), w)
            c1 = c1.addingProduct(SIMD8(repeating: a1[index]), w)
            c2 = c2.addingProduct(SIMD8(repeating: a2[index]), w)
            c3 = c3.addingProduct(SIMD8(repeating: a3[index]), w)
            c4 = c4.addingProduct(SIMD8(repeating: a4[index]), w)
            c5 = c5.addingProduct(SIMD8(repeating: a5[index]), w)
            b += PackedWeights.block
        }
        let step = operands.segmentStride
        a0 += step; a1 += step; a2 += step; a3 += step; a4 += step; a5 += step
        }
        let channels = weights.outputChannels
        let out = operands.output + (operands.firstPixel + row) * channels + channel
        let valid = channels - channel
        let zero = SIMD8<Float>(repeating: 0)
        if valid == 8 {
            out.store8(c0)
            if rows > 1 { out.store8(c1, channels) }
            if rows > 2 { out.store8(c2, 2 * channels) }
            if rows > 3 { out.store8(c3, 3 * channels) }
            if rows > 4 { out.store8(c4, 4 * channels) }
            if rows > 5 { out.store8(c5, 5 * channels) }
        } else {
            storePartial(c0, zero, out, valid)
            if rows > 1 { storePartial(c1, zero, out + channels, valid) }
            if rows > 2 { storePartial(c2, zero, out + 2 * channels, valid) }
            if rows > 3 { storePartial(c3, zero, out + 3 * channels, valid) }
            if rows > 4 { storePartial(c4, zero, out + 4 * channels, valid) }
            if rows > 5 { storePartial(c5, zero, out + 5 * channels, valid) }
        }
        let pixel = operands.firstPixel + row
        epilogue.apply(operands.output, pixels: pixel..<(pixel + rows), channels: channel..<channels)
    }

    /// One output row, 64 channels (four full blocks from `block`): eight accumulators, each
    /// weight used once, as a lone row has nothing to share it with.
    @inline(__always)
    static func singleRow(
        _ operands: GemmOperands, row: Int, block: Int, weights: PackedWeights, bias: UnsafePointer<Float>,
        epilogue: Epilogue
    ) {
        var a = operands.a + row * operands.aStride
        let b0 = weights.block(block), b1 = weights.block(block + 1)
        let b2 = weights.block(block + 2), b3 = weights.block(block + 3)
        let channel = block * PackedWeights.block
        var c0 = bias.load8(channel), c1 = bias.load8(channel + 8), c2 = bias.load8(channel + 16)
        var c3 = bias.load8(channel + 24), c4 = bias.load8(channel + 32), c5 = bias.load8(channel + 40)
        var c6 = bias.load8(channel + 48), c7 = bias.load8(channel + 56)
        var offset = 0
        let run = weights.reduction / operands.segments
        for _ in 0..<operands.segments {
        for index in 0..<run {
            let x = SIMD8(repeating: a[index])
            c0 = c0.addingProduct(x, b0.load8(offset)); c1 = c1.addingProduct(x, b0.load8(offset + 8))
            c2 = c2.addingProduct(x, b1.load8(offset)); c3 = c3.addingProduct(x, b1.load8(offset + 8))
            c4 = c4.addingProduct(x, b2.load8(offset)); c5 = c5.addingProduct(x, b2.load8(offset + 8))
            c6 = c6.addingProduct(x, b3.load8(offset)); c7 = c7.addingProduct(x, b3.load8(offset + 8))
            offset += PackedWeights.block
        }
        a += operands.segmentStride
        }
        let out = operands.output + (operands.firstPixel + row) * weights.outputChannels + channel
        out.store8(c0); out.store8(c1, 8); out.store8(c2, 16); out.store8(c3, 24)
        out.store8(c4, 32); out.store8(c5, 40); out.store8(c6, 48); out.store8(c7, 56)
        let pixel = operands.firstPixel + row
        epilogue.apply(operands.output, pixels: pixel..<(pixel + 1), channels: channel..<(channel + 64))
    }

    /// The first `valid` (< 16) lanes of a block, for channel counts that are not multiples of 16.
    @inline(never)
    static func storePartial(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ target: UnsafeMutablePointer<Float>, _ valid: Int) {
        for lane in 0..<valid { target[lane] = lane < 8 ? low[lane] : high[lane - 8] }
    }
}
