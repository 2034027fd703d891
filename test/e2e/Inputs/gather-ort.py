"""Gather, GatherElements and GatherND by run-time indices against
onnxruntime-node (issue 12; test/e2e/gather-ort.test), at opsets 13, 18
and 21 (Gather, GatherElements and GatherND last changed at 13; ReduceMean
takes its axes as an input from 18; 21 is the newest opset onnxruntime 1.30
runs). Four models, each run in rebocc's float reference and fixed point on
the same input files as onnxruntime:

  embed:    the embedding lookup of a token-input classifier: INT64 token
            ids [N, 6] (one negative, -1 = the last row) -> Gather from a
            constant table [50, 8] -> ReduceMean over the tokens -> Gemm to
            3 classes. The Gemm is a crossbar layer, so fixed point is held
            to 2 % of each output's range, the float reference to 1e-5.
  gather:   run-time data [N, 4, 5] gathered on axis 2 by run-time INT32
            indices [2, 3] (negative ones among them): a copy, exact.
  elements: GatherElements on axis 1 of [3, 4] by INT64 [3, 2] (negative
            indices) and on axis 0 of the same data by [2, 4]: exact.
  nd:       GatherND of [2, 3, 4] by INT64 [2, 2] tuples (batch_dims 0)
            and by [2, 2, 1] (batch_dims 1): exact.

Then an index out of range: onnxruntime fails the run, and so does rebocc,
with one error naming the node and the indices element.
"""
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto as T, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, floats, model_at_opset,  # noqa: E402
                             script_args, write_inputs)

import onnx  # noqa: E402

RNG = np.random.default_rng(12)
TABLE = RNG.standard_normal((50, 8)).astype(np.float32)
W = RNG.standard_normal((8, 3)).astype(np.float32)
B = RNG.standard_normal(3).astype(np.float32)
IDS = np.array([[1, 2, 3, -1, 49, 0], [5, 5, 7, 11, 13, 17]], np.int64)


def embed(opset):
    nodes = [helper.make_node("Gather", ["table", "ids"], ["e"], axis=0,
                              name="embed")]
    if opset >= 18:
        nodes.append(helper.make_node("ReduceMean", ["e", "axes"], ["m"],
                                      keepdims=0, name="pool"))
    else:
        nodes.append(helper.make_node("ReduceMean", ["e"], ["m"], axes=[1],
                                      keepdims=0, name="pool"))
    nodes.append(helper.make_node("Gemm", ["m", "W", "b"], ["y"], name="fc"))
    inits = [floats("table", TABLE), floats("W", W), floats("b", B)]
    if opset >= 18:
        inits.append(onnx.numpy_helper.from_array(np.array([1], np.int64),
                                                  "axes"))
    graph = helper.make_graph(
        nodes, "embed", [helper.make_tensor_value_info("ids", T.INT64, ["N", 6])],
        [helper.make_tensor_value_info("y", T.FLOAT, ["N", 3])], inits)
    return graph, {"ids": IDS}


def gather(opset):
    graph = helper.make_graph(
        [helper.make_node("Gather", ["x", "i"], ["y"], axis=2, name="g")],
        "gather",
        [helper.make_tensor_value_info("x", T.FLOAT, ["N", 4, 5]),
         helper.make_tensor_value_info("i", T.INT32, [2, 3])],
        [helper.make_tensor_value_info("y", T.FLOAT, ["N", 4, 2, 3])])
    return graph, {"x": RNG.standard_normal((2, 4, 5)).astype(np.float32),
                   "i": np.array([[4, -5, 0], [-1, 2, 2]], np.int32)}


def elements(opset):
    graph = helper.make_graph(
        [helper.make_node("GatherElements", ["x", "i"], ["y"], axis=1,
                          name="ge1"),
         helper.make_node("GatherElements", ["x", "j"], ["z"], axis=0,
                          name="ge0")],
        "elements",
        [helper.make_tensor_value_info("x", T.FLOAT, [3, 4]),
         helper.make_tensor_value_info("i", T.INT64, [3, 2]),
         helper.make_tensor_value_info("j", T.INT64, [2, 4])],
        [helper.make_tensor_value_info("y", T.FLOAT, [3, 2]),
         helper.make_tensor_value_info("z", T.FLOAT, [2, 4])])
    return graph, {"x": RNG.standard_normal((3, 4)).astype(np.float32),
                   "i": np.array([[3, -4], [0, -1], [2, 2]], np.int64),
                   "j": np.array([[2, 0, -1, 1], [-3, 1, 0, 2]], np.int64)}


def nd(opset):
    graph = helper.make_graph(
        [helper.make_node("GatherND", ["x", "i"], ["y"], name="nd0"),
         helper.make_node("GatherND", ["x", "j"], ["z"], batch_dims=1,
                          name="nd1")],
        "nd",
        [helper.make_tensor_value_info("x", T.FLOAT, [2, 3, 4]),
         helper.make_tensor_value_info("i", T.INT64, [2, 2]),
         helper.make_tensor_value_info("j", T.INT64, [2, 2, 1])],
        [helper.make_tensor_value_info("y", T.FLOAT, [2, 4]),
         helper.make_tensor_value_info("z", T.FLOAT, [2, 2, 4])])
    return graph, {"x": RNG.standard_normal((2, 3, 4)).astype(np.float32),
                   "i": np.array([[1, -1], [0, 2]], np.int64),
                   "j": np.array([[[2], [0]], [[-1], [1]]], np.int64)}


def save(graph, opset, path):
    onnx.save(model_at_opset(graph, opset), path)


def out_of_range(src, rebocc, out):
    """ids with 50 (one past the table): both fail the run."""
    folder = os.path.join(out, "range")
    graph, arrays = embed(13)
    path = os.path.join(folder, "embed.onnx")
    os.makedirs(folder, exist_ok=True)
    save(graph, 13, path)
    bad = IDS.copy()
    bad[1, 2] = 50
    inputs = write_inputs(os.path.join(folder, "in"), {"ids": bad})
    ort = subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"),
                          path, "--input", inputs[0], "--output-dir",
                          os.path.join(folder, "ort")],
                         capture_output=True, text=True)
    line = [l for l in ort.stderr.splitlines() if l.startswith("ort_run: error")]
    print("onnxruntime exit", ort.returncode, line[0] if line else ort.stderr)
    ours = subprocess.run([rebocc, path, "--run", "--input", inputs[0],
                           "--output-dir", os.path.join(folder, "rebocc")],
                          capture_output=True, text=True)
    print("rebocc exit", ours.returncode, ours.stderr.strip())


def main():
    src, rebocc, out = script_args()
    status = 0
    for opset in (13, 18, 21):
        for build, rtol, atol, tol in ((embed, 1e-5, 1e-5, 2e-2),
                                       (gather, 0, 0, None),
                                       (elements, 0, 0, None),
                                       (nd, 0, 0, None)):
            folder = os.path.join(out, f"{build.__name__}{opset}")
            os.makedirs(folder, exist_ok=True)
            graph, arrays = build(opset)
            path = os.path.join(folder, "model.onnx")
            save(graph, opset, path)
            inputs = write_inputs(os.path.join(folder, "in"), arrays)
            status |= cross_check(src, rebocc, path, inputs, folder, rtol,
                                  atol, f"{build.__name__} opset {opset}",
                                  fixed_range_tol=tol)
    out_of_range(src, rebocc, out)
    finish(status)


if __name__ == "__main__":
    main()
