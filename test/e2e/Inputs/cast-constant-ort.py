#!/usr/bin/python3
"""Casts of constants to integer types against onnxruntime-node.

  cast-constant-ort.py REBOCC_SRC REBOCC OUT_DIR

An int64 and a float32 constant, each with values in and out of the target
types' ranges (and NaN, +-inf, halves), are cast to INT8, UINT8, INT16,
UINT16, INT32 and UINT32, the results cast back to FLOAT, concatenated and
multiplied by the input (ones): the output holds every folded value.
onnxruntime wraps integers around (300 to UINT8 is 44, -1 is 255) and
converts floats as its x86 cast does; rebocc folds the constants to the
same values, in the float reference and in fixed point (digital ops only),
bit for bit. The script prints how many of the values truncation alone (what
rebocc folded before) would get wrong, so the data tells the two apart.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, model_at_opset,  # noqa: E402
                             read_tensor, script_args, write_input)

src, rebocc, out = script_args()
ints = np.array([300, -1, 70000, 5, -129, 128, 65535, -32769, 2 ** 31,
                 -(2 ** 31) - 1, 2 ** 40 + 7, 0], np.int64)
floats = np.array([300.7, -1.5, 1e10, np.nan, -129.9, np.inf, -np.inf, 0.5,
                   -0.5, 65535.9, 4294967295.0, -2.5e9], np.float32)
types = [TensorProto.INT8, TensorProto.UINT8, TensorProto.INT16,
         TensorProto.UINT16, TensorProto.INT32, TensorProto.UINT32]
nodes, pieces = [], []
for source in ("ci", "cf"):
    for t in types:
        name = f"{source}_{TensorProto.DataType.Name(t)}"
        nodes.append(helper.make_node("Cast", [source], [name], to=t))
        nodes.append(helper.make_node("Cast", [name], [name + "_f"],
                                      to=TensorProto.FLOAT))
        pieces.append(name + "_f")
nodes.append(helper.make_node("Concat", pieces, ["k"], axis=0))
nodes.append(helper.make_node("Mul", ["X", "k"], ["Y"]))
n = len(pieces) * len(ints)
graph = helper.make_graph(
    nodes, "cast_constants",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [n])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [n])],
    [numpy_helper.from_array(ints, "ci"), numpy_helper.from_array(floats, "cf")])

# Truncation alone: what the folds gave before.
with np.errstate(invalid="ignore"):
    truncated = np.concatenate([np.trunc(v.astype(np.float64)).astype(np.float32)
                                for v in (ints, floats) for _ in types])
status = 0
for opset in (13, 21):
    folder = os.path.join(out, f"opset{opset}")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "cast.onnx")
    with open(path, "wb") as f:
        f.write(model_at_opset(graph, opset).SerializeToString())
    x = write_input(os.path.join(folder, "input_0.pb"),
                    np.ones(n, np.float32), "X")
    status |= cross_check(src, rebocc, path, [x], folder, 0, 0,
                          f"cast constants opset {opset}")
    ort = read_tensor(os.path.join(folder, "ort", "output_0.pb"))
    same = (ort == truncated) | (np.isnan(ort) & np.isnan(truncated))
    print(f"{int((~same).sum())} of {n} differ truncated", flush=True)
finish(status)
