#!/usr/bin/python3
"""Cross-check rebocc's LpPool and GlobalLpPool with onnxruntime-node, one
model per opset 18 to 21 and one of opset 11 (LpPool before ceil_mode).

  lppool-ort.py REBOCC_SRC REBOCC OUT_DIR

X is [N, 3, 7, 8] float32, normal with standard deviation 2, X1 [N, 2, 9]
(1-D pooling, GlobalLpPool over one spatial dimension). LpPool with p 1 to
4, strides, explicit pads, auto_pad SAME_UPPER, SAME_LOWER and VALID,
from opset 18 ceil_mode and dilations; GlobalLpPool p 1, 2, 3. Each model runs in the float reference and
fixed point (no crossbar layers: both are float32 digital ops); every
output must be within rtol 1e-5, atol 1e-5 of onnxruntime's. Measured
(docs/SupportedOps.md, "LpPool against onnxruntime"): rebocc is within
2e-7 relative of onnxruntime on such data, and the script also checks a
float64 loop over the windows within 1e-5 of each output, independently
of either.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, model_at_opset,  # noqa: E402
                             read_tensor, script_args, write_input)

src, rebocc, out = script_args()
N = helper.make_node

# (output, input, attributes): 2-D windows over X, 1-D over X1.
LP_POOLS = [
    ("p1", "X", dict(kernel_shape=[2, 3], p=1)),
    ("p2", "X", dict(kernel_shape=[2, 3])),
    ("p3", "X", dict(kernel_shape=[2, 3], p=3)),
    ("p4", "X", dict(kernel_shape=[3, 2], p=4)),
    ("strided_pads", "X", dict(kernel_shape=[3, 3], strides=[2, 2],
                               pads=[1, 1, 1, 1])),
    ("uneven_pads", "X", dict(kernel_shape=[3, 2], strides=[2, 3],
                              pads=[1, 0, 2, 1], p=3)),
    ("same_upper", "X", dict(kernel_shape=[3, 3], strides=[2, 2],
                             auto_pad="SAME_UPPER")),
    ("same_lower", "X", dict(kernel_shape=[3, 3], strides=[2, 2],
                             auto_pad="SAME_LOWER")),
    ("valid", "X", dict(kernel_shape=[2, 2], auto_pad="VALID", p=1)),
    ("pool_1d", "X1", dict(kernel_shape=[3], strides=[2], pads=[1, 1])),
]
# Opset 18 on: ceil_mode and dilations.
CEIL = [("ceil", "X", dict(kernel_shape=[3, 3], strides=[2, 2],
                           ceil_mode=1)),
        ("dilated", "X", dict(kernel_shape=[2, 3], dilations=[2, 2],
                              pads=[1, 1, 1, 1], p=3)),
        ("dilated_ceil", "X", dict(kernel_shape=[2, 2], strides=[2, 2],
                                   dilations=[2, 3], ceil_mode=1)),
        ("dilated_1d", "X1", dict(kernel_shape=[3], dilations=[3]))]
GLOBALS = [("global_p1", "X", 1), ("global_p2", "X", 2),
           ("global_p3", "X", 3), ("global_1d", "X1", 2)]


def build(opset):
    pools = LP_POOLS + (CEIL if opset >= 18 else [])
    nodes = [N("LpPool", [x], [name], **attrs) for name, x, attrs in pools]
    nodes += [N("GlobalLpPool", [x], [name], p=p) for name, x, p in GLOBALS]
    graph = helper.make_graph(
        nodes, "lppool",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       ["N", 3, 7, 8]),
         helper.make_tensor_value_info("X1", TensorProto.FLOAT,
                                       ["N", 2, 9])],
        [helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
         for n in nodes])
    return model_at_opset(graph, opset), pools


def lp_pool_loop(x, attrs, p):
    """The ONNX definition in float64 loops: (sum |x|^p over the window's
    real elements)^(1/p), the output size from the explicit or automatic
    pads and ceil_mode."""
    k = attrs["kernel_shape"]
    dims = len(k)
    spatial = x.shape[2:]
    strides = attrs.get("strides", [1] * dims)
    dil = attrs.get("dilations", [1] * dims)
    pads = list(attrs.get("pads", [0] * 2 * dims))
    auto = attrs.get("auto_pad", "NOTSET")
    outs = []
    for d in range(dims):
        size = spatial[d]
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            out = -(-size // strides[d])
            total = max(0, (out - 1) * strides[d] + k[d] - size)
            small, big = total // 2, total - total // 2
            pads[d], pads[d + dims] = ((small, big) if auto == "SAME_UPPER"
                                       else (big, small))
        elif auto == "VALID":
            pads[d] = pads[d + dims] = 0
        span = size + pads[d] + pads[d + dims] - dil[d] * (k[d] - 1) - 1
        if attrs.get("ceil_mode", 0):
            out = -(-span // strides[d]) + 1
            if (out - 1) * strides[d] >= size + pads[d]:
                out -= 1
        else:
            out = span // strides[d] + 1
        outs.append(out)
    y = np.zeros(x.shape[:2] + tuple(outs))
    for index in np.ndindex(*y.shape):
        ranges = []
        for d in range(dims):
            start = index[2 + d] * strides[d] - pads[d]
            ranges.append([start + u * dil[d] for u in range(k[d])
                           if 0 <= start + u * dil[d] < spatial[d]])
        total = 0.0
        for pos in np.ndindex(*[len(r) for r in ranges]):
            at = tuple(r[i] for r, i in zip(ranges, pos))
            total += abs(float(x[index[:2] + at])) ** p
        y[index] = total ** (1.0 / p)
    return y


def independent_check(folder, pools, inputs):
    """Each output of rebocc's float reference against the float64 loop."""
    bad = 0
    expected = [lp_pool_loop(inputs[x], a, a.get("p", 2))
                for _, x, a in pools]
    for _, x, p in GLOBALS:
        v = inputs[x].astype(np.float64)
        axes = tuple(range(2, v.ndim))
        expected.append((np.abs(v) ** p).sum(axis=axes, keepdims=True)
                        ** (1.0 / p))
    for i, want in enumerate(expected):
        got = read_tensor(os.path.join(folder, "float", f"output_{i}.pb"))
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5,
                                                      atol=1e-5):
            print(f"output {i}: differs from the float64 loop")
            bad = 1
    print("float64 loops: " + ("MISMATCH" if bad else "OK"))
    return bad


status = 0
for opset in (11, 18, 19, 20, 21):
    rng = np.random.default_rng(700 + opset)
    inputs = {"X": rng.normal(0, 2, (2, 3, 7, 8)).astype(np.float32),
              "X1": rng.normal(0, 2, (2, 2, 9)).astype(np.float32)}
    model, pools = build(opset)
    model_dir = os.path.join(out, f"opset{opset}")
    folder = os.path.join(model_dir, "batch2")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(model, path)
    files = [write_input(os.path.join(folder, f"input_{i}.pb"), v, name)
             for i, (name, v) in enumerate(inputs.items())]
    status |= cross_check(src, rebocc, path, files, folder, 1e-5, 1e-5,
                          f"opset{opset} batch 2")
    status |= independent_check(folder, pools, inputs)
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
