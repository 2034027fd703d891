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
from ort_cross_check import (cross_check_opsets, finish,  # noqa: E402
                             read_tensor, script_args)

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
for folder, checked in cross_check_opsets(
        src, rebocc, graph, (13, 21), out, "cast.onnx",
        {"X": np.ones(n, np.float32)}, "cast constants"):
    status |= checked
    ort = read_tensor(os.path.join(folder, "ort", "output_0.pb"))
    same = (ort == truncated) | (np.isnan(ort) & np.isnan(truncated))
    print(f"{int((~same).sum())} of {n} differ truncated", flush=True)

# Every source type to every integer type, 64-bit ones included: an int64,
# a DOUBLE and a float32 constant of 16 values each (onnxruntime converts
# the last size mod 4 elements of a tensor with scalar code, whose UINT32
# results for some out-of-range values differ, docs/SupportedOps.md "Cast"),
# cast to the eight integer types and the results to FLOAT; then int64
# values beyond 2^53, which rebocc holds as their nearest double, cast where
# that is exact (to INT64, to UINT64, to FLOAT away from a float32 tie, to
# DOUBLE).
wide_ints = np.array([300, -1, 70000, -129, 2 ** 31, -(2 ** 31) - 1,
                      2 ** 40 + 7, 2 ** 53 - 1, -(2 ** 53) + 1, 65535,
                      -32769, 128,
                      2 ** 32 + 5, -(2 ** 40) - 3, 0, 255], np.int64)
wide_doubles = np.array([300.7, -1.5, 1e10, np.nan, -129.9, np.inf, -np.inf,
                         0.5, -0.5, 65535.9, 4294967295.0, -2.5e9,
                         4294967296.5, 2.0 ** 63, -1e19, 1.5e19], np.float64)
wide_floats = np.array([300.7, -1.5, 1e10, np.nan, -129.9, np.inf, -np.inf,
                        0.5, -0.5, 65535.9, 4294967295.0, -2.5e9, 2.0 ** 63,
                        -1e19, 1.5e19, 3e9], np.float32)
big_ints = np.array([2 ** 53 + 1, 2 ** 63 - 1, 2 ** 62 + 12345,
                     2 ** 60 + 3], np.int64)
all_types = types + [TensorProto.INT64, TensorProto.UINT64]
nodes, pieces = [], []


def cast_to_float(source, to, suffix=""):
    name = f"{source}_{TensorProto.DataType.Name(to)}{suffix}"
    nodes.append(helper.make_node("Cast", [source], [name], to=to))
    nodes.append(helper.make_node("Cast", [name], [name + "_f"],
                                  to=TensorProto.FLOAT))
    pieces.append(name + "_f")


for source in ("wi", "wd", "wf"):
    for t in all_types:
        cast_to_float(source, t)
for t in (TensorProto.INT64, TensorProto.UINT64, TensorProto.DOUBLE):
    cast_to_float("bi", t)
nodes.append(helper.make_node("Cast", ["bi"], ["bi_f"], to=TensorProto.FLOAT))
pieces.append("bi_f")
nodes.append(helper.make_node("Concat", pieces, ["k"], axis=0))
nodes.append(helper.make_node("Mul", ["X", "k"], ["Y"]))
n = 3 * len(all_types) * 16 + 4 * len(big_ints)
graph = helper.make_graph(
    nodes, "cast_constants_wide",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [n])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [n])],
    [numpy_helper.from_array(wide_ints, "wi"),
     numpy_helper.from_array(wide_doubles, "wd"),
     numpy_helper.from_array(wide_floats, "wf"),
     numpy_helper.from_array(big_ints, "bi")])
# What the folds gave before: int64 values wrapped to the types of 32 bits
# or fewer and kept for INT64 / UINT64, DOUBLE values truncated; float32
# sources and the big int64 values folded as now (taken from onnxruntime).
def folded_before(ort):
    np_types = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32]
    pieces = [wide_ints.astype(t).astype(np.float32) for t in np_types]
    pieces += [wide_ints.astype(np.float32)] * 2
    with np.errstate(invalid="ignore"):
        pieces += [np.trunc(wide_doubles).astype(np.float32)
                   for _ in all_types]
    done = sum(len(p) for p in pieces)
    return np.concatenate(pieces + [ort[done:]])


for folder, checked in cross_check_opsets(
        src, rebocc, graph, (13, 21), out, "cast.onnx",
        {"X": np.ones(n, np.float32)}, "cast constants wide", prefix="wide"):
    status |= checked
    ort = read_tensor(os.path.join(folder, "ort", "output_0.pb"))
    before = folded_before(ort)
    same = (ort == before) | (np.isnan(ort) & np.isnan(before))
    print(f"{int((~same).sum())} of {n} differ as folded before", flush=True)
finish(status)
