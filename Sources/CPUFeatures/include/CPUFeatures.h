#ifndef SNAPRATE_CPU_FEATURES_H
#define SNAPRATE_CPU_FEATURES_H

/// 1 when the CPU has AVX-512 F, CD, BW, DQ and VL and the OS saves the 512-bit registers
/// (what code built for skylake-avx512 may use), else 0.
int snaprate_cpu_has_avx512(void);

/// 1 when, besides that, the CPU has AVX-512 BF16 (VDPBF16PS and the bfloat16 conversions), else 0.
int snaprate_cpu_has_avx512_bf16(void);

#endif
