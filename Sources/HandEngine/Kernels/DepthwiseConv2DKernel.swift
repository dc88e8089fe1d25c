/// DEPTHWISE_CONV_2D with depth multiplier 1, NHWC float32, vectorised over channels (8 per
/// ymm register). Interior output pixels, whose whole window lies inside the input row, are
/// computed four at a time so that each weight load feeds four independent FMA chains; pixels
/// near the left and right edges take a per-pixel path that clips the window.
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
    private let epilogue: Epilogue
    private let fusion: EpilogueFusion
    /// Output columns whose window is entirely inside the input.
    private let interior: Range<Int>
    /// Filter width when the stride-1 register-blocked path applies (3 or 5), else nil.
    private let octetWidth: Int?

    /// `filter` is tflite's [1][KH][KW][C] layout. Channel tails read up to 63 floats past a
    /// pixel, so the arena must have that much slack after every tensor's end.
    init(
        input: UnsafePointer<Float>, inputShape: ImageShape,
        output: UnsafeMutablePointer<Float>, outputShape: ImageShape,
        filter: [Float], bias: [Float], rows: WindowAxis, columns: WindowAxis, fusion: EpilogueFusion
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
        weights = AlignedBuffer(count: taps * paddedChannels)
        for tap in 0..<taps {
            for channel in 0..<channels {
                weights.pointer[tap * paddedChannels + channel] = filter[tap * channels + channel]
            }
        }
        biasStorage = AlignedBuffer(copying: bias, paddedTo: paddedChannels)
        var fusion = fusion
        epilogue = fusion.epilogue(channels: channels)
        self.fusion = fusion
        let first = (0..<outputShape.width).first { columns.validTaps(at: $0) == (0, columns.filter, $0 * columns.stride - columns.padBefore) }
        let last = (0..<outputShape.width).last { columns.validTaps(at: $0) == (0, columns.filter, $0 * columns.stride - columns.padBefore) }
        octetWidth = columns.stride == 1 && columns.dilation == 1 && rows.dilation == 1
            && (columns.filter == 3 || columns.filter == 5) ? columns.filter : nil
        interior = first.flatMap { first in last.map { first..<($0 + 1) } } ?? 0..<0
    }

    func run() {
        let channels = inputShape.channels
        // Wide layers on small maps (e.g. 7x7x1152) have more weights than L1 holds: sweep all
        // pixels for one group of 64 channels at a time so that the group's weights stay in L1.
        let weightBytes = rows.filter * columns.filter * paddedChannels * 4
        let groupSize = weightBytes > 16 * 1024 ? 64 : channels
        var groupStart = 0
        while groupStart < channels {
            let group = groupStart..<min(groupStart + groupSize, channels)
            for y in 0..<outputShape.height {
                computeRow(y, channels: group)
                if groupSize == channels {
                    let first = y * outputShape.width
                    epilogue.apply(output, pixels: first..<(first + outputShape.width))
                }
            }
            groupStart += groupSize
        }
        if groupSize < channels {
            epilogue.apply(output, pixels: 0..<outputShape.pixels)
        }
    }

    /// Raw sums (bias included) of output row `y` for channels `group`.
    private func computeRow(_ y: Int, channels group: Range<Int>) {
        var x = 0
        while x < interior.lowerBound { edgePixel(y: y, x: x, channels: group); x += 1 }
        if let octetWidth {
            while x + 8 <= interior.upperBound {
                var channel = group.lowerBound
                while channel < group.upperBound {
                    if octetWidth == 5 { octet5(y: y, x: x, channel: channel) } else { octet3(y: y, x: x, channel: channel) }
                    channel += 8
                }
                x += 8
            }
        }
        while x + 4 <= interior.upperBound { interiorQuad(y: y, x: x, channels: group); x += 4 }
        while x < outputShape.width { edgePixel(y: y, x: x, channels: group); x += 1 }
    }

    /// Four adjacent output pixels whose windows need no horizontal clipping, 16 channels at a
    /// time: eight independent FMA chains, enough to hide the FMA latency.
    @inline(__always)
    private func interiorQuad(y: Int, x: Int, channels group: Range<Int>) {
        let channels = inputShape.channels
        let pixelStride = columns.stride * channels
        let tapStride = columns.dilation * channels
        let kw = columns.filter
        let w = UnsafePointer(weights.pointer)
        let bias = UnsafePointer(biasStorage.pointer)
        let (ky0, ky1, originY) = rows.validTaps(at: y)
        let originX = x * columns.stride - columns.padBefore
        let pixel = y * outputShape.width + x
        let rowStart = input + originX * channels
        var channel = group.lowerBound
        while channel + 16 <= group.upperBound {
            let low = bias.load8(channel), high = bias.load8(channel + 8)
            var a0 = low, a1 = low, a2 = low, a3 = low, b0 = high, b1 = high, b2 = high, b3 = high
            for ky in ky0..<ky1 {
                var source = rowStart + (originY + ky * rows.dilation) * inputShape.width * channels + channel
                var weight = w + ky * kw * paddedChannels + channel
                for _ in 0..<kw {
                    let low = weight.load8(), high = weight.load8(8)
                    a0 = a0.addingProduct(source.load8(), low)
                    b0 = b0.addingProduct(source.load8(8), high)
                    a1 = a1.addingProduct(source.load8(pixelStride), low)
                    b1 = b1.addingProduct(source.load8(pixelStride + 8), high)
                    a2 = a2.addingProduct(source.load8(2 * pixelStride), low)
                    b2 = b2.addingProduct(source.load8(2 * pixelStride + 8), high)
                    a3 = a3.addingProduct(source.load8(3 * pixelStride), low)
                    b3 = b3.addingProduct(source.load8(3 * pixelStride + 8), high)
                    source += tapStride
                    weight += paddedChannels
                }
            }
            store(a0, b0, pixel: pixel, channel: channel)
            store(a1, b1, pixel: pixel + 1, channel: channel)
            store(a2, b2, pixel: pixel + 2, channel: channel)
            store(a3, b3, pixel: pixel + 3, channel: channel)
            channel += 16
        }
        while channel < group.upperBound {
            var s0 = bias.load8(channel), s1 = s0, s2 = s0, s3 = s0
            for ky in ky0..<ky1 {
                var source = rowStart + (originY + ky * rows.dilation) * inputShape.width * channels + channel
                var weight = w + ky * kw * paddedChannels + channel
                for _ in 0..<kw {
                    let tap = weight.load8()
                    s0 = s0.addingProduct(source.load8(), tap)
                    s1 = s1.addingProduct(source.load8(pixelStride), tap)
                    s2 = s2.addingProduct(source.load8(2 * pixelStride), tap)
                    s3 = s3.addingProduct(source.load8(3 * pixelStride), tap)
                    source += tapStride
                    weight += paddedChannels
                }
            }
            let valid = channels - channel
            put(s0, pixel: pixel, channel: channel, valid: valid)
            put(s1, pixel: pixel + 1, channel: channel, valid: valid)
            put(s2, pixel: pixel + 2, channel: channel, valid: valid)
            put(s3, pixel: pixel + 3, channel: channel, valid: valid)
            channel += 8
        }
    }

    /// Stores raw sums (bias included); the epilogue runs per output row afterwards.
    @inline(__always)
    func put(_ sum: SIMD8<Float>, pixel: Int, channel: Int, valid: Int) {
        let target = output + pixel * outputShape.channels + channel
        if valid >= 8 {
            target.store8(sum)
        } else {
            for lane in 0..<valid { target[lane] = sum[lane] }
        }
    }

    @inline(__always)
    private func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, pixel: Int, channel: Int) {
        let channels = inputShape.channels
        put(low, pixel: pixel, channel: channel, valid: 8)
        put(high, pixel: pixel, channel: channel + 8, valid: 8)
    }

    /// One output pixel, window clipped to the input on every side; 64 channels at a time, for
    /// eight independent FMA chains (small maps like 7x7 are nearly all edge pixels).
    private func edgePixel(y: Int, x: Int, channels group: Range<Int>) {
        let channels = inputShape.channels
        let width = inputShape.width
        let kw = columns.filter
        let w = UnsafePointer(weights.pointer)
        let bias = UnsafePointer(biasStorage.pointer)
        let (ky0, ky1, originY) = rows.validTaps(at: y)
        let (kx0, kx1, originX) = columns.validTaps(at: x)
        let pixel = y * outputShape.width + x
        var channel = group.lowerBound
        while channel < group.upperBound {
            var s0 = bias.load8(channel), s1 = bias.load8(channel + 8)
            var s2 = bias.load8(channel + 16), s3 = bias.load8(channel + 24)
            var s4 = bias.load8(channel + 32), s5 = bias.load8(channel + 40)
            var s6 = bias.load8(channel + 48), s7 = bias.load8(channel + 56)
            for ky in ky0..<ky1 {
                let iy = originY + ky * rows.dilation
                for kx in kx0..<kx1 {
                    let ix = originX + kx * columns.dilation
                    let source = input + (iy * width + ix) * channels + channel
                    let weight = w + (ky * kw + kx) * paddedChannels + channel
                    // Lanes past the channel count read zero weights (and slack), never stored.
                    s0 = s0.addingProduct(source.load8(), weight.load8())
                    s1 = s1.addingProduct(source.load8(8), weight.load8(8))
                    s2 = s2.addingProduct(source.load8(16), weight.load8(16))
                    s3 = s3.addingProduct(source.load8(24), weight.load8(24))
                    s4 = s4.addingProduct(source.load8(32), weight.load8(32))
                    s5 = s5.addingProduct(source.load8(40), weight.load8(40))
                    s6 = s6.addingProduct(source.load8(48), weight.load8(48))
                    s7 = s7.addingProduct(source.load8(56), weight.load8(56))
                }
            }
            let left = group.upperBound - channel
            put(s0, pixel: pixel, channel: channel, valid: left)
            if left > 8 { put(s1, pixel: pixel, channel: channel + 8, valid: left - 8) }
            if left > 16 { put(s2, pixel: pixel, channel: channel + 16, valid: left - 16) }
            if left > 24 { put(s3, pixel: pixel, channel: channel + 24, valid: left - 24) }
            if left > 32 { put(s4, pixel: pixel, channel: channel + 32, valid: left - 32) }
            if left > 40 { put(s5, pixel: pixel, channel: channel + 40, valid: left - 40) }
            if left > 48 { put(s6, pixel: pixel, channel: channel + 48, valid: left - 48) }
            if left > 56 { put(s7, pixel: pixel, channel: channel + 56, valid: left - 56) }
            channel += 64
        }
    }
}
