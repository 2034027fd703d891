"""scripts/float64_reference.py against onnxruntime-node.

    float64-reference-ort.py SRC OUT

Builds a small network of every op float64_reference.py knows (MLSD's ops:
a strided, dilated, asymmetrically padded convolution, a depthwise one,
Clip, Relu, Pad, Resize from a Shape-computed size, Sigmoid, the peak
picker x * (x == MaxPool(x)), Split, Slice with a negative step, Div, Sub,
Transpose, Reshape) with random float32 weights, runs it in onnxruntime
(float32) and in float64_reference.py, and compares them with
compare_outputs.py: a float32 run of so small a network is within 1e-5 of
the exact answer, so a wrong op (a coordinate, a pad, a stride) shows as a
mismatch. Then a model with an op it does not know must fail with one error
line.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(__file__))
from ort_cross_check import write_input  # noqa: E402


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def network(rng):
    f = lambda *shape: rng.normal(0, 0.5, shape).astype(np.float32)  # noqa: E731
    inits = [
        const("w1", f(6, 3, 3, 3)), const("b1", f(6)),
        const("w2", f(6, 1, 3, 3)), const("b2", f(6)),
        const("lo", np.float32(0)), const("hi", np.float32(1.5)),
        const("pads", np.array([0, 0, 1, 0, 0, 0, 0, 2], np.int64)),
        const("zero", np.array([0], np.int64)), const("two", np.array([2], np.int64)),
        const("hw", np.array([17, 23], np.int64)),
        const("s_start", np.array([-1], np.int64)), const("s_end", np.array([-100], np.int64)),
        const("s_axis", np.array([3], np.int64)), const("s_step", np.array([-2], np.int64)),
        const("three", np.float32(3)), const("half", np.float32(0.5)),
        const("flat", np.array([1, -1], np.int64)),
        const("empty", np.zeros(0, np.float32)),
    ]
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 0, 2, 1], strides=[2, 1],
          dilations=[1, 2], kernel_shape=[3, 3]),
        n("Clip", ["c1", "lo", "hi"], ["r1"]),
        n("Conv", ["r1", "w2", "b2"], ["c2"], group=6, pads=[1, 1, 1, 1],
          kernel_shape=[3, 3]),
        n("Relu", ["c2"], ["r2"]),
        n("Pad", ["r2", "pads"], ["p"]),
        n("Shape", ["p"], ["shape"]),
        n("Slice", ["shape", "zero", "two"], ["nc"]),
        n("Concat", ["nc", "hw"], ["sizes"], axis=0),
        n("Resize", ["p", "empty", "empty", "sizes"], ["up"], mode="linear",
          coordinate_transformation_mode="half_pixel"),
        n("Split", ["up"], ["a", "b"], axis=1, split=[2, 4]),
        n("Sigmoid", ["a"], ["sig"]),
        n("MaxPool", ["sig"], ["mp"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Equal", ["sig", "mp"], ["eq"]),
        n("Cast", ["eq"], ["eqf"], to=TensorProto.FLOAT),
        n("Mul", ["sig", "eqf"], ["peaks"]),
        n("Slice", ["b", "s_start", "s_end", "s_axis", "s_step"], ["rev"]),
        n("Div", ["rev", "three"], ["d"]),
        n("Sub", ["d", "half"], ["s"]),
        n("Transpose", ["s"], ["t"], perm=[0, 2, 3, 1]),
        n("Reshape", ["t", "flat"], ["flat_out"]),
    ]
    graph = helper.make_graph(
        nodes, "float64_reference_ops",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 11, 13])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)
         for name in ("peaks", "flat_out", "up")], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])


def unknown_op():
    graph = helper.make_graph(
        [helper.make_node("Softmax", ["x"], ["y"], name="the_softmax")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])


def main():
    src, out = sys.argv[1:3]
    rng = np.random.default_rng(64)
    model = os.path.join(out, "ops.onnx")
    onnx.save(network(rng), model)
    x = write_input(os.path.join(out, "input_0.pb"),
                    rng.normal(0, 1, (1, 3, 11, 13)).astype(np.float32), "x")
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), model,
                    "--input", x, "--output-dir", os.path.join(out, "ort")], check=True)
    subprocess.run([sys.executable, os.path.join(src, "scripts/float64_reference.py"),
                    model, "--input", x, "--output-dir", os.path.join(out, "f64")],
                   check=True)
    status = subprocess.call(
        [sys.executable, os.path.join(src, "scripts/compare_outputs.py"),
         "--expected", os.path.join(out, "f64"), "--actual", os.path.join(out, "ort"),
         "--rtol", "1e-5", "--atol", "1e-6"])
    bad = os.path.join(out, "softmax.onnx")
    onnx.save(unknown_op(), bad)
    x = write_input(os.path.join(out, "input_1.pb"), np.zeros((1, 4), np.float32), "x")
    failed = subprocess.run(
        [sys.executable, os.path.join(src, "scripts/float64_reference.py"), bad,
         "--input", x, "--output-dir", os.path.join(out, "bad")],
        capture_output=True, text=True)
    print(f"unknown op: exit {failed.returncode}: {failed.stderr.strip()}")
    return status


if __name__ == "__main__":
    sys.exit(main())
