// The GEMM's kernels on AVX-512 BF16. In C rather than in Swift with HandKernels512: Swift has no
// bfloat16 vector type, so VDPBF16PS and its conversions cannot be spelled there. Only the
// functions carry the target attribute; the rest of the program stays on AVX2, and HandEngine
// calls these only where the CPU has the extension.
#include "HandKernelsBF16.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#define ROWS SNAPRATE_BF16_TILE_ROWS

// A bfloat16's bits inside the dwords of a packed row, which the kernels read as uint32_t.
typedef uint16_t __attribute__((may_alias)) bfloat16_bits;

BF16_TARGET
void snaprate_bf16_pack_rows(const float *a, ptrdiff_t a_stride, int rows, int segments, ptrdiff_t segment_stride,
                             int run, uint32_t *tile) {
    const int pairs = (segments * run + 1) / 2;
    if (segments == 1 && a_stride == run && run % 2 == 0) {
        // Rows back to back, each a whole number of dwords: the tile is the rows' floats in a row.
        const ptrdiff_t count = (ptrdiff_t)rows * run;
        for (ptrdiff_t i = 0; i < count; i += 32) {
            const ptrdiff_t left = count - i;
            if (left >= 32) {
                const __m512bh rounded = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(a + i));
                _mm512_storeu_si512(tile + i / 2, (__m512i)rounded);
            } else {
                const __mmask16 low = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
                const __mmask16 high = left > 16 ? (__mmask16)((1u << (left - 16)) - 1) : 0;
                const __m512bh rounded = _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(high, a + i + 16),
                                                             _mm512_maskz_loadu_ps(low, a + i));
                _mm512_mask_storeu_epi16(tile + i / 2, (__mmask32)((1ull << left) - 1), (__m512i)rounded);
            }
        }
        return;
    }
    for (int r = 0; r < rows; r++) {
        // The runs join up in bfloat16s, whatever their parity: a run may start in a dword's
        // upper half.
        bfloat16_bits *target = (bfloat16_bits *)(tile + r * pairs);
        for (int s = 0; s < segments; s++) {
            const float *source = a + r * a_stride + s * segment_stride;
            for (int i = 0; i < run; i += 16) {
                const int left = run - i;
                const __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
                const __m256bh rounded = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(mask, source + i));
                _mm256_mask_storeu_epi16(target + i, mask, (__m256i)rounded);
            }
            target += run;
        }
        if ((segments * run) % 2) *target = 0;
    }
}

BF16_TARGET __attribute__((always_inline))
static inline __m512 finish(__m512 sum, const snaprate_bf16_epilogue *epilogue, const float *residual,
                            const float *slopes, const float *post_add, __mmask16 lanes) {
    if (residual) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(lanes, residual));
    switch (epilogue->activation) {
    case 1:
        sum = _mm512_min_ps(_mm512_max_ps(sum, _mm512_set1_ps(epilogue->lower)), _mm512_set1_ps(epilogue->upper));
        break;
    case 2: {
        const __m512 zero = _mm512_setzero_ps();
        sum = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes, slopes), _mm512_min_ps(sum, zero), _mm512_max_ps(sum, zero));
        break;
    }
    default:
        break;
    }
    if (post_add) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(lanes, post_add));
    return sum;
}

BF16_TARGET __attribute__((always_inline))
static inline void tile(const uint32_t *a, int pairs, int valid_rows, const uint32_t *first, const uint32_t *second,
                        const float *bias, float *output, ptrdiff_t output_stride,
                        const snaprate_bf16_epilogue *epilogue, int half_second, const int pair) {
    __m512 low[ROWS], high[ROWS];
    const __m512 low_bias = _mm512_loadu_ps(bias);
    const __m512 high_bias = pair ? _mm512_loadu_ps(bias + 16) : _mm512_setzero_ps();
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < ROWS; r++) { low[r] = low_bias; high[r] = high_bias; }
    for (int k = 0; k < pairs; k++) {
        const __m512bh w0 = (__m512bh)_mm512_load_si512(first + k * 16);
        const __m512bh w1 = pair ? (__m512bh)_mm512_load_si512(second + k * 16) : w0;
        _Pragma("clang loop unroll(full)")
        for (int r = 0; r < ROWS; r++) {
            const __m512bh x = (__m512bh)_mm512_set1_epi32((int)a[r * pairs + k]);
            low[r] = _mm512_dpbf16_ps(low[r], x, w0);
            if (pair) high[r] = _mm512_dpbf16_ps(high[r], x, w1);
        }
    }
    const __mmask16 all = 0xFFFF, second_lanes = half_second ? (__mmask16)0x00FF : all;
    const int activation_slopes = epilogue->activation == 2;
    // Rows past `valid_rows` were computed and are dropped here. Unrolled so that the sums stay
    // in their registers: a loop indexes them, which puts them on the stack first.
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < ROWS; r++) {
        if (r >= valid_rows) continue;
        const float *residual = epilogue->residual ? epilogue->residual + r * epilogue->residual_stride : NULL;
        const float *post_add = epilogue->post_add ? epilogue->post_add + r * output_stride : NULL;
        const float *slopes = activation_slopes ? epilogue->slopes : NULL;
        float *target = output + r * output_stride;
        _mm512_storeu_ps(target, finish(low[r], epilogue, residual, slopes, post_add, all));
        if (pair) {
            const __m512 sum = finish(high[r], epilogue, residual ? residual + 16 : NULL,
                                      slopes ? slopes + 16 : NULL, post_add ? post_add + 16 : NULL, second_lanes);
            _mm512_mask_storeu_ps(target + 16, second_lanes, sum);
        }
    }
}

