#!/usr/bin/python3
"""Cross-check rebocc's LpNormalization and MeanVarianceNormalization with
onnxruntime-node, one model per opset 18 to 21, a model with a fixed batch
(MeanVarianceNormalization's default axes [0, 2, 3] include it) and a
face-embedding tail (Gemm then LpNormalization, as ArcFace ends).

  lpnorm-ort.py REBOCC_SRC REBOCC OUT_DIR

X is [N, 3, 4, 5] float32, normal with standard deviation 2, with
X[0, 0, 0, :] and X[0, :, 1, 2] zero (an all-zero vector along the last and
the channel axis: onnxruntime's LpNormalization gives 0 there, not 0 / 0).
Each model runs in the float reference and fixed point; every output must
be within rtol 1e-5, atol 1e-5 of onnxruntime's, the Gemm tail's fixed
point within 0.1 % of the output's range (a crossbar layer).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, floats,  # noqa: E402
                             model_at_opset, script_args, write_input)

src, rebocc, out = script_args()
N = helper.make_node


def build(opset):
    nodes = [
        N("LpNormalization", ["X"], ["l2_last"]),
        N("LpNormalization", ["X"], ["l1_last"], axis=-1, p=1),
        N("LpNormalization", ["X"], ["l2_channel"], axis=1, p=2),
        N("LpNormalization", ["X"], ["l1_channel"], axis=1, p=1),
        N("LpNormalization", ["X"], ["l2_axis2"], axis=-2),
        N("MeanVarianceNormalization", ["X"], ["mvn_spatial"], axes=[2, 3]),
        N("MeanVarianceNormalization", ["X"], ["mvn_chw"], axes=[1, 2, 3]),
        N("MeanVarianceNormalization", ["X"], ["mvn_channel"], axes=[1]),
        N("MeanVarianceNormalization", ["X"], ["mvn_13"], axes=[-3, -1]),
    ]
    graph = helper.make_graph(
        nodes, "lpnorm",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       ["N", 3, 4, 5])],
        [helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
         for n in nodes])
    return model_at_opset(graph, opset)


def fixed_batch():
    nodes = [N("MeanVarianceNormalization", ["X"], ["mvn_default"]),
             N("MeanVarianceNormalization", ["X"], ["mvn_all"],
               axes=[0, 1, 2, 3])]
    graph = helper.make_graph(
        nodes, "mvn_fixed_batch",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 3, 4, 5])],
        [helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
         for n in nodes])
    return model_at_opset(graph, 13)


def embedding_tail():
    rng = np.random.default_rng(11)
    w = rng.normal(0, 0.2, (64, 16)).astype(np.float32)
    b = rng.normal(0, 0.1, (16,)).astype(np.float32)
    nodes = [N("Gemm", ["X", "W", "B"], ["embedding"]),
             N("LpNormalization", ["embedding"], ["normalized"], axis=1)]
    graph = helper.make_graph(
        nodes, "embedding_tail",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 64])],
        [helper.make_tensor_value_info("normalized", TensorProto.FLOAT,
                                       None)],
        initializer=[floats("W", w), floats("B", b)])
    return model_at_opset(graph, 18)


def sample(rng, n):
    x = rng.normal(0, 2, (n, 3, 4, 5)).astype(np.float32)
    x[0, 0, 0, :] = 0
    x[0, :, 1, 2] = 0
    return x


def run(name, model, batch, x, **kwargs):
    model_dir = os.path.join(out, name)
    d = os.path.join(model_dir, f"batch{batch}")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(model, path)
    inputs = [write_input(os.path.join(d, "input_0.pb"), x, "X")]
    return cross_check(src, rebocc, path, inputs, d, 1e-5, 1e-5,
                       f"{name} batch {batch}", **kwargs)


status = 0
for opset in (18, 19, 20, 21):
    rng = np.random.default_rng(500 + opset)
    status |= run(f"opset{opset}", build(opset), 2, sample(rng, 2))
rng = np.random.default_rng(600)
status |= run("mvn_fixed_batch", fixed_batch(), 2, sample(rng, 2))
status |= run("embedding_tail", embedding_tail(), 3,
              rng.normal(0, 1, (3, 64)).astype(np.float32),
              fixed_range_tol=1e-3)
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
