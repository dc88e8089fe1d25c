// The only C in SnapRate: FFmpeg's headers, plus static inline re-exports of what Swift cannot
// import (function-like macros) and of pointer-heavy calls that are clumsy from Swift
// (AVFrame.data and linesize arrive as tuples).
#ifndef SNAPRATE_CFFMPEG_SHIM_H
#define SNAPRATE_CFFMPEG_SHIM_H

#include <errno.h>
#include <string.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
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

#endif
