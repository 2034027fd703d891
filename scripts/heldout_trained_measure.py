#!/usr/bin/python3
"""Measure rebocc on the held-out trained models against onnxruntime.

docs/accuracy/heldout-trained-2026-12-05.md fixes the models and how they
are measured: the first 100 Fashion-MNIST test images (the UNet's with
Gaussian noise of sigma 0.3), onnxruntime-node against `rebocc --run`
(fixed point) and `rebocc --run --float-reference`, default settings. For
each model and mode it prints the worst per-image error (the largest
absolute difference over the largest magnitude of onnxruntime's output for
that image), how many images exceed the bound, and for the classifiers the
top-1 agreement with onnxruntime and the accuracy against the labels.

Usage: heldout_trained_measure.py --rebocc BIN --work DIR [--models DIR]
                                  [--bound 2e-2] [--data DIR]
Exit status 1 when any model misses the bound or top-1 disagrees.
"""
import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path[:0] = [HERE, os.path.join(SRC, "test/e2e/Inputs")]
from gen_fashion_mnist import load_idx  # noqa: E402
from ort_cross_check import read_tensor, write_input  # noqa: E402

IMAGES = 100
CLASSIFIERS = ("transformer", "lstm_rows", "gru_bidir", "qdq_cnn", "mobilenet")


def test_images(data_dir):
    images = load_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz"))
    labels = load_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))
    x = images[:IMAGES].astype(np.float32) / np.float32(255)
    return x, labels[:IMAGES].astype(np.int64)


def model_input(name, x):
    """The [100, ...] input a model of the set takes."""
    if name in ("lstm_rows", "gru_bidir"):
        return x
    x = x[:, None]
    if name == "unet":
        noise = np.random.default_rng(2).standard_normal(x.shape)
        return (x + 0.3 * noise).astype(np.float32)
    return x


def run_all(rebocc, model, inputs, folder, flags=()):
    """{mode: output array} for onnxruntime, float and fixed point."""
    args = [a for p in inputs for a in ("--input", p)]
    out = {}
    subprocess.run(["sh", os.path.join(SRC, "scripts/ort_reference.sh"),
                    model, *args, "--output-dir", os.path.join(folder, "ort")],
                   check=True, stdout=subprocess.DEVNULL)
    out["ort"] = read_tensor(os.path.join(folder, "ort", "output_0.pb"))
    for mode, mode_flags in (("float", ["--float-reference"]), ("fixed", [])):
        actual = os.path.join(folder, mode)
        run = subprocess.run([rebocc, model, "--run", *mode_flags, *flags,
                              *args, "--output-dir", actual],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
        if run.returncode != 0:
            out[mode] = run.stderr.strip().splitlines()[-1]
            continue
        out[mode] = read_tensor(os.path.join(actual, "output_0.pb"))
    return out


def per_image_errors(expected, actual):
    """Each image's largest absolute error over its largest magnitude."""
    e = expected.reshape(len(expected), -1).astype(np.float64)
    a = actual.reshape(len(actual), -1).astype(np.float64)
    return np.abs(a - e).max(axis=1) / np.abs(e).max(axis=1)


def report(name, outputs, labels, bound):
    """One line per mode; returns whether every mode met the bound."""
    ok = True
    expected = outputs["ort"]
    for mode in ("float", "fixed"):
        actual = outputs[mode]
        if isinstance(actual, str):
            print(f"{name} {mode}: rebocc failed: {actual}")
            ok = False
            continue
        errors = per_image_errors(expected, actual)
        line = (f"{name} {mode}: worst {errors.max():.2e}, median "
                f"{np.median(errors):.2e}, {int((errors > bound).sum())} of "
                f"{len(errors)} past {bound:g}")
        ok &= bool((errors <= bound).all())
        if labels is not None:
            agree = int((actual.argmax(1) == expected.argmax(1)).sum())
            line += (f"; top-1 agrees {agree}/{len(labels)}; accuracy "
                     f"{(actual.argmax(1) == labels).mean():.2f} (onnxruntime "
                     f"{(expected.argmax(1) == labels).mean():.2f})")
            ok &= agree == len(labels)
        print(line, flush=True)
    return ok


def measure_dynamic(args, models, x):
    """lstm_rows_dynamic, one image at a time, 28 and 20 rows."""
    ok = True
    model = os.path.join(models, "lstm_rows_dynamic.onnx")
    for steps in (28, 20):
        runs = []
        for i in range(20):
            folder = os.path.join(args.work, f"dynamic{steps}", str(i))
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, "input_0.pb")
            write_input(path, x[i:i + 1, :steps], "input")
            runs.append(run_all(args.rebocc, model, [path], folder,
                                ["--input-shape", f"input=1x{steps}x28"]))
        merged = {}
        for mode in ("ort", "float", "fixed"):
            failed = [r[mode] for r in runs if isinstance(r[mode], str)]
            merged[mode] = failed[0] if failed else np.concatenate(
                [r[mode] for r in runs])
        ok &= report(f"lstm_rows_dynamic[{steps} rows]", merged, None,
                     args.bound)
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebocc", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--models",
                        default=os.path.join(SRC,
                                             "test/e2e/Inputs/heldout-trained"))
    parser.add_argument("--bound", type=float, default=2e-2)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    x, labels = test_images(args.data)
    ok = True
    for name in ("transformer", "lstm_rows", "gru_bidir", "unet", "qdq_cnn",
                 "mobilenet"):
        folder = os.path.join(args.work, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "input_0.pb")
        write_input(path, model_input(name, x), "input")
        outputs = run_all(args.rebocc, os.path.join(args.models,
                                                    name + ".onnx"),
                          [path], folder)
        ok &= report(name, outputs,
                     labels if name in CLASSIFIERS else None, args.bound)
    ok &= measure_dynamic(args, args.models, x)
    print("held-out trained:", "all within the bound" if ok else "MISSES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
