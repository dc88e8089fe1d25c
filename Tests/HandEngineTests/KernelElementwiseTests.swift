import XCTest
@testable import HandEngine

/// The small ops, each on cases computed by hand.
final class KernelElementwiseTests: XCTestCase {
    private func run(_ make: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Kernel,
                     input: [Float], outputCount: Int) -> [Float] {
        let inputBuffer = KernelFixture.tensor(input)
        let outputBuffer = KernelFixture.tensor([Float](repeating: .nan, count: outputCount))
        make(inputBuffer.pointer, outputBuffer.pointer).run()
        return KernelFixture.array(outputBuffer, count: outputCount)
    }

    func testAddWithRelu6() {
        let lhs = KernelFixture.tensor([1, -2, 3, 4, 5, -6, 7, 8, 9])
        let rhs = KernelFixture.tensor([1, 1, 1, 1, 1, 1, 1, 1, 1])
        let out = KernelFixture.tensor([Float](repeating: 0, count: 9))
        AddKernel(lhs: lhs.pointer, rhs: rhs.pointer, output: out.pointer, count: 9, activation: .relu6).run()
        XCTAssertEqual(KernelFixture.array(out, count: 9), [2, 0, 4, 5, 6, 0, 6, 6, 6])
    }

    func testPReluUsesOneSlopePerChannel() {
        let out = run({ PReluKernel(input: $0, output: $1, slopes: [0.5, 2], pixels: 2) },
                      input: [-2, -2, 3, -1], outputCount: 4)
        XCTAssertEqual(out, [-1, -4, 3, -2])
    }

    func testLogistic() {
        let out = run({ LogisticKernel(input: $0, output: $1, count: 3) }, input: [0, 2, -2], outputCount: 3)
        KernelFixture.assertClose(out, [0.5, 0.880797, 0.119203])
    }

    func testMaxPoolSameAndValid() {
        // 3x3 single channel, 2x2 stride 2. SAME: 2x2 output, the edge windows are clipped.
        let input: [Float] = [1, 5, 2, 7, 3, 4, -1, 9, -8]
        let shape = ImageShape(height: 3, width: 3, channels: 1)
        let same = WindowAxis(input: 3, filter: 2, stride: 2, padding: .same)
        let out = run({ MaxPool2DKernel(input: $0, inputShape: shape, output: $1,
                                        outputShape: ImageShape(height: 2, width: 2, channels: 1),
                                        rows: same, columns: same, activation: .none) }, input: input, outputCount: 4)
        XCTAssertEqual(out, [7, 4, 9, -8])
        let valid = WindowAxis(input: 3, filter: 2, stride: 2, padding: .valid)
        let outValid = run({ MaxPool2DKernel(input: $0, inputShape: shape, output: $1,
                                             outputShape: ImageShape(height: 1, width: 1, channels: 1),
                                             rows: valid, columns: valid, activation: .none) }, input: input, outputCount: 1)
        XCTAssertEqual(outValid, [7])
    }

    func testMaxPoolVectorPathMatchesDefinition() {
        // 9 channels: one 8-wide vector plus a scalar tail; 5x5 SAME so edge windows clip.
        let shape = ImageShape(height: 5, width: 5, channels: 9)
        let input = KernelFixture.values(shape.count, seed: 21)
        let axis = WindowAxis(input: 5, filter: 2, stride: 2, padding: .same)
        let out = run({ MaxPool2DKernel(input: $0, inputShape: shape, output: $1,
                                        outputShape: ImageShape(height: 3, width: 3, channels: 9),
                                        rows: axis, columns: axis, activation: .relu6) }, input: input, outputCount: 81)
        var expected: [Float] = []
        for y in 0..<3 {
            for x in 0..<3 {
                for c in 0..<9 {
                    var best = -Float.infinity
                    for iy in (2 * y)..<min(2 * y + 2, 5) {
                        for ix in (2 * x)..<min(2 * x + 2, 5) { best = max(best, input[(iy * 5 + ix) * 9 + c]) }
                    }
                    expected.append(min(max(best, 0), 6))
                }
            }
        }
        XCTAssertEqual(out, expected)
    }

    func testPadAppendsZeroChannels() {
        let out = run({ PadKernel(input: $0, inputShape: ImageShape(height: 1, width: 2, channels: 2), output: $1,
                                  outputShape: ImageShape(height: 1, width: 2, channels: 4), before: (0, 0, 0)) },
                      input: [1, 2, 3, 4], outputCount: 8)
        XCTAssertEqual(out, [1, 2, 0, 0, 3, 4, 0, 0])
        let spatial = run({ PadKernel(input: $0, inputShape: ImageShape(height: 1, width: 1, channels: 1), output: $1,
                                      outputShape: ImageShape(height: 2, width: 3, channels: 1), before: (1, 1, 0)) },
                          input: [5], outputCount: 6)
        XCTAssertEqual(spatial, [0, 0, 0, 0, 5, 0])
    }

