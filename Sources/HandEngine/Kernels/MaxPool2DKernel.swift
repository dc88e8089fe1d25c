/// MAX_POOL_2D, NHWC float32; padded positions never win (they are skipped, as in tflite).
final class MaxPool2DKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let inputShape: ImageShape
    private let outputShape: ImageShape
    private let rows: WindowAxis
    private let columns: WindowAxis
    private let lower: Float
    private let upper: Float

    init(input: UnsafePointer<Float>, inputShape: ImageShape, output: UnsafeMutablePointer<Float>,
         outputShape: ImageShape, rows: WindowAxis, columns: WindowAxis, activation: FusedActivation) {
        self.input = input
        self.output = output
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.rows = rows
        self.columns = columns
        if case let .clamp(lower, upper) = Activation.fused(activation) {
            (self.lower, self.upper) = (lower, upper)
        } else {
            (lower, upper) = (-.infinity, .infinity)
        }
    }

    func run() {
        let channels = inputShape.channels
        let vectorEnd = channels / 8 * 8
        let low = SIMD8<Float>(repeating: lower), high = SIMD8<Float>(repeating: upper)
        for y in 0..<outputShape.height {
            let (ky0, ky1, originY) = rows.validTaps(at: y)
            for x in 0..<outputShape.width {
                let (kx0, kx1, originX) = columns.validTaps(at: x)
                let target = output + (y * outputShape.width + x) * channels
                let first = input + ((originY + ky0) * inputShape.width + originX + kx0) * channels
                // Eight channels at a time; `replacing(where:)` against a vector is vmaxps.
                var channel = 0
                while channel < vectorEnd {
                    var best = first.load8(channel)
                    for ky in ky0..<ky1 {
                        for kx in kx0..<kx1 {
                            let value = input.load8(((originY + ky) * inputShape.width + originX + kx) * channels + channel)
                            best = best.replacing(with: value, where: value .> best)
                        }
                    }
                    target.store8(best.clamped(low, high), channel)
                    channel += 8
                }
                while channel < channels {
                    var best = first[channel]
                    for ky in ky0..<ky1 {
                        for kx in kx0..<kx1 {
                            best = max(best, input[((originY + ky) * inputShape.width + originX + kx) * channels + channel])
                        }
                    }
                    target[channel] = min(max(best, lower), upper)
                    channel += 1
                }
            }
        }
    }
}
