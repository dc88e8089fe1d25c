#!/usr/bin/env python3
"""Times the four MediaPipe hand models with LiteRT, the peer SnapRate's engine is measured against.

One thread, LiteRT's default delegate (XNNPACK), the same inputs as the Swift benchmark (the
committed reference pictures, bytes / 255). Prints one line per model: name, median ms per
inference, and min ms.

Usage: python3 Benchmarks/peers/litert_models.py [--models DIR] [--seconds S]
Needs: pip install ai-edge-litert numpy
"""
import argparse
import os
import statistics
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = os.path.join(ROOT, "Tests", "HandEngineTests", "Reference")
MODELS = [
    ("palm_detection_lite", "palm_input.u8", 192),
    ("palm_detection_full", "palm_input.u8", 192),
    ("hand_landmark_lite", "landmark_input.u8", 224),
    ("hand_landmark_full", "landmark_input.u8", 224),
]


def time_model(path: str, image: np.ndarray, seconds: float) -> list:
    interpreter = Interpreter(model_path=path, num_threads=1)
    interpreter.allocate_tensors()
    index = interpreter.get_input_details()[0]["index"]
    interpreter.set_tensor(index, image)
    for _ in range(20):  # warm-up
        interpreter.invoke()
    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 50:
        start = time.perf_counter()
        interpreter.invoke()
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.environ.get("SNAPRATE_MODELS", os.path.expanduser("~/.cache/snaprate/models")))
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    for model, input_file, size in MODELS:
        raw = np.fromfile(os.path.join(REFERENCE, input_file), dtype=np.uint8)
        image = (raw.astype(np.float32) / 255.0).reshape(1, size, size, 3)
        samples = time_model(os.path.join(args.models, model + ".tflite"), image, args.seconds)
        print(f"{model:22s} median {statistics.median(samples):7.3f} ms  min {min(samples):7.3f} ms  (n={len(samples)})")


if __name__ == "__main__":
    main()