    func testResizeBilinearHalfPixelCenters() {
        // 1x2 -> 1x4 with half-pixel centres: sources at -0.25, 0.25, 0.75, 1.25, clamped at the
        // edges, so [a, 0.75a + 0.25b, 0.25a + 0.75b, b].
        let out = run({ ResizeBilinearKernel(input: $0, inputShape: ImageShape(height: 1, width: 2, channels: 1), output: $1,
                                             outputShape: ImageShape(height: 1, width: 4, channels: 1),
                                             alignCorners: false, halfPixelCenters: true) },
                      input: [0, 4], outputCount: 4)
        XCTAssertEqual(out, [0, 1, 3, 4])
    }

    func testResizeBilinearAlignCornersAndLegacy() {
        // align_corners: 2 -> 3 maps onto 0, 0.5, 1.
        let aligned = run({ ResizeBilinearKernel(input: $0, inputShape: ImageShape(height: 1, width: 2, channels: 1), output: $1,
                                                 outputShape: ImageShape(height: 1, width: 3, channels: 1),
                                                 alignCorners: true, halfPixelCenters: false) },
                          input: [0, 4], outputCount: 3)
        XCTAssertEqual(aligned, [0, 2, 4])
        // Neither: source = x * in / out = 0, 0.5, 1, 1.5 (clamped).
        let legacy = run({ ResizeBilinearKernel(input: $0, inputShape: ImageShape(height: 1, width: 2, channels: 1), output: $1,
                                                outputShape: ImageShape(height: 1, width: 4, channels: 1),
                                                alignCorners: false, halfPixelCenters: false) },
                         input: [0, 4], outputCount: 4)
        XCTAssertEqual(legacy, [0, 2, 4, 4])
        // Two channels and two rows, upsampled 2x: channels stay independent.
        let grid = run({ ResizeBilinearKernel(input: $0, inputShape: ImageShape(height: 2, width: 1, channels: 2), output: $1,
                                              outputShape: ImageShape(height: 4, width: 1, channels: 2),
                                              alignCorners: false, halfPixelCenters: true) },
                       input: [0, 10, 4, 50], outputCount: 8)
        XCTAssertEqual(grid, [0, 10, 1, 20, 3, 40, 4, 50])
    }

    func testConcatenationAlongMiddleAxis() {
        // [1, 2, 2] ++ [1, 1, 2] along axis 1 -> [1, 3, 2].
        let a = KernelFixture.tensor([1, 2, 3, 4]), b = KernelFixture.tensor([5, 6])
        let out = KernelFixture.tensor([Float](repeating: 0, count: 6))
        ConcatenationKernel(inputs: [(UnsafePointer(a.pointer), 4), (UnsafePointer(b.pointer), 2)],
                            output: out.pointer, outer: 1).run()
        XCTAssertEqual(KernelFixture.array(out, count: 6), [1, 2, 3, 4, 5, 6])
    }

    func testSpatialMean() {
        let out = run({ SpatialMeanKernel(input: $0, shape: ImageShape(height: 2, width: 1, channels: 2), output: $1) },
                      input: [1, 10, 3, 30], outputCount: 2)
        XCTAssertEqual(out, [2, 20])
    }

    func testFullyConnected() {
        // Two units over 9 inputs (exercises the 8-wide body and the scalar tail).
        let input = (1...9).map(Float.init)
        let weights = [Float](repeating: 1, count: 9) + (0..<9).map { $0 % 2 == 0 ? 1 : -1 }
        let out = run({ FullyConnectedKernel(input: $0, output: $1, weights: weights, bias: [0.5, -1], batch: 1,
                                             inputSize: 9, outputSize: 2, activation: .none) },
                      input: input, outputCount: 2)
        XCTAssertEqual(out, [45.5, 4])
    }

    func testHalfPrecisionConversion() {
        let cases: [(UInt16, Float)] = [
            (0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125), (0x7BFF, 65504), (0x0001, 5.9604645e-8),
            (0x0000, 0), (0x8000, -0), (0x7C00, .infinity), (0x03FF, 6.097555e-5),
        ]
        for (bits, value) in cases {
            XCTAssertEqual(ConstantTensors.float(fromHalf: bits), value, "0x\(String(bits, radix: 16))")
        }
        XCTAssertTrue(ConstantTensors.float(fromHalf: 0x7E00).isNaN)
    }

    func testArenaPlanNeverOverlapsLiveTensors() {
        let requests = (0..<40).map { index in
            ArenaPlan.Request(tensor: index, size: 1 + (index * 37) % 500, firstUse: index / 2, lastUse: index / 2 + index % 5)
        }
        let plan = ArenaPlan(requests)
        for a in requests {
            for b in requests where a.tensor < b.tensor && a.firstUse <= b.lastUse && b.firstUse <= a.lastUse {
                let startA = plan.offsets[a.tensor]!, startB = plan.offsets[b.tensor]!
                XCTAssertTrue(startA + a.size <= startB || startB + b.size <= startA, "\(a.tensor) overlaps \(b.tensor)")
            }
            XCTAssertEqual(plan.offsets[a.tensor]! % ArenaPlan.granularity, 0)
            XCTAssertLessThanOrEqual(plan.offsets[a.tensor]! + a.size + ArenaPlan.slack, plan.size)
        }
    }
}
