import Foundation
import XCTest
@testable import HandEngine

/// Helpers for the kernel tests: deterministic data, tensors with stable storage, naive reference
/// implementations written straight from the op definitions, and a closeness check.
enum KernelFixture {
    /// Deterministic values in [-1, 1) from a small linear congruential generator.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
    }

    /// Stable storage for a tensor (with the slack the kernels may read past its end).
    static func tensor(_ values: [Float]) -> AlignedBuffer {
        let buffer = AlignedBuffer(count: values.count + ArenaPlan.slack)
        for (index, value) in values.enumerated() { buffer.pointer[index] = value }
        return buffer
    }

    static func array(_ buffer: AlignedBuffer, count: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: buffer.pointer, count: count))
    }

    /// `Conv2DKernel` run once on `input` (square `kernel`), its output as an array.
    static func conv(
        _ input: AlignedBuffer, shape: ImageShape, outputShape: ImageShape, filter: [Float], kernel: Int, bias: [Float],
        rows: WindowAxis, columns: WindowAxis, fusion: EpilogueFusion, width: VectorWidth, arithmetic: MatrixArithmetic
    ) -> [Float] {
        let output = tensor([Float](repeating: .nan, count: outputShape.count))
        Conv2DKernel(
            input: input.pointer, inputShape: shape, output: output.pointer, outputShape: outputShape, filter: filter,
            filterHeight: kernel, filterWidth: kernel, bias: bias, rows: rows, columns: columns, fusion: fusion,
            width: width, arithmetic: arithmetic
        ).run()
        return array(output, count: outputShape.count)
    }

    /// Direct CONV_2D / DEPTHWISE_CONV_2D from the definition: out[y][x][o] = bias[o] +
    /// sum over taps inside the input of in[y*s - pad + ky*d][x*s - pad + kx*d][i] * w.
    static func naiveConv(
        input: [Float], shape: ImageShape, filter: [Float], bias: [Float], kh: Int, kw: Int,
        outputChannels: Int, rows: WindowAxis, columns: WindowAxis, depthwise: Bool
    ) -> [Float] {
        var out = [Float](repeating: 0, count: rows.output * columns.output * outputChannels)
        for y in 0..<rows.output {
            for x in 0..<columns.output {
                for o in 0..<outputChannels {
                    var sum = Double(bias[o])
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let iy = y * rows.stride - rows.padBefore + ky * rows.dilation
                            let ix = x * columns.stride - columns.padBefore + kx * columns.dilation
                            guard iy >= 0, iy < shape.height, ix >= 0, ix < shape.width else { continue }
                            if depthwise {
                                sum += Double(input[(iy * shape.width + ix) * shape.channels + o])
                                    * Double(filter[(ky * kw + kx) * outputChannels + o])
                            } else {
                                for i in 0..<shape.channels {
                                    sum += Double(input[(iy * shape.width + ix) * shape.channels + i])
                                        * Double(filter[((o * kh + ky) * kw + kx) * shape.channels + i])
                                }
                            }
                        }
                    }
                    out[(y * columns.output + x) * outputChannels + o] = Float(sum)
                }
            }
        }
        return out
    }

    static func assertClose(
        _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5, _ label: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance * max(1, abs(e))) {
            XCTFail("\(label) element \(index): \(a) vs \(e)", file: file, line: line)
            return
        }
    }
}
