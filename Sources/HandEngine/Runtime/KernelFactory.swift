/// Instantiates the kernel of each graph node once the arena is laid out: checks shapes and
/// options against what the kernels support and resolves every tensor to a pointer.
struct KernelFactory {
    let model: TFLiteModel
    let fileName: String
    let constants: ConstantTensors
    /// Where convolution weights are shared with other interpreters of the same model, under
    /// `modelKey`; nil packs them for this interpreter alone.
    var shared: SharedWeights? = nil
    var modelKey = ""
    /// How the convolutions multiply: float32 weights are packed either way, bfloat16 pairs too
    /// for `.bfloat16`.
    var arithmetic: MatrixArithmetic = .detected
    /// Arena pointer of a runtime tensor.
    let pointer: (Int) -> UnsafeMutablePointer<Float>

    func fail(_ node: GraphNode, _ message: String) -> ModelLoadError {
        ModelLoadError("unsupported \(node.name) (op \(node.opIndex)) in \(fileName): \(message)")
    }

    func shape(_ tensor: Int) -> [Int] { model.tensors[tensor].shape }

    func count(_ tensor: Int) -> Int { shape(tensor).reduce(1, *) }

    func image(_ tensor: Int, of node: GraphNode) throws -> ImageShape {
        let dims = shape(tensor)
        guard dims.count == 4, dims[0] == 1 else {
            throw fail(node, "tensor '\(model.tensors[tensor].name)' has shape \(dims), expected [1, H, W, C]")
        }
        return ImageShape(height: dims[1], width: dims[2], channels: dims[3])
    }

    func floats(_ tensor: Int, of node: GraphNode) throws -> [Float] {
        guard tensor >= 0, let values = constants.floats[tensor] else {
            throw fail(node, "expected constant float weights in input \(tensor)")
        }
        return values
    }

    func integers(_ tensor: Int, of node: GraphNode) throws -> [Int] {
        guard let values = constants.integers[tensor] else {
            throw fail(node, "expected a constant int32 parameter in input \(tensor)")
        }
        return values.map(Int.init)
    }

    func input(_ node: GraphNode, _ index: Int = 0) -> UnsafePointer<Float> {
        UnsafePointer(pointer(node.inputs[index]))
    }

    func output(_ node: GraphNode) -> UnsafeMutablePointer<Float> {
        pointer(node.outputs[0])
    }

    /// The fused epilogue of a convolution node (its own activation plus fused ops).
    func fusion(_ node: GraphNode, activation: FusedActivation, channels: Int) throws -> EpilogueFusion {
        guard Activation.fused(activation) != nil else { throw fail(node, "fused activation \(activation)") }
        var fusion = EpilogueFusion()
        fusion.activation = activation
        if let slopes = node.fusion.preluSlopes {
            fusion.preluSlopes = try floats(slopes, of: node)
        }
        if let residual = node.fusion.residual {
            let dims = shape(residual)
            fusion.residual = ResidualInput(base: UnsafePointer(pointer(residual)), channels: dims.last ?? channels)
        }
        if let postAdd = node.fusion.postAdd {
            fusion.postAdd = UnsafePointer(pointer(postAdd))
        }
        return fusion
    }

    func make(_ node: GraphNode) throws -> Kernel {
        switch node.kind {
        case let .conv2D(options): try makeConv(node, options)
        case let .depthwiseConv2D(options): try makeDepthwise(node, options)
        case let .maxPool2D(options): try makeMaxPool(node, options)
        case let .resizeBilinear(options): try makeResize(node, options)
        case let .add(activation): try makeAdd(node, activation)
        case .prelu: try makePRelu(node)
        case .pad: try makePad(node)
        case .reshape: try makeReshape(node)
        case let .concatenation(axis, activation): try makeConcatenation(node, axis: axis, activation: activation)
        case let .mean(keepDims): try makeMean(node, keepDims: keepDims)
        case let .fullyConnected(activation): try makeFullyConnected(node, activation)
        case .logistic: LogisticKernel(input: input(node), output: output(node), count: count(node.outputs[0]))
        }
    }
}
