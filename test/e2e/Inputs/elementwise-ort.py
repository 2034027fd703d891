#!/usr/bin/python3
"""Cross-check rebocc's elementwise math, comparison and logic operators with
onnxruntime-node on one opset-20 model that uses all of them.

  elementwise-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds the model with python onnx (X, Y: [N, 3, 4] float32 inputs, a [4]
constant C), writes seeded random inputs (a batch of 2 and one of 5), runs
onnxruntime (scripts/ort_reference.sh) and rebocc --run (float reference and
fixed point) and compares every output with compare_outputs.py (rtol 1e-5, atol 1e-6: the same
float32 functions, up to the last bits of onnxruntime's vectorized exp, log,
tanh and erf). Boolean results leave the model through Cast to float, which
is what rebocc computes them as (0 / 1).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import cross_check, write_input  # noqa: E402

src, rebocc, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)

N = helper.make_node
nodes = [
    N("Abs", ["X"], ["abs"]),
    N("Sqrt", ["abs"], ["sqrt"]),
    N("Neg", ["abs"], ["neg"]),
    N("Exp", ["neg"], ["exp"]),
    N("Add", ["abs", "one"], ["abs1"]),
    N("Log", ["abs1"], ["log"]),
    N("Tanh", ["X"], ["tanh"]),
    N("Erf", ["X"], ["erf"]),
    N("Pow", ["abs1", "Y"], ["pow"]),
    N("Pow", ["X", "two"], ["square"]),  # an integer exponent constant
    N("Gelu", ["X"], ["gelu"]),
    N("Gelu", ["X"], ["gelu_tanh"], approximate="tanh"),
    N("Min", ["X", "Y", "C"], ["min"]),
    N("Max", ["X", "Y", "C"], ["max"]),
    N("Sum", ["X", "Y", "C"], ["sum"]),
    N("Mean", ["X", "Y", "C"], ["mean"]),
    N("Relu", ["X"], ["rx"]),
    N("Relu", ["Y"], ["ry"]),
    N("Equal", ["rx", "ry"], ["eq"]),  # equal where both are 0
    N("Greater", ["X", "Y"], ["gt"]),
    N("GreaterOrEqual", ["X", "C"], ["ge"]),
    N("Less", ["X", "C"], ["lt"]),
    N("LessOrEqual", ["Y", "C"], ["le"]),
    N("Not", ["gt"], ["ngt"]),
    N("And", ["ge", "le"], ["and"]),
    N("Or", ["eq", "lt"], ["or"]),
    N("Where", ["and", "X", "C"], ["where"]),
]
bools = ["eq", "gt", "ge", "lt", "le", "ngt", "and", "or"]
for b in bools:
    nodes.append(N("Cast", [b], [b + "_f"], to=TensorProto.FLOAT))
floats = ["sqrt", "exp", "log", "tanh", "erf", "pow", "square", "gelu",
          "gelu_tanh", "min", "max", "sum", "mean", "where"]
outputs = floats + [b + "_f" for b in bools]
shape = ["N", 3, 4]
graph = helper.make_graph(
    nodes, "elementwise",
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n in "XY"],
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
    initializer=[
        numpy_helper.from_array(np.array([-0.5, 0.0, 0.25, 1.0], np.float32), "C"),
        numpy_helper.from_array(np.array(1.0, np.float32), "one"),
        numpy_helper.from_array(np.array(2, np.int64), "two"),
    ])
# Pow's exponent may be int64 from opset 12; Gelu needs opset 20.
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
model.ir_version = 9
path = os.path.join(out, "model.onnx")
onnx.save(model, path)

status = 0
rng = np.random.default_rng(12)
for batch in (2, 5):
    d = os.path.join(out, f"batch{batch}")
    os.makedirs(d, exist_ok=True)
    inputs = []
    for i, name in enumerate("XY"):
        x = rng.normal(0.0, 1.5, (batch, 3, 4)).astype(np.float32)
        x[0, 0, :2] = 0.0  # exact zeros for Equal, Not, Abs, Sqrt
        inputs.append(write_input(os.path.join(d, f"input_{i}.pb"), x, name))
    status |= cross_check(src, rebocc, path, inputs, d, 1e-5, 1e-6,
                          f"batch {batch}")
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
