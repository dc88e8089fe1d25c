#include "CPUFeatures.h"

#if defined(__x86_64__)
#include <cpuid.h>

int snaprate_cpu_has_avx512(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE)) return 0;
    // XCR0: the OS saves SSE, AVX, opmask and both halves of the 512-bit register file.
    unsigned low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    if ((low & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned needed = bit_AVX512F | bit_AVX512CD | bit_AVX512BW | bit_AVX512DQ | bit_AVX512VL;
    return (ebx & needed) == needed;
}

int snaprate_cpu_has_avx512_bf16(void) {
    unsigned eax, ebx, ecx, edx;
    if (!snaprate_cpu_has_avx512() || !__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
    return (eax >> 5) & 1;  // CPUID.(EAX=7, ECX=1):EAX[5], AVX512_BF16
}
#else
int snaprate_cpu_has_avx512(void) { return 0; }
int snaprate_cpu_has_avx512_bf16(void) { return 0; }
#endif
