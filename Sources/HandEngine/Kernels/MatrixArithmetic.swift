import CPUFeatures
import Foundation

/// How the convolutions' GEMM multiplies: in float32 throughout, or, on AVX-512 BF16, with its
/// two operands (weights and the layer's input) rounded to bfloat16 and their products summed in
/// float32, as VDPBF16PS does: twice the multiply-adds an instruction of the float32 FMA.
/// Everything else (depthwise convolutions, epilogues, the crop, the decoders of the outputs)
/// stays in float32.
///
/// Rounding to bfloat16 keeps 8 of float32's 24 significant bits, a relative error of at most
/// 2^-9 on each operand; the sums keep float32's. `docs/measurements.md` has what it changes in
/// landmarks, scores and ratings.
public enum MatrixArithmetic: Sendable {
    case float32
    case bfloat16

    /// bfloat16 where the CPU has AVX-512 BF16 and the wide kernels run, unless
    /// `SNAPRATE_MATRIX_ARITHMETIC=float32` asks for float32 (to compare the two on one machine).
    public static let detected: MatrixArithmetic = {
        if ProcessInfo.processInfo.environment["SNAPRATE_MATRIX_ARITHMETIC"] == "float32" { return .float32 }
        return VectorWidth.detected == .avx512 && available.contains(.bfloat16) ? .bfloat16 : .float32
    }()

    /// The arithmetics this machine can run.
    public static let available: [MatrixArithmetic] =
        snaprate_cpu_has_avx512_bf16() != 0 ? [.float32, .bfloat16] : [.float32]
}

extension Float {
    /// The upper half of this float rounded to nearest, ties to even: its bfloat16. (No NaNs in
    /// model weights, which is all this rounds.)
    var bfloat16Bits: UInt32 {
        let bits = bitPattern
        return (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
    }
}
