/// Convolution / matmul weights repacked at load for the GEMM micro-kernel: output channels in
/// blocks of 16 (one SIMD16 = two ymm registers), and within a block the reduction index outer,
/// so the kernel streams one contiguous 64-byte row of weights per step of the reduction.
/// Layout: `[outputChannels / 16 (rounded up)][reduction][16]`, zero-padded.
struct PackedWeights {
    static let block = 16

    let storage: AlignedBuffer
    /// Length of the dot products (KH * KW * IC for a convolution).
    let reduction: Int
    let outputChannels: Int

    var blockCount: Int { (outputChannels + Self.block - 1) / Self.block }
    var paddedChannels: Int { blockCount * Self.block }

    /// `rows` holds `outputChannels` rows of `reduction` weights, as tflite stores
    /// CONV_2D filters ([OC][KH][KW][IC]) and FULLY_CONNECTED weights ([OC][IC]).
    init(rows: [Float], outputChannels: Int, reduction: Int) {
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
    }

    func block(_ index: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage.pointer + index * reduction * Self.block)
    }
}
