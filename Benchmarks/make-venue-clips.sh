#!/usr/bin/env bash
# Makes the clips of a venue for `snaprate loadtest --clip`, from the shared photos, the way the
# shared kiosk sessions were made (photos letterboxed to 640x480, VP8 at 30 fps, a keyframe a second),
# plus a camera's sensor noise, so that no two frames of a still scene are the same (NOISE, the
# strength of FFmpeg's temporal noise filter: default 2, a webcam in a lit booth; 0 none; 3 a dim
# room. A still scene's decoding cost grows with it: the encoder spends its bits on the noise):
#   empty.webm     30 s of an empty booth (a plain wall)
#   passing.webm   24 s: a visitor walks through the picture every 8 s, showing no thumb
#   thumbs.webm    30 s: the booth empty, then a visitor giving a thumb up, empty again, a thumb down
# The clips are made from data the repository must not hold: they go to OUT (default
# Benchmarks/clips, ignored by git). Needs the ffmpeg CLI and python3.
#
# Usage: [NOISE=2] Benchmarks/make-venue-clips.sh [OUT] [GESTURES_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/Benchmarks/clips}
gestures=${2:-$root/../shared/gestures}
images=$gestures/images
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ff=(ffmpeg -hide_banner -loglevel error -y)
# VP8 as the shared clips are encoded.
noise="noise=alls=${NOISE:-2}:allf=t,format=yuv420p"
encode=(-r 30 -fps_mode cfr -c:v libvpx -deadline realtime -cpu-used 8 -b:v 1M -g 30 -keyint_min 30 -an)
fit="scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1"

# The wall: a photo of the shared set without a hand or a person, filling the picture.
wall=$images/none/MBSL_empty_0.jpg
"${ff[@]}" -i "$wall" -vf "scale=640:480,setsar=1" -q:v 2 "$work/wall.jpg"

"${ff[@]}" -loop 1 -framerate 30 -t 30 -i "$work/wall.jpg" -vf "$noise" "${encode[@]}" "$out/empty.webm"

# A person (a webcam photo of someone making another hand shape) crosses the picture in 3 s of
# every 8, left to right.
person=$(ls "$images"/none/CNDZ_hello_*.jpg | sort | head -1)
"${ff[@]}" -loop 1 -framerate 30 -t 24 -i "$work/wall.jpg" -loop 1 -framerate 30 -t 24 -i "$person" \
  -filter_complex "[1]scale=400:300[p];[0][p]overlay=x='if(lt(mod(t,8),3),-w+mod(t,8)/3*(W+w),W)':y=H-h:shortest=1,$noise" \
  "${encode[@]}" "$out/passing.webm"

# Photos held 7 frames each (0.23 s), grouped as a visitor's gesture, between stretches of the
# empty wall: the shared kiosk sessions' recipe.
python3 - "$images" "$work" <<'PY'
import glob, os, sys
images, work = sys.argv[1], sys.argv[2]
def photos(cls, source, count):
    return sorted(glob.glob(os.path.join(images, cls, f"{source}_*.jpg")))[:count]
hold = 7 / 30
wall = os.path.join(work, "wall.jpg")
script = []
def show(path, seconds):
    script.append(f"file '{path}'\nduration {seconds:.6f}")
show(wall, 8)
for path in photos("none", "JSAK", 3) + photos("up", "JSAK", 4) + photos("up", "DIDI", 4) + photos("none", "JSAK", 3)[::-1]:
    show(path, hold)
show(wall, 8)
for path in photos("none", "DIDI", 3) + photos("down", "JSAK", 8) + photos("none", "DIDI", 3)[::-1]:
    show(path, hold)
show(wall, 6)
script.append(f"file '{wall}'")  # the concat demuxer drops the last entry's duration
open(os.path.join(work, "thumbs.txt"), "w").write("\n".join(script) + "\n")
PY
"${ff[@]}" -f concat -safe 0 -i "$work/thumbs.txt" -vf "$fit,fps=30,$noise" "${encode[@]}" -t 30 "$out/thumbs.webm"

for clip in empty passing thumbs; do
  echo "$out/$clip.webm: $(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$out/$clip.webm")"
done
