#!/usr/bin/python3
"""Cross-check rebocc's Expand, Tile, Split, Size and Range with
onnxruntime-node, on one model per opset 18 and 21, and its DepthToSpace
(DCR and CRD) and SpaceToDepth on one model per opset 13 and 21.

  shape-ops-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds each model with python onnx (X: [N, 3, 1, 4], Z: [N, 6] float32):
Expand to a larger and to a bidirectionally broadcast shape, Tile, Split by
num_outputs (opset 18: the last piece smaller) and by a split input, and a
Size and two Ranges (int64 and float) that fold to constants added to the
data; writes seeded random inputs (a batch of 2 and one of 5), runs
onnxruntime (scripts/ort_reference.sh) and rebocc --run (float reference and
fixed point) and compares every output with compare_outputs.py (rtol 0,
atol 0: copies and one float32 add each, so the results must be identical).
The DepthToSpace / SpaceToDepth model (D: [N, 8, 2, 3] and E: [N, 2, 4, 6],
block size 2; a batch of 2) is held to the same: they are copies.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, floats, ints,  # noqa: E402
                             model_at_opset, script_args, write_inputs)

src, rebocc, out = script_args()
N = helper.make_node


def build(opset):
    nodes = [
        N("Expand", ["X", "to_larger"], ["expand_larger"]),
        N("Expand", ["X", "to_both"], ["expand_both"]),
        N("Tile", ["X", "repeats"], ["tile"]),
        N("Split", ["X"], ["split_a", "split_b"], axis=1, num_outputs=2),
        N("Split", ["X", "sizes"], ["split_c", "split_d"], axis=-1),
        N("Size", ["W"], ["size"]),
        N("Range", ["zero", "size", "one"], ["range_int"]),
        N("Cast", ["range_int"], ["range_f"], to=TensorProto.FLOAT),
        N("Add", ["X", "range_f"], ["plus_range"]),
        N("Range", ["start", "limit", "delta"], ["range_float"]),
        N("Add", ["Z", "range_float"], ["plus_float_range"]),
    ]
    outputs = ["expand_larger", "expand_both", "tile", "split_a", "split_b",
               "split_c", "split_d", "plus_range", "plus_float_range"]
    init = [
        ints("to_larger", [1, 3, 2, 4]), ints("to_both", [3, 1, 1]),
        ints("repeats", [1, 2, 3, 1]), ints("sizes", [1, 3]),
        floats("W", [1, 2, 3, 4]), ints("zero", 0), ints("one", 1),
        floats("start", 0.5), floats("limit", 2.0), floats("delta", 0.25),
    ]
    graph = helper.make_graph(
        nodes, "shape_ops",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 3, 1, 4]),
         helper.make_tensor_value_info("Z", TensorProto.FLOAT, ["N", 6])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in outputs],
        initializer=init)
    return model_at_opset(graph, opset)


def build_depth(opset):
    nodes = [
        N("DepthToSpace", ["D"], ["d2s_dcr"], blocksize=2, mode="DCR"),
        N("DepthToSpace", ["D"], ["d2s_crd"], blocksize=2, mode="CRD"),
        N("DepthToSpace", ["D"], ["d2s_default"], blocksize=2),
        N("SpaceToDepth", ["E"], ["s2d"], blocksize=2),
    ]
    graph = helper.make_graph(
        nodes, "depth_space",
        [helper.make_tensor_value_info("D", TensorProto.FLOAT, ["N", 8, 2, 3]),
         helper.make_tensor_value_info("E", TensorProto.FLOAT, ["N", 2, 4, 6])],
        [helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
         for n in nodes])
    return model_at_opset(graph, opset)


status = 0
for opset in (13, 21):
    model_dir = os.path.join(out, f"depth{opset}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(build_depth(opset), path)
    rng = np.random.default_rng(250 + opset)
    inputs = write_inputs(os.path.join(model_dir, "batch2"), {
        name: rng.normal(0.0, 2.0, shape).astype(np.float32)
        for name, shape in (("D", (2, 8, 2, 3)), ("E", (2, 2, 4, 6)))})
    status |= cross_check(src, rebocc, path, inputs,
                          os.path.join(model_dir, "batch2"), 0, 0,
                          f"depth opset {opset} batch 2")
for opset in (18, 21):
    model_dir = os.path.join(out, f"opset{opset}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(build(opset), path)
    rng = np.random.default_rng(200 + opset)
    for batch in (2, 5):
        d = os.path.join(model_dir, f"batch{batch}")
        inputs = write_inputs(d, {
            name: rng.normal(0.0, 2.0, shape).astype(np.float32)
            for name, shape in (("X", (batch, 3, 1, 4)), ("Z", (batch, 6)))})
        status |= cross_check(src, rebocc, path, inputs, d, 0, 0,
                              f"opset {opset} batch {batch}")
finish(status)
