import HandKernels512
import HandKernelsBF16

/// The GEMM on 512-bit vectors (`VectorWidth.avx512`): full 16-channel blocks two at a time in
/// 12-row tiles of `WideGemm`, finished in registers as `Gemm.tile` finishes its own, and the
/// last few rows of a chunk one at a time (`WideGemm.row`). A last block of 8 channels pairs
/// with an odd full block before it (24 = 16 + 8: the wide pair stores 24 of its 32 lanes);
/// any other partial block, and that one's lone last rows, go through the AVX2 tiles.
///
/// With `bfloat16` tiles (`MatrixArithmetic.bfloat16`) the full blocks run on AVX-512 BF16
/// instead, tiles and lone last rows alike, over the chunk's rows packed once for all its blocks
/// (a float32 lone row would stream the float32 weights, which the tiles no longer keep in cache);
/// a last half block pairs with the last full block whatever their count; any other partial block
/// stays in float32 as above.
extension Gemm {
    /// Up to this many rows left at the end of a chunk go through `WideGemm.row`, one at a time: a
    /// row there takes a twelfth of a 12-row tile's FMAs, so four stay well under the tile's cost
    /// even though the row kernel waits on its weight loads.
    static let lastRowsAlone = 4

    /// Rows of a chunk of the wide GEMM: `chunkRows` in whole 12-row tiles.
    static func wideChunkRows(reduction: Int) -> Int {
        max(WideGemm.rows, chunkRows(reduction: reduction) / WideGemm.rows * WideGemm.rows)
    }

    static func runWide(_ operands: GemmOperands, weights: PackedWeights, bias: UnsafePointer<Float>, epilogue: Epilogue,
                        bfloat16: BFloat16Tiles? = nil) {
        let tileRows = WideGemm.rows
        let chunk = wideChunkRows(reduction: weights.reduction)
        let run = weights.reduction / operands.segments
        let bfloat16 = weights.pairs == nil ? nil : bfloat16
        let fullBlocks = weights.outputChannels / PackedWeights.block
        let channels = weights.outputChannels
        // A single full block with a half one after it: one pair shares each broadcast of the
        // input between them. Apart, the AVX2 tiles took as long for 8 channels as the wide
        // single tile for 16, and the 3x3 convolution to 24 channels took longer than to 32.
        // In bfloat16 the pair is worth it even after an even number of full blocks, the first of
        // which then runs alone: AVX2's float32 tiles took nearly half of a 40-channel layer.
        let halfTail = channels - fullBlocks * PackedWeights.block == 8
            && (fullBlocks % 2 == 1 || (bfloat16 != nil && fullBlocks > 0))
        var chunkStart = 0
        while chunkStart < operands.rows {
            let chunkEnd = min(chunkStart + chunk, operands.rows)
            // The last few rows of a chunk (49 = 4 x 12 + 1 on 7x7 maps, 196 = 2 x 96 + 4 on 14x14)
            // would cost a whole 12-row tile per pair of blocks: they go one at a time instead.
            let leftover = (chunkEnd - chunkStart) % tileRows
            let tileEnd = leftover <= lastRowsAlone ? chunkEnd - leftover : chunkEnd
            bfloat16?.pack(operands, rows: chunkStart..<chunkEnd, run: run)
            for row in tileEnd..<chunkEnd where fullBlocks > 0 {
                let pixel = operands.firstPixel + row
                if let bfloat16 {
                    snaprate_bf16_gemm_row(
                        bfloat16.row(row - chunkStart), Int32(bfloat16.pairs), weights.pairBlock(0),
                        weights.pairCount * PackedWeights.block, Int32(fullBlocks), bias, operands.output + pixel * channels)
                } else {
                    WideGemm.row(
                        a: operands.a + row * operands.aStride, segments: operands.segments,
                        segmentStride: operands.segmentStride, run: run, weights: weights.block(0),
                        blockStride: weights.reduction * PackedWeights.block, blocks: fullBlocks, bias: bias,
                        output: operands.output + pixel * channels)
                }
                epilogue.apply(operands.output, pixels: pixel..<(pixel + 1), channels: 0..<(fullBlocks * PackedWeights.block))
            }
            var block = 0
            while block < fullBlocks {
                let halfSecond = halfTail && block + 1 == fullBlocks
                let alone = halfTail && fullBlocks % 2 == 0 && block == 0
                let pair = !alone && (block + 1 < fullBlocks || halfSecond)
                let channel = block * PackedWeights.block
                let width = halfSecond ? PackedWeights.block + 8 : pair ? 2 * PackedWeights.block : PackedWeights.block
                let inRegisters = epilogue.finishesInRegisters(block: channel, width: width)
                if let bfloat16, tileEnd > chunkStart {
                    let pixel = operands.firstPixel + chunkStart
                    var finish = (inRegisters ? epilogue.wide(pixel: pixel, channel: channel) : WideEpilogue()).bfloat16
                    snaprate_bf16_gemm_tiles(
                        bfloat16.row(0), Int32(bfloat16.pairs), Int32(tileEnd - chunkStart), weights.pairBlock(block),
                        pair ? weights.pairBlock(block + 1) : nil, bias + channel,
                        operands.output + pixel * channels + channel, channels, &finish, halfSecond ? 1 : 0)
                    if !inRegisters {
                        epilogue.apply(operands.output, pixels: pixel..<(operands.firstPixel + tileEnd),
                                       channels: channel..<(channel + width))
                    }
                }
                var row = chunkStart
                while bfloat16 == nil, row < tileEnd {
                    let pixel = operands.firstPixel + row
                    let rows = min(tileRows, tileEnd - row)
                    WideGemm.tile(
                        a: operands.a + row * operands.aStride, aStride: operands.aStride, validRows: rows,
                        segments: operands.segments, segmentStride: operands.segmentStride, run: run,
                        first: weights.block(block), second: pair ? weights.block(block + 1) : nil, bias: bias + channel,
                        output: operands.output + pixel * channels + channel, outputStride: channels,
                        epilogue: inRegisters ? epilogue.wide(pixel: pixel, channel: channel) : WideEpilogue(),
                        halfSecond: halfSecond)
                    if !inRegisters {
                        epilogue.apply(operands.output, pixels: pixel..<(pixel + rows), channels: channel..<(channel + width))
                    }
                    row += tileRows
                }
                block += pair ? 2 : 1
            }
            if fullBlocks < weights.blockCount {
                tiles(operands, rows: halfTail ? tileEnd..<chunkEnd : chunkStart..<chunkEnd, block: fullBlocks,
                      weights: weights, bias: bias, epilogue: epilogue)
            }
            chunkStart = chunkEnd
        }
    }
}

extension Epilogue {
    /// This epilogue for the wide tile at `pixel` and `channel` (whose channels it finishes whole).
    func wide(pixel: Int, channel: Int) -> WideEpilogue {
        var wide = WideEpilogue()
        if let residual, channel < residual.channels {
            wide.residual = residual.base + pixel * residual.channels + channel
            wide.residualStride = residual.channels
        }
        switch activation {
        case .none: break
        case let .clamp(lower, upper): wide.activation = .clamp(lower: lower, upper: upper)
        case let .prelu(slopes): wide.activation = .prelu(slopes + channel)
        }
        wide.postAdd = postAdd.map { $0 + pixel * channels + channel }
        return wide
    }
}
