import XCTest
@testable import HandEngine

/// The AVX-512 BF16 GEMM kernels against the definition computed on bfloat16-rounded operands:
/// their products are exact and their sums float32, so they must match that to float32
/// precision. The geometries cover 12-row tiles and the lone last rows of a chunk, pairs of
/// blocks, a single block, a block with a half one (24 channels), odd reductions (a zero pads the
/// last pair), runs of odd length joined across filter rows, several chunks. A float32 result is
/// off by up to 2^-9 here, far outside the tolerance, so a silent fallback to float32 fails too.
final class KernelBFloat16Tests: XCTestCase {
    /// `value` rounded to the nearest bfloat16 (8 significant bits), ties to even, by arithmetic
    /// on its exponent rather than on its bits as the engine does.
    private func bfloat16(_ value: Float) -> Float {
        guard value != 0 else { return 0 }
        let ulp = Float(sign: .plus, exponent: value.exponent - 7, significand: 1)
        return (value / ulp).rounded(.toNearestOrEven) * ulp
    }

    private func check(height: Int, width: Int, inputChannels: Int, outputChannels: Int, kernel: Int,
                       fusion: EpilogueFusion = EpilogueFusion(),
                       finish: (_ sum: Float, _ pixel: Int, _ channel: Int) -> Float = { sum, _, _ in sum }) throws {
        try XCTSkipUnless(MatrixArithmetic.available.contains(.bfloat16), "this CPU has no AVX-512 BF16")
        let shape = ImageShape(height: height, width: width, channels: inputChannels)
        let rows = WindowAxis(input: height, filter: kernel, stride: 1, padding: .valid)
        let columns = WindowAxis(input: width, filter: kernel, stride: 1, padding: .valid)
        let outputShape = ImageShape(height: rows.output, width: columns.output, channels: outputChannels)
        let input = KernelFixture.values(shape.count, seed: 31)
        let filter = KernelFixture.values(outputChannels * kernel * kernel * inputChannels, seed: 32)
        let bias = KernelFixture.values(outputChannels, seed: 33)
        let actual = KernelFixture.conv(
            KernelFixture.tensor(input), shape: shape, outputShape: outputShape, filter: filter, kernel: kernel, bias: bias,
            rows: rows, columns: columns, fusion: fusion, width: .avx512, arithmetic: .bfloat16)
        let expected = KernelFixture.naiveConv(
            input: input.map(bfloat16), shape: shape, filter: filter.map(bfloat16), bias: bias, kh: kernel, kw: kernel,
            outputChannels: outputChannels, rows: rows, columns: columns, depthwise: false
        )
        let finished = expected.indices.map { finish(expected[$0], $0 / outputChannels, $0 % outputChannels) }
        KernelFixture.assertClose(actual, finished,
                                  "bfloat16 \(kernel)x\(kernel) \(height)x\(width)x\(inputChannels)->\(outputChannels)")
    }

    func testPointwiseTilesMatchTheRoundedDefinition() throws {
        // (24, 27, 32): a pair of blocks over an odd reduction; (36, 16, 16): one block alone;
        // (17, 40, 24): a block and a half one, a last tile of 5 rows; (101, 64, 48): a pair and a
        // single block over two chunks; (30, 31, 112): seven blocks, a last tile of 6 rows;
        // (49, 192, 160) and (196, 112, 64): a lone last row and four, as on 7x7 and 14x14 maps;
        // (36, 24, 40) and (29, 20, 72): an even number of full blocks before a half one (the
        // first block alone, the last paired with the half).
        for (pixels, inputChannels, outputChannels) in [(24, 27, 32), (36, 16, 16), (17, 40, 24), (101, 64, 48),
                                                        (30, 31, 112), (49, 192, 160), (196, 112, 64), (36, 24, 40),
                                                        (29, 20, 72)] {
            try check(height: 1, width: pixels, inputChannels: inputChannels, outputChannels: outputChannels, kernel: 1)
        }
    }

    func testRunsOfOddLengthJoinAcrossFilterRows() throws {
        // 3x3 VALID on 7 channels: three runs of 21 floats per pixel, read in place, 63 in all.
        try check(height: 5, width: 20, inputChannels: 7, outputChannels: 32, kernel: 3)
        try check(height: 4, width: 14, inputChannels: 6, outputChannels: 24, kernel: 3)
    }

    func testRunsShorterThanAVectorStayInFloat32() throws {
        // A picture's first convolution (3x3 on 3 channels: runs of 9) would cost more to round
        // than it saves: it runs in float32, bit for bit as the float32 kernel.
        try XCTSkipUnless(MatrixArithmetic.available.contains(.bfloat16), "this CPU has no AVX-512 BF16")
        let shape = ImageShape(height: 9, width: 16, channels: 3)
        let rows = WindowAxis(input: 9, filter: 3, stride: 2, padding: .same)
        let columns = WindowAxis(input: 16, filter: 3, stride: 2, padding: .same)
        let outputShape = ImageShape(height: rows.output, width: columns.output, channels: 32)
        let inputBuffer = KernelFixture.tensor(KernelFixture.values(shape.count, seed: 36))
        let filter = KernelFixture.values(32 * 27, seed: 37), bias = KernelFixture.values(32, seed: 38)
        let outputs = [MatrixArithmetic.float32, .bfloat16].map { arithmetic in
            KernelFixture.conv(inputBuffer, shape: shape, outputShape: outputShape, filter: filter, kernel: 3, bias: bias,
                               rows: rows, columns: columns, fusion: EpilogueFusion(), width: .avx512, arithmetic: arithmetic)
                .map(\.bitPattern)
        }
        let differs = outputs[0].indices.filter { outputs[0][$0] != outputs[1][$0] }
        XCTAssert(differs.isEmpty, "\(differs.count) of \(outputs[0].count) values differ from float32")
    }

    func testEpiloguesFinishTheBFloat16Sums() throws {
        // RELU6 on a pair of blocks; a residual, then PRELU, on a block and a half one.
        var fusion = EpilogueFusion()
        fusion.activation = .relu6
        try check(height: 1, width: 24, inputChannels: 20, outputChannels: 32, kernel: 1, fusion: fusion) { sum, _, _ in
            min(max(sum, 0), 6)
        }
        let residual = KernelFixture.values(24 * 24, seed: 34), slopes = KernelFixture.values(24, seed: 35)
        let residualBuffer = KernelFixture.tensor(residual)
        fusion = EpilogueFusion()
        fusion.residual = ResidualInput(base: residualBuffer.pointer, channels: 24)
        fusion.preluSlopes = slopes
        try check(height: 1, width: 24, inputChannels: 20, outputChannels: 24, kernel: 1, fusion: fusion) { sum, pixel, channel in
            let added = sum + residual[pixel * 24 + channel]
            return added < 0 ? added * slopes[channel] : added
        }
    }
}
