// The only C in SnapRate: FFmpeg's headers, plus static inline re-exports of what Swift cannot
// import (function-like macros) and of pointer-heavy calls that are clumsy from Swift
// (AVFrame.data and linesize arrive as tuples).
#ifndef SNAPRATE_CFFMPEG_SHIM_H
#define SNAPRATE_CFFMPEG_SHIM_H

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/buffer.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

static inline int snaprate_averror(int posix_error) { return AVERROR(posix_error); }
static inline int snaprate_averror_eof(void) { return AVERROR_EOF; }
static inline int snaprate_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int snaprate_averror_enomem(void) { return AVERROR(ENOMEM); }
static inline int snaprate_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t snaprate_nopts_value(void) { return AV_NOPTS_VALUE; }

/// av_err2str is a macro over a compound literal; this writes the message into a caller buffer.
static inline const char *snaprate_error_string(int code, char *buffer, size_t size) {
    av_strerror(code, buffer, size);
    return buffer;
}

static inline uint8_t *snaprate_frame_plane(const AVFrame *frame, int plane) {
    return frame->data[plane];
}

static inline int snaprate_frame_linesize(const AVFrame *frame, int plane) {
    return frame->linesize[plane];
}

static inline int snaprate_frame_is_key(const AVFrame *frame) {
    return frame->key_frame != 0;
}

/// Scales or converts a decoded frame into one packed destination image (RGB24 or GRAY8).
static inline int snaprate_scale_to_packed(struct SwsContext *context, const AVFrame *frame,
                                           uint8_t *destination, int destination_stride) {
    uint8_t *planes[4] = { destination, NULL, NULL, NULL };
    int strides[4] = { destination_stride, 0, 0, 0 };
    return sws_scale(context, (const uint8_t * const *)frame->data, frame->linesize, 0, frame->height,
                     planes, strides);
}

/// Scales or converts a decoded frame into a planar `format` (YUV420P), then copies the planes
/// tightly packed into `destination` (Y, then U, then V). The planes are scaled into a frame of
/// their own first: libswscale's SIMD writers may run past a row's end, which in one packed
/// buffer would land on the next plane. Returns the bytes written or a negative error.
static inline int snaprate_scale_to_planes(struct SwsContext *context, const AVFrame *frame, uint8_t *destination,
                                           int size, enum AVPixelFormat format, int width, int height) {
    AVFrame *scaled = av_frame_alloc();
    if (!scaled) return AVERROR(ENOMEM);
    scaled->format = format;
    scaled->width = width;
    scaled->height = height;
    int status = av_frame_get_buffer(scaled, 0);
    if (status >= 0) {
        status = sws_scale(context, (const uint8_t * const *)frame->data, frame->linesize, 0, frame->height,
                           scaled->data, scaled->linesize);
        status = status == height
            ? av_image_copy_to_buffer(destination, size, (const uint8_t * const *)scaled->data, scaled->linesize,
                                      format, width, height, 1)
            : AVERROR(EINVAL);
    }
    av_frame_free(&scaled);
    return status;
}

/// Copies a frame's planes into one tightly packed buffer (for example YUV420P: Y, then U, then V).
static inline int snaprate_copy_planes(const AVFrame *frame, uint8_t *destination, int size) {
    return av_image_copy_to_buffer(destination, size, (const uint8_t * const *)frame->data, frame->linesize,
                                   (enum AVPixelFormat)frame->format, frame->width, frame->height, 1);
}

/// Picture buffers shared by every decoder given the same pool (`snaprate_use_frame_pool`), one
/// AVBufferPool per buffer size. FFmpeg's own pool is per decoder and keeps as many buffers as
/// that decoder ever held at once; a VP8 stream holds 3.6 on average but 5 at its peak, so
/// sixteen streams kept 80 where, shared, the peak of their sum is far lower.
#define SNAPRATE_FRAME_POOL_SIZES 8
typedef struct snaprate_frame_pool {
    pthread_mutex_t lock;
    int count;
    size_t sizes[SNAPRATE_FRAME_POOL_SIZES];
    AVBufferPool *pools[SNAPRATE_FRAME_POOL_SIZES];
} snaprate_frame_pool;

