/// DEPTHWISE_CONV_2D on maps at most 8 pixels wide (the 7x7 and 6x6 ends of the models), where
/// nearly every pixel's window is clipped. Each group of 64 channels is first copied into a
/// zero-bordered scratch image, so that every output row is one register-blocked octet with no
/// clipping at all.
struct SmallMapPlan {
    /// Scratch geometry: rows and columns including the zero border, channels per group.
    let rows: Int
    let columns: Int
    let groupChannels: Int
    let padTop: Int
    let padLeft: Int
    let scratch: AlignedBuffer

    /// Nil unless the layer is stride 1, dilation 1, 3 or 5 wide, at most 8 output columns, and
    /// its channels come in whole vectors.
    init?(input: ImageShape, output: ImageShape, rows window: WindowAxis, columns columnWindow: WindowAxis) {
        guard output.width <= 8, window.stride == 1, columnWindow.stride == 1, window.dilation == 1,
              columnWindow.dilation == 1, columnWindow.filter == 3 || columnWindow.filter == 5,
              input.channels % 8 == 0 else { return nil }
        rows = output.height + window.filter - 1
        // Eight outputs are always computed, so the scratch covers eight windows.
        columns = 8 + columnWindow.filter - 1
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
        while groupStart < channels {
            let width = min(g, channels - groupStart)
            scratch.update(repeating: 0, count: plan.rows * plan.columns * g)
            for y in 0..<inputShape.height {
                for x in 0..<inputShape.width {
                    let target = scratch + ((y + plan.padTop) * plan.columns + x + plan.padLeft) * g
                    target.update(from: input + (y * inputShape.width + x) * channels + groupStart, count: width)
                }
            }
            for y in 0..<outputShape.height {
                var offset = 0
                while offset < width {
                    octet(source: UnsafePointer(scratch + y * plan.columns * g + offset), rowStride: plan.columns * g,
                          pixelStride: g, filterRows: 0..<rows.filter, pixel: y * outputShape.width,
                          count: outputShape.width, channel: groupStart + offset)
                    offset += 8
                }
                let first = y * outputShape.width
                epilogue.apply(output, pixels: first..<(first + outputShape.width), channels: groupStart..<(groupStart + width))
            }
            groupStart += g
        }
    }
}
