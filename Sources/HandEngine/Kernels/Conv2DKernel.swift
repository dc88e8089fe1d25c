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
    /// Output columns whose window lies entirely inside the input row.
    private let interiorColumns: Range<Int>
    /// Keeps the PRELU slopes that `epilogue` points to alive.
    private let fusion: EpilogueFusion
    private let vectorWidth: VectorWidth
    /// Where the GEMM packs its operand for the AVX-512 BF16 tiles; nil runs it in float32.
    private let bfloat16: BFloat16Tiles?

    /// `filter` is tflite's [OC][KH][KW][IC] layout; `bias` has OC entries.
    convenience init(
        input: UnsafePointer<Float>, inputShape: ImageShape,
        output: UnsafeMutablePointer<Float>, outputShape: ImageShape,
        filter: [Float], filterHeight: Int, filterWidth: Int, bias: [Float],
        rows: WindowAxis, columns: WindowAxis, fusion: EpilogueFusion, width: VectorWidth = .detected,
        arithmetic: MatrixArithmetic = .detected
    ) {
        let reduction = filterHeight * filterWidth * inputShape.channels
        self.init(input: input, inputShape: inputShape, output: output, outputShape: outputShape,
                  weights: PackedWeights(rows: filter, outputChannels: outputShape.channels, reduction: reduction,
                                         arithmetic: arithmetic),
                  filterHeight: filterHeight, filterWidth: filterWidth, bias: bias, rows: rows, columns: columns, fusion: fusion,
                  width: width)
    }

    /// `weights` packed from the filter (possibly shared with other interpreters, `SharedWeights`);
    /// the GEMM runs in bfloat16 on 512-bit vectors when they have their bfloat16 pairs.
    init(
        input: UnsafePointer<Float>, inputShape: ImageShape,
        output: UnsafeMutablePointer<Float>, outputShape: ImageShape,
        weights: PackedWeights, filterHeight: Int, filterWidth: Int, bias: [Float],
        rows: WindowAxis, columns: WindowAxis, fusion: EpilogueFusion, width: VectorWidth = .detected
    ) {
        vectorWidth = width
        bfloat16 = width == .avx512 && weights.pairs != nil && weights.outputChannels >= PackedWeights.block
            && filterWidth * inputShape.channels >= BFloat16Tiles.shortestRun
            ? BFloat16Tiles(reduction: weights.reduction) : nil
        self.input = input
        self.output = output
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.rows = rows
        self.columns = columns
        let reduction = weights.reduction
        precondition(reduction == filterHeight * filterWidth * inputShape.channels)
        self.weights = weights
        biasStorage = AlignedBuffer(copying: bias, paddedTo: weights.paddedChannels)
        var fusion = fusion
        epilogue = fusion.epilogue(channels: outputShape.channels)
        self.fusion = fusion
        let direct = filterHeight == 1 && filterWidth == 1 && rows.stride == 1 && columns.stride == 1
            && rows.padBefore == 0 && columns.padBefore == 0
        scratch = direct ? nil : AlignedBuffer(count: outputShape.width * reduction + 8)
        let span = (columns.filter - 1) * columns.dilation + 1
        let inside = (0..<outputShape.width).filter {
            $0 * columns.stride - columns.padBefore >= 0 && $0 * columns.stride - columns.padBefore + span <= inputShape.width
        }
        interiorColumns = inside.isEmpty ? 0..<0 : inside.first!..<(inside.last! + 1)
    }

    func run() {
        guard let scratch else {
            let operands = GemmOperands(
                a: input, aStride: inputShape.channels, rows: outputShape.pixels, firstPixel: 0, output: output)
            Gemm.run(operands, weights: weights, bias: biasStorage.pointer, epilogue: epilogue, width: vectorWidth,
                     bfloat16: bfloat16)
            return
        }
        let width = outputShape.width
        for y in 0..<outputShape.height {
            let (ky0, ky1, originY) = rows.validTaps(at: y)
            guard rows.dilation == 1, columns.dilation == 1, ky0 == 0, ky1 == rows.filter, !interiorColumns.isEmpty else {
                gemmGathered(y: y, columns: 0..<width, scratch: scratch.pointer)
                continue
            }
            // Interior pixels read their windows in place: one run of KW*IC floats per filter
            // row, the next filter row one input row further.
            gemmGathered(y: y, columns: 0..<interiorColumns.lowerBound, scratch: scratch.pointer)
            let rowStride = inputShape.width * inputShape.channels
            let first = interiorColumns.lowerBound
            var operands = GemmOperands(
                a: input + originY * rowStride + (first * columns.stride - columns.padBefore) * inputShape.channels,
                aStride: columns.stride * inputShape.channels, rows: interiorColumns.count,
                firstPixel: y * width + first, output: output)
            operands.segments = rows.filter
            operands.segmentStride = rowStride
            Gemm.run(operands, weights: weights, bias: biasStorage.pointer, epilogue: epilogue, width: vectorWidth,
                     bfloat16: bfloat16)
            gemmGathered(y: y, columns: interiorColumns.upperBound..<width, scratch: scratch.pointer)
        }
    }

    /// Output pixels `columns` of row `y` through an im2col copy (windows clipped by padding).
    private func gemmGathered(y: Int, columns range: Range<Int>, scratch: UnsafeMutablePointer<Float>) {
        guard !range.isEmpty else { return }
        gatherRow(y, columns: range, into: scratch)
        let operands = GemmOperands(
            a: scratch, aStride: weights.reduction, rows: range.count,
            firstPixel: y * outputShape.width + range.lowerBound, output: output)
        Gemm.run(operands, weights: weights, bias: biasStorage.pointer, epilogue: epilogue, width: vectorWidth,
                 bfloat16: bfloat16)
    }

    /// im2col for output row `y`: per output pixel, the KH*KW*IC window values in filter order.
    /// With dilation 1 the taps of one filter row are adjacent input pixels, so each filter row
    /// is one contiguous run (zeros where the window leaves the input).
    private func gatherRow(_ y: Int, columns range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        let channels = inputShape.channels
        let reduction = weights.reduction
        let kh = rows.filter, kw = columns.filter
        let originY = y * rows.stride - rows.padBefore
        let fullWindow = (columns.filter - 1) * columns.dilation + 1
        for x in range {
            let left = x * columns.stride - columns.padBefore
            // Most pixels see their whole window: skip the clipping arithmetic for them.
            let (kx0, kx1, originX) = left >= 0 && left + fullWindow <= inputShape.width
                ? (0, kw, left) : columns.validTaps(at: x)
            var target = destination + (x - range.lowerBound) * reduction
            for ky in 0..<kh {
                let iy = originY + ky * rows.dilation
                guard iy >= 0 && iy < inputShape.height && kx0 < kx1 else {
                    target.update(repeating: 0, count: kw * channels)
                    target += kw * channels
                    continue
                }
                if columns.dilation == 1 && kx0 == 0 && kx1 == kw {
                    let source = input + (iy * inputShape.width + originX) * channels
                    var index = 0
                    while index < kw * channels {
                        target.store8(source.load8(index), index)
                        index += 8
                    }
                } else if columns.dilation == 1 {
                    Self.fill(target, count: kx0 * channels)
                    let run = (kx1 - kx0) * channels
                    let source = input + (iy * inputShape.width + originX + kx0) * channels
                    let start = target + kx0 * channels
                    // Eight floats at a time; the last vector may spill up to 7 floats past the
                    // run, into the next run (written right after) or the scratch's slack.
                    var index = 0
                    while index < run {
                        start.store8(source.load8(index), index)
                        index += 8
                    }
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
