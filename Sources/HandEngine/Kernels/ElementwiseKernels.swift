import Foundation

/// ADD of two same-shape tensors, with tflite's fused clamp activation.
final class AddKernel: Kernel {
    private let lhs: UnsafePointer<Float>
    private let rhs: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let count: Int
    private let lower: Float
    private let upper: Float

    init(lhs: UnsafePointer<Float>, rhs: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
         count: Int, activation: FusedActivation) {
        self.lhs = lhs
        self.rhs = rhs
        self.output = output
        self.count = count
        // Only clamp activations are accepted at load; `.none` clamps to the whole float range.
        if case let .clamp(lower, upper) = Activation.fused(activation) {
            (self.lower, self.upper) = (lower, upper)
        } else {
            (lower, upper) = (-.infinity, .infinity)
        }
    }

    func run() {
        for index in 0..<count {
            output[index] = min(max(lhs[index] + rhs[index], lower), upper)
        }
    }
}

/// PRELU with one slope per channel (alpha of shape [1, 1, C] broadcast over pixels).
final class PReluKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let slopes: [Float]
    private let pixels: Int

    init(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, slopes: [Float], pixels: Int) {
        self.input = input
        self.output = output
        self.slopes = slopes
        self.pixels = pixels
    }

    func run() {
        let channels = slopes.count
        slopes.withUnsafeBufferPointer { alpha in
            for pixel in 0..<pixels {
                let base = pixel * channels
                for channel in 0..<channels {
                    let value = input[base + channel]
                    output[base + channel] = max(value, 0) + alpha[channel] * min(value, 0)
                }
            }
        }
    }
}

/// LOGISTIC: 1 / (1 + e^-x).
final class LogisticKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let count: Int

    init(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int) {
        self.input = input
        self.output = output
        self.count = count
    }

    func run() {
        for index in 0..<count {
            output[index] = 1 / (1 + Foundation.exp(-input[index]))
        }
    }
}

/// RESHAPE: the arena gives the output its own storage, so this is a copy of the same floats.
final class CopyKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let count: Int

    init(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int) {
        self.input = input
        self.output = output
        self.count = count
    }

    func run() {
        if UnsafePointer(output) != input { output.update(from: input, count: count) }
    }
}
