/// Row-major activations times packed weights, the core of every CONV_2D: a 1x1 convolution is
/// a GEMM over pixels directly; a KxK one runs it over im2col rows.
///
/// Register blocking: 6 pixels x 16 output channels = 12 ymm accumulators, plus 2 weight
/// registers and 1 broadcast, which fits the 16 ymm registers of AVX2. Accumulators are SIMD8
/// pairs rather than SIMD16 so that every operation maps to exactly one ymm instruction.
struct GemmOperands {
    /// First row of A (one pixel's reduction vector per row).
    var a: UnsafePointer<Float>
    var aStride: Int
    var rows: Int
    /// Index of A's first row among the output pixels.
    var firstPixel: Int
    /// The whole output tensor; row r of A is written to pixel firstPixel + r.
    var output: UnsafeMutablePointer<Float>
    /// A row may be split into `segments` equal runs, `segmentStride` floats apart: a KxK
    /// convolution then reads its windows straight from the NHWC input (one run per filter row)
    /// instead of from an im2col copy.
    var segments = 1
    var segmentStride = 0
}

enum Gemm {
    static let tileRows = 6

    /// Rows are processed in chunks: within a chunk, each 16-channel weight panel is reused for
    /// every row tile while it is in L1, and the chunk's A rows stay in L1/L2. Short reductions
    /// get long chunks; long reductions get one tile, whose A rows then stay in L1 instead.
    static func chunkRows(reduction: Int) -> Int {
        let tiles = (48 * 1024) / max(reduction * 4 * tileRows, 1)
        return tileRows * min(max(tiles, 1), 16)
    }

    /// `bias` is zero-padded to `weights.paddedChannels`.
    /// `bfloat16`: where to pack the operand for the AVX-512 BF16 tiles, on 512-bit vectors with
    /// weights that have their bfloat16 pairs; nil (or either missing) runs float32.
    static func run(_ operands: GemmOperands, weights: PackedWeights, bias: UnsafePointer<Float>, epilogue: Epilogue,
                    width: VectorWidth, bfloat16: BFloat16Tiles? = nil) {
        if width == .avx512, weights.outputChannels >= PackedWeights.block {
            return runWide(operands, weights: weights, bias: bias, epilogue: epilogue, bfloat16: bfloat16)
        }
        let chunk = chunkRows(reduction: weights.reduction)
        var chunkStart = 0
        while chunkStart < operands.rows {
            let chunkEnd = min(chunkStart + chunk, operands.rows)
            // A lone last row (49 = 8 x 6 + 1 pixels on 7x7 maps) would cost a whole 6-row tile
            // per block: give it a one-row kernel over four blocks at a time instead.
            let loneRow = (chunkEnd - chunkStart) % tileRows == 1 ? chunkEnd - 1 : nil
            var firstTileBlock = 0
            if let loneRow {
                while (firstTileBlock + 4) * PackedWeights.block <= weights.outputChannels {
                    singleRow(operands, row: loneRow, block: firstTileBlock, weights: weights, bias: bias, epilogue: epilogue)
                    firstTileBlock += 4
                }
            }
            for block in 0..<weights.blockCount {
                let end = loneRow != nil && block < firstTileBlock ? chunkEnd - 1 : chunkEnd
                tiles(operands, rows: chunkStart..<end, block: block, weights: weights, bias: bias, epilogue: epilogue)
            }
            chunkStart = chunkEnd
        }
    }

    /// Block `block` of `rows`, six rows at a time; half the FMAs where at most 8 of its 16
    /// channels are real.
    @inline(__always)
    static func tiles(_ operands: GemmOperands, rows: Range<Int>, block: Int, weights: PackedWeights,
                      bias: UnsafePointer<Float>, epilogue: Epilogue) {
        let narrow = weights.outputChannels - block * PackedWeights.block <= 8
        var row = rows.lowerBound
        while row < rows.upperBound {
            let count = min(tileRows, rows.upperBound - row)
            if narrow {
                narrowTile(operands, row: row, rows: count, block: block, weights: weights, bias: bias, epilogue: epilogue)
            } else {
                tile(operands, row: row, rows: count, block: block, weights: weights, bias: bias, epilogue: epilogue)
            }
            row += tileRows
        }
    }

    @inline(__always)
    static func rowPointers(_ operands: GemmOperands, row: Int, rows: Int) -> (
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>
    ) {
        let stride = operands.aStride
        let a0 = operands.a + row * stride
        // Rows past the end repeat the last valid row: their results are computed but not stored,
        // which keeps the inner loop free of row-count branches.
        return (a0, a0 + min(1, rows - 1) * stride, a0 + min(2, rows - 1) * stride,
                a0 + min(3, rows - 1) * stride, a0 + min(4, rows - 1) * stride, a0 + min(5, rows - 1) * stride)
    }

