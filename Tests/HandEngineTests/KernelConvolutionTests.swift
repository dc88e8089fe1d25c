import XCTest
@testable import HandEngine

/// CONV_2D and DEPTHWISE_CONV_2D against the naive definition, over the geometries the hand
/// models use (1x1 GEMM path, 3x3 and 5x5 stride 2 SAME im2col path, VALID) and awkward sizes:
/// pixel counts that are not a multiple of the 6-row tile, channel counts that are not a
/// multiple of 16, widths so small that no pixel is an interior one. Each convolution runs at
/// every vector width the CPU has (`VectorWidth.available`).
final class KernelConvolutionTests: XCTestCase {
    private func runConv(
        height: Int, width: Int, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int,
        padding: Padding, fusion: EpilogueFusion = EpilogueFusion(), seed: UInt64 = 1
    ) -> (actual: [Float], naive: [Float]) {
        let shape = ImageShape(height: height, width: width, channels: inputChannels)
        let rows = WindowAxis(input: height, filter: kernel, stride: stride, padding: padding)
        let columns = WindowAxis(input: width, filter: kernel, stride: stride, padding: padding)
        let outputShape = ImageShape(height: rows.output, width: columns.output, channels: outputChannels)
        let input = KernelFixture.values(shape.count, seed: seed)
        let filter = KernelFixture.values(outputChannels * kernel * kernel * inputChannels, seed: seed + 1)
        let bias = KernelFixture.values(outputChannels, seed: seed + 2)
        let inputBuffer = KernelFixture.tensor(input)
        // Every vector width this CPU has (AVX2, and AVX-512 where present) computes each sum in
        // the same order, so they must agree to the bit.
        let outputs = VectorWidth.available.map { width in
            KernelFixture.conv(inputBuffer, shape: shape, outputShape: outputShape, filter: filter, kernel: kernel,
                               bias: bias, rows: rows, columns: columns, fusion: fusion, width: width, arithmetic: .float32)
        }
        for (width, output) in zip(VectorWidth.available, outputs).dropFirst() {
            let differs = output.indices.filter { output[$0].bitPattern != outputs[0][$0].bitPattern }
            XCTAssert(differs.isEmpty, "\(width) against avx2: \(differs.count) values differ, first at \(differs.first ?? 0)")
        }
        let naive = KernelFixture.naiveConv(
            input: input, shape: shape, filter: filter, bias: bias, kh: kernel, kw: kernel,
            outputChannels: outputChannels, rows: rows, columns: columns, depthwise: false)
        if MatrixArithmetic.available.contains(.bfloat16) {
            // In bfloat16 each product is off by at most 2^-8 of its size (both operands rounded
            // by 2^-9 at most), so each sum by 2^-8 of its products' magnitudes; the epilogues
            // after it (residual and post adds, clamps, PRELU with |slope| < 1) add nothing.
            let rounded = KernelFixture.conv(
                inputBuffer, shape: shape, outputShape: outputShape, filter: filter, kernel: kernel, bias: bias, rows: rows,
                columns: columns, fusion: fusion, width: .avx512, arithmetic: .bfloat16)
            let magnitudes = KernelFixture.naiveConv(
                input: input.map(abs), shape: shape, filter: filter.map(abs), bias: bias.map { _ in 0 }, kh: kernel,
                kw: kernel, outputChannels: outputChannels, rows: rows, columns: columns, depthwise: false)
            let outside = rounded.indices.filter {
                !(abs(rounded[$0] - outputs[0][$0]) <= magnitudes[$0] / 256 + 1e-5 * max(1, abs(outputs[0][$0])))
            }
            XCTAssert(outside.isEmpty, "bfloat16 against float32: \(outside.count) values off by more than 2^-8, "
                + "first at \(outside.first ?? 0)")
        }
        return (outputs[0], naive)
    }

