"""Writes freeze.onnx and its tensors for test/Python/freeze-calibrate.test.

freeze.onnx: z = If(flag, x * 2, x + 1) @ W with x float32 [2, 4], flag a
BOOL scalar and W a constant 4 x 3; small integers throughout, so the float
reference is exact. Also x.pb, flag.pb (true), flag-false.pb.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper

out = sys.argv[1]
W = np.array([[1, 0, 2], [0, 1, -1], [3, 1, 0], [-2, 0, 1]], np.float32)
two = numpy_helper.from_array(np.array(2, np.float32), "two")
one = numpy_helper.from_array(np.array(1, np.float32), "one")
then = helper.make_graph([helper.make_node("Mul", ["x", "two"], ["t"])],
                         "then", [], [helper.make_tensor_value_info("t", T.FLOAT, [2, 4])])
other = helper.make_graph([helper.make_node("Add", ["x", "one"], ["e"])],
                          "else", [], [helper.make_tensor_value_info("e", T.FLOAT, [2, 4])])
g = helper.make_graph(
    [helper.make_node("If", ["flag"], ["y"], then_branch=then, else_branch=other),
     helper.make_node("MatMul", ["y", "W"], ["z"])],
    "freeze",
    [helper.make_tensor_value_info("x", T.FLOAT, [2, 4]),
     helper.make_tensor_value_info("flag", T.BOOL, [])],
    [helper.make_tensor_value_info("z", T.FLOAT, [2, 3])],
    [numpy_helper.from_array(W, "W"), two, one])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
onnx.checker.check_model(m)
onnx.save(m, out + "/freeze.onnx")


def save(array, name, path):
    with open(out + "/" + path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())


save(np.array([[1, 2, 3, 4], [-1, 0, 5, 2]], np.float32), "x", "x.pb")
save(np.array(True), "flag", "flag.pb")
save(np.array(False), "flag", "flag-false.pb")
