import HandKernels512

/// The border path of DEPTHWISE_CONV_2D: windows clipped by the padding.
extension DepthwiseConv2DKernel {
    /// One output pixel, window clipped to the input on every side; 64 channels at a time, for
    /// eight independent FMA chains (small maps like 7x7 are nearly all edge pixels), or on
    /// 512-bit vectors four (`WideDepthwise.clippedPixel`: half the instructions, a tenth off the
    /// 28x28 5x5 layer, whose two columns a side are clipped).
    func edgePixel(y: Int, x: Int, channels group: Range<Int>) {
        let channels = inputShape.channels
        let width = inputShape.width
        let kw = columns.filter
        let w = UnsafePointer(weights.pointer)
        let bias = UnsafePointer(biasStorage.pointer)
        let (ky0, ky1, originY) = rows.validTaps(at: y)
        let (kx0, kx1, originX) = columns.validTaps(at: x)
        let pixel = y * outputShape.width + x
        var channel = group.lowerBound
        if wideOctets, ky1 > ky0, kx1 > kx0 {
            WideDepthwise.clippedPixel(
                channels: group.count, source: input + ((originY + ky0) * width + originX + kx0) * channels + channel,
                rowStride: width * channels, pixelStride: channels, rows: ky1 - ky0, columns: kx1 - kx0,
                weights: w + (ky0 * kw + kx0) * paddedChannels + channel, tapStride: paddedChannels, filterWidth: kw,
                bias: bias + channel, output: output + pixel * outputShape.channels + channel, clamp: registerClamp)
            return
        }
        // The last 32 channels or fewer (of 24, 96, 144...) take four chains, not eight: eight
        // would spend half their loads and FMAs on lanes that are never stored. (Four chains for
        // every channel, one loop instead of two, measured 7% slower on whole clips.)
        while channel + 32 < group.upperBound {
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
        guard channel < group.upperBound else { return }
        var s0 = bias.load8(channel), s1 = bias.load8(channel + 8)
        var s2 = bias.load8(channel + 16), s3 = bias.load8(channel + 24)
        for ky in ky0..<ky1 {
            let iy = originY + ky * rows.dilation
            for kx in kx0..<kx1 {
                let ix = originX + kx * columns.dilation
                let source = input + (iy * width + ix) * channels + channel
                let weight = w + (ky * kw + kx) * paddedChannels + channel
                s0 = s0.addingProduct(source.load8(), weight.load8())
                s1 = s1.addingProduct(source.load8(8), weight.load8(8))
                s2 = s2.addingProduct(source.load8(16), weight.load8(16))
                s3 = s3.addingProduct(source.load8(24), weight.load8(24))
            }
        }
        let left = group.upperBound - channel
        put(s0, pixel: pixel, channel: channel, valid: left)
        if left > 8 { put(s1, pixel: pixel, channel: channel + 8, valid: left - 8) }
        if left > 16 { put(s2, pixel: pixel, channel: channel + 16, valid: left - 16) }
        if left > 24 { put(s3, pixel: pixel, channel: channel + 24, valid: left - 24) }
    }
}