    func testPointwiseConvolutionMatchesDefinition() {
        // (13, 40, 80) and (49, 600, 72) end chunks on a lone row with 64+ channels (the one-row
        // kernels: AVX2's, and the wide one with a last group of fewer than eight blocks); (49,
        // 600, 72) also spans several row chunks.
        // (37, 20, 112) and (12, 16, 16): the wide kernel's 12-row tiles, pairs of blocks and a
        // single last block. (38, 20, 24): a block paired with the half block after it, and two
        // lone last rows; (38, 20, 40): two full blocks and a half one alone.
        for (pixels, inputChannels, outputChannels) in [(7, 5, 3), (13, 32, 32), (25, 24, 36), (6, 16, 108), (1, 3, 17),
                                                        (13, 40, 80), (49, 600, 72), (37, 20, 112), (12, 16, 16),
                                                        (38, 20, 24), (38, 20, 40)] {
            let result = runConv(height: 1, width: pixels, inputChannels: inputChannels, outputChannels: outputChannels,
                                 kernel: 1, stride: 1, padding: .valid)
            // Float sums of 600 terms drift from the double-precision reference by ~1e-5.
            KernelFixture.assertClose(result.actual, result.naive, tolerance: inputChannels > 100 ? 1e-4 : 1e-5,
                                      "1x1 \(pixels)x\(inputChannels)->\(outputChannels)")
        }
    }

    func testStridedSameConvolutionMatchesDefinition() {
        // The models' first layers: 5x5 and 3x3, stride 2, SAME, on 3 channels (odd and even sizes).
        for (size, kernel) in [(12, 5), (11, 5), (14, 3), (9, 3)] {
            let result = runConv(height: size, width: size + 1, inputChannels: 3, outputChannels: 24,
                                 kernel: kernel, stride: 2, padding: .same)
            KernelFixture.assertClose(result.actual, result.naive, "\(kernel)x\(kernel) s2 on \(size)")
        }
    }

    func testValidPaddingConvolutionMatchesDefinition() {
        let result = runConv(height: 7, width: 6, inputChannels: 4, outputChannels: 8, kernel: 3, stride: 1, padding: .valid)
        KernelFixture.assertClose(result.actual, result.naive, "3x3 VALID")
    }

    func testHandComputedThreeByThreeSame() {
        // 3x3 input 1..9, all-ones 3x3 filter, bias 0.5: each output is the sum of its clipped
        // neighbourhood plus 0.5 (corner 1+2+4+5 = 12).
        let input: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let rows = WindowAxis(input: 3, filter: 3, stride: 1, padding: .same)
        let buffer = KernelFixture.tensor(input), out = KernelFixture.tensor([Float](repeating: 0, count: 9))
        let shape = ImageShape(height: 3, width: 3, channels: 1)
        Conv2DKernel(input: buffer.pointer, inputShape: shape, output: out.pointer, outputShape: shape,
                     filter: [Float](repeating: 1, count: 9), filterHeight: 3, filterWidth: 3, bias: [0.5],
                     rows: rows, columns: rows, fusion: EpilogueFusion()).run()
        XCTAssertEqual(KernelFixture.array(out, count: 9), [12.5, 21.5, 16.5, 27.5, 45.5, 33.5, 24.5, 39.5, 28.5])
    }

