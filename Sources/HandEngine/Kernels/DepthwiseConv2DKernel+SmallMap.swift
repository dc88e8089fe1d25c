/// DEPTHWISE_CONV_2D on maps at most 16 pixels wide (the 14x14, 7x7 and 6x6 ends of the models),
/// where a large share of the pixels' windows is clipped (two columns in seven for a 5-wide filter
/// on 14 columns, nearly all of them on 7). Each group of 64 channels is first copied into a
/// zero-bordered scratch image, so that every output row is one or two register-blocked octets
/// with no clipping at all. (On the 14x14 maps this measured a fifth faster than the clipped path
/// with 512-bit vectors, and the same within noise with AVX2.)
struct SmallMapPlan {
    /// Scratch geometry: rows and columns including the zero border, channels per group.
    let rows: Int
    let columns: Int
    let groupChannels: Int
    let padTop: Int
    let padLeft: Int
    let scratch: AlignedBuffer
    static let maxWidth = 16

    /// Nil unless the layer is stride 1, dilation 1, 3 or 5 wide, at most `maxWidth` output
    /// columns, and its channels come in whole vectors.
    init?(input: ImageShape, output: ImageShape, rows window: WindowAxis, columns columnWindow: WindowAxis) {
        guard output.width <= SmallMapPlan.maxWidth, window.stride == 1, columnWindow.stride == 1, window.dilation == 1,
              columnWindow.dilation == 1, columnWindow.filter == 3 || columnWindow.filter == 5,
              input.channels % 8 == 0 else { return nil }
        rows = output.height + window.filter - 1
        // Outputs are computed eight at a time, so the scratch covers whole octets of windows.
        columns = (output.width + 7) / 8 * 8 + columnWindow.filter - 1
        padTop = window.padBefore
        padLeft = columnWindow.padBefore
        guard padTop + input.height <= rows, padLeft + input.width <= columns else { return nil }
        groupChannels = min(64, input.channels)
        scratch = AlignedBuffer(count: rows * columns * groupChannels + 64)
    }
}

extension DepthwiseConv2DKernel {
    func runSmallMap(_ plan: SmallMapPlan) {
        let channels = inputShape.channels
        let g = plan.groupChannels
        let scratch = plan.scratch.pointer
        var groupStart = 0
        // The border stays as `AlignedBuffer` made it, zero: only the pixels inside it are ever
        // written, by the copy below, which goes by vectors. (A memset of the whole scratch on
        // every run and a memmove call a pixel were 2% of `analyze`.)
        while groupStart < channels {
            let width = min(g, channels - groupStart)
            for y in 0..<inputShape.height {
                for x in 0..<inputShape.width {
                    let target = scratch + ((y + plan.padTop) * plan.columns + x + plan.padLeft) * g
                    let source = input + (y * inputShape.width + x) * channels + groupStart
                    var index = 0
                    while index < width {
                        target.store8(source.load8(index), index)
                        index += 8
                    }
                }
            }
            for y in 0..<outputShape.height {
                for x in stride(from: 0, to: outputShape.width, by: 8) {
                    octets(source: UnsafePointer(scratch + (y * plan.columns + x) * g), rowStride: plan.columns * g,
                           pixelStride: g, filterRows: 0..<rows.filter, y: y, x: x,
                           count: min(8, outputShape.width - x), channels: groupStart..<(groupStart + width))
                }
                guard registerClamp == nil else { continue }
                let first = y * outputShape.width
                epilogue.apply(output, pixels: first..<(first + outputShape.width), channels: groupStart..<(groupStart + width))
            }
            groupStart += g
        }
    }
}
