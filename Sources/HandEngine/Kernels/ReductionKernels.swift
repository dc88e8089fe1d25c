/// MEAN over the height and width of an NHWC tensor (axes [1, 2]): global average pooling.
final class SpatialMeanKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let shape: ImageShape

    init(input: UnsafePointer<Float>, shape: ImageShape, output: UnsafeMutablePointer<Float>) {
        self.input = input
        self.output = output
        self.shape = shape
    }

    func run() {
        let channels = shape.channels
        output.update(repeating: 0, count: channels)
        for pixel in 0..<shape.pixels {
            let source = input + pixel * channels
            for channel in 0..<channels { output[channel] += source[channel] }
        }
        let scale = 1 / Float(shape.pixels)
        for channel in 0..<channels { output[channel] *= scale }
    }
}

/// FULLY_CONNECTED for a batch of input rows: out[r][o] = dot(in[r], weights[o]) + bias[o].
final class FullyConnectedKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let weights: [Float]
    private let bias: [Float]
    private let batch: Int
    private let inputSize: Int
    private let outputSize: Int
    private let lower: Float
    private let upper: Float

    init(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, weights: [Float], bias: [Float],
         batch: Int, inputSize: Int, outputSize: Int, activation: FusedActivation) {
        self.input = input
        self.output = output
        self.weights = weights
        self.bias = bias.isEmpty ? [Float](repeating: 0, count: outputSize) : bias
        self.batch = batch
        self.inputSize = inputSize
        self.outputSize = outputSize
        if case let .clamp(lower, upper) = Activation.fused(activation) {
            (self.lower, self.upper) = (lower, upper)
        } else {
            (lower, upper) = (-.infinity, .infinity)
        }
    }

    func run() {
        weights.withUnsafeBufferPointer { w in
            for row in 0..<batch {
                let x = input + row * inputSize
                for unit in 0..<outputSize {
                    let weightRow = w.baseAddress! + unit * inputSize
                    // Eight partial sums: vectorises, and breaks the add dependency chain.
                    var partial = SIMD8<Float>(repeating: 0)
                    var index = 0
                    while index + 8 <= inputSize {
                        partial = partial.addingProduct(x.load8(index), weightRow.load8(index))
                        index += 8
                    }
                    var sum = partial.sum()
                    while index < inputSize {
                        sum += x[index] * weightRow[index]
                        index += 1
                    }
                    output[row * outputSize + unit] = min(max(sum + bias[unit], lower), upper)
                }
            }
        }
    }
}

/// CONCATENATION along one axis: the tensors are `outer` blocks of `inner * size(axis)` floats.
final class ConcatenationKernel: Kernel {
    private let inputs: [(pointer: UnsafePointer<Float>, blockSize: Int)]
    private let output: UnsafeMutablePointer<Float>
    private let outer: Int

    init(inputs: [(pointer: UnsafePointer<Float>, blockSize: Int)], output: UnsafeMutablePointer<Float>, outer: Int) {
        self.inputs = inputs
        self.output = output
        self.outer = outer
    }

    func run() {
        var target = output
        for block in 0..<outer {
            for input in inputs {
                target.update(from: input.pointer + block * input.blockSize, count: input.blockSize)
                target += input.blockSize
            }
        }
    }
}
