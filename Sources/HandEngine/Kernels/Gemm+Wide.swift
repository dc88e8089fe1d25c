import HandKernels512

/// The GEMM on 512-bit vectors (`VectorWidth.avx512`): full 16-channel blocks two at a time in
/// 12-row tiles of `WideGemm`, finished in registers as `Gemm.tile` finishes its own; a last
/// partial block (e.g. the 8 of 24 channels) goes through the AVX2 tiles.
extension Gemm {
    static func runWide(_ operands: GemmOperands, weights: PackedWeights, bias: UnsafePointer<Float>, epilogue: Epilogue) {
        let tileRows = WideGemm.rows
        let chunk = max(tileRows, chunkRows(reduction: weights.reduction) / tileRows * tileRows)
        let fullBlocks = weights.outputChannels / PackedWeights.block
        let channels = weights.outputChannels
        let run = weights.reduction / operands.segments
        var chunkStart = 0
        while chunkStart < operands.rows {
            let chunkEnd = min(chunkStart + chunk, operands.rows)
            var block = 0
            while block < fullBlocks {
                let pair = block + 1 < fullBlocks
                let channel = block * PackedWeights.block
                let width = pair ? 2 * PackedWeights.block : PackedWeights.block
                let inRegisters = epilogue.finishesInRegisters(block: channel, width: width)
                var row = chunkStart
                while row < chunkEnd {
                    let pixel = operands.firstPixel + row
                    let rows = min(tileRows, chunkEnd - row)
                    WideGemm.tile(
                        a: operands.a + row * operands.aStride, aStride: operands.aStride, validRows: rows,
                        segments: operands.segments, segmentStride: operands.segmentStride, run: run,
                        first: weights.block(block), second: pair ? weights.block(block + 1) : nil, bias: bias + channel,
                        output: operands.output + pixel * channels + channel, outputStride: channels,
                        epilogue: inRegisters ? epilogue.wide(pixel: pixel, channel: channel) : WideEpilogue())
                    if !inRegisters {
                        epilogue.apply(operands.output, pixels: pixel..<(pixel + rows), channels: channel..<(channel + width))
                    }
                    row += tileRows
                }
                block += pair ? 2 : 1
            }
            if fullBlocks < weights.blockCount {
                tiles(operands, rows: chunkStart..<chunkEnd, block: fullBlocks, weights: weights, bias: bias, epilogue: epilogue)
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
