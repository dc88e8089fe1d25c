/// One runtime op of the model after constant folding, with the ops fused into it.
struct GraphNode {
    enum Kind {
        case conv2D(ConvOptions)
        case depthwiseConv2D(ConvOptions)
        case add(FusedActivation)
        case prelu
        case maxPool2D(PoolOptions)
        case pad
        case resizeBilinear(ResizeBilinearOptions)
        case reshape
        case concatenation(axis: Int, activation: FusedActivation)
        case mean(keepDims: Bool)
        case fullyConnected(FusedActivation)
        case logistic
    }

    /// Ops folded into a convolution's epilogue, by tensor index.
    struct Fusion {
        /// Added before the activation; may have fewer channels than the output (zero-padded).
        var residual: Int?
        /// PRELU slope tensor applied after the residual.
        var preluSlopes: Int?
        /// Added after the activation.
        var postAdd: Int?
    }

    var kind: Kind
    /// Index of the op in the model file, for messages.
    var opIndex: Int
    var name: String
    var inputs: [Int]
    var outputs: [Int]
    var fusion = Fusion()

    /// Every tensor the node reads, fused ones included (for lifetimes).
    var reads: [Int] {
        inputs.filter { $0 >= 0 } + [fusion.residual, fusion.preluSlopes, fusion.postAdd].compactMap { $0 }
    }
}