    @inline(__always)
    private static func tile(
        _ operands: GemmOperands, row: Int, rows: Int, block: Int, weights: PackedWeights, bias: UnsafePointer<Float>,
        epilogue: Epilogue
    ) {
        var (a0, a1, a2, a3, a4, a5) = rowPointers(operands, row: row, rows: rows)
        var b = weights.block(block)
        let channel = block * PackedWeights.block
        let biasLow = bias.load8(channel), biasHigh = bias.load8(channel + 8)
        var c0l = biasLow, c0h = biasHigh, c1l = biasLow, c1h = biasHigh, c2l = biasLow, c2h = biasHigh
        var c3l = biasLow, c3h = biasHigh, c4l = biasLow, c4h = biasHigh, c5l = biasLow, c5h = biasHigh
        let run = weights.reduction / operands.segments
        for _ in 0..<operands.segments {
        for index in 0..<run {
            let wl = b.load8(), wh = b.load8(8)
            var x = SIMD8(repeating: a0[index])
            c0l = c0l.addingProduct(x, wl); c0h = c0h.addingProduct(x, wh)
            x = SIMD8(repeating: a1[index])
            c1l = c1l.addingProduct(x, wl); c1h = c1h.addingProduct(x, wh)
            x = SIMD8(repeating: a2[index])
            c2l = c2l.addingProduct(x, wl); c2h = c2h.addingProduct(x, wh)
            x = SIMD8(repeating: a3[index])
            c3l = c3l.addingProduct(x, wl); c3h = c3h.addingProduct(x, wh)
            x = SIMD8(repeating: a4[index])
            c4l = c4l.addingProduct(x, wl); c4h = c4h.addingProduct(x, wh)
            x = SIMD8(repeating: a5[index])
            c5l = c5l.addingProduct(x, wl); c5h = c5h.addingProduct(x, wh)
            b += PackedWeights.block
        }
        let step = operands.segmentStride
        a0 += step; a1 += step; a2 += step; a3 += step; a4 += step; a5 += step
        }
        let channels = weights.outputChannels
        let pixel = operands.firstPixel + row
        let out = operands.output + pixel * channels + channel
        // A full block is finished in registers, as `Epilogue.apply` would finish it in memory
        // (the same operations in the same order): the sums are never stored raw and read back.
        // Written out here rather than called: the compiler left such a helper out of line.
        let finished = channels - channel >= 16 && !epilogue.isIdentity && epilogue.finishesInRegisters(block: channel)
        if finished {
            if let residual = epilogue.residual, channel < residual.channels {
                let r = residual.base + pixel * residual.channels + channel, next = residual.channels
                c0l += r.load8(); c0h += r.load8(8)
                if rows > 1 { c1l += r.load8(next); c1h += r.load8(next + 8) }
                if rows > 2 { c2l += r.load8(2 * next); c2h += r.load8(2 * next + 8) }
                if rows > 3 { c3l += r.load8(3 * next); c3h += r.load8(3 * next + 8) }
                if rows > 4 { c4l += r.load8(4 * next); c4h += r.load8(4 * next + 8) }
                if rows > 5 { c5l += r.load8(5 * next); c5h += r.load8(5 * next + 8) }
            }
            // Rows past `rows` are activated too: they stay in registers and are never stored.
            switch epilogue.activation {
            case .none:
                break
            case let .clamp(lower, upper):
                let low = SIMD8<Float>(repeating: lower), high = SIMD8<Float>(repeating: upper)
                c0l = c0l.clamped(low, high); c0h = c0h.clamped(low, high)
                c1l = c1l.clamped(low, high); c1h = c1h.clamped(low, high)
                c2l = c2l.clamped(low, high); c2h = c2h.clamped(low, high)
                c3l = c3l.clamped(low, high); c3h = c3h.clamped(low, high)
                c4l = c4l.clamped(low, high); c4h = c4h.clamped(low, high)
                c5l = c5l.clamped(low, high); c5h = c5h.clamped(low, high)
            case let .prelu(slopes):
                let low = slopes.load8(channel), high = slopes.load8(channel + 8)
                c0l = c0l.prelu(low); c0h = c0h.prelu(high)
                c1l = c1l.prelu(low); c1h = c1h.prelu(high)
                c2l = c2l.prelu(low); c2h = c2h.prelu(high)
                c3l = c3l.prelu(low); c3h = c3h.prelu(high)
                c4l = c4l.prelu(low); c4h = c4h.prelu(high)
                c5l = c5l.prelu(low); c5h = c5h.prelu(high)
            }
            if let postAdd = epilogue.postAdd {
                let p = postAdd + pixel * channels + channel
                c0l += p.load8(); c0h += p.load8(8)
                if rows > 1 { c1l += p.load8(channels); c1h += p.load8(channels + 8) }
                if rows > 2 { c2l += p.load8(2 * channels); c2h += p.load8(2 * channels + 8) }
                if rows > 3 { c3l += p.load8(3 * channels); c3h += p.load8(3 * channels + 8) }
                if rows > 4 { c4l += p.load8(4 * channels); c4h += p.load8(4 * channels + 8) }
                if rows > 5 { c5l += p.load8(5 * channels); c5h += p.load8(5 * channels + 8) }
            }
        }
        if channels - channel >= 16 {
            out.store8(c0l); out.store8(c0h, 8)
            if rows > 1 { out.store8(c1l, channels); out.store8(c1h, channels + 8) }
            if rows > 2 { out.store8(c2l, 2 * channels); out.store8(c2h, 2 * channels + 8) }
            if rows > 3 { out.store8(c3l, 3 * channels); out.store8(c3h, 3 * channels + 8) }
            if rows > 4 { out.store8(c4l, 4 * channels); out.store8(c4h, 4 * channels + 8) }
            if rows > 5 { out.store8(c5l, 5 * channels); out.store8(c5h, 5 * channels + 8) }
        } else {
            let valid = channels - channel
            storePartial(c0l, c0h, out, valid)
            if rows > 1 { storePartial(c1l, c1h, out + channels, valid) }
            if rows > 2 { storePartial(c2l, c2h, out + 2 * channels, valid) }
            if rows > 3 { storePartial(c3l, c3h, out + 3 * channels, valid) }
            if rows > 4 { storePartial(c4l, c4h, out + 4 * channels, valid) }
            if rows > 5 { storePartial(c5l, c5h, out + 5 * channels, valid) }
        }
        if !finished {
            epilogue.apply(operands.output, pixels: pixel..<(pixel + rows), channels: channel..<min(channel + 16, channels))
        }
    }
}
