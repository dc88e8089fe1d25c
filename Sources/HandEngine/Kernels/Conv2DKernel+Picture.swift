import HandKernels512
import HandKernelsBF16

/// A convolution on the picture itself (the models' first layer: 3x3 or 5x5, stride 2, on 3
/// channels) in bfloat16 on AVX-512 BF16, without packing. Its windows' rows of 9 or 15 values are
/// too short to pack well (`BFloat16Tiles.shortestRun`), so the input is rounded once into a
/// zero-bordered copy instead, each filter row of a window padded with one value to whole dwords,
/// and the tiles read every window from it in place (`snaprate_bf16_operand`): one output row is
/// one call, borders included. The value a window's run reads past its end meets a zero weight.
/// A window's row starts on a dword as long as stride x channels is even; at stride 2 it is.
final class BFloat16Picture {
    private let inputShape: ImageShape
    private let outputShape: ImageShape
    /// The bordered copy: `paddedWidth` pixels a row, `rowPairs` dwords, the input from row
    /// `padTop`, column `padLeft`.
    private let image: AlignedBuffer
    private let paddedWidth: Int
    private let rowPairs: Int
    private let padTop: Int
    private let padLeft: Int
    private let rowStride: Int
    private let filterRows: Int
    private let operandTemplate: snaprate_bf16_operand
    /// The filter with each row's run padded to `runPairs` dwords.
    let weights: PackedWeights

    /// Nil unless the arithmetic is bfloat16 on 512-bit vectors and the layer fits: no dilation,
    /// windows on whole dwords, and output blocks the tiles can pair (16 x n, or 16 x odd + 8).
    init?(inputShape: ImageShape, outputShape: ImageShape, rows: WindowAxis, columns: WindowAxis,
          weights float32: PackedWeights, width: VectorWidth) {
        let channels = outputShape.channels, blocks = channels / PackedWeights.block
        guard width == .avx512, float32.pairs != nil, columns.filter > 1, rows.dilation == 1, columns.dilation == 1,
              columns.stride * inputShape.channels % 2 == 0, blocks > 0,
              channels % PackedWeights.block == 0 || (channels % PackedWeights.block == 8 && blocks % 2 == 1) else { return nil }
        self.inputShape = inputShape
        self.outputShape = outputShape
        padTop = rows.padBefore
        padLeft = columns.padBefore
        rowStride = rows.stride
        filterRows = rows.filter
        let run = columns.filter * inputShape.channels, runPairs = (run + 1) / 2
        let height = max((outputShape.height - 1) * rows.stride + rows.filter, padTop + inputShape.height)
        var paddedWidth = max((outputShape.width - 1) * columns.stride + columns.filter + 1, padLeft + inputShape.width)
        if paddedWidth * inputShape.channels % 2 == 1 { paddedWidth += 1 }
        self.paddedWidth = paddedWidth
        rowPairs = paddedWidth * inputShape.channels / 2
        let pixelPairs = columns.stride * inputShape.channels / 2
        // A row's last tile reads up to eleven windows past the row's end: slack after the last.
        image = AlignedBuffer(count: height * rowPairs + BFloat16Tiles.rows * pixelPairs + runPairs + 16)
        operandTemplate = snaprate_bf16_operand(
            rows: nil, row_stride: pixelPairs, segments: Int32(rows.filter), segment_stride: rowPairs,
            run_pairs: Int32(runPairs))
        weights = float32.paddingRuns(rows.filter, to: 2 * runPairs)
    }

    func run(input: UnsafePointer<Float>, bias: UnsafePointer<Float>, epilogue: Epilogue, output: UnsafeMutablePointer<Float>) {
        let values = UnsafeMutableRawPointer(image.pointer).assumingMemoryBound(to: UInt16.self)
        let rowValues = inputShape.width * inputShape.channels
        for y in 0..<inputShape.height {
            snaprate_bf16_round(input + y * rowValues, Int32(rowValues),
                                values + ((padTop + y) * paddedWidth + padLeft) * inputShape.channels)
        }
        let pairs = UnsafeRawPointer(image.pointer).assumingMemoryBound(to: UInt32.self)
        let channels = outputShape.channels, width = outputShape.width
        let fullBlocks = channels / PackedWeights.block, halfTail = channels % PackedWeights.block == 8
        for y in 0..<outputShape.height {
            var operand = operandTemplate
            operand.rows = pairs + y * rowStride * rowPairs
            let pixel = y * width
            var block = 0
            while block < fullBlocks {
                let halfSecond = halfTail && block + 1 == fullBlocks
                let pair = block + 1 < fullBlocks || halfSecond
                let channel = block * PackedWeights.block
                let span = halfSecond ? PackedWeights.block + 8 : pair ? 2 * PackedWeights.block : PackedWeights.block
                let inRegisters = epilogue.finishesInRegisters(block: channel, width: span)
                var finish = (inRegisters ? epilogue.wide(pixel: pixel, channel: channel) : WideEpilogue()).bfloat16
                snaprate_bf16_gemm_operand_tiles(
                    &operand, Int32(width), weights.pairBlock(block), pair ? weights.pairBlock(block + 1) : nil,
                    bias + channel, output + pixel * channels + channel, channels, &finish, halfSecond ? 1 : 0)
                if !inRegisters {
                    epilogue.apply(output, pixels: pixel..<(pixel + width), channels: channel..<(channel + span))
                }
                block += pair ? 2 : 1
            }
        }
    }
}

extension PackedWeights {
    /// These weights with the reduction's `runs` equal runs each followed by zeros up to
    /// `paddedRun`, float32 and bfloat16 pairs.
    func paddingRuns(_ runs: Int, to paddedRun: Int) -> PackedWeights {
        let run = reduction / runs
        var rows = [Float](repeating: 0, count: outputChannels * runs * paddedRun)
        for channel in 0..<outputChannels {
            let packed = storage.pointer + (channel / Self.block) * reduction * Self.block + channel % Self.block
            for index in 0..<reduction {
                rows[(channel * runs + index / run) * paddedRun + index % run] = packed[index * Self.block]
            }
        }
        return PackedWeights(rows: rows, outputChannels: outputChannels, reduction: runs * paddedRun, arithmetic: .bfloat16)
    }
}
