#!/usr/bin/env bash
# `snaprate analyze` against MediaPipe Hands in Python on the shared clips, in the same run.
# Prints frames per second (wall, and per CPU second) for both and the ratio, and SnapRate's own
# accuracy on the set (`snaprate eval`). MediaPipe runs from a venv made here on first use.
#
# Usage: [MODELS=lite|full] Benchmarks/run-analyze-vs-mediapipe.sh [GESTURES_DIR]
#        (default: lite models, ../shared/gestures)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gestures=${1:-$root/../shared/gestures}
models=${MODELS:-lite}
venv=${MEDIAPIPE_VENV:-$root/Benchmarks/.venv-mediapipe}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet mediapipe==0.10.21
fi
# The test suite's build settings, so that a tested tree is measured without a second full build.
(cd "$root" && swift build -c release -Xswiftc -enable-testing --product snaprate >/dev/null)
snaprate=$root/.build/release/snaprate
clips=("$gestures"/clips/*.webm)

read -r sr_frames sr_wall sr_cpu < <(python3 - "$snaprate" "$models" "${clips[@]}" <<'PY'
import json, resource, subprocess, sys, time
wall = time.perf_counter()
out = subprocess.run([sys.argv[1], "analyze", "--models", sys.argv[2], *sys.argv[3:]], check=True,
                     capture_output=True, text=True).stdout
wall = time.perf_counter() - wall
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
frames = sum(json.loads(l)["frames"] for l in out.splitlines() if '"summary"' in l)
print(frames, wall, usage.ru_utime + usage.ru_stime)
PY
)
mp_line=$("$venv/bin/python" "$root/Benchmarks/peers/mediapipe_hands.py" "${clips[@]}" | tail -1)
read -r mp_frames mp_wall mp_cpu <<<"$(echo "$mp_line" | awk '{print $4, $6, $8}')"

awk -v m="$models" -v f="$sr_frames" -v w="$sr_wall" -v c="$sr_cpu" -v mf="$mp_frames" -v mw="$mp_wall" -v mc="$mp_cpu" 'BEGIN {
  printf "%-34s %7s %9s %8s %10s\n", "", "frames", "wall s", "fps", "fps/CPU s"
  printf "%-34s %7d %9.2f %8.1f %10.1f\n", "snaprate analyze --models " m, f, w, f / w, f / c
  printf "%-34s %7d %9.2f %8.1f %10.1f\n", "MediaPipe Hands (complexity 1)", mf, mw, mf / mw, mf / mc
  printf "ratio (SnapRate / MediaPipe): %.2fx by wall clock, %.2fx per CPU second\n", (f / w) / (mf / mw), (f / c) / (mf / mc)
}'
echo "SnapRate accuracy on the same set: $("$snaprate" eval --models "$models" "$gestures" | tail -1)"
