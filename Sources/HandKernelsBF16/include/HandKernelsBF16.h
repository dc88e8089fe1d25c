#ifndef SNAPRATE_HAND_KERNELS_BF16_H
#define SNAPRATE_HAND_KERNELS_BF16_H

#include <stddef.h>
#include <stdint.h>

/// What a bfloat16 tile does to its float sums before storing them, in HandEngine's order: a
/// residual add, the activation, an add after it (`post_add`, rows as far apart as the output's).
/// Pointers are at the tile's first pixel and channel; NULL for none.
typedef struct snaprate_bf16_epilogue {
    const float *residual;
    ptrdiff_t residual_stride;
    /// 0: none, 1: clamp to [lower, upper], 2: PRELU with per-channel `slopes`.
    int activation;
    float lower, upper;
    const float *slopes;
    const float *post_add;
} snaprate_bf16_epilogue;

/// Rows of a tile: the kernel reads its operand as `[SNAPRATE_BF16_TILE_ROWS][pairs]` dwords.
#define SNAPRATE_BF16_TILE_ROWS 12

/// Packs `rows` rows of A as the kernels read them, row r at `tile + r * pairs`: row r's
/// reduction is `segments` runs of `run` floats, `segment_stride` floats apart, starting at
/// `a + r * a_stride`; each value rounded to bfloat16 (to nearest, ties to even), two consecutive
/// values of the reduction to a dword (the first in the low half), a zero after an odd last one.
/// A last tile's rows past `rows` keep what they held: computed by the tile, never stored.
void snaprate_bf16_pack_rows(const float *a, ptrdiff_t a_stride, int rows, int segments, ptrdiff_t segment_stride,
                             int run, uint32_t *tile);

/// C = bias + A x W for `rows` packed rows, SNAPRATE_BF16_TILE_ROWS at a time, and 32 channels
/// (`second` a block after `first`) or 16 (`second` NULL), products of bfloat16 pairs summed in
/// float (AVX-512 BF16's VDPBF16PS); finished by `epilogue` (its pointers at the first row) and
/// stored at `output`, rows `output_stride` floats apart. Weights are `[pairs][16]` dwords per
/// block, packed like the rows. `half_second`: only the first 8 of `second`'s channels are stored.
/// Runs only where `snaprate_cpu_has_avx512_bf16` said so.
void snaprate_bf16_gemm_tiles(const uint32_t *tile, int pairs, int rows, const uint32_t *first,
                              const uint32_t *second, const float *bias, float *output, ptrdiff_t output_stride,
                              const snaprate_bf16_epilogue *epilogue, int half_second);

/// One row of A (packed as a tile's row: `pairs` dwords) times `blocks` whole blocks of weights,
/// `block_stride` dwords apart, plus `bias`: `blocks * 16` float sums at `output`, no epilogue.
/// For the last few rows of a chunk, where a tile would compute twelve.
void snaprate_bf16_gemm_row(const uint32_t *a, int pairs, const uint32_t *weights, ptrdiff_t block_stride,
                            int blocks, const float *bias, float *output);

#endif
