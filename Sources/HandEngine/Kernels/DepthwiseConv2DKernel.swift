import HandKernels512

/// DEPTHWISE_CONV_2D with depth multiplier 1, NHWC float32, vectorised over channels (8 per
/// ymm register). Per output row: interior pixels (whole window inside the input row) go eight
/// at a time through the register-blocked stride-1 paths (+Stride1) or four at a time through
/// the general one (+Quad); pixels whose window is clipped by the padding take the per-pixel
/// path (+Edge). Maps at most 16 wide are copied into a zero-bordered scratch first (+SmallMap).
/// A fused RELU or RELU6, the depthwise layers' only epilogue in the hand models, is applied in
/// registers before each store; anything else runs per output row afterwards.
/// On 512-bit vectors (`VectorWidth.avx512`) the interior's whole 16-channel blocks go eight
/// pixels at a time through `WideDepthwise`, at stride 1 and 2; every path adds a pixel's terms
/// in the same order, so the widths agree to the bit.
final class DepthwiseConv2DKernel: Kernel {
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let inputShape: ImageShape
    let outputShape: ImageShape
    let rows: WindowAxis
    let columns: WindowAxis
    /// [KH][KW][paddedChannels], zero-padded channels.
    let weights: AlignedBuffer
    let paddedChannels: Int
    let biasStorage: AlignedBuffer
    let epilogue: Epilogue
    /// Set when the epilogue is a clamp alone: every path applies it before storing, and no
    /// second pass over the row is needed (a sixth of a 3x3 layer's time when it was a pass).
    let registerClamp: (lower: Float, upper: Float)?
    private let fusion: EpilogueFusion
    /// Output columns whose window is entirely inside the input.
    private let interior: Range<Int>
    /// Filter width when the stride-1 register-blocked path applies (3 or 5), else nil.
    let octetWidth: Int?
    /// Whether the interior runs eight pixels x 16 channels at a time on 512-bit vectors
    /// (`WideDepthwise`: 3- and 5-wide filters, stride 1 or 2).
    let wideOctets: Bool
    private let channelGroups: [Range<Int>]
    /// Set for maps at most 16 pixels wide (14x14 down to 6x6), where edge pixels are a large share.
    private let smallMap: SmallMapPlan?

    /// `filter` is tflite's [1][KH][KW][C] layout. Channel tails read up to 63 floats past a
    /// pixel, so the arena must have that much slack after every tensor's end.
    init(
        input: UnsafePointer<Float>, inputShape: ImageShape,
        output: UnsafeMutablePointer<Float>, outputShape: ImageShape,
        filter: [Float], bias: [Float], rows: WindowAxis, columns: WindowAxis, fusion: EpilogueFusion,
        width: VectorWidth = .detected
    ) {
        self.input = input
        self.output = output
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.rows = rows
        self.columns = columns
        let channels = outputShape.channels
        // Padded to 64 so the edge path may read eight chunks past any channel.
        paddedChannels = (channels + 63) / 64 * 64
        let taps = rows.filter * columns.filter
        // +64: the edge path reads 64 channels from any group start (a multiple of 8).
        weights = AlignedBuffer(count: taps * paddedChannels + 64)
        for tap in 0..<taps {
            for channel in 0..<channels {
                weights.pointer[tap * paddedChannels + channel] = filter[tap * channels + channel]
            }
        }
        biasStorage = AlignedBuffer(copying: bias, paddedTo: paddedChannels + 64)
        var fusion = fusion
        epilogue = fusion.epilogue(channels: channels)
        registerClamp = Self.registerClamp(epilogue)
        self.fusion = fusion
        let first = (0..<outputShape.width).first { columns.validTaps(at: $0) == (0, columns.filter, $0 * columns.stride - columns.padBefore) }
        let last = (0..<outputShape.width).last { columns.validTaps(at: $0) == (0, columns.filter, $0 * columns.stride - columns.padBefore) }
        channelGroups = Self.channelGroups(channels: channels, paddedChannels: paddedChannels, taps: taps)
        smallMap = SmallMapPlan(input: inputShape, output: outputShape, rows: rows, columns: columns)
        octetWidth = columns.stride == 1 && columns.dilation == 1 && rows.dilation == 1
            && (columns.filter == 3 || columns.filter == 5) ? columns.filter : nil
        wideOctets = width == .avx512 && columns.dilation == 1 && rows.dilation == 1
            && WideDepthwise.supports(filterWidth: columns.filter, stride: columns.stride)
        interior = first.flatMap { first in last.map { first..<($0 + 1) } } ?? 0..<0
    }

    func run() {
        if let smallMap {
            runSmallMap(smallMap)
            return
        }
        for group in channelGroups {
            for y in 0..<outputShape.height {
                computeRow(y, channels: group)
                guard registerClamp == nil else { continue }
                let first = y * outputShape.width
                epilogue.apply(output, pixels: first..<(first + outputShape.width), channels: group)
            }
        }
    }

