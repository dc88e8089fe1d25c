/// Folds the elementwise ops that follow a convolution into its epilogue, so the output is
/// written once instead of being re-read by ADD, PRELU and PAD kernels:
///
///     CONV → ADD(x) [→ PRELU]        residual x, then activation (palm and landmark blocks)
///     CONV → PRELU [→ ADD(x)]        activation, then post-add x (palm feature pyramid)
///     ADD(x = PAD(y, channels only)) residual y read with zeros for the padded channels
///
/// Only when the convolution has no fused activation of its own and each intermediate tensor
/// has exactly one reader and is not a graph output. The fused node runs at the position of the
/// last op it absorbed, where every tensor it reads has been computed.
struct FusionPass {
    let model: TFLiteModel
    let constants: ConstantTensors

    func run(_ nodes: [GraphNode]) -> [GraphNode] {
        var slots: [GraphNode?] = nodes
        var readers: [Int: [Int]] = [:]
        var producer: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for tensor in node.reads { readers[tensor, default: []].append(index) }
            for tensor in node.outputs { producer[tensor] = index }
        }
        let graphOutputs = Set(model.outputs)

        /// The single node reading `tensor`, if it is the only reader and not a graph output.
        func soleReader(of tensor: Int) -> Int? {
            guard !graphOutputs.contains(tensor), let list = readers[tensor], list.count == 1,
                  let index = slots[list[0]].map({ _ in list[0] }) else { return nil }
            return index
        }

        for index in nodes.indices {
            guard var conv = slots[index], conv.isConvolutionWithoutActivation else { continue }
            var output = conv.outputs[0]
            var position = index
            var absorbed: [Int] = []
            let shape = model.tensors[output].shape

            // CONV → ADD
            if let addIndex = soleReader(of: output), case let .add(addActivation) = nodes[addIndex].kind,
               nodes[addIndex].inputs.count == 2, model.tensors[nodes[addIndex].outputs[0]].shape == shape {
                let add = nodes[addIndex]
                var other = add.inputs[0] == output ? add.inputs[1] : add.inputs[0]
                // Same-shape adds only (a broadcasting ADD stays a separate op, and fails at load).
                if other != output, !constants.isConstant(other), model.tensors[other].shape == shape {
                    // A channel-only PAD feeding the ADD becomes a narrower residual.
                    if let padIndex = producer[other], let pad = slots[padIndex], case .pad = pad.kind,
                       soleReader(of: other) == addIndex, isChannelTailPad(pad) {
                        absorbed.append(padIndex)
                        other = pad.inputs[0]
                    }
                    conv.fusion.residual = other
                    conv.setActivation(addActivation)
                    absorbed.append(addIndex)
                    output = add.outputs[0]
                    position = addIndex
                }
            }
            // … → PRELU, when no clamp is already fused.
            if conv.isConvolutionWithoutActivation, let preluIndex = soleReader(of: output), case .prelu = nodes[preluIndex].kind,
               nodes[preluIndex].inputs[0] == output, constants.floats[nodes[preluIndex].inputs[1]]?.count == shape.last {
                conv.fusion.preluSlopes = nodes[preluIndex].inputs[1]
                absorbed.append(preluIndex)
                output = nodes[preluIndex].outputs[0]
                position = preluIndex
                // PRELU → ADD(x) after a fusion without residual.
                if conv.fusion.residual == nil, let addIndex = soleReader(of: output),
                   case .add(.none) = nodes[addIndex].kind, nodes[addIndex].inputs.count == 2,
                   model.tensors[nodes[addIndex].outputs[0]].shape == shape {
                    let add = nodes[addIndex]
                    let other = add.inputs[0] == output ? add.inputs[1] : add.inputs[0]
                    if other != output, !constants.isConstant(other), model.tensors[other].shape == shape {
                        conv.fusion.postAdd = other
                        absorbed.append(addIndex)
                        output = add.outputs[0]
                        position = addIndex
                    }
                }
            }
            guard !absorbed.isEmpty else { continue }
            conv.outputs = [output]
            for removed in absorbed { slots[removed] = nil }
            slots[index] = nil
            slots[position] = conv
        }
        return slots.compactMap { $0 }
    }

    /// PAD that only appends zero channels: paddings [[0,0],[0,0],[0,0],[0,n]].
    private func isChannelTailPad(_ pad: GraphNode) -> Bool {
        guard pad.inputs.count >= 2, let paddings = constants.integers[pad.inputs[1]], paddings.count == 8 else {
            return false
        }
        return paddings[0..<7].allSatisfy { $0 == 0 } && paddings[7] >= 0
    }
}

extension GraphNode {
    var isConvolutionWithoutActivation: Bool {
        switch kind {
        case let .conv2D(options), let .depthwiseConv2D(options): options.activation == .none
        default: false
        }
    }

    /// Moves an absorbed ADD's clamp activation onto the convolution.
    mutating func setActivation(_ activation: FusedActivation) {
        switch kind {
        case var .conv2D(options):
            options.activation = activation
            kind = .conv2D(options)
        case var .depthwiseConv2D(options):
            options.activation = activation
            kind = .depthwiseConv2D(options)
        default:
            break
        }
    }
}
