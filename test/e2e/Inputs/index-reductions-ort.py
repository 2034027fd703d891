#!/usr/bin/python3
"""Cross-check rebocc's LRN, GlobalMaxPool, ArgMax / ArgMin, ReduceProd,
ReduceL1, ReduceSumSquare, ReduceLogSum, ReduceLogSumExp, CumSum, Trilu,
Hardmax and TopK with onnxruntime-node, one model per opset 18 to 21, and
Upsample (opsets 7 and 9), ArgMax / ArgMin of rows with NaN (opset 21) and a
Conv-Relu-LRN-MaxPool block (AlexNet's first, opset 13).

  index-reductions-ort.py REBOCC_SRC REBOCC OUT_DIR

X is [N, 3, 4, 5] float32 of half-integers in [-4, 4] (so maxima and
minima tie, and sums and products are exact), with axes as constant
inputs (opset 18), keepdims 0 and 1, select_last_index, negative axes and
empty axes with noop_with_empty_axes. Each model runs on a batch of 2
(and the opset 21 one on a batch of 5 too) in the float reference and
fixed point; every output must be within rtol 1e-5, atol 1e-5 of
onnxruntime's (integer positions are then exact). The AlexNet block's
fixed point is held to 0.1 % of each output's range (a crossbar layer;
it is off by about 0.004 %).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, floats, ints,  # noqa: E402
                             model_at_opset, script_args, write_input)

src, rebocc, out = script_args()
N = helper.make_node
INT64 = TensorProto.INT64


def build(opset):
    # (node, {output: element type}) pairs; outputs are FLOAT unless named.
    nodes = [
        N("LRN", ["X"], ["lrn5"], size=5, alpha=0.02, beta=0.75, bias=1.0),
        N("LRN", ["X"], ["lrn3"], size=3, alpha=0.5, beta=0.6, bias=2.0),
        N("GlobalMaxPool", ["X"], ["gmax"]),
        N("ArgMax", ["X"], ["argmax1"], axis=1),
        N("ArgMax", ["X"], ["argmax_last"], axis=-1, keepdims=0,
          select_last_index=1),
        N("ArgMin", ["X"], ["argmin2"], axis=2, keepdims=0),
        N("ArgMin", ["X"], ["argmin_last"], axis=3, select_last_index=1),
        N("ReduceProd", ["X", "a1"], ["prod1"]),
        N("ReduceProd", ["X", "a23"], ["prod23"], keepdims=0),
        N("ReduceL1", ["X", "a_neg"], ["l1"]),
        N("ReduceL1", ["X", "empty"], ["l1_noop"], noop_with_empty_axes=1),
        N("ReduceSumSquare", ["X", "a12"], ["sumsq"], keepdims=0),
        N("ReduceSumSquare", ["X", "empty"], ["sumsq_noop"],
          noop_with_empty_axes=1),
        N("Abs", ["X"], ["absx"]),
        N("Add", ["absx", "half"], ["posx"]),
        N("ReduceLogSum", ["posx", "a13"], ["logsum"]),
        N("ReduceLogSumExp", ["X", "a13"], ["lse"], keepdims=0),
        N("ReduceLogSumExp", ["X", "a123"], ["lse_all"]),
        N("CumSum", ["X", "axis3"], ["cumsum"]),
        N("CumSum", ["X", "axis2"], ["cumsum_rev_excl"], exclusive=1,
          reverse=1),
        N("Trilu", ["X", "k1"], ["triu"]),
        N("Trilu", ["X", "k_minus1"], ["tril"], upper=0),
        N("Hardmax", ["X"], ["hardmax"], axis=1),
        N("TopK", ["X", "k3"], ["top3", "top3_idx"]),
        N("TopK", ["X", "k2"], ["low2", "low2_idx"], axis=2, largest=0),
    ]
    int_outputs = {"argmax1", "argmax_last", "argmin2", "argmin_last",
                   "top3_idx", "low2_idx"}
    outputs = [o for n in nodes for o in n.output
               if o not in ("absx", "posx")]
    init = [ints("a1", [1]), ints("a23", [2, 3]), ints("a_neg", [-1]),
            ints("a12", [1, 2]), ints("a13", [1, 3]), ints("a123", [1, 2, 3]),
            ints("empty", []), ints("axis3", [3]), ints("axis2", [-2]),
            ints("k1", [1]), ints("k_minus1", [-1]), ints("k3", [3]),
            ints("k2", [2]), floats("half", [0.5])]
    graph = helper.make_graph(
        nodes, "index_reductions",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       ["N", 3, 4, 5])],
        [helper.make_tensor_value_info(
            o, INT64 if o in int_outputs else TensorProto.FLOAT, None)
         for o in outputs],
        initializer=init)
    return model_at_opset(graph, opset)


def upsample(opset):
    scales = [1.0, 1.0, 2.0, 3.0]
    nodes = []
    init = []
    for mode in ("nearest", "linear"):
        inputs = ["X"]
        attrs = {"mode": mode}
        if opset >= 9:
            inputs.append("scales")
        else:
            attrs["scales"] = scales
        nodes.append(N("Upsample", inputs, [f"up_{mode}"], **attrs))
    if opset >= 9:
        init.append(floats("scales", scales))
    graph = helper.make_graph(
        nodes, "upsample",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       ["N", 3, 4, 5])],
        [helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
         for n in nodes],
        initializer=init)
    return model_at_opset(graph, opset)


def alexnet_block():
    rng = np.random.default_rng(7)
    w = rng.normal(0, 0.2, (16, 3, 5, 5)).astype(np.float32)
    b = rng.normal(0, 0.1, (16,)).astype(np.float32)
    nodes = [
        N("Conv", ["X", "W", "B"], ["conv"], strides=[2, 2], pads=[2] * 4),
        N("Relu", ["conv"], ["relu"]),
        N("LRN", ["relu"], ["lrn"], size=5, alpha=1e-4, beta=0.75,
          bias=1.0),
        N("LRN", ["relu"], ["lrn_strong"], size=5, alpha=0.05, beta=0.75,
          bias=2.0),
        N("MaxPool", ["lrn"], ["pool"], kernel_shape=[3, 3],
          strides=[2, 2]),
        N("MaxPool", ["lrn_strong"], ["pool_strong"], kernel_shape=[3, 3],
          strides=[2, 2]),
    ]
    graph = helper.make_graph(
        nodes, "alexnet_block",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       ["N", 3, 32, 32])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None)
         for o in ("pool", "pool_strong")],
        initializer=[floats("W", w), floats("B", b)])
    return model_at_opset(graph, 13)


def nan_model():
    nodes = [N("ArgMax", ["X"], ["argmax"], axis=1, keepdims=0),
             N("ArgMin", ["X"], ["argmin"], axis=1, keepdims=0),
             N("ArgMax", ["X"], ["argmax_last"], axis=1, keepdims=0,
               select_last_index=1),
             N("ArgMin", ["X"], ["argmin_last"], axis=1, keepdims=0,
               select_last_index=1)]
    graph = helper.make_graph(
        nodes, "nan_positions",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info(n.output[0], INT64, None)
         for n in nodes])
    return model_at_opset(graph, 21)


NAN_ROWS = np.array([[1, np.nan, 3, 2], [np.nan, 1, 2, 0], [1, 2, 3, np.nan],
                     [np.nan, np.nan, np.nan, np.nan],
                     [-np.inf, np.nan, -np.inf, 5]], np.float32)


def half_integers(rng, shape):
    return (rng.integers(-8, 9, shape) / 2).astype(np.float32)


def run(name, model, batches, x_of, **kwargs):
    model_dir = os.path.join(out, name)
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(model, path)
    status = 0
    for batch in batches:
        d = os.path.join(model_dir, f"batch{batch}")
        os.makedirs(d, exist_ok=True)
        inputs = [write_input(os.path.join(d, "input_0.pb"), x_of(batch),
                              "X")]
        status |= cross_check(src, rebocc, path, inputs, d, 1e-5, 1e-5,
                              f"{name} batch {batch}", **kwargs)
    return status


status = 0
for opset in (18, 19, 20, 21):
    rng = np.random.default_rng(200 + opset)
    status |= run(f"opset{opset}", build(opset),
                  (2, 5) if opset == 21 else (2,),
                  lambda n: half_integers(rng, (n, 3, 4, 5)))
for opset in (7, 9):
    rng = np.random.default_rng(300 + opset)
    status |= run(f"upsample{opset}", upsample(opset), (2,),
                  lambda n: rng.normal(0, 2, (n, 3, 4, 5)).astype(np.float32))
status |= run("nan_positions", nan_model(), (5,), lambda n: NAN_ROWS)
rng = np.random.default_rng(400)
status |= run("alexnet_block", alexnet_block(), (2,),
              lambda n: rng.normal(0, 1, (n, 3, 32, 32)).astype(np.float32),
              fixed_range_tol=1e-3)
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
