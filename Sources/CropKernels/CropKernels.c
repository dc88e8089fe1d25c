// The interior of AffineCrop's warp, eight output pixels at a time on AVX2: the Swift loop took a
// pixel at a time, four scalar texel loads and their conversions each, and the crops were 6.5% of
// `analyze` with the full models. In C because Swift cannot spell a gather. Built for AVX2 by its
// attribute alone, which every machine SnapRate runs on has.
#include "CropKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2")))

// Products and sums round separately, as in the Swift they stand for.
#pragma clang fp contract(off)

// One channel of eight gathered texels (R, G, B and a spare byte each) as floats.
AVX2_TARGET __attribute__((always_inline))
static inline __m256 channel(__m256i texels, int shift) {
    const __m256i byte = _mm256_and_si256(_mm256_srli_epi32(texels, shift), _mm256_set1_epi32(0xFF));
    return _mm256_cvtepi32_ps(byte);
}

// a + (b - a) * t, in that order and unfused, as the Swift blend rounds it.
AVX2_TARGET __attribute__((always_inline))
static inline __m256 blend(__m256 a, __m256 b, __m256 t) {
    return _mm256_add_ps(a, _mm256_mul_ps(_mm256_sub_ps(b, a), t));
}

// One channel of eight samples from their four neighbours' texels.
AVX2_TARGET __attribute__((always_inline))
static inline __m256 sample(__m256i tl, __m256i tr, __m256i bl, __m256i br, __m256 fx, __m256 fy, int shift) {
    const __m256 upper = blend(channel(tl, shift), channel(tr, shift), fx);
    const __m256 lower = blend(channel(bl, shift), channel(br, shift), fx);
    return _mm256_mul_ps(blend(upper, lower, fy), _mm256_set1_ps(1.0f / 255.0f));
}

AVX2_TARGET
void snaprate_crop_row_rgb8(const uint8_t *pixels, ptrdiff_t row_bytes, float origin_x, float origin_y,
                            float step_x, float step_y, int first, int count, float *output) {
    const int *base = (const int *)pixels;
    const __m256 lanes = _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i rows = _mm256_set1_epi32((int)row_bytes);
    // Where each channel's eight values go among the 24 floats of eight RGB pixels.
    const __m256i r0 = _mm256_setr_epi32(0, 0, 0, 1, 0, 0, 2, 0), g0 = _mm256_setr_epi32(0, 0, 0, 0, 1, 0, 0, 2);
    const __m256i b0 = _mm256_setr_epi32(0, 0, 0, 0, 0, 1, 0, 0), r1 = _mm256_setr_epi32(0, 3, 0, 0, 4, 0, 0, 5);
    const __m256i g1 = _mm256_setr_epi32(0, 0, 3, 0, 0, 4, 0, 0), b1 = _mm256_setr_epi32(2, 0, 0, 3, 0, 0, 4, 0);
    const __m256i r2 = _mm256_setr_epi32(0, 0, 6, 0, 0, 7, 0, 0), g2 = _mm256_setr_epi32(5, 0, 0, 6, 0, 0, 7, 0);
    const __m256i b2 = _mm256_setr_epi32(0, 5, 0, 0, 6, 0, 0, 7);
    int i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 x = _mm256_add_ps(_mm256_set1_ps((float)(first + i)), lanes);
        // x is exact (a small integer), so x + lane is the Swift loop's Float(x) for each pixel.
        const __m256 px = _mm256_add_ps(_mm256_set1_ps(origin_x), _mm256_mul_ps(_mm256_set1_ps(step_x), x));
        const __m256 py = _mm256_add_ps(_mm256_set1_ps(origin_y), _mm256_mul_ps(_mm256_set1_ps(step_y), x));
        const __m256 floor_x = _mm256_floor_ps(px), floor_y = _mm256_floor_ps(py);
        const __m256 fx = _mm256_sub_ps(px, floor_x), fy = _mm256_sub_ps(py, floor_y);
        const __m256i top = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_cvttps_epi32(floor_y), rows),
                                             _mm256_mullo_epi32(_mm256_cvttps_epi32(floor_x), _mm256_set1_epi32(3)));
        const __m256i bottom = _mm256_add_epi32(top, rows);
        const __m256i three = _mm256_set1_epi32(3);
        const __m256i tl = _mm256_i32gather_epi32(base, top, 1);
        const __m256i tr = _mm256_i32gather_epi32(base, _mm256_add_epi32(top, three), 1);
        const __m256i bl = _mm256_i32gather_epi32(base, bottom, 1);
        const __m256i br = _mm256_i32gather_epi32(base, _mm256_add_epi32(bottom, three), 1);
        const __m256 r = sample(tl, tr, bl, br, fx, fy, 0);
        const __m256 g = sample(tl, tr, bl, br, fx, fy, 8);
        const __m256 b = sample(tl, tr, bl, br, fx, fy, 16);
        float *out = output + (ptrdiff_t)i * 3;
        // R0 G0 B0 R1 G1 B1 R2 G2 | B2 R3 G3 B3 R4 G4 B4 R5 | G5 B5 R6 G6 B6 R7 G7 B7
        _mm256_storeu_ps(out, _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(r, r0), _mm256_permutevar8x32_ps(g, g0), 0x92),
                                              _mm256_permutevar8x32_ps(b, b0), 0x24));
        _mm256_storeu_ps(out + 8, _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(r, r1), _mm256_permutevar8x32_ps(g, g1), 0x24),
                                                  _mm256_permutevar8x32_ps(b, b1), 0x49));
        _mm256_storeu_ps(out + 16, _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(r, r2), _mm256_permutevar8x32_ps(g, g2), 0x49),
                                                   _mm256_permutevar8x32_ps(b, b2), 0x92));
    }
}
#else
void snaprate_crop_row_rgb8(const uint8_t *pixels, ptrdiff_t row_bytes, float origin_x, float origin_y,
                            float step_x, float step_y, int first, int count, float *output) { __builtin_trap(); }
#endif
