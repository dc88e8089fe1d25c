/// The general interior path of DEPTHWISE_CONV_2D (any stride, dilation or filter width).
extension DepthwiseConv2DKernel {
    /// Four adjacent output pixels whose windows need no horizontal clipping, 16 channels at a
    /// time: eight independent FMA chains, enough to hide the FMA latency.
    @inline(__always)
    func interiorQuad(y: Int, x: Int, channels group: Range<Int>) {
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

    @inline(__always)
    func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, pixel: Int, channel: Int) {
        put(low, pixel: pixel, channel: channel, valid: 8)
        put(high, pixel: pixel, channel: channel + 8, valid: 8)
    }
}
