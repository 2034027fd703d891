"""Div of a run-time divisor against onnxruntime-node (test/e2e/div-ort.test)
at opsets 13 and 21: one division, rounded once as onnxruntime's a / b is.
Until 2026-12-04 rebocc computed a * b^-1, two roundings, and about a
quarter of the quotients differed from onnxruntime's in the last bit. One
model, numpy broadcasting:
  q = Div(a, b)        float32 [2, 500] by [2, 500]
  r = Div(a, c)        float32 [2, 500] by [500] (broadcast)
  s = Reciprocal(b)    float32 [2, 500]: 1 / b, also one division
rebocc --run (float reference and fixed point: no crossbar layer, so the
inputs reach the division as given) must write outputs equal to
onnxruntime's bit for bit; the count of quotients a * (1 / b) would get
wrong is printed too, to show the inputs can tell the two apart.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (finish, model_at_opset,  # noqa: E402
                             ort_and_rebocc_runs, read_tensor, script_args,
                             write_inputs)

import onnx  # noqa: E402

RNG = np.random.default_rng(11)
ARRAYS = {"a": RNG.uniform(-3, 3, (2, 500)).astype(np.float32),
          "b": RNG.uniform(0.1, 5, (2, 500)).astype(np.float32),
          "c": RNG.uniform(-5, -0.1, (500,)).astype(np.float32)}


def graph():
    nodes = [helper.make_node("Div", ["a", "b"], ["q"], name="div_same"),
             helper.make_node("Div", ["a", "c"], ["r"], name="div_bcast"),
             helper.make_node("Reciprocal", ["b"], ["s"], name="recip")]
    return helper.make_graph(
        nodes, "div",
        [helper.make_tensor_value_info("a", T.FLOAT, [2, 500]),
         helper.make_tensor_value_info("b", T.FLOAT, [2, 500]),
         helper.make_tensor_value_info("c", T.FLOAT, [500])],
        [helper.make_tensor_value_info("q", T.FLOAT, [2, 500]),
         helper.make_tensor_value_info("r", T.FLOAT, [2, 500]),
         helper.make_tensor_value_info("s", T.FLOAT, [2, 500])])


def main():
    src, rebocc, out = script_args()
    status = 0
    a, b, c = ARRAYS["a"], ARRAYS["b"], ARRAYS["c"]
    twice = {"q": a * (np.float32(1) / b), "r": a * (np.float32(1) / c)}
    for opset in (13, 21):
        folder = os.path.join(out, f"opset{opset}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "div.onnx")
        onnx.save(model_at_opset(graph(), opset), path)
        inputs = write_inputs(os.path.join(folder, "in"), ARRAYS)
        for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                                folder):
            print(f"== opset {opset} {mode}")
            for i, name in enumerate("qrs"):
                e = read_tensor(os.path.join(folder, "ort", f"output_{i}.pb"))
                got = read_tensor(os.path.join(actual, f"output_{i}.pb"))
                same = e.shape == got.shape and np.array_equal(e, got)
                status |= not same
                verdict = "identical" if same else "DIFFERENT"
                if name in twice:
                    off = int((twice[name] != e).sum())
                    verdict += f" ({off} of {e.size} differ as a * (1 / b))"
                print(f"{name}: {verdict}")
    finish(status)


if __name__ == "__main__":
    main()
