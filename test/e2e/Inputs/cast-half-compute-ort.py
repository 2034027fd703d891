"""Operators on the half-precision result of a run-time Cast, against
onnxruntime-node (test/e2e/cast-half-compute-ort.test; docs/SupportedOps.md,
"Cast of run-time data"). Three models on x float32 [1000], opset 13:
  pair: Cast(Cast(x, FLOAT16), FLOAT)
  mul:  Cast(Mul(h, h), FLOAT) with h = Cast(x, FLOAT16)
  relu: Cast(Relu(h), FLOAT)
Each output is classified against three semantics computed here with numpy:
  * none: the model without its Casts (x * x, relu(x));
  * round-once: h rounded to float16 once, the operator in float32 (rebocc);
  * ONNX: every FLOAT16 result rounded (the operator's result too).
Prints, per model and run, how many of the 1000 elements equal each.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (model_at_opset, ort_and_rebocc_runs,  # noqa
                             read_tensor, script_args, write_inputs)

import onnx  # noqa: E402

X = np.random.default_rng(3).uniform(0.5, 3.0, 1000).astype(np.float32)


def half(v):
    return v.astype(np.float16).astype(np.float32)


H = half(X)
MODELS = {
    "pair": ([], X, H, H),
    "mul": ([helper.make_node("Mul", ["h", "h"], ["a"])], X * X, H * H,
            half(H * H)),
    "relu": ([helper.make_node("Relu", ["h"], ["a"])], X, H, H),
}


def graph(ops):
    nodes = [helper.make_node("Cast", ["x"], ["h"], to=T.FLOAT16), *ops,
             helper.make_node("Cast", ["a" if ops else "h"], ["y"],
                              to=T.FLOAT)]
    return helper.make_graph(
        nodes, "half", [helper.make_tensor_value_info("x", T.FLOAT, [1000])],
        [helper.make_tensor_value_info("y", T.FLOAT, [1000])])


def main():
    src, rebocc, out = script_args()
    for name, (ops, none, once, onnx_semantics) in MODELS.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "model.onnx")
        onnx.save(model_at_opset(graph(ops), 13), path)
        inputs = write_inputs(os.path.join(folder, "in"), {"x": X})
        runs = {mode: os.path.join(actual, "output_0.pb") for mode, actual in
                ort_and_rebocc_runs(src, rebocc, path, inputs, folder)}
        runs["onnxruntime"] = os.path.join(folder, "ort", "output_0.pb")
        for run in ("onnxruntime", "float", "fixed"):
            y = read_tensor(runs[run])
            counts = [int((y == ref).sum()) for ref in
                      (none, once, onnx_semantics)]
            print(f"{name} {run}: none {counts[0]}, round-once {counts[1]}, "
                  f"ONNX {counts[2]}")


if __name__ == "__main__":
    main()
