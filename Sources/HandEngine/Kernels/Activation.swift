/// The elementwise nonlinearity at the end of a fused kernel. Clamp activations (RELU, RELU6,
/// RELU_N1_TO_1) are a min/max pair; PRELU takes a per-channel slope.
///
/// Vector code here is SIMD8 (one ymm register): on SIMD16, Swift lowers compares and selects
/// lane by lane, while on SIMD8 `replacing(with:where:)` against a vector becomes vmaxps/vminps.
enum Activation {
    case none
    case clamp(lower: Float, upper: Float)
    /// Per-channel slopes for negative inputs, padded with zeros to the kernel's channel blocking.
    case prelu(UnsafePointer<Float>)

    /// The clamp range of a tflite fused activation, or nil for ones that are not a clamp.
    static func fused(_ activation: FusedActivation) -> Activation? {
        switch activation {
        case .none: Activation.none
        case .relu: .clamp(lower: 0, upper: .infinity)
        case .relu6: .clamp(lower: 0, upper: 6)
        case .reluN1To1: .clamp(lower: -1, upper: 1)
        case .tanh, .signBit: nil
        }
    }
}

extension SIMD8 where Scalar == Float {
    /// min(max(self, lower), upper) as vmaxps + vminps.
    @inline(__always)
    func clamped(_ lower: SIMD8<Float>, _ upper: SIMD8<Float>) -> SIMD8<Float> {
        let raised = replacing(with: lower, where: self .< lower)
        return raised.replacing(with: upper, where: raised .> upper)
    }

    /// max(x, 0) + slope * min(x, 0): PRELU without a per-lane branch.
    @inline(__always)
    func prelu(_ slope: SIMD8<Float>) -> SIMD8<Float> {
        let zero = SIMD8<Float>(repeating: 0)
        let positive = replacing(with: zero, where: self .< zero)
        let negative = replacing(with: zero, where: self .> zero)
        return positive.addingProduct(slope, negative)
    }
}
