#!/usr/bin/env bash
# The peer for the decode benchmark: the ffmpeg CLI decoding CLIP with one decoder thread.
# The clip is looped LOOPS times so the timing is not lost in the millisecond resolution of
# `ffmpeg -benchmark`; the best of RUNS runs counts. Prints "FRAMES SECONDS".
set -euo pipefail
clip=$1
runs=${2:-5}
loops=${3:-10}
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$clip")
best=""
for _ in $(seq "$runs"); do
  rtime=$(ffmpeg -hide_banner -nostdin -benchmark -threads 1 -stream_loop $((loops - 1)) -i "$clip" -f null - 2>&1 |
    sed -n 's/.*rtime=\([0-9.]*\)s.*/\1/p')
  if [ -z "$best" ] || awk -v a="$rtime" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$rtime; fi
done
echo "$((frames * loops)) $best"
