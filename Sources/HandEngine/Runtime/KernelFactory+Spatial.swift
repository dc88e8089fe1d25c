/// Kernels with a sliding window or a resampling: CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D,
/// RESIZE_BILINEAR.
extension KernelFactory {
    /// Window geometry per axis, checked against the output shape the model declares.
    private func windows(
        _ node: GraphNode, input: ImageShape, output: ImageShape, filter: (Int, Int),
        stride: (Int, Int), dilation: (Int, Int), padding: Padding
    ) throws -> (WindowAxis, WindowAxis) {
        guard stride.0 > 0, stride.1 > 0, dilation.0 > 0, dilation.1 > 0 else {
            throw fail(node, "non-positive stride or dilation")
        }
        let rows = WindowAxis(input: input.height, filter: filter.0, stride: stride.0, dilation: dilation.0, padding: padding)
        let columns = WindowAxis(input: input.width, filter: filter.1, stride: stride.1, dilation: dilation.1, padding: padding)
        guard rows.output == output.height, columns.output == output.width else {
            throw fail(node, "output \(output) does not match a \(filter) window over \(input)")
        }
        return (rows, columns)
    }

    func makeConv(_ node: GraphNode, _ options: ConvOptions) throws -> Kernel {
        let inputShape = try image(node.inputs[0], of: node)
        let outputShape = try image(node.outputs[0], of: node)
        let filterShape = shape(node.inputs[1])
        guard filterShape.count == 4, filterShape[0] == outputShape.channels, filterShape[3] == inputShape.channels else {
            throw fail(node, "filter shape \(filterShape) for \(inputShape) -> \(outputShape)")
        }
        let filter = try floats(node.inputs[1], of: node)
        let bias = node.inputs.count > 2 && node.inputs[2] >= 0
            ? try floats(node.inputs[2], of: node) : [Float](repeating: 0, count: outputShape.channels)
        let (rows, columns) = try windows(
            node, input: inputShape, output: outputShape, filter: (filterShape[1], filterShape[2]),
            stride: (options.strideH, options.strideW), dilation: (options.dilationH, options.dilationW),
            padding: options.padding)
        let pack = {
            PackedWeights(rows: filter, outputChannels: outputShape.channels,
                          reduction: filterShape[1] * filterShape[2] * inputShape.channels, arithmetic: arithmetic)
        }
        let weights = shared?.packed("\(modelKey)#\(node.inputs[1])#\(arithmetic)", make: pack) ?? pack()
        return Conv2DKernel(
            input: input(node), inputShape: inputShape, output: output(node), outputShape: outputShape,
            weights: weights, filterHeight: filterShape[1], filterWidth: filterShape[2], bias: bias,
            rows: rows, columns: columns,
            fusion: try fusion(node, activation: options.activation, channels: outputShape.channels))
    }

    func makeDepthwise(_ node: GraphNode, _ options: ConvOptions) throws -> Kernel {
        let inputShape = try image(node.inputs[0], of: node)
        let outputShape = try image(node.outputs[0], of: node)
        let filterShape = shape(node.inputs[1])
        guard inputShape.channels == outputShape.channels,
              filterShape.count == 4, filterShape[0] == 1, filterShape[3] == outputShape.channels else {
            throw fail(node, "only depth multiplier 1 is supported (filter \(filterShape), \(inputShape) -> \(outputShape))")
        }
        let filter = try floats(node.inputs[1], of: node)
        let bias = node.inputs.count > 2 && node.inputs[2] >= 0
            ? try floats(node.inputs[2], of: node) : [Float](repeating: 0, count: outputShape.channels)
        let (rows, columns) = try windows(
            node, input: inputShape, output: outputShape, filter: (filterShape[1], filterShape[2]),
            stride: (options.strideH, options.strideW), dilation: (options.dilationH, options.dilationW),
            padding: options.padding)
        return DepthwiseConv2DKernel(
            input: input(node), inputShape: inputShape, output: output(node), outputShape: outputShape,
            filter: filter, bias: bias, rows: rows, columns: columns,
            fusion: try fusion(node, activation: options.activation, channels: outputShape.channels))
    }

    func makeMaxPool(_ node: GraphNode, _ options: PoolOptions) throws -> Kernel {
        let inputShape = try image(node.inputs[0], of: node)
        let outputShape = try image(node.outputs[0], of: node)
        guard inputShape.channels == outputShape.channels, Activation.fused(options.activation) != nil else {
            throw fail(node, "pool \(inputShape) -> \(outputShape) with \(options.activation)")
        }
        let (rows, columns) = try windows(
            node, input: inputShape, output: outputShape, filter: (options.filterH, options.filterW),
            stride: (options.strideH, options.strideW), dilation: (1, 1), padding: options.padding)
        return MaxPool2DKernel(
            input: input(node), inputShape: inputShape, output: output(node), outputShape: outputShape,
            rows: rows, columns: columns, activation: options.activation)
    }

    func makeResize(_ node: GraphNode, _ options: ResizeBilinearOptions) throws -> Kernel {
        let inputShape = try image(node.inputs[0], of: node)
        let outputShape = try image(node.outputs[0], of: node)
        let size = try integers(node.inputs[1], of: node)
        guard size == [outputShape.height, outputShape.width], inputShape.channels == outputShape.channels else {
            throw fail(node, "size \(size) for \(inputShape) -> \(outputShape)")
        }
        return ResizeBilinearKernel(
            input: input(node), inputShape: inputShape, output: output(node), outputShape: outputShape,
            alignCorners: options.alignCorners, halfPixelCenters: options.halfPixelCenters)
    }
}
