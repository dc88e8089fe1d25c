#!/usr/bin/env bash
# `snaprate analyze --jobs 1` against MediaPipe Hands in Python, like against like: the same clips,
# the same model variant (lite against model complexity 0, full against 1), one after the other in
# the same run, measured in frames per CPU second. SnapRate runs twice: its default (the scene gate)
# and `--detect every-frame` (every picture searched, as MediaPipe does).
#
# On the shared clips, then on an idle clip (an empty booth, `make-venue-clips.sh`'s empty.webm; made
# here on first use). Prints SnapRate's own accuracy on the set (`snaprate eval`) at the end.
# MediaPipe runs from a venv made here on first use.
#
# Usage: [MODELS=lite|full] Benchmarks/run-analyze-vs-mediapipe.sh [GESTURES_DIR]
#        (default: lite models, ../shared/gestures)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gestures=${1:-$root/../shared/gestures}
models=${MODELS:-lite}
complexity=$([ "$models" = full ] && echo 1 || echo 0)
venv=${MEDIAPIPE_VENV:-$root/Benchmarks/.venv-mediapipe}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet mediapipe==0.10.21
fi
# The test suite's build settings, so that a tested tree is measured without a second full build.
# Quiet unless it fails: then its errors, not a silent exit.
if ! build_log=$(cd "$root" && swift build -c release -Xswiftc -enable-testing --product snaprate 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
snaprate=$root/.build/release/snaprate
idle=$root/Benchmarks/clips/empty.webm
[ -f "$idle" ] || "$root/Benchmarks/make-venue-clips.sh" "$root/Benchmarks/clips" "$gestures" >/dev/null

# Frames, wall seconds and CPU seconds of `snaprate analyze --jobs 1 ARGS...`.
snaprate_run() {
  python3 - "$snaprate" "$@" <<'PY'
import json, resource, subprocess, sys, time
wall = time.perf_counter()
out = subprocess.run([sys.argv[1], "analyze", "--jobs", "1", *sys.argv[2:]], check=True,
                     capture_output=True, text=True).stdout
wall = time.perf_counter() - wall
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
frames = sum(json.loads(l)["frames"] for l in out.splitlines() if '"summary"' in l)
print(frames, wall, usage.ru_utime + usage.ru_stime)
PY
}

mediapipe_run() {
  "$venv/bin/python" "$root/Benchmarks/peers/mediapipe_hands.py" --complexity "$complexity" "$@" | tail -1 \
    | awk '{print $4, $6, $8}'
}

compare() {
  local title=$1; shift
  read -r gf gw gc < <(snaprate_run --models "$models" "$@")
  read -r ef ew ec < <(snaprate_run --models "$models" --detect every-frame "$@")
  read -r mf mw mc < <(mediapipe_run "$@")
  awk -v t="$title" -v m="$models" -v k="$complexity" -v gf="$gf" -v gw="$gw" -v gc="$gc" -v ef="$ef" -v ew="$ew" \
      -v ec="$ec" -v mf="$mf" -v mw="$mw" -v mc="$mc" 'BEGIN {
    printf "%s\n%-46s %7s %9s %8s %10s %9s\n", t, "", "frames", "wall s", "fps", "fps/CPU s", "vs peer"
    printf "%-46s %7d %9.2f %8.1f %10.1f %8.2fx\n", "snaprate analyze --jobs 1 --models " m, gf, gw, gf / gw, gf / gc, (gf / gc) / (mf / mc)
    printf "%-46s %7d %9.2f %8.1f %10.1f %8.2fx\n", "  the same, --detect every-frame", ef, ew, ef / ew, ef / ec, (ef / ec) / (mf / mc)
    printf "%-46s %7d %9.2f %8.1f %10.1f %8.2fx\n", "MediaPipe Hands (model complexity " k ")", mf, mw, mf / mw, mf / mc, 1
  }'
}

compare "The shared clips" "$gestures"/clips/*.webm
compare "An idle clip (empty booth, 30 s)" "$idle"
echo "SnapRate accuracy on the same set: $("$snaprate" eval --models "$models" "$gestures" | tail -1)"
