#!/usr/bin/env python3
"""Generates the reference tensors that ModelReferenceTests compares the Swift engine against.

Inputs are a synthetic picture (a hand-like shape of skin-coloured ellipses on a smooth textured
background) drawn with numpy, stored as raw uint8 RGB so that Swift feeds exactly the same floats
(byte / 255). Outputs come from LiteRT (pip install ai-edge-litert numpy), one thread, default
XNNPACK delegate, on the mediapipe==0.10.21 model files.

Usage: python3 make_reference.py [MODEL_DIR]   (default: ~/.cache/snaprate/models)
Writes palm_input.u8, landmark_input.u8 and <model>.json next to this script.
"""
import json
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_ANCHORS = 64


def synthetic_hand(size: int) -> np.ndarray:
    """An upright open hand: palm ellipse plus five finger ellipses over a smooth background."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float64) / size
    background = np.stack([
        0.35 + 0.25 * np.sin(6.0 * x + 2.0 * y),
        0.40 + 0.20 * np.cos(5.0 * y - 3.0 * x),
        0.45 + 0.15 * np.sin(9.0 * x * y + 1.0),
    ], axis=-1)
    mask = np.zeros((size, size))

    def ellipse(cx, cy, rx, ry, angle):
        c, s = np.cos(angle), np.sin(angle)
        u = ((x - cx) * c + (y - cy) * s) / rx
        v = (-(x - cx) * s + (y - cy) * c) / ry
        # Soft edge (about two pixels) so the picture is smooth, like a camera image.
        return np.clip((1.0 - (u * u + v * v)) * size * min(rx, ry) / 2.0, 0.0, 1.0)

    mask = np.maximum(mask, ellipse(0.50, 0.62, 0.17, 0.20, 0.0))
    for cx, cy, length, angle in [(0.33, 0.55, 0.13, -0.9), (0.40, 0.33, 0.17, -0.15), (0.50, 0.29, 0.19, 0.0),
                                  (0.60, 0.32, 0.17, 0.12), (0.68, 0.40, 0.14, 0.3)]:
        mask = np.maximum(mask, ellipse(cx, cy, 0.035, length, angle))
    skin = np.array([0.87, 0.67, 0.55]) * (0.85 + 0.15 * np.cos(4.0 * y))[..., None]
    image = background * (1 - mask[..., None]) + skin * mask[..., None]
    return np.clip(np.round(image * 255.0), 0, 255).astype(np.uint8)


def run(model_path: str, image: np.ndarray) -> dict:
    interpreter = Interpreter(model_path=model_path, num_threads=1)
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], (image.astype(np.float32) / 255.0)[None])
    interpreter.invoke()
    return {d["name"]: interpreter.get_tensor(d["index"]).astype(np.float32) for d in interpreter.get_output_details()}


def floats(array: np.ndarray) -> list:
    # float32 -> Python float is exact, and JSON keeps all its digits.
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def main() -> None:
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/snaprate/models")
    inputs = {"palm": synthetic_hand(192), "landmark": synthetic_hand(224)}
    for kind, image in inputs.items():
        image.tofile(os.path.join(HERE, f"{kind}_input.u8"))
    for model in ["palm_detection_lite", "palm_detection_full", "hand_landmark_lite", "hand_landmark_full"]:
        kind = "palm" if model.startswith("palm") else "landmark"
        outputs = run(os.path.join(model_dir, model + ".tflite"), inputs[kind])
        record = {"model": model + ".tflite", "input": f"{kind}_input.u8", "outputs": {}}
        if kind == "palm":
            scores = outputs["Identity_1"].reshape(-1)
            top = np.argsort(-scores, kind="stable")[:TOP_ANCHORS]
            # All 2016 scores, but box regressors only for the best-scoring anchors (size).
            record["outputs"]["Identity_1"] = {"shape": [1, 2016, 1], "rows": None, "values": floats(scores)}
            record["outputs"]["Identity"] = {
                "shape": [1, 2016, 18], "rows": [int(i) for i in top],
                "values": floats(outputs["Identity"].reshape(2016, 18)[top]),
            }
        else:
            for name, tensor in outputs.items():
                record["outputs"][name] = {"shape": list(tensor.shape), "rows": None, "values": floats(tensor)}
        with open(os.path.join(HERE, model + ".json"), "w") as f:
            json.dump(record, f)
        summary = {name: (float(np.min(t)), float(np.max(t))) for name, t in outputs.items()}
        print(model, summary)


if __name__ == "__main__":
    main()
