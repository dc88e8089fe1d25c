/// Register-blocked stride-1 paths of DEPTHWISE_CONV_2D for 3- and 5-wide filters, the shapes
/// that dominate the hand models (unrolled by a small generator: every (input, tap) pair spelled out).
extension DepthwiseConv2DKernel {
    /// Up to eight adjacent output pixels (`count`) whose 3-wide windows lie inside the source
    /// rows, stride 1, 8 channels from `source` (the first tap of the first pixel in filter row 0):
    /// each input vector is loaded once and feeds every output whose window covers it, and the
    /// row's 3 weights stay in registers (10 loads + 3 weight loads per 24 FMAs).
    @inline(__always)
    func octet3(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        pixel: Int, count: Int, channel: Int
    ) {
        let w = UnsafePointer(weights.pointer) + channel
        let start = UnsafePointer(biasStorage.pointer).load8(channel)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = w + ky * 3 * paddedChannels
            let w0 = taps.load8(), w1 = taps.load8(1 * paddedChannels), w2 = taps.load8(2 * paddedChannels)
            var v = row.load8()
            s0 = s0.addingProduct(v, w0)
            v = row.load8(1 * pixelStride)
            s0 = s0.addingProduct(v, w1)
            s1 = s1.addingProduct(v, w0)
            v = row.load8(2 * pixelStride)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w1)
            s2 = s2.addingProduct(v, w0)
            v = row.load8(3 * pixelStride)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w1)
            s3 = s3.addingProduct(v, w0)
            v = row.load8(4 * pixelStride)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w1)
            s4 = s4.addingProduct(v, w0)
            v = row.load8(5 * pixelStride)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w1)
            s5 = s5.addingProduct(v, w0)
            v = row.load8(6 * pixelStride)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w1)
            s6 = s6.addingProduct(v, w0)
            v = row.load8(7 * pixelStride)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w1)
            s7 = s7.addingProduct(v, w0)
            v = row.load8(8 * pixelStride)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w1)
            v = row.load8(9 * pixelStride)
            s7 = s7.addingProduct(v, w2)
        }
        let valid = inputShape.channels - channel
        put(s0, pixel: pixel, channel: channel, valid: valid)
        if count > 1 { put(s1, pixel: pixel + 1, channel: channel, valid: valid) }
        if count > 2 { put(s2, pixel: pixel + 2, channel: channel, valid: valid) }
        if count > 3 { put(s3, pixel: pixel + 3, channel: channel, valid: valid) }
        if count > 4 { put(s4, pixel: pixel + 4, channel: channel, valid: valid) }
        if count > 5 { put(s5, pixel: pixel + 5, channel: channel, valid: valid) }
        if count > 6 { put(s6, pixel: pixel + 6, channel: channel, valid: valid) }
        if count > 7 { put(s7, pixel: pixel + 7, channel: channel, valid: valid) }
    }

    /// Up to eight adjacent output pixels (`count`) whose 5-wide windows lie inside the source
    /// rows, stride 1, 8 channels from `source` (the first tap of the first pixel in filter row 0):
    /// each input vector is loaded once and feeds every output whose window covers it, and the
    /// row's 5 weights stay in registers (12 loads + 5 weight loads per 40 FMAs).
    @inline(__always)
    func octet5(
        source: UnsafePointer<Float>, rowStride: Int, pixelStride: Int, filterRows: Range<Int>,
        pixel: Int, count: Int, channel: Int
    ) {
        let w = UnsafePointer(weights.pointer) + channel
        let start = UnsafePointer(biasStorage.pointer).load8(channel)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in filterRows {
            let row = source + ky * rowStride
            let taps = w + ky * 5 * paddedChannels
            let w0 = taps.load8(), w1 = taps.load8(1 * paddedChannels), w2 = taps.load8(2 * paddedChannels), w3 = taps.load8(3 * paddedChannels), w4 = taps.load8(4 * paddedChannels)
            var v = row.load8()
            s0 = s0.addingProduct(v, w0)
            v = row.load8(1 * pixelStride)
            s0 = s0.addingProduct(v, w1)
            s1 = s1.addingProduct(v, w0)
            v = row.load8(2 * pixelStride)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w1)
            s2 = s2.addingProduct(v, w0)
            v = row.load8(3 * pixelStride)
            s0 = s0.addingProduct(v, w3)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w1)
            s3 = s3.addingProduct(v, w0)
            v = row.load8(4 * pixelStride)
            s0 = s0.addingProduct(v, w4)
            s1 = s1.addingProduct(v, w3)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w1)
            s4 = s4.addingProduct(v, w0)
            v = row.load8(5 * pixelStride)
            s1 = s1.addingProduct(v, w4)
            s2 = s2.addingProduct(v, w3)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w1)
            s5 = s5.addingProduct(v, w0)
            v = row.load8(6 * pixelStride)
            s2 = s2.addingProduct(v, w4)
            s3 = s3.addingProduct(v, w3)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w1)
            s6 = s6.addingProduct(v, w0)
            v = row.load8(7 * pixelStride)
            s3 = s3.addingProduct(v, w4)
            s4 = s4.addingProduct(v, w3)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w1)
            s7 = s7.addingProduct(v, w0)
            v = row.load8(8 * pixelStride)
            s4 = s4.addingProduct(v, w4)
            s5 = s5.addingProduct(v, w3)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w1)
            v = row.load8(9 * pixelStride)
            s5 = s5.addingProduct(v, w4)
            s6 = s6.addingProduct(v, w3)
            s7 = s7.addingProduct(v, w2)
            v = row.load8(10 * pixelStride)
            s6 = s6.addingProduct(v, w4)
            s7 = s7.addingProduct(v, w3)
            v = row.load8(11 * pixelStride)
            s7 = s7.addingProduct(v, w4)
        }
        let valid = inputShape.channels - channel
        put(s0, pixel: pixel, channel: channel, valid: valid)
        if count > 1 { put(s1, pixel: pixel + 1, channel: channel, valid: valid) }
        if count > 2 { put(s2, pixel: pixel + 2, channel: channel, valid: valid) }
        if count > 3 { put(s3, pixel: pixel + 3, channel: channel, valid: valid) }
        if count > 4 { put(s4, pixel: pixel + 4, channel: channel, valid: valid) }
        if count > 5 { put(s5, pixel: pixel + 5, channel: channel, valid: valid) }
        if count > 6 { put(s6, pixel: pixel + 6, channel: channel, valid: valid) }
        if count > 7 { put(s7, pixel: pixel + 7, channel: channel, valid: valid) }
    }
}