    /// The clamp bounds when the epilogue is a clamp and nothing else.
    static func registerClamp(_ epilogue: Epilogue) -> (lower: Float, upper: Float)? {
        guard epilogue.residual == nil, epilogue.postAdd == nil, case let .clamp(lower, upper) = epilogue.activation else {
            return nil
        }
        return (lower, upper)
    }

    /// Channel groups processed one at a time over the whole image. Wide layers on small maps
    /// (e.g. 7x7x1152) have more weights than L1 holds: sweeping all pixels for 64 channels at a
    /// time keeps that group's weights in L1. (Narrower groups for big maps were measured slower:
    /// they use a fraction of each cache line per pass.)
    static func channelGroups(channels: Int, paddedChannels: Int, taps: Int) -> [Range<Int>] {
        let size = taps * paddedChannels * 4 > 16 * 1024 ? 64 : channels
        return stride(from: 0, to: channels, by: size).map { $0..<min($0 + size, channels) }
    }

    /// Output row `y` for channels `group`: sums with the bias, and the clamp when `registerClamp` is set.
    private func computeRow(_ y: Int, channels group: Range<Int>) {
        var x = 0
        while x < interior.lowerBound { edgePixel(y: y, x: x, channels: group); x += 1 }
        if octetWidth != nil || wideOctets {
            let (ky0, ky1, originY) = rows.validTaps(at: y)
            let rowStride = inputShape.width * inputShape.channels
            func octet(at x: Int) {
                let origin = input + originY * rowStride + (x * columns.stride - columns.padBefore) * inputShape.channels
                octets(source: origin + group.lowerBound, rowStride: rowStride, pixelStride: inputShape.channels,
                       filterRows: ky0..<ky1, y: y, x: x, count: 8, channels: group)
            }
            while x + 8 <= interior.upperBound {
                octet(at: x)
                x += 8
            }
            // The interior's last few pixels: one more octet, ending where the interior ends, so
            // that it reads only interior windows (a shorter one would read past the input row).
            // It recomputes pixels already stored, to the same bits, for less than the quad and
            // per-pixel paths would cost.
            if x < interior.upperBound, interior.count >= 8 {
                octet(at: interior.upperBound - 8)
                x = interior.upperBound
            }
        }
        while x + 4 <= interior.upperBound { interiorQuad(y: y, x: x, channels: group); x += 4 }
        while x < outputShape.width { edgePixel(y: y, x: x, channels: group); x += 1 }
    }

    /// `count` (at most 8) adjacent interior output pixels from (`y`, `x`) over the channels
    /// `group`, `source` at the first one's first tap, channel `group.lowerBound`: whole
    /// 16-channel blocks on 512-bit vectors where the kernel runs on them, the rest 8 at a time
    /// (stride 1) or four pixels at a time (stride 2).
    @inline(__always)
    func octets(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        y: Int, x: Int, count: Int, channels group: Range<Int>
    ) {
        let pixel = y * outputShape.width + x
        var channel = group.lowerBound
        if wideOctets, group.count >= 16 {
            let blocks = group.count / 16
            WideDepthwise.octets(
                filterWidth: columns.filter, stride: columns.stride, blocks: blocks, source: source, rowStride: rowStride,
                pixelStride: pixelStride, filterRows: filterRows, weights: UnsafePointer(weights.pointer) + channel,
                tapStride: paddedChannels, bias: UnsafePointer(biasStorage.pointer) + channel,
                output: output + pixel * outputShape.channels + channel, outputStride: outputShape.channels, count: count,
                clamp: registerClamp)
            channel += blocks * 16
        }
        guard channel < group.upperBound else { return }
        guard octetWidth != nil else {
            // Stride 2 on AVX2 (or its last channels): the general path, which needs whole quads.
            interiorQuad(y: y, x: x, channels: channel..<group.upperBound)
            interiorQuad(y: y, x: x + 4, channels: channel..<group.upperBound)
            return
        }
        while channel < group.upperBound {
            octet(source: source + (channel - group.lowerBound), rowStride: rowStride, pixelStride: pixelStride,
                  filterRows: filterRows, pixel: pixel, count: count, channel: channel)
            channel += 8
        }
    }

    @inline(__always)
    func octet(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        pixel: Int, count: Int, channel: Int
    ) {
        if octetWidth == 5 {
            octet5(source: source, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                   pixel: pixel, count: count, channel: channel)
        } else {
            octet3(source: source, rowStride: rowStride, pixelStride: pixelStride, filterRows: filterRows,
                   pixel: pixel, count: count, channel: channel)
        }
    }

    /// Stores sums (bias included), clamped here when `registerClamp` is set; any other epilogue
    /// runs per output row afterwards.
    @inline(__always)
    func put(_ sum: SIMD8<Float>, pixel: Int, channel: Int, valid: Int) {
        var sum = sum
        if let registerClamp {
            sum = sum.clamped(SIMD8(repeating: registerClamp.lower), SIMD8(repeating: registerClamp.upper))
        }
        let target = output + pixel * outputShape.channels + channel
        if valid >= 8 {
            target.store8(sum)
        } else {
            for lane in 0..<valid { target[lane] = sum[lane] }
        }
    }

}
