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
        for y in 0..<outputShape.height {
            let (ky0, ky1, originY) = rows.validTaps(at: y)
            for x in 0..<outputShape.width {
                let (kx0, kx1, originX) = columns.validTaps(at: x)
                let target = output + (y * outputShape.width + x) * channels
                target.update(repeating: -.infinity, count: channels)
                for ky in ky0..<ky1 {
                    for kx in kx0..<kx1 {
                        let source = input + ((originY + ky) * inputShape.width + originX + kx) * channels
                        for channel in 0..<channels { target[channel] = max(target[channel], source[channel]) }
                    }
                }
                for channel in 0..<channels { target[channel] = min(max(target[channel], lower), upper) }
            }
        }
    }
}
