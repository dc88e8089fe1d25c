/// Register-blocked interior paths of DEPTHWISE_CONV_2D for stride 1 and 3- or 5-wide filters,
/// the shapes that dominate the hand models (generated-style unrolled code; see octet3/octet5).
extension DepthwiseConv2DKernel {
    /// Eight adjacent interior output pixels, stride 1, 3-wide filter rows, 8 channels: each
    /// input vector is loaded once and feeds every output whose window covers it, and the
    /// row's 3 weights stay in registers (10 loads + 3 weight loads per 24 FMAs).
    @inline(__always)
    func octet3(y: Int, x: Int, channel: Int) {
        let channels = inputShape.channels
        let (ky0, ky1, originY) = rows.validTaps(at: y)
        let originX = x - columns.padBefore
        let w = UnsafePointer(weights.pointer) + channel
        let start = UnsafePointer(biasStorage.pointer).load8(channel)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in ky0..<ky1 {
            let source = input + ((originY + ky) * inputShape.width + originX) * channels + channel
            let row = w + ky * 3 * paddedChannels
            let w0 = row.load8(), w1 = row.load8(1 * paddedChannels), w2 = row.load8(2 * paddedChannels)
            var v = source.load8()
            s0 = s0.addingProduct(v, w0)
            v = source.load8(1 * channels)
            s0 = s0.addingProduct(v, w1)
            s1 = s1.addingProduct(v, w0)
            v = source.load8(2 * channels)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w1)
            s2 = s2.addingProduct(v, w0)
            v = source.load8(3 * channels)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w1)
            s3 = s3.addingProduct(v, w0)
            v = source.load8(4 * channels)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w1)
            s4 = s4.addingProduct(v, w0)
            v = source.load8(5 * channels)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w1)
            s5 = s5.addingProduct(v, w0)
            v = source.load8(6 * channels)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w1)
            s6 = s6.addingProduct(v, w0)
            v = source.load8(7 * channels)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w1)
            s7 = s7.addingProduct(v, w0)
            v = source.load8(8 * channels)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w1)
            v = source.load8(9 * channels)
            s7 = s7.addingProduct(v, w2)
        }
        let pixel = y * outputShape.width + x
        let valid = channels - channel
        put(s0, pixel: pixel + 0, channel: channel, valid: valid)
        put(s1, pixel: pixel + 1, channel: channel, valid: valid)
        put(s2, pixel: pixel + 2, channel: channel, valid: valid)
        put(s3, pixel: pixel + 3, channel: channel, valid: valid)
        put(s4, pixel: pixel + 4, channel: channel, valid: valid)
        put(s5, pixel: pixel + 5, channel: channel, valid: valid)
        put(s6, pixel: pixel + 6, channel: channel, valid: valid)
        put(s7, pixel: pixel + 7, channel: channel, valid: valid)
    }

    /// Eight adjacent interior output pixels, stride 1, 5-wide filter rows, 8 channels: each
    /// input vector is loaded once and feeds every output whose window covers it, and the
    /// row's 5 weights stay in registers (12 loads + 5 weight loads per 40 FMAs).
    @inline(__always)
    func octet5(y: Int, x: Int, channel: Int) {
        let channels = inputShape.channels
        let (ky0, ky1, originY) = rows.validTaps(at: y)
        let originX = x - columns.padBefore
        let w = UnsafePointer(weights.pointer) + channel
        let start = UnsafePointer(biasStorage.pointer).load8(channel)
        var s0 = start, s1 = start, s2 = start, s3 = start, s4 = start, s5 = start, s6 = start, s7 = start
        for ky in ky0..<ky1 {
            let source = input + ((originY + ky) * inputShape.width + originX) * channels + channel
            let row = w + ky * 5 * paddedChannels
            let w0 = row.load8(), w1 = row.load8(1 * paddedChannels), w2 = row.load8(2 * paddedChannels), w3 = row.load8(3 * paddedChannels), w4 = row.load8(4 * paddedChannels)
            var v = source.load8()
            s0 = s0.addingProduct(v, w0)
            v = source.load8(1 * channels)
            s0 = s0.addingProduct(v, w1)
            s1 = s1.addingProduct(v, w0)
            v = source.load8(2 * channels)
            s0 = s0.addingProduct(v, w2)
            s1 = s1.addingProduct(v, w1)
            s2 = s2.addingProduct(v, w0)
            v = source.load8(3 * channels)
            s0 = s0.addingProduct(v, w3)
            s1 = s1.addingProduct(v, w2)
            s2 = s2.addingProduct(v, w1)
            s3 = s3.addingProduct(v, w0)
            v = source.load8(4 * channels)
            s0 = s0.addingProduct(v, w4)
            s1 = s1.addingProduct(v, w3)
            s2 = s2.addingProduct(v, w2)
            s3 = s3.addingProduct(v, w1)
            s4 = s4.addingProduct(v, w0)
            v = source.load8(5 * channels)
            s1 = s1.addingProduct(v, w4)
            s2 = s2.addingProduct(v, w3)
            s3 = s3.addingProduct(v, w2)
            s4 = s4.addingProduct(v, w1)
            s5 = s5.addingProduct(v, w0)
            v = source.load8(6 * channels)
            s2 = s2.addingProduct(v, w4)
            s3 = s3.addingProduct(v, w3)
            s4 = s4.addingProduct(v, w2)
            s5 = s5.addingProduct(v, w1)
            s6 = s6.addingProduct(v, w0)
            v = source.load8(7 * channels)
            s3 = s3.addingProduct(v, w4)
            s4 = s4.addingProduct(v, w3)
            s5 = s5.addingProduct(v, w2)
            s6 = s6.addingProduct(v, w1)
            s7 = s7.addingProduct(v, w0)
            v = source.load8(8 * channels)
            s4 = s4.addingProduct(v, w4)
            s5 = s5.addingProduct(v, w3)
            s6 = s6.addingProduct(v, w2)
            s7 = s7.addingProduct(v, w1)
            v = source.load8(9 * channels)
            s5 = s5.addingProduct(v, w4)
            s6 = s6.addingProduct(v, w3)
            s7 = s7.addingProduct(v, w2)
            v = source.load8(10 * channels)
            s6 = s6.addingProduct(v, w4)
            s7 = s7.addingProduct(v, w3)
            v = source.load8(11 * channels)
            s7 = s7.addingProduct(v, w4)
        }
        let pixel = y * outputShape.width + x
        let valid = channels - channel
        put(s0, pixel: pixel + 0, channel: channel, valid: valid)
        put(s1, pixel: pixel + 1, channel: channel, valid: valid)
        put(s2, pixel: pixel + 2, channel: channel, valid: valid)
        put(s3, pixel: pixel + 3, channel: channel, valid: valid)
        put(s4, pixel: pixel + 4, channel: channel, valid: valid)
        put(s5, pixel: pixel + 5, channel: channel, valid: valid)
        put(s6, pixel: pixel + 6, channel: channel, valid: valid)
        put(s7, pixel: pixel + 7, channel: channel, valid: valid)
    }
}