BF16_TARGET
void snaprate_bf16_gemm_tiles(const uint32_t *a, int pairs, int rows, const uint32_t *first, const uint32_t *second,
                              const float *bias, float *output, ptrdiff_t output_stride,
                              const snaprate_bf16_epilogue *epilogue, int half_second) {
    // One call for all of a chunk's tiles: a layer with a short reduction has thousands of them,
    // each only a hundred cycles of products.
    snaprate_bf16_epilogue at_tile = *epilogue;
    for (int first_row = 0; first_row < rows; first_row += ROWS) {
        const int valid = rows - first_row < ROWS ? rows - first_row : ROWS;
        const uint32_t *operand = a + (ptrdiff_t)first_row * pairs;
        float *target = output + first_row * output_stride;
        if (second) {
            tile(operand, pairs, valid, first, second, bias, target, output_stride, &at_tile, half_second, 1);
        } else {
            tile(operand, pairs, valid, first, NULL, bias, target, output_stride, &at_tile, 0, 0);
        }
        if (at_tile.residual) at_tile.residual += ROWS * at_tile.residual_stride;
        if (at_tile.post_add) at_tile.post_add += ROWS * output_stride;
    }
}

BF16_TARGET
void snaprate_bf16_gemm_row(const uint32_t *a, int pairs, const uint32_t *weights, ptrdiff_t block_stride,
                            int blocks, const float *bias, float *output) {
    // Eight blocks at a time share each broadcast; a last group of fewer repeats its last block
    // (computed, not stored) so that the loop stays the same.
    for (int first = 0; first < blocks; first += 8) {
        const int count = blocks - first < 8 ? blocks - first : 8;
        const uint32_t *w[8];
        __m512 sum[8];
        _Pragma("clang loop unroll(full)")
        for (int j = 0; j < 8; j++) {
            const int block = first + (j < count ? j : count - 1);
            w[j] = weights + block * block_stride;
            sum[j] = _mm512_loadu_ps(bias + block * 16);
        }
        for (int k = 0; k < pairs; k++) {
            const __m512bh x = (__m512bh)_mm512_set1_epi32((int)a[k]);
            _Pragma("clang loop unroll(full)")
            for (int j = 0; j < 8; j++) sum[j] = _mm512_dpbf16_ps(sum[j], x, (__m512bh)_mm512_load_si512(w[j] + k * 16));
        }
        _Pragma("clang loop unroll(full)")
        for (int j = 0; j < 8; j++) {
            if (j < count) _mm512_storeu_ps(output + (first + j) * 16, sum[j]);
        }
    }
}

#else
void snaprate_bf16_gemm_row(const uint32_t *a, int pairs, const uint32_t *weights, ptrdiff_t block_stride,
                            int blocks, const float *bias, float *output) { __builtin_trap(); }
void snaprate_bf16_pack_rows(const float *a, ptrdiff_t a_stride, int rows, int segments, ptrdiff_t segment_stride,
                             int run, uint32_t *tile) { __builtin_trap(); }
void snaprate_bf16_gemm_tiles(const uint32_t *a, int pairs, int rows, const uint32_t *first, const uint32_t *second,
                              const float *bias, float *output, ptrdiff_t output_stride,
                              const snaprate_bf16_epilogue *epilogue, int half_second) { __builtin_trap(); }
#endif
