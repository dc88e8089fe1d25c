#!/usr/bin/env bash
# Makes SnapRate's own test clips from FFmpeg's lavfi test sources. Re-run to regenerate; the
# outputs are committed beside this script (under 2 MB in all). Needs the ffmpeg CLI and python3.
set -euo pipefail
cd "$(dirname "$0")"
ff=(ffmpeg -hide_banner -loglevel error -y)

# 640x480 VP8, 5 s at 30 fps, a keyframe every second: the decode benchmark's clip.
"${ff[@]}" -f lavfi -i "testsrc2=size=640x480:rate=30:duration=5" -c:v libvpx -b:v 600k -g 30 -keyint_min 30 \
  -deadline good -cpu-used 4 -pix_fmt yuv420p vp8_640x480.webm

# 320x240 VP9, 2 s at 30 fps.
"${ff[@]}" -f lavfi -i "testsrc=size=320x240:rate=30:duration=2" -c:v libvpx-vp9 -b:v 200k -g 30 \
  -deadline realtime -cpu-used 8 -pix_fmt yuv420p vp9_320x240.webm

# Muxed live to a pipe, as a camera would: clusters of unknown size, no cues, no seeking back;
# clusters of 200 ms that mostly do not start on a keyframe, as in browser recordings.
"${ff[@]}" -f lavfi -i "testsrc2=size=320x240:rate=30:duration=3" -c:v libvpx -b:v 300k -g 45 -keyint_min 45 \
  -deadline realtime -cpu-used 8 -f webm -live 1 -cluster_time_limit 200 - > live_vp8.webm

# The 640x480 clip cut at 60% of its bytes, mid-cluster.
size=$(stat -c %s vp8_640x480.webm)
head -c $((size * 6 / 10)) vp8_640x480.webm > truncated_vp8.webm

# A stream whose frames are over the default 4096 px limit (a strip, so the file stays tiny).
"${ff[@]}" -f lavfi -i "color=c=gray:size=4112x16:rate=5:duration=0.4" -c:v libvpx -b:v 50k \
  -deadline realtime huge_4112x16.webm

# Small clips in the codecs, sizes and pixel formats a camera rarely sends, for the fuzz run's seeds:
# H.264 4:4:4 at an odd size, Motion JPEG (4:2:2, full range) in Matroska, 10-bit VP9.
"${ff[@]}" -f lavfi -i "testsrc=size=97x61:rate=15:duration=1" -c:v libx264 -preset ultrafast -pix_fmt yuv444p -g 15 \
  h264_97x61.mkv
"${ff[@]}" -f lavfi -i "testsrc=size=65x33:rate=10:duration=1" -c:v mjpeg -pix_fmt yuvj422p -q:v 8 mjpeg_65x33.mkv
"${ff[@]}" -f lavfi -i "testsrc=size=96x64:rate=15:duration=1" -c:v libvpx-vp9 -pix_fmt yuv420p10le -profile:v 2 \
  -b:v 100k -deadline realtime -cpu-used 8 -g 15 vp9_10bit_96x64.webm

# Things that are not clips: audio, a still image, noise.
"${ff[@]}" -f lavfi -i "sine=frequency=440:duration=1" -c:a libmp3lame -b:a 32k tone.mp3
"${ff[@]}" -f lavfi -i "testsrc=size=64x48:rate=1:duration=1" -frames:v 1 still.png
python3 -c 'import random, sys; r = random.Random(20261125); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))' > garbage.bin

ls -l
