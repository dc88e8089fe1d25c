/// RESIZE_BILINEAR, NHWC float32, with tflite's coordinate conventions: `alignCorners` maps the
/// corner pixels onto each other; `halfPixelCenters` samples at pixel centres ((x + 0.5) * scale
/// - 0.5). Source indices and weights are computed once at load.
final class ResizeBilinearKernel: Kernel {
    struct Sample: Equatable {
        var lower: Int
        var upper: Int
        var weight: Float
    }

    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let inputShape: ImageShape
    private let outputShape: ImageShape
    private let rowSamples: [Sample]
    private let columnSamples: [Sample]

    init(input: UnsafePointer<Float>, inputShape: ImageShape, output: UnsafeMutablePointer<Float>,
         outputShape: ImageShape, alignCorners: Bool, halfPixelCenters: Bool) {
        self.input = input
        self.output = output
        self.inputShape = inputShape
        self.outputShape = outputShape
        rowSamples = Self.samples(input: inputShape.height, output: outputShape.height,
                                  alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
        columnSamples = Self.samples(input: inputShape.width, output: outputShape.width,
                                     alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
    }

    static func samples(input: Int, output: Int, alignCorners: Bool, halfPixelCenters: Bool) -> [Sample] {
        let scale = alignCorners && output > 1
            ? Float(input - 1) / Float(output - 1)
            : Float(input) / Float(output)
        return (0..<output).map { position in
            let source = halfPixelCenters ? (Float(position) + 0.5) * scale - 0.5 : Float(position) * scale
            let floor = source.rounded(.down)
            return Sample(
                lower: max(Int(floor), 0),
                upper: min(Int(source.rounded(.up)), input - 1),
                weight: source - floor)
        }
    }

    func run() {
        let channels = inputShape.channels
        let width = inputShape.width
        for (y, row) in rowSamples.enumerated() {
            let top = input + row.lower * width * channels
            let bottom = input + row.upper * width * channels
            for (x, column) in columnSamples.enumerated() {
                let target = output + (y * outputShape.width + x) * channels
                let left = column.lower * channels, right = column.upper * channels
                let wy = row.weight, wx = column.weight
                for channel in 0..<channels {
                    let upper = top[left + channel] + (top[right + channel] - top[left + channel]) * wx
                    let lower = bottom[left + channel] + (bottom[right + channel] - bottom[left + channel]) * wx
                    target[channel] = upper + (lower - upper) * wy
                }
            }
        }
    }
}
