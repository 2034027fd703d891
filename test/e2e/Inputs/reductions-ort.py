#!/usr/bin/python3
"""Cross-check rebocc's reductions, LogSoftmax, LayerNormalization and
InstanceNormalization with onnxruntime-node, on one model per opset 18 and 21.

  reductions-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds each model with python onnx (X: [N, 3, 4, 5] float32), reducing over
single, several and negative axes (the axes a constant input, as from opset
18; no axes would reduce over the run-time batch too, which is an error),
with and without keepdims, and an empty axes input with noop_with_empty_axes; writes seeded random inputs (a batch of 2 and one of
5), runs onnxruntime (scripts/ort_reference.sh) and rebocc --run (float
reference and fixed point) and compares every output with
compare_outputs.py (rtol 1e-5, atol 1e-5: sums of up to 60 float32 terms in
another order, and 1 / sqrt in another form).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, model_at_opset,  # noqa: E402
                             write_input)

src, rebocc, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)

N = helper.make_node


def axes(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def build(opset):
    nodes = [
        N("ReduceMax", ["X", "a1"], ["max1"]),
        N("ReduceMin", ["X", "a_neg"], ["min_neg"], keepdims=0),
        N("ReduceSum", ["X", "a12"], ["sum12"], keepdims=0),
        N("ReduceMin", ["X", "a123"], ["min_all"]),
        N("ReduceSum", ["X", "empty"], ["sum_noop"], noop_with_empty_axes=1),
        N("ReduceMean", ["X", "a3"], ["mean3"]),  # LayerNorm by hand
        N("ReduceMean", ["X", "a23"], ["mean23"], keepdims=0),  # a pool
        N("ReduceMean", ["X", "a13"], ["mean13"]),
        N("ReduceL2", ["X", "a_neg"], ["l2"], keepdims=0),
        N("ReduceMax", ["X", "a123"], ["max_all"], keepdims=0),
        N("LogSoftmax", ["X"], ["logsoftmax"]),
        N("LogSoftmax", ["X"], ["logsoftmax1"], axis=1),
        N("LayerNormalization", ["X", "ln_scale", "ln_bias"], ["ln"]),
        N("LayerNormalization", ["X", "ln2_scale"], ["ln2"], axis=2,
          epsilon=0.25),
        N("InstanceNormalization", ["X", "in_scale", "in_bias"], ["inorm"],
          epsilon=1e-3),
    ]
    outputs = [n.output[0] for n in nodes]
    rng = np.random.default_rng(opset)
    init = [
        axes("a1", [1]), axes("a_neg", [-1]), axes("a12", [1, 2]),
        axes("empty", []), axes("a3", [3]), axes("a23", [2, 3]),
        axes("a13", [1, 3]), axes("a123", [1, 2, 3]),
        numpy_helper.from_array(
            rng.normal(1, 0.5, (5,)).astype(np.float32), "ln_scale"),
        numpy_helper.from_array(
            rng.normal(0, 0.5, (5,)).astype(np.float32), "ln_bias"),
        numpy_helper.from_array(
            rng.normal(1, 0.5, (4, 5)).astype(np.float32), "ln2_scale"),
        numpy_helper.from_array(
            rng.normal(1, 0.5, (3,)).astype(np.float32), "in_scale"),
        numpy_helper.from_array(
            rng.normal(0, 0.5, (3,)).astype(np.float32), "in_bias"),
    ]
    graph = helper.make_graph(
        nodes, "reductions",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 3, 4, 5])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in outputs],
        initializer=init)
    return model_at_opset(graph, opset)


status = 0
for opset in (18, 21):
    model_dir = os.path.join(out, f"opset{opset}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(build(opset), path)
    rng = np.random.default_rng(100 + opset)
    for batch in (2, 5):
        d = os.path.join(model_dir, f"batch{batch}")
        os.makedirs(d, exist_ok=True)
        x = rng.normal(0.0, 2.0, (batch, 3, 4, 5)).astype(np.float32)
        inputs = [write_input(os.path.join(d, "input_0.pb"), x, "X")]
        status |= cross_check(src, rebocc, path, inputs, d, 1e-5, 1e-5,
                              f"opset {opset} batch {batch}")
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
