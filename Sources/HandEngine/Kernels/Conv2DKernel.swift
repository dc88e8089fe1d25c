/// CONV_2D, NHWC float32. A 1x1 stride-1 convolution is one GEMM over all pixels; any other
/// filter gathers each output row's receptive fields (im2col, zeros for padding) into scratch
/// and runs the same GEMM on it.
final class Conv2DKernel: Kernel {
    private let input: UnsafePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let inputShape: ImageShape
    private let outputShape: ImageShape
    private let rows: WindowAxis
    private let columns: WindowAxis
    private let weights: PackedWeights
    private let biasStorage: AlignedBuffer
    private let epilogue: Epilogue
    private let scratch: AlignedBuffer?
    /// Keeps the PRELU slopes that `epilogue` points to alive.
    private let fusion: EpilogueFusion

    /// `filter` is tflite's [OC][KH][KW][IC] layout; `bias` has OC entries.
    init(
        input: UnsafePointer<Float>, inputShape: ImageShape,
        output: UnsafeMutablePointer<Float>, outputShape: ImageShape,
        filter: [Float], filterHeight: Int, filterWidth: Int, bias: [Float],
        rows: WindowAxis, columns: WindowAxis, fusion: EpilogueFusion
    ) {
        self.input = input
        self.output = output
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.rows = rows
        self.columns = columns
        let reduction = filterHeight * filterWidth * inputShape.channels
        weights = PackedWeights(rows: filter, outputChannels: outputShape.channels, reduction: reduction)
        biasStorage = AlignedBuffer(copying: bias, paddedTo: weights.paddedChannels)
        var fusion = fusion
        epilogue = fusion.epilogue(channels: outputShape.channels)
        self.fusion = fusion
        let direct = filterHeight == 1 && filterWidth == 1 && rows.stride == 1 && columns.stride == 1
            && rows.padBefore == 0 && columns.padBefore == 0
        scratch = direct ? nil : AlignedBuffer(count: outputShape.width * reduction)
    }

    func run() {
        guard let scratch else {
            let operands = GemmOperands(
                a: input, aStride: inputShape.channels, rows: outputShape.pixels, firstPixel: 0, output: output)
            Gemm.run(operands, weights: weights, bias: biasStorage.pointer, epilogue: epilogue)
            return
        }
        for y in 0..<outputShape.height {
            gatherRow(y, into: scratch.pointer)
            let operands = GemmOperands(
                a: scratch.pointer, aStride: weights.reduction, rows: outputShape.width,
                firstPixel: y * outputShape.width, output: output)
            Gemm.run(operands, weights: weights, bias: biasStorage.pointer, epilogue: epilogue)
        }
    }

    /// im2col for output row `y`: per output pixel, the KH*KW*IC window values in filter order.
    /// With dilation 1 the taps of one filter row are adjacent input pixels, so each filter row
    /// is one contiguous run (zeros where the window leaves the input).
    private func gatherRow(_ y: Int, into destination: UnsafeMutablePointer<Float>) {
        let channels = inputShape.channels
        let reduction = weights.reduction
        let kh = rows.filter, kw = columns.filter
        let originY = y * rows.stride - rows.padBefore
        for x in 0..<outputShape.width {
            let (kx0, kx1, originX) = columns.validTaps(at: x)
            var target = destination + x * reduction
            for ky in 0..<kh {
                let iy = originY + ky * rows.dilation
                guard iy >= 0 && iy < inputShape.height && kx0 < kx1 else {
                    target.update(repeating: 0, count: kw * channels)
                    target += kw * channels
                    continue
                }
                if columns.dilation == 1 {
                    Self.fill(target, count: kx0 * channels)
                    let run = (kx1 - kx0) * channels
                    let source = input + (iy * inputShape.width + originX + kx0) * channels
                    let start = target + kx0 * channels
                    for index in 0..<run { start[index] = source[index] }
                    Self.fill(start + run, count: (kw - kx1) * channels)
                } else {
                    for kx in 0..<kw {
                        let ix = originX + kx * columns.dilation
                        if kx >= kx0 && kx < kx1 {
                            target.advanced(by: kx * channels).update(from: input + (iy * inputShape.width + ix) * channels, count: channels)
                        } else {
                            target.advanced(by: kx * channels).update(repeating: 0, count: channels)
                        }
                    }
                }
                target += kw * channels
            }
        }
    }

    @inline(__always)
    private static func fill(_ target: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { target[index] = 0 }
    }
}
