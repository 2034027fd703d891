#!/usr/bin/python3
"""Cross-check rebocc's LRN, GlobalMaxPool, ArgMax / ArgMin, ReduceProd,
ReduceL1, ReduceSumSquare, ReduceLogSum, ReduceLogSumExp, CumSum, Trilu,
Hardmax and TopK with onnxruntime-node, one model per opset 18 to 21, and
Upsample (opsets 7 and 9), ArgMax / ArgMin and TopK (k = 1) of rows with
NaN (opset 21) and a Conv-Relu-LRN-MaxPool block (AlexNet's first, opset
13). TopK of k = 2, 3, 4 on the NaN rows is checked against a loop of
rebocc's rule (onnxruntime's k = 1 scan over the elements left; its own
order there is its heap's or sort's artifact). Hardmax of rows of three
with NaN (opset 13) against onnxruntime.

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
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, floats, ints,  # noqa: E402
                             model_at_opset, read_tensor, script_args,
                             write_input)

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
               select_last_index=1),
             N("TopK", ["X", "k1"], ["top1", "top1_idx"]),
             N("TopK", ["X", "k1"], ["low1", "low1_idx"], largest=0)]
    outputs = [helper.make_tensor_value_info(name, INT64, None)
               for n in nodes[:4] for name in n.output]
    outputs += [helper.make_tensor_value_info(name, TensorProto.FLOAT
                                              if i == 0 else INT64, None)
                for n in nodes[4:] for i, name in enumerate(n.output)]
    graph = helper.make_graph(
        nodes, "nan_positions",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
        outputs, initializer=[ints("k1", [1])])
    return model_at_opset(graph, 21)


def hardmax_nan_model():
    """Hardmax of rows of three with NaN: onnxruntime's row maximum is then
    a running one (longer rows: a SIMD one pairing elements otherwise)."""
    graph = helper.make_graph(
        [N("Hardmax", ["X"], ["hardmax"])], "hardmax_nan",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("hardmax", TensorProto.FLOAT, None)])
    return model_at_opset(graph, 13)


HARDMAX_NAN_ROWS = np.array(
    [[np.nan, 1, 2], [1, np.nan, 3], [1, 2, np.nan], [np.nan] * 3,
     [-np.inf, np.nan, 5], [2, np.nan, 2], [-np.inf, np.nan, -np.inf],
     [3, 1, 2]], np.float32)


def nan_topk_model(k):
    """TopK of k > 1 on the NaN rows: onnxruntime's order there is its
    heap's or sort's artifact, so rebocc's is checked against
    nan_topk_loop instead."""
    nodes = [N("TopK", ["X", "k"], ["top", "top_idx"]),
             N("TopK", ["X", "k"], ["low", "low_idx"], largest=0)]
    graph = helper.make_graph(
        nodes, f"nan_topk{k}",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT
                                       if i == 0 else INT64, None)
         for n in nodes for i, name in enumerate(n.output)],
        initializer=[ints("k", [k])])
    return model_at_opset(graph, 21)


def nan_topk_loop(row, k, largest):
    """rebocc's rule, written as a loop: each round scans the elements not
    yet taken from the first one, moving only to one that compares greater
    (less), as onnxruntime's k = 1 scan; ties keep the first."""
    left = list(range(len(row)))
    values, indices = [], []
    for _ in range(k):
        best = left[0]
        for i in left[1:]:
            if (row[i] > row[best]) if largest else (row[i] < row[best]):
                best = i
        left.remove(best)
        values.append(row[best])
        indices.append(best)
    return values, indices


def check_nan_topk(k):
    """rebocc's TopK of k on NAN_ROWS (float reference and fixed point)
    against nan_topk_loop, exactly (NaN where NaN)."""
    model_dir = os.path.join(out, f"nan_topk{k}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(nan_topk_model(k), path)
    x = os.path.join(model_dir, "input_0.pb")
    write_input(x, NAN_ROWS, "X")
    bad = 0
    for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
        folder = os.path.join(model_dir, mode)
        subprocess.run([rebocc, path, "--run", *flags, "--input", x,
                        "--output-dir", folder], check=True,
                       stdout=subprocess.DEVNULL)
        for o, largest in ((0, True), (2, False)):
            got_v = read_tensor(os.path.join(folder, f"output_{o}.pb"))
            got_i = read_tensor(os.path.join(folder, f"output_{o + 1}.pb"))
            for row, v, i in zip(NAN_ROWS, got_v, got_i):
                want_v, want_i = nan_topk_loop(row, k, largest)
                if (list(i) != want_i or
                        not np.array_equal(v, np.array(want_v, np.float32),
                                           equal_nan=True)):
                    print(f"nan_topk{k} {mode}: row {list(row)} gives "
                          f"{list(v)} at {list(i)}, not {want_v} at "
                          f"{want_i}")
                    bad = 1
    print(f"nan_topk{k}: " + ("MISMATCH" if bad else "OK"))
    return bad


NAN_ROWS = np.array([[1, np.nan, 3, 2], [np.nan, 1, 2, 0], [1, 2, 3, np.nan],
                     [np.nan, np.nan, np.nan, np.nan],
                     [-np.inf, np.nan, -np.inf, 5], [np.nan, 1, np.nan, 2],
                     [1, np.nan, np.nan, 3], [3, np.nan, -np.inf, np.inf],
                     [2, 2, np.nan, 2], [np.nan, 3, 1, np.nan]], np.float32)


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
status |= run("nan_positions", nan_model(), (10,), lambda n: NAN_ROWS)
for k in (2, 3, 4):
    status |= check_nan_topk(k)
status |= run("hardmax_nan", hardmax_nan_model(), (8,),
              lambda n: HARDMAX_NAN_ROWS)
rng = np.random.default_rng(400)
status |= run("alexnet_block", alexnet_block(), (2,),
              lambda n: rng.normal(0, 1, (n, 3, 32, 32)).astype(np.float32),
              fixed_range_tol=1e-3)
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
