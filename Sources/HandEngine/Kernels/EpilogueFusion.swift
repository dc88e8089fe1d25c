/// The graph ops folded into a convolution's store, as decided when the model is loaded.
/// Owns the storage the resulting `Epilogue` points into, so kernels keep it alive.
struct EpilogueFusion {
    var activation: FusedActivation = .none
    /// PRELU slopes (one per output channel) when a PRELU follows the convolution.
    var preluSlopes: [Float]?
    /// A tensor added before the activation (ADD fused in), and its channel count.
    var residual: ResidualInput?
    /// A tensor added after the activation (ADD following a fused PRELU).
    var postAdd: UnsafePointer<Float>?

    private(set) var slopeStorage: AlignedBuffer?

    init() {}

    /// Builds the epilogue for an output with `channels` channels.
    mutating func epilogue(channels: Int) -> Epilogue {
        var nonlinearity = Activation.fused(activation) ?? .none
        if let preluSlopes {
            let storage = AlignedBuffer(copying: preluSlopes)
            slopeStorage = storage
            nonlinearity = .prelu(UnsafePointer(storage.pointer))
        }
        return Epilogue(channels: channels, residual: residual, activation: nonlinearity, postAdd: postAdd)
    }
}
