import HandKernels512
import HandKernelsBF16

/// Where `Gemm.runWide` packs a chunk's rows as bfloat16 for the AVX-512 BF16 kernels: row by
/// row, `pairs` dwords each, so that every 12 rows are one tile's operand and any row is the row
/// kernel's. Sized for the longest chunk of `reduction`; one per convolution, like its im2col
/// scratch: a kernel runs on one thread at a time.
final class BFloat16Tiles {
    static let rows = Int(SNAPRATE_BF16_TILE_ROWS)
    /// The shortest run of a convolution's reduction (one filter row: KW x IC) worth rounding, one
    /// vector: 3x3 and 5x5 filters on a picture's 3 channels cost more to round and pack, nine or
    /// fifteen values at a time, than their short reductions save, and stay in float32.
    static let shortestRun = 16
    private let storage: AlignedBuffer
    let pairs: Int

    init(reduction: Int) {
        pairs = (reduction + 1) / 2
        storage = AlignedBuffer(count: Gemm.wideChunkRows(reduction: reduction) * pairs)
    }

    /// Row `index` of the chunk being run; the first of a tile's twelve for a tile.
    func row(_ index: Int) -> UnsafeMutablePointer<UInt32> {
        UnsafeMutableRawPointer(storage.pointer + index * pairs).assumingMemoryBound(to: UInt32.self)
    }

    /// Rows `rows` of `operands` (relative to its first), rounded and packed from row 0 on.
    func pack(_ operands: GemmOperands, rows: Range<Int>, run: Int) {
        snaprate_bf16_pack_rows(
            operands.a + rows.lowerBound * operands.aStride, operands.aStride, Int32(rows.count),
            Int32(operands.segments), operands.segmentStride, Int32(run), row(0))
    }
}

extension WideEpilogue {
    /// This epilogue as the bfloat16 tile takes it.
    var bfloat16: snaprate_bf16_epilogue {
        var finish = snaprate_bf16_epilogue()
        finish.residual = residual
        finish.residual_stride = residualStride
        switch activation {
        case .none: finish.activation = 0
        case let .clamp(lower, upper): (finish.activation, finish.lower, finish.upper) = (1, lower, upper)
        case let .prelu(slopes): (finish.activation, finish.slopes) = (2, slopes)
        }
        finish.post_add = postAdd
        return finish
    }
}