    func testFusedActivationsAndResiduals() {
        // RELU6 clamp.
        var fusion = EpilogueFusion()
        fusion.activation = .relu6
        var result = runConv(height: 3, width: 5, inputChannels: 8, outputChannels: 20, kernel: 1, stride: 1,
                             padding: .valid, fusion: fusion, seed: 7)
        KernelFixture.assertClose(result.actual, result.naive.map { min(max($0, 0), 6) }, "relu6")

        // Residual with fewer channels (a channel-padded ADD), then PRELU.
        let pixels = 15, channels = 20, residualChannels = 8
        let residual = KernelFixture.values(pixels * residualChannels, seed: 11)
        let residualBuffer = KernelFixture.tensor(residual)
        let slopes = KernelFixture.values(channels, seed: 12)
        fusion = EpilogueFusion()
        fusion.residual = ResidualInput(base: residualBuffer.pointer, channels: residualChannels)
        fusion.preluSlopes = slopes
        result = runConv(height: 3, width: 5, inputChannels: 8, outputChannels: channels, kernel: 1, stride: 1,
                         padding: .valid, fusion: fusion, seed: 7)
        let expected = result.naive.enumerated().map { index, value -> Float in
            let pixel = index / channels, channel = index % channels
            let sum = value + (channel < residualChannels ? residual[pixel * residualChannels + channel] : 0)
            return sum < 0 ? sum * slopes[channel] : sum
        }
        KernelFixture.assertClose(result.actual, expected, "residual + prelu")

        // PRELU then a post-activation add.
        let post = KernelFixture.values(pixels * channels, seed: 13)
        let postBuffer = KernelFixture.tensor(post)
        fusion = EpilogueFusion()
        fusion.preluSlopes = slopes
        fusion.postAdd = UnsafePointer(postBuffer.pointer)
        result = runConv(height: 3, width: 5, inputChannels: 8, outputChannels: channels, kernel: 1, stride: 1,
                         padding: .valid, fusion: fusion, seed: 7)
        let expectedPost = result.naive.enumerated().map { index, value -> Float in
            (value < 0 ? value * slopes[index % channels] : value) + post[index]
        }
        KernelFixture.assertClose(result.actual, expectedPost, "prelu + add")
    }

    func testEpiloguesFinishedInRegistersMatchTheDefinition() {
        // Full 16-channel blocks finish their epilogue in registers; the rest (a partial block, a
        // lone last row, a residual that ends inside a block) in memory. Each shape mixes both:
        // 13 pixels end on a lone row, 40 and 80 channels end on a partial or narrow block, and a
        // 16-channel residual covers the first block whole and leaves the others without an add.
        // 24 channels: a block paired with the half one after it, finished in registers, or in
        // memory when an 8-channel residual ends inside it.
        for (pixels, channels, residualChannels) in [(13, 32, 32), (13, 40, 16), (49, 80, 80), (25, 80, 16), (7, 24, 24),
                                                     (13, 24, 24), (30, 24, 8)] {
            let residual = KernelFixture.values(pixels * residualChannels, seed: 21)
            let residualBuffer = KernelFixture.tensor(residual)
            let slopes = KernelFixture.values(channels, seed: 22)
            let post = KernelFixture.values(pixels * channels, seed: 23)
            let postBuffer = KernelFixture.tensor(post)
            func withResidual(_ value: Float, _ index: Int) -> Float {
                let pixel = index / channels, channel = index % channels
                return value + (channel < residualChannels ? residual[pixel * residualChannels + channel] : 0)
            }

            var fusion = EpilogueFusion()
            fusion.residual = ResidualInput(base: residualBuffer.pointer, channels: residualChannels)
            fusion.activation = .relu
            var result = runConv(height: 1, width: pixels, inputChannels: 12, outputChannels: channels, kernel: 1,
                                 stride: 1, padding: .valid, fusion: fusion, seed: 5)
            var expected = result.naive.enumerated().map { max(withResidual($1, $0), 0) }
            KernelFixture.assertClose(result.actual, expected, "residual + relu, \(pixels)x\(channels), residual \(residualChannels)")

            fusion = EpilogueFusion()
            fusion.residual = ResidualInput(base: residualBuffer.pointer, channels: residualChannels)
            fusion.preluSlopes = slopes
            fusion.postAdd = UnsafePointer(postBuffer.pointer)
            result = runConv(height: 1, width: pixels, inputChannels: 12, outputChannels: channels, kernel: 1,
                             stride: 1, padding: .valid, fusion: fusion, seed: 6)
            expected = result.naive.enumerated().map { index, value in
                let sum = withResidual(value, index)
                return (sum < 0 ? sum * slopes[index % channels] : sum) + post[index]
            }
            KernelFixture.assertClose(result.actual, expected, "residual + prelu + add, \(pixels)x\(channels), residual \(residualChannels)")
        }
    }