static inline snaprate_frame_pool *snaprate_frame_pool_create(void) {
    snaprate_frame_pool *pool = av_mallocz(sizeof(snaprate_frame_pool));
    if (pool) pthread_mutex_init(&pool->lock, NULL);
    return pool;
}

/// Call once no decoder uses the pool. Buffers still out (in frames) stay valid: each size's
/// AVBufferPool is freed when its last buffer comes back.
static inline void snaprate_frame_pool_free(snaprate_frame_pool *pool) {
    for (int i = 0; i < pool->count; i++) av_buffer_pool_uninit(&pool->pools[i]);
    pthread_mutex_destroy(&pool->lock);
    av_free(pool);
}

static inline AVBufferPool *snaprate_frame_pool_sized(snaprate_frame_pool *pool, size_t size) {
    AVBufferPool *found = NULL;
    pthread_mutex_lock(&pool->lock);
    for (int i = 0; i < pool->count && !found; i++) {
        if (pool->sizes[i] == size) found = pool->pools[i];
    }
    if (!found && pool->count < SNAPRATE_FRAME_POOL_SIZES) {
        found = av_buffer_pool_init(size, NULL);
        if (found) {
            pool->sizes[pool->count] = size;
            pool->pools[pool->count++] = found;
        }
    }
    pthread_mutex_unlock(&pool->lock);
    return found;
}

/// get_buffer2 over the shared pool, laid out as FFmpeg's default: dimensions aligned for the
/// codec, every plane's line a multiple of 64 bytes (the widest SIMD loads), 16 + 63 bytes of
/// padding at the end; all planes in one buffer. Anything unusual goes to FFmpeg's default.
static inline int snaprate_shared_get_buffer2(AVCodecContext *codec, AVFrame *frame, int flags) {
    snaprate_frame_pool *pool = codec->opaque;
    const AVPixFmtDescriptor *descriptor = av_pix_fmt_desc_get((enum AVPixelFormat)frame->format);
    if (!pool || !descriptor || codec->codec_type != AVMEDIA_TYPE_VIDEO
        || !(codec->codec->capabilities & AV_CODEC_CAP_DR1)
        || (descriptor->flags & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)))
        return avcodec_default_get_buffer2(codec, frame, flags);
    int width = frame->width, height = frame->height;
    int linesize_align[AV_NUM_DATA_POINTERS];
    avcodec_align_dimensions2(codec, &width, &height, linesize_align);
    int linesizes[4];
    int aligned;
    do {
        if (av_image_fill_linesizes(linesizes, (enum AVPixelFormat)frame->format, width) < 0) return AVERROR(EINVAL);
        width += width & ~(width - 1);
        aligned = 1;
        for (int i = 0; i < 4; i++) {
            int alignment = linesize_align[i] > 64 ? linesize_align[i] : 64;
            if (linesizes[i] % alignment) aligned = 0;
        }
    } while (!aligned);
    ptrdiff_t strides[4] = {linesizes[0], linesizes[1], linesizes[2], linesizes[3]};
    size_t plane_sizes[4];
    if (av_image_fill_plane_sizes(plane_sizes, (enum AVPixelFormat)frame->format, height, strides) < 0) return AVERROR(EINVAL);
    size_t total = 16 + 64 - 1;
    for (int i = 0; i < 4; i++) total += plane_sizes[i];
    AVBufferPool *sized = snaprate_frame_pool_sized(pool, total);
    if (!sized) return avcodec_default_get_buffer2(codec, frame, flags);
    frame->buf[0] = av_buffer_pool_get(sized);
    if (!frame->buf[0]) return AVERROR(ENOMEM);
    uint8_t *data = frame->buf[0]->data;
    for (int i = 0; i < 4; i++) {
        frame->data[i] = plane_sizes[i] ? data : NULL;
        frame->linesize[i] = plane_sizes[i] ? linesizes[i] : 0;
        data += plane_sizes[i];
    }
    frame->extended_data = frame->data;
    return 0;
}

/// Makes `codec` take its picture buffers from `pool`; before avcodec_open2.
static inline void snaprate_use_frame_pool(AVCodecContext *codec, snaprate_frame_pool *pool) {
    codec->opaque = pool;
    codec->get_buffer2 = snaprate_shared_get_buffer2;
}

#endif
