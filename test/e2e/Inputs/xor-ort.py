"""Xor against onnxruntime-node (issue 12; test/e2e/xor-ort.test) at
opsets 13, 18 and 21 (Xor last changed at 7, numpy broadcasting). One model:
  a = Xor(p, q)                 BOOL [2, 3, 4] with BOOL [4] (broadcast)
  b = Xor(Greater(x, 0), Less(y, 0.5))   on float32 data [2, 3, 4], [3, 1]
rebocc --run (float reference and fixed point) must write BOOL outputs
equal to onnxruntime's, element for element.
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

RNG = np.random.default_rng(7)
ARRAYS = {"p": RNG.random((2, 3, 4)) < 0.5,
          "q": np.array([True, False, True, False]),
          "x": RNG.standard_normal((2, 3, 4)).astype(np.float32),
          "y": RNG.random((3, 1)).astype(np.float32)}


def graph():
    nodes = [helper.make_node("Xor", ["p", "q"], ["a"], name="xor_bool"),
             helper.make_node("Greater", ["x", "zero"], ["gx"]),
             helper.make_node("Less", ["y", "half"], ["ly"]),
             helper.make_node("Xor", ["gx", "ly"], ["b"], name="xor_cmp")]
    inits = [onnx.numpy_helper.from_array(np.array(0, np.float32), "zero"),
             onnx.numpy_helper.from_array(np.array(0.5, np.float32), "half")]
    return helper.make_graph(
        nodes, "xor",
        [helper.make_tensor_value_info("p", T.BOOL, [2, 3, 4]),
         helper.make_tensor_value_info("q", T.BOOL, [4]),
         helper.make_tensor_value_info("x", T.FLOAT, [2, 3, 4]),
         helper.make_tensor_value_info("y", T.FLOAT, [3, 1])],
        [helper.make_tensor_value_info("a", T.BOOL, [2, 3, 4]),
         helper.make_tensor_value_info("b", T.BOOL, [2, 3, 4])], inits)


def main():
    src, rebocc, out = script_args()
    status = 0
    for opset in (13, 18, 21):
        folder = os.path.join(out, f"opset{opset}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "xor.onnx")
        onnx.save(model_at_opset(graph(), opset), path)
        inputs = write_inputs(os.path.join(folder, "in"), ARRAYS)
        for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                                folder):
            print(f"== opset {opset} {mode}")
            for i, name in enumerate("ab"):
                e = read_tensor(os.path.join(folder, "ort", f"output_{i}.pb"))
                a = read_tensor(os.path.join(actual, f"output_{i}.pb"))
                same = e.dtype == a.dtype and e.shape == a.shape and \
                    np.array_equal(e, a)
                status |= not same
                print(f"{name} {e.dtype}{list(e.shape)} true {int(e.sum())}: "
                      f"{'identical' if same else 'DIFFERENT'}")
    finish(status)


if __name__ == "__main__":
    main()
