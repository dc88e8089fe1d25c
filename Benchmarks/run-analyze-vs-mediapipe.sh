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
# Usage: [MODELS=lite|full] [ROUNDS=3] Benchmarks/run-analyze-vs-mediapipe.sh [GESTURES_DIR]
#        (default: lite models, three rounds, ../shared/gestures)
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

# ROUNDS rounds (default 3), each SnapRate's two runs then MediaPipe's, one line per round and the
# median of each column: a shared VM's speed drifts by 10-30% within minutes, and a ratio from
# runs minutes apart measures the drift as much as the programs.
rounds=${ROUNDS:-3}

compare() {
  local title=$1; shift
  local rows=""
  for round in $(seq "$rounds"); do
    read -r gf gw gc < <(snaprate_run --models "$models" "$@")
    read -r ef ew ec < <(snaprate_run --models "$models" --detect every-frame "$@")
    read -r mf mw mc < <(mediapipe_run "$@")
    rows+="$round $gf $gc $ef $ec $mf $mc"$'\n'
  done
  printf "%s" "$rows" | awk -v t="$title" -v m="$models" -v k="$complexity" '
    function median(values, count,    i, j, swap) {
      for (i = 2; i <= count; i++) for (j = i; j > 1 && values[j - 1] > values[j]; j--) {
        swap = values[j]; values[j] = values[j - 1]; values[j - 1] = swap
      }
      return count % 2 ? values[(count + 1) / 2] : (values[count / 2] + values[count / 2 + 1]) / 2
    }
    BEGIN {
      printf "%s: frames per CPU second (snaprate analyze --jobs 1 --models %s; MediaPipe Hands, model complexity %s)\n", t, m, k
      printf "%-8s %7s %12s %12s %12s %10s %12s\n", "round", "frames", "scene gate", "every frame", "MediaPipe", "gate / MP", "every / MP"
    }
    NF == 7 {
      n++; g[n] = $2 / $3; e[n] = $4 / $5; p[n] = $6 / $7; gr[n] = g[n] / p[n]; er[n] = e[n] / p[n]
      printf "%-8s %7d %12.1f %12.1f %12.1f %9.2fx %11.2fx\n", $1, $2, g[n], e[n], p[n], gr[n], er[n]
    }
    END {
      printf "%-8s %7s %12.1f %12.1f %12.1f %9.2fx %11.2fx\n", "median", "", median(g, n), median(e, n), median(p, n), median(gr, n), median(er, n)
    }'
}

compare "The shared clips" "$gestures"/clips/*.webm
compare "An idle clip (empty booth, 30 s)" "$idle"
echo "SnapRate accuracy on the same set: $("$snaprate" eval --models "$models" "$gestures" | tail -1)"
