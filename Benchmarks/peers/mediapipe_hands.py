#!/usr/bin/env python3
"""The peer for `snaprate analyze`: MediaPipe Hands (mediapipe==0.10.21) in video mode, up to two
hands, on the same clips; model complexity 0 (the lite models) or 1 (the full ones).

Decodes each clip with OpenCV and runs Hands.process on every frame. Prints one line per clip and a
total: frames, wall seconds (decode + detection), CPU seconds, frames per second.

Usage: python3 mediapipe_hands.py [--complexity 0|1] CLIP...  (default 1)
Needs: pip install mediapipe==0.10.21 (run-analyze-vs-mediapipe.sh makes a venv for it)
"""
import resource
import sys
import time

import cv2
import mediapipe as mp


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(path: str, complexity: int) -> tuple:
    hands = mp.solutions.hands.Hands(static_image_mode=False, max_num_hands=2, model_complexity=complexity,
                                     min_detection_confidence=0.5, min_tracking_confidence=0.5)
    capture = cv2.VideoCapture(path)
    frames = 0
    wall, cpu = time.perf_counter(), cpu_seconds()
    while True:
        ok, bgr = capture.read()
        if not ok:
            break
        hands.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        frames += 1
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    hands.close()
    return frames, wall, cpu


def main() -> None:
    arguments = sys.argv[1:]
    complexity = 1
    if arguments[:1] == ["--complexity"]:
        complexity, arguments = int(arguments[1]), arguments[2:]
    total = [0, 0.0, 0.0]
    for path in arguments:
        frames, wall, cpu = run(path, complexity)
        print(f"mediapipe {path} frames {frames} wall {wall:.3f} cpu {cpu:.3f} fps {frames / wall:.1f}")
        total = [total[0] + frames, total[1] + wall, total[2] + cpu]
    print(f"mediapipe total frames {total[0]} wall {total[1]:.3f} cpu {total[2]:.3f} fps {total[0] / total[1]:.1f}")


if __name__ == "__main__":
    main()
