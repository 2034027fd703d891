#!/usr/bin/python3
"""Folded constant subgraphs against onnxruntime-node, bit for bit.

  constant-fold-ort.py REBOCC_SRC REBOCC OUT_DIR

onnxruntime folds a subgraph of constants with its float32 kernels, one
rounding per node. The model multiplies its input (ones) by three folded
constants of 4096 random float32 values each:

  k = ((a * b + c) / b - a)   Mul, Add, Div and Sub in a chain
  s = Sum(a, b, c)            one variadic sum of three
  m = Mean(a, b, c)           the sum times 1 / 3 (onnxruntime multiplies)

Y = X * k, S = X * s, M = X * m must equal onnxruntime's outputs exactly in
the float reference and in fixed point (digital ops only). For each output
the script also prints how many of the 4096 values a fold computed in
double and rounded once to float32 would get wrong (numpy), which shows the
data tells the two apart.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check_opsets, finish,  # noqa: E402
                             read_tensor, script_args)

src, rebocc, out = script_args()
rng = np.random.default_rng(5)
n = 4096
a, b, c = (rng.normal(0, 1, n).astype(np.float32) for _ in range(3))
inits = [numpy_helper.from_array(v, name) for v, name in ((a, "a"), (b, "b"),
                                                          (c, "c"))]
nodes = [helper.make_node("Mul", ["a", "b"], ["ab"]),
         helper.make_node("Add", ["ab", "c"], ["abc"]),
         helper.make_node("Div", ["abc", "b"], ["q"]),
         helper.make_node("Sub", ["q", "a"], ["k"]),
         helper.make_node("Sum", ["a", "b", "c"], ["s"]),
         helper.make_node("Mean", ["a", "b", "c"], ["m"]),
         helper.make_node("Mul", ["X", "k"], ["Y"]),
         helper.make_node("Mul", ["X", "s"], ["S"]),
         helper.make_node("Mul", ["X", "m"], ["M"])]
outputs = ["Y", "S", "M"]
graph = helper.make_graph(
    nodes, "fold", [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                                  [1, n])],
    [helper.make_tensor_value_info(o, TensorProto.FLOAT, [1, n])
     for o in outputs], inits)

# The folds in double, rounded once, and float32 step by step.
a64, b64, c64 = (v.astype(np.float64) for v in (a, b, c))
once = {"Y": ((a64 * b64 + c64) / b64 - a64).astype(np.float32),
        "S": (a64 + b64 + c64).astype(np.float32),
        "M": ((a64 + b64 + c64) / 3).astype(np.float32)}
status = 0
for folder, checked in cross_check_opsets(
        src, rebocc, graph, (13, 21), out, "fold.onnx",
        {"X": np.ones((1, n), np.float32)}, "fold"):
    status |= checked
    for i, name in enumerate(outputs):
        ort = read_tensor(os.path.join(folder, "ort",
                                       f"output_{i}.pb")).ravel()
        print(f"{name}: {int((ort != once[name]).sum())} of {n} differ "
              "folded in double", flush=True)
finish(status)
