#!/usr/bin/python3
"""Cross-check rebocc's elementwise functions of one tensor (Softplus, Elu,
Selu, Celu, Softsign, ThresholdedRelu, Mish, Shrink, Floor, Ceil, Sin, Cos,
Sign, IsNaN, IsInf) and CastLike with onnxruntime-node, at opsets 18 to 21.

  unary-ort.py REBOCC_SRC REBOCC OUT_DIR

Per opset two models read X [N, 80] float32: "exact" (Floor, Ceil, Sign,
Softsign, ThresholdedRelu, Shrink, IsNaN, IsInf, CastLike to int8), whose
outputs must equal onnxruntime's bit for bit, and "math" (Softplus, Elu,
Selu, Celu, Mish, Sin, Cos, defaults and given attributes), held to rtol
1e-5, atol 1e-6 (float32 std:: functions against onnxruntime's vectorized
exp, log1p, tanh, sin and cos: measured up to 5 float32 ulps, 4.8e-7
absolute below 1, 3.2e-7 relative; docs/SupportedOps.md). X holds the edges
(0, -0, subnormals, +-0.5, +-1, halves for Floor and Ceil, the Shrink and
ThresholdedRelu thresholds, +-20, +-30, +-88, +-89, +-1e4, +-1e30, +-FLT_MAX,
NaN, +-inf) and seeded random values; batches 1 and 3, float reference and
fixed point (cross_check).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, script_args,  # noqa: E402
                             write_inputs)

src, rebocc, out = script_args()
N = helper.make_node
WIDTH = 80

EXACT = [
    ("Floor", {}), ("Ceil", {}), ("Sign", {}), ("Softsign", {}),
    ("ThresholdedRelu", {}), ("ThresholdedRelu", {"alpha": -0.5}),
    ("Shrink", {}), ("Shrink", {"lambd": 1.0, "bias": 0.25}),
    ("IsNaN", {}), ("IsInf", {}), ("IsInf", {"detect_negative": 0}),
    ("IsInf", {"detect_positive": 0}),
]
MATH = [
    ("Softplus", {}), ("Elu", {}), ("Elu", {"alpha": 0.3}), ("Selu", {}),
    ("Selu", {"alpha": 2.5, "gamma": 0.7}), ("Celu", {}),
    ("Celu", {"alpha": 2.5}), ("Mish", {}), ("Sin", {}), ("Cos", {}),
]
BOOL = {"IsNaN", "IsInf"}


def model(path, opset, ops, castlike):
    nodes, outputs, inits = [], [], []
    for i, (op, attrs) in enumerate(ops):
        name = f"y{i}_{op}"
        nodes.append(N(op, ["X"], [name], **attrs))
        outputs.append(helper.make_tensor_value_info(
            name, TensorProto.BOOL if op in BOOL else TensorProto.FLOAT,
            None))
    if castlike:
        inits.append(numpy_helper.from_array(np.array([1], np.int8), "like"))
        nodes.append(N("CastLike", ["X", "like"], ["castlike"]))
        outputs.append(helper.make_tensor_value_info("castlike",
                                                     TensorProto.INT8, None))
    graph = helper.make_graph(
        nodes, "unary",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", WIDTH])],
        outputs, initializer=inits)
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 10 if opset >= 21 else 9
    onnx.save(m, path)


def inputs(batch, rng):
    f32 = np.finfo(np.float32)
    edges = [0.0, -0.0, 1e-45, -1e-45, 1e-7, -1e-7, 0.5, -0.5, 1.0, -1.0,
             1.5, -1.5, 2.5, -2.5, 0.25, -0.25, 20.0, -20.0, 30.0, -30.0,
             88.0, -88.0, 89.0, -89.0, 1e4, -1e4, 1e30, -1e30, f32.max,
             -f32.max, np.nan, np.inf, -np.inf]
    x = np.concatenate([
        np.tile(np.array(edges, np.float32), (batch, 1)),
        rng.normal(0.0, 3.0, (batch, WIDTH - len(edges))).astype(np.float32),
    ], axis=1)
    return x


def same_bits(expected_dir, actual_dir):
    """Every output file of expected_dir equals actual_dir's to the bit
    (NaN payloads aside)."""
    status = 0
    for name in sorted(os.listdir(expected_dir)):
        load = lambda d: numpy_helper.to_array(  # noqa: E731
            onnx.load_tensor(os.path.join(d, name)))
        e, a = load(expected_dir), load(actual_dir)
        if e.dtype != a.dtype or e.shape != a.shape:
            print(f"{name}: dtype/shape {a.dtype}{a.shape} != {e.dtype}{e.shape}")
            status = 1
            continue
        if e.dtype == np.float32:
            nan = np.isnan(e) & np.isnan(a)
            differ = (e.view(np.uint32) != a.view(np.uint32)) & ~nan
        else:
            differ = e != a
        print(f"{name}: bits differ at {int(differ.sum())} of {e.size}")
        status |= int(differ.any())
    return status


status = 0
rng = np.random.default_rng(18)
for opset in (18, 19, 20, 21):
    for kind, ops in (("exact", EXACT), ("math", MATH)):
        folder = os.path.join(out, f"opset{opset}-{kind}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "model.onnx")
        model(path, opset, ops, castlike=kind == "exact")
        for batch in (1, 3):
            d = os.path.join(folder, f"batch{batch}")
            files = write_inputs(d, {"X": inputs(batch, rng)})
            label = f"opset {opset} {kind} batch {batch}"
            if kind == "exact":
                status |= cross_check(src, rebocc, path, files, d, 0, 0, label)
                for mode in ("float", "fixed"):
                    print(f"== {label} {mode} bits", flush=True)
                    status |= same_bits(os.path.join(d, "ort"),
                                        os.path.join(d, mode))
            else:
                status |= cross_check(src, rebocc, path, files, d, 1e-5, 1e-6,
                                      label)
finish(status)
