/// Convolution / matmul weights repacked at load for the GEMM micro-kernel: output channels in
/// blocks of 16 (one SIMD16 = two ymm registers), and within a block the reduction index outer,
/// so the kernel streams one contiguous 64-byte row of weights per step of the reduction.
/// Layout: `[outputChannels / 16 (rounded up)][reduction][16]`, zero-padded.
struct PackedWeights {
    static let block = 16

    let storage: AlignedBuffer
    /// The same weights as bfloat16 pairs for the AVX-512 BF16 tile (`MatrixArithmetic`), nil
    /// unless asked for: `[blocks][pairs][16]` dwords, entries 2k and 2k + 1 of a channel's
    /// reduction in one dword (2k in the low half), a zero after an odd last entry.
    let pairs: AlignedBuffer?
    /// Length of the dot products (KH * KW * IC for a convolution).
    let reduction: Int
    let outputChannels: Int

    var blockCount: Int { (outputChannels + Self.block - 1) / Self.block }
    var paddedChannels: Int { blockCount * Self.block }
    /// Reduction steps of the bfloat16 tile: two entries each.
    var pairCount: Int { (reduction + 1) / 2 }

    /// `rows` holds `outputChannels` rows of `reduction` weights, as tflite stores
    /// CONV_2D filters ([OC][KH][KW][IC]) and FULLY_CONNECTED weights ([OC][IC]).
    init(rows: [Float], outputChannels: Int, reduction: Int,
         arithmetic: MatrixArithmetic = .detected) {
        precondition(rows.count == outputChannels * reduction)
        self.reduction = reduction
        self.outputChannels = outputChannels
        let blocks = (outputChannels + Self.block - 1) / Self.block
        storage = AlignedBuffer(count: blocks * reduction * Self.block)
        let packed = storage.pointer
        for channel in 0..<outputChannels {
            let block = channel / Self.block, lane = channel % Self.block
            for index in 0..<reduction {
                packed[(block * reduction + index) * Self.block + lane] = rows[channel * reduction + index]
            }
        }
        pairs = arithmetic == .bfloat16 ? Self.pairs(rows, outputChannels: outputChannels, reduction: reduction) : nil
    }

    func block(_ index: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage.pointer + index * reduction * Self.block)
    }

    /// Block `index` of `pairs` (which must be there).
    func pairBlock(_ index: Int) -> UnsafePointer<UInt32> {
        UnsafeRawPointer(pairs!.pointer + index * pairCount * Self.block).assumingMemoryBound(to: UInt32.self)
    }

    private static func pairs(_ rows: [Float], outputChannels: Int, reduction: Int) -> AlignedBuffer {
        let blocks = (outputChannels + block - 1) / block, steps = (reduction + 1) / 2
        let buffer = AlignedBuffer(count: blocks * steps * block)
        for channel in 0..<outputChannels {
            let row = channel * reduction
            for step in 0..<steps {
                let low = rows[row + 2 * step].bfloat16Bits
                let high = 2 * step + 1 < reduction ? rows[row + 2 * step + 1].bfloat16Bits : 0
                // Stored through the float buffer bit for bit; only the C tile reads it, as dwords.
                buffer.pointer[((channel / block) * steps + step) * block + channel % block] =
                    Float(bitPattern: low | high << 16)
            }
        }
        return buffer
    }
}
