/// Turns a parsed model into runtime nodes: rejects anything the kernels cannot run (naming the
/// op and file), folds DEQUANTIZE of constant float16 weights into float32 constants, and reads
/// each op's options.
struct GraphBuilder {
    let model: TFLiteModel
    let fileName: String
    private(set) var constants: ConstantTensors
    private(set) var nodes: [GraphNode] = []

    init(model: TFLiteModel, fileName: String) throws {
        self.model = model
        self.fileName = fileName
        constants = ConstantTensors(model: model)
        try checkOperatorsAreSupported()
        for (index, op) in model.operators.enumerated() {
            try add(op, index: index)
        }
    }

    private func opName(_ op: TFLiteModel.Operator) -> String {
        model.operatorCodes[op.opcodeIndex].name
    }

    /// Fails on the first unsupported op before any work is done.
    private func checkOperatorsAreSupported() throws {
        for op in model.operators {
            let code = model.operatorCodes[op.opcodeIndex]
            guard code.builtinCode != 32, BuiltinOperator(rawValue: code.builtinCode) != nil else {
                throw ModelLoadError("unsupported tflite op \(code.name) in \(fileName)")
            }
        }
    }

    private mutating func add(_ op: TFLiteModel.Operator, index: Int) throws {
        let name = opName(op)
        guard let builtin = BuiltinOperator(rawValue: model.operatorCodes[op.opcodeIndex].builtinCode) else {
            throw ModelLoadError("unsupported tflite op \(name) in \(fileName)")
        }
        let kind: GraphNode.Kind
        do {
            switch builtin {
            case .dequantize:
                guard op.inputs.count == 1, op.outputs.count == 1 else {
                    throw ModelLoadError("DEQUANTIZE (op \(index)) in \(fileName) does not have one input and one output")
                }
                let source = model.tensors[op.inputs[0]]
                guard source.type == .float16 || source.type == .float32 else {
                    throw ModelLoadError(
                        "unsupported tensor type \(TensorType.name(ofCode: source.typeCode)) of tensor '\(source.name)' "
                        + "(op \(index) DEQUANTIZE) in \(fileName)")
                }
                guard constants.foldDequantize(from: op.inputs[0], to: op.outputs[0]) else {
                    throw ModelLoadError(
                        "unsupported tflite op DEQUANTIZE of the non-constant tensor '\(source.name)' (op \(index)) in \(fileName)")
                }
                return
            case .conv2D: kind = .conv2D(try op.conv2DOptions())
            case .depthwiseConv2D: kind = .depthwiseConv2D(try op.depthwiseOptions())
            case .add: kind = .add(try op.fusedActivation(field: 0))
            case .prelu: kind = .prelu
            case .maxPool2D: kind = .maxPool2D(try op.poolOptions())
            case .pad: kind = .pad
            case .resizeBilinear: kind = .resizeBilinear(try op.resizeBilinearOptions())
            case .reshape: kind = .reshape
            case .concatenation:
                kind = .concatenation(axis: try op.concatenationAxis(), activation: try op.fusedActivation(field: 1))
            case .mean: kind = .mean(keepDims: try op.keepDims())
            case .fullyConnected:
                let format = try op.fullyConnectedFormat()
                guard format.weightsFormat == 0 else {
                    throw ModelLoadError("unsupported FULLY_CONNECTED weights format \(format.weightsFormat) (op \(index)) in \(fileName)")
                }
                kind = .fullyConnected(try op.fusedActivation(field: 0))
            case .logistic: kind = .logistic
            }
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError("unsupported options of tflite op \(name) (op \(index)) in \(fileName): \(error)")
        }
        try checkTensorTypes(op, name: name, index: index)
        nodes.append(GraphNode(kind: kind, opIndex: index, name: name, inputs: op.inputs, outputs: op.outputs))
    }

    /// Runtime tensors must be float32; constant parameters may also be int32.
    private func checkTensorTypes(_ op: TFLiteModel.Operator, name: String, index: Int) throws {
        for tensor in op.inputs + op.outputs where tensor >= 0 {
            let info = model.tensors[tensor]
            if constants.floats[tensor] != nil || info.type == .float32 { continue }
            if info.type == .int32 && constants.integers[tensor] != nil { continue }
            throw ModelLoadError(
                "unsupported tensor type \(TensorType.name(ofCode: info.typeCode)) of tensor '\(info.name)' "
                + "(op \(index) \(name)) in \(fileName)")
        }
    }
}
