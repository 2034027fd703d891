#!/usr/bin/python3
"""Cross-check rebocc's MatMul forms with onnxruntime-node (opsets 13, 18
and 21; MatMul is unchanged since 13, the same nodes at each).

  matmul-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds one model with python onnx from run-time A [N, 3, 4] and B [N, 4, 5]
(N = 2 and 5 at opset 13, N = 2 at 18 and 21): A x B (two run-time tensors, as attention's Q K^T); A times
a batched constant C [1, 4, 5], broadcast over N; a run-time [4] row times
B (ONNX's 1-D left operand: the dim is dropped); A times a 1-D run-time
column [4]; a static D [2, 3, 4] times a constant 2-D weight (one crossbar
layer over the 2 x 3 rows, then its bias Add folded); and a constant [3, 4]
times B. Runs onnxruntime and rebocc --run with --attention=digital and
--attention=reprogram and compares every output (scripts/compare_outputs.py):
float reference within rtol 1e-4 / atol 1e-5, fixed point within 2e-2 of
each output's largest magnitude (the weight layer is quantized to 16 bits).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (attention_modes_agree, cross_check,  # noqa: E402
                             finish, floats, model_at_opset, script_args,
                             write_inputs)

src, rebocc, out = script_args()
N = helper.make_node

rng = np.random.default_rng(5)
init = [floats("C", rng.normal(0, 1, (1, 4, 5))),
        floats("W", rng.normal(0, 1, (4, 6))),
        floats("bias", rng.normal(0, 1, 6)),
        floats("K", rng.normal(0, 1, (3, 4)))]


def build(opset):
    nodes = [
        N("MatMul", ["A", "B"], ["ab"]),
        N("MatMul", ["A", "C"], ["ac"]),
        N("MatMul", ["row", "B"], ["row_b"]),
        N("MatMul", ["A", "col"], ["a_col"]),
        N("MatMul", ["D", "W"], ["aw0"]),
        N("Add", ["aw0", "bias"], ["aw"]),
        N("MatMul", ["K", "B"], ["kb"]),
    ]
    outputs = ["ab", "ac", "row_b", "a_col", "aw", "kb"]
    graph = helper.make_graph(
        nodes, "matmul",
        [helper.make_tensor_value_info("A", TensorProto.FLOAT, ["N", 3, 4]),
         helper.make_tensor_value_info("B", TensorProto.FLOAT, ["N", 4, 5]),
         helper.make_tensor_value_info("row", TensorProto.FLOAT, [4]),
         helper.make_tensor_value_info("col", TensorProto.FLOAT, [4]),
         helper.make_tensor_value_info("D", TensorProto.FLOAT, [2, 3, 4])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in outputs],
        initializer=init)
    return model_at_opset(graph, opset)


status = 0
for opset in (13, 18, 21):
    # Opset 13 keeps its folders where they were (out/model.onnx, batchN).
    model_dir = out if opset == 13 else os.path.join(out, f"opset{opset}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(build(opset), path)
    for batch in (2, 5) if opset == 13 else (2,):
        d = os.path.join(model_dir, f"batch{batch}")
        label = f"batch {batch}" if opset == 13 else f"opset {opset} batch {batch}"
        data = {"A": (batch, 3, 4), "B": (batch, 4, 5), "row": (4,),
                "col": (4,), "D": (2, 3, 4)}
        inputs = write_inputs(d, {
            name: rng.normal(0, 1, shape).astype(np.float32)
            for name, shape in data.items()})
        status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-5,
                              label, fixed_range_tol=2e-2)
        status |= attention_modes_agree(rebocc, path, inputs, d, label)
finish(status)
