import CPUFeatures
import Foundation

/// The vectors the convolutions run on: AVX2's 256 bits, which every machine SnapRate targets
/// has, or AVX-512's 512 where the CPU has it (`HandKernels512`: the GEMM and the depthwise
/// interiors). On a CPU with full-width 512-bit units the wide kernels do twice the FMAs an
/// instruction; the rest of the engine stays on AVX2.
public enum VectorWidth: Sendable {
    case avx2
    case avx512

    /// AVX-512 where the CPU and OS support it, unless `SNAPRATE_VECTOR_WIDTH=256` asks for the
    /// AVX2 kernels (to compare the two on one machine).
    public static let detected: VectorWidth = {
        if ProcessInfo.processInfo.environment["SNAPRATE_VECTOR_WIDTH"] == "256" { return .avx2 }
        return available.contains(.avx512) ? .avx512 : .avx2
    }()

    /// The widths this machine can run.
    public static let available: [VectorWidth] = snaprate_cpu_has_avx512() != 0 ? [.avx2, .avx512] : [.avx2]
}
