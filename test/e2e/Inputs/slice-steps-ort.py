#!/usr/bin/python3
"""Cross-check rebocc's Slice of run-time data with steps, and its import of
nodes listed out of topological order, with onnxruntime-node.

  slice-steps-ort.py REBOCC_SRC REBOCC OUT_DIR

One model per opset 9 (Slice's attribute form, step 1) and 13, 18 and 21
(inputs with steps; the same nodes, Slice is unchanged since 13), X: [N, 6, 8] float32, its nodes in reversed file order (each node
listed before the nodes it reads; the importer sorts them as onnxruntime
does). Opsets 13 to 21 slice X by: -1 over a whole axis (INT64_MAX to INT64_MIN,
clamped), 3 and -2 on two axes, -3 from a start past the end with 2 on the
other, and 2 on axis 1 of a Relu of X followed by a Sigmoid. Writes a seeded
batch of 3, runs onnxruntime (scripts/ort_reference.sh) and rebocc --run
(float reference and fixed point) and compares every output with
compare_outputs.py: slices are copies, so rtol 0 and atol 0 (Relu and
Sigmoid within 1e-6).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, ints,  # noqa: E402
                             model_at_opset, script_args, write_inputs)

src, rebocc, out = script_args()
N = helper.make_node


def build(opset):
    nodes, outputs, init = [], [], []
    if opset >= 10:
        slices = [  # (data, starts, ends, axes, steps)
            ("X", [2**63 - 1], [-2**63], [2], [-1]),        # axis 2 reversed
            ("X", [0, 7], [6, -100], [1, 2], [3, -2]),      # rows 0 3; cols 7 5 3 1
            ("X", [100, 1], [0, 8], [1, 2], [-3, 2]),       # rows 5 2; cols 1 3 5 7
            ("r", [1], [6], [1], [2]),                      # rows 1 3 5 of Relu(X)
        ]
        for i, (data, s, e, a, t) in enumerate(slices):
            init += [ints(f"s{i}", s), ints(f"e{i}", e), ints(f"a{i}", a),
                     ints(f"t{i}", t)]
            nodes.append(N("Slice", [data, f"s{i}", f"e{i}", f"a{i}", f"t{i}"],
                           [f"sl{i}"]))
        nodes += [N("Relu", ["X"], ["r"]), N("Sigmoid", ["sl3"], ["y3"])]
        outputs = ["sl0", "sl1", "sl2", "y3"]
    else:
        nodes += [N("Relu", ["X"], ["r"]),
                  N("Slice", ["r"], ["sl0"], starts=[1, -5], ends=[5, 100],
                    axes=[1, 2]),
                  N("Sigmoid", ["sl0"], ["y0"])]
        outputs = ["y0"]
    # Out of order: each node before the ones it reads.
    nodes.reverse()
    graph = helper.make_graph(
        nodes, "slice_steps",
        [helper.make_tensor_value_info("X", T.FLOAT, ["N", 6, 8])],
        [helper.make_tensor_value_info(n, T.FLOAT, None) for n in outputs],
        initializer=init)
    return model_at_opset(graph, opset)


status = 0
for opset in (9, 13, 18, 21):
    model_dir = os.path.join(out, f"opset{opset}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(build(opset), path)
    rng = np.random.default_rng(400 + opset)
    d = os.path.join(model_dir, "batch3")
    inputs = write_inputs(d, {
        "X": rng.normal(0.0, 2.0, (3, 6, 8)).astype(np.float32)})
    status |= cross_check(src, rebocc, path, inputs, d, 1e-6, 1e-6,
                          f"opset {opset}")
finish(status)
