/// PAD with zeros on a 4-D NHWC tensor (batch padding must be zero).
final class PadKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let inputShape: ImageShape
    private let outputShape: ImageShape
    /// Leading padding per axis (height, width, channels).
    private let before: (Int, Int, Int)

    init(input: UnsafePointer<Float>, inputShape: ImageShape, output: UnsafeMutablePointer<Float>,
         outputShape: ImageShape, before: (Int, Int, Int)) {
        self.input = input
        self.output = output
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.before = before
    }

    func run() {
        output.update(repeating: 0, count: outputShape.count)
        let channels = inputShape.channels
        for y in 0..<inputShape.height {
            for x in 0..<inputShape.width {
                let target = ((y + before.0) * outputShape.width + x + before.1) * outputShape.channels + before.2
                output.advanced(by: target).update(from: input + (y * inputShape.width + x) * channels, count: channels)
            }
        }
    }
}