    func testDepthwiseMatchesDefinition() {
        let cases: [(size: Int, channels: Int, kernel: Int, stride: Int)] = [
            (12, 32, 5, 1), (6, 64, 5, 1), (14, 24, 3, 1), (9, 40, 3, 2), (10, 16, 5, 2), (7, 8, 3, 1), (23, 48, 5, 1),
            // Edge pixels do the last 32 channels or fewer with four accumulators (24, 96 = 64 + 32).
            (8, 96, 3, 1),
            // More weights than L1: processed in groups of 64 channels, the last one partial.
            (7, 136, 5, 1),
            // At most 16 columns wide (width = size + 2): the zero-bordered small-map path, in one
            // octet a row or in two (the second one partial).
            (5, 136, 3, 1), (4, 72, 5, 1), (12, 48, 5, 1), (9, 40, 3, 1),
            // Stride 2 over 24 interior columns: whole octets, 16-channel blocks and an 8-channel rest.
            (38, 24, 3, 2), (34, 48, 5, 2),
        ]
        // RELU6 is applied in registers before each store; with no activation the sums are stored as they are.
        for (test, activation) in cases.flatMap({ test in [FusedActivation.relu6, .none].map { (test, $0) } }) {
            let shape = ImageShape(height: test.size, width: test.size + 2, channels: test.channels)
            let rows = WindowAxis(input: shape.height, filter: test.kernel, stride: test.stride, padding: .same)
            let columns = WindowAxis(input: shape.width, filter: test.kernel, stride: test.stride, padding: .same)
            let outputShape = ImageShape(height: rows.output, width: columns.output, channels: test.channels)
            let input = KernelFixture.values(shape.count, seed: 3)
            let filter = KernelFixture.values(test.kernel * test.kernel * test.channels, seed: 4)
            let bias = KernelFixture.values(test.channels, seed: 5)
            let inputBuffer = KernelFixture.tensor(input)
            var fusion = EpilogueFusion()
            fusion.activation = activation
            let outputs = VectorWidth.available.map { width in
                let outputBuffer = KernelFixture.tensor([Float](repeating: .nan, count: outputShape.count))
                DepthwiseConv2DKernel(
                    input: inputBuffer.pointer, inputShape: shape, output: outputBuffer.pointer, outputShape: outputShape,
                    filter: filter, bias: bias, rows: rows, columns: columns, fusion: fusion, width: width
                ).run()
                return KernelFixture.array(outputBuffer, count: outputShape.count)
            }
            for (width, output) in zip(VectorWidth.available, outputs).dropFirst() {
                let differs = output.indices.filter { output[$0].bitPattern != outputs[0][$0].bitPattern }
                XCTAssert(differs.isEmpty, "depthwise \(test) \(activation) \(width) against avx2: \(differs.count) values differ")
            }
            let naive = KernelFixture.naiveConv(
                input: input, shape: shape, filter: filter, bias: bias, kh: test.kernel, kw: test.kernel,
                outputChannels: test.channels, rows: rows, columns: columns, depthwise: true)
            let expected = activation == .relu6 ? naive.map { min(max($0, 0), 6) } : naive
            KernelFixture.assertClose(outputs[0], expected, "depthwise \(test) \(activation)")
        }
    }

    func testSamePaddingGeometryMatchesTFLite() {
        // TF SAME: out = ceil(in / stride), the odd padding element goes after.
        let even = WindowAxis(input: 96, filter: 5, stride: 2, padding: .same)
        XCTAssertEqual([even.output, even.padBefore], [48, 1])
        let three = WindowAxis(input: 112, filter: 3, stride: 2, padding: .same)
        XCTAssertEqual([three.output, three.padBefore], [56, 0])
        let valid = WindowAxis(input: 112, filter: 2, stride: 2, padding: .valid)
        XCTAssertEqual([valid.output, valid.padBefore], [56, 0])
    }
}
