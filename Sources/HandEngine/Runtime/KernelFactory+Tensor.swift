/// Kernels that work on whole tensors: ADD, PRELU, PAD, RESHAPE, CONCATENATION, MEAN,
/// FULLY_CONNECTED.
extension KernelFactory {
    func makeAdd(_ node: GraphNode, _ activation: FusedActivation) throws -> Kernel {
        let lhs = shape(node.inputs[0]), rhs = shape(node.inputs[1]), out = shape(node.outputs[0])
        // The hand models only add tensors of equal shape; broadcasting is not implemented.
        guard lhs == rhs, lhs == out, Activation.fused(activation) != nil else {
            throw fail(node, "ADD of shapes \(lhs) and \(rhs) with \(activation)")
        }
        return AddKernel(
            lhs: input(node, 0), rhs: input(node, 1), output: output(node), count: count(node.outputs[0]),
            activation: activation)
    }

    func makePRelu(_ node: GraphNode) throws -> Kernel {
        let dims = shape(node.inputs[0])
        let slopes = try floats(node.inputs[1], of: node)
        guard let channels = dims.last, slopes.count == channels, shape(node.outputs[0]) == dims else {
            throw fail(node, "slopes must be one per channel (\(slopes.count) for \(dims))")
        }
        return PReluKernel(input: input(node), output: output(node), slopes: slopes, pixels: count(node.inputs[0]) / channels)
    }

    func makePad(_ node: GraphNode) throws -> Kernel {
        let inputShape = try image(node.inputs[0], of: node)
        let outputShape = try image(node.outputs[0], of: node)
        let paddings = try integers(node.inputs[1], of: node)
        guard paddings.count == 8, paddings[0] == 0, paddings[1] == 0, paddings.allSatisfy({ $0 >= 0 }),
              inputShape.height + paddings[2] + paddings[3] == outputShape.height,
              inputShape.width + paddings[4] + paddings[5] == outputShape.width,
              inputShape.channels + paddings[6] + paddings[7] == outputShape.channels else {
            throw fail(node, "paddings \(paddings) for \(inputShape) -> \(outputShape)")
        }
        return PadKernel(
            input: input(node), inputShape: inputShape, output: output(node), outputShape: outputShape,
            before: (paddings[2], paddings[4], paddings[6]))
    }

    func makeReshape(_ node: GraphNode) throws -> Kernel {
        guard count(node.inputs[0]) == count(node.outputs[0]) else {
            throw fail(node, "\(shape(node.inputs[0])) cannot become \(shape(node.outputs[0]))")
        }
        return CopyKernel(input: input(node), output: output(node), count: count(node.outputs[0]))
    }

    func makeConcatenation(_ node: GraphNode, axis: Int, activation: FusedActivation) throws -> Kernel {
        let out = shape(node.outputs[0])
        let resolved = axis < 0 ? axis + out.count : axis
        guard activation == .none, out.indices.contains(resolved) else {
            throw fail(node, "axis \(axis) of \(out) with \(activation)")
        }
        let outer = out[..<resolved].reduce(1, *)
        let inner = out[(resolved + 1)...].reduce(1, *)
        var total = 0
        var parts: [(pointer: UnsafePointer<Float>, blockSize: Int)] = []
        for tensor in node.inputs {
            let dims = shape(tensor)
            guard dims.count == out.count, dims[..<resolved] == out[..<resolved], dims[(resolved + 1)...] == out[(resolved + 1)...] else {
                throw fail(node, "input \(dims) does not fit output \(out) along axis \(resolved)")
            }
            total += dims[resolved]
            parts.append((UnsafePointer(pointer(tensor)), dims[resolved] * inner))
        }
        guard total == out[resolved] else { throw fail(node, "inputs do not add up to \(out)") }
        return ConcatenationKernel(inputs: parts, output: output(node), outer: outer)
    }

    func makeMean(_ node: GraphNode, keepDims: Bool) throws -> Kernel {
        let inputShape = try image(node.inputs[0], of: node)
        let axes = Set(try integers(node.inputs[1], of: node).map { $0 < 0 ? $0 + 4 : $0 })
        guard axes == [1, 2], count(node.outputs[0]) == inputShape.channels else {
            throw fail(node, "only the mean over height and width is supported (axes \(axes))")
        }
        return SpatialMeanKernel(input: input(node), shape: inputShape, output: output(node))
    }

    func makeFullyConnected(_ node: GraphNode, _ activation: FusedActivation) throws -> Kernel {
        let weightShape = shape(node.inputs[1])
        guard weightShape.count == 2, Activation.fused(activation) != nil else {
            throw fail(node, "weights \(weightShape) with \(activation)")
        }
        let (units, inputSize) = (weightShape[0], weightShape[1])
        let inputCount = count(node.inputs[0])
        guard inputSize > 0, inputCount % inputSize == 0, count(node.outputs[0]) == inputCount / inputSize * units else {
            throw fail(node, "input \(shape(node.inputs[0])) for weights \(weightShape)")
        }
        let bias = node.inputs.count > 2 && node.inputs[2] >= 0 ? try floats(node.inputs[2], of: node) : []
        guard bias.isEmpty || bias.count == units else { throw fail(node, "bias of \(bias.count) for \(units) units") }
        return FullyConnectedKernel(
            input: input(node), output: output(node), weights: try floats(node.inputs[1], of: node), bias: bias,
            batch: inputCount / inputSize, inputSize: inputSize, outputSize: units, activation: activation)
    }
}
