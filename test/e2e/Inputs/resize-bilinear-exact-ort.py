#!/usr/bin/python3
"""Bilinear Resize (linear on the last two axes of NCHW, half_pixel) against
onnxruntime-node, bit for bit.

  resize-bilinear-exact-ort.py REBOCC_SRC REBOCC OUT_DIR

rebocc-sim evaluates it as onnxruntime's UpsampleBilinear does (float32,
(wx * wy) * x summed in its order, its edge taps): ISNet "small" quantizes
every Resize's output with DynamicQuantizeLinear, which turns a last-bit
difference into a different uint8 code (docs/RealModels.md). One model,
opset 15 as ISNet: 16 x 16 up to 32 x 32 (ISNet's decoder) and to
1024 x 1024 by sizes (its side outputs, 64 x), 2 x 3 up by scales 2 and 4
(half_pixel reads past both edges) and to 3 x 5 with align_corners (whole
coordinates, the last element itself). Seeded normal inputs, batch 2; float
reference and fixed point (Resize is digital) with tolerance 0.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (finish, floats, ints, script_args,  # noqa: E402
                             write_inputs)

src, rebocc, out = script_args()
N = helper.make_node


def resize(x, table, y, by_sizes):
    inputs = [x, "", "", table] if by_sizes else [x, "", table]
    return N("Resize", inputs, [y], mode="linear",
             coordinate_transformation_mode="half_pixel")


nodes = [resize("X", "s32", "up32", True), resize("X", "s1024", "up1024", True),
         resize("Z", "x2", "z2", False), resize("Z", "x4", "z4", False),
         N("Resize", ["Z", "", "", "s35"], ["corners"], mode="linear",
           coordinate_transformation_mode="align_corners")]
graph = helper.make_graph(
    nodes, "bilinear",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 3, 16, 16]),
     helper.make_tensor_value_info("Z", TensorProto.FLOAT, [2, 3, 2, 3])],
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
     for n in ("up32", "up1024", "z2", "z4", "corners")],
    initializer=[ints("s32", [2, 3, 32, 32]), ints("s1024", [2, 3, 1024, 1024]),
                 floats("x2", [1, 1, 2, 2]), floats("x4", [1, 1, 4, 4]),
                 ints("s35", [2, 3, 3, 5])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
model.ir_version = 8
path = os.path.join(out, "model.onnx")
onnx.save(model, path)
rng = np.random.default_rng(15)
inputs = write_inputs(os.path.join(out, "in"), {
    "X": rng.normal(0.0, 4.0, (2, 3, 16, 16)).astype(np.float32),
    "Z": rng.normal(0.0, 4.0, (2, 3, 2, 3)).astype(np.float32)})
args = [a for p in inputs for a in ("--input", p)]
subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                *args, "--output-dir", os.path.join(out, "ort")], check=True)
status = 0
for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
    actual = os.path.join(out, mode)
    subprocess.run([rebocc, path, "--run", *flags, *args, "--output-dir",
                    actual], check=True, stdout=subprocess.DEVNULL)
    print(f"== {mode}", flush=True)
    status |= subprocess.run(
        [sys.executable, os.path.join(src, "scripts/compare_outputs.py"),
         "--expected", os.path.join(out, "ort"), "--actual", actual,
         "--rtol", "0", "--atol", "0"]).returncode
finish(status)
