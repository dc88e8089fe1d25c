#ifndef SNAPRATE_CROP_KERNELS_H
#define SNAPRATE_CROP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Bilinear samples of an RGB8 image for `count` adjacent output pixels of one row of a warp, as
/// HandEngine's `AffineCrop` computes them: pixel i samples the source at
/// (origin_x + step_x * (first + i), origin_y + step_y * (first + i)), each channel blended as
/// `top = tl + (tr - tl) * fx`, `bottom = bl + (br - bl) * fx`, `(top + (bottom - top) * fy) * (1 / 255)`
/// in float32 without fused multiply-adds, and written as `count` RGB float triples at `output`.
/// Every sample's four neighbours must lie inside the image with one byte to spare after the top
/// right one (`AffineCrop.interiorSpan`), and the image must span fewer than 2^31 bytes.
void snaprate_crop_row_rgb8(const uint8_t *pixels, ptrdiff_t row_bytes, float origin_x, float origin_y,
                            float step_x, float step_y, int first, int count, float *output);

#endif
