/// What a wide tile does to its sums before storing them, in registers, in HandEngine's order:
/// a residual add, the activation, an add after it. Pointers are at the tile's first pixel and
/// channel; the residual's rows are `residualStride` floats apart, `postAdd`'s as the output's.
public struct WideEpilogue {
    public var residual: UnsafePointer<Float>?
    public var residualStride = 0
    public var activation: Activation = .none
    public var postAdd: UnsafePointer<Float>?

    public enum Activation {
        case none
        case clamp(lower: Float, upper: Float)
        /// Per-channel slopes for negative values, at the tile's first channel.
        case prelu(UnsafePointer<Float>)
    }

    public init() {}
}
