"""Writes typed.onnx (BOOL, INT64 and UINT64 graph inputs; Where, Equal and
Size) and its input files, good and bad, for typed-inputs.test."""
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto as T
out = sys.argv[1]
g = helper.make_graph(
    [helper.make_node("Where", ["c", "x", "y"], ["w"]),
     helper.make_node("Equal", ["x", "y"], ["e"]),
     helper.make_node("Size", ["u"], ["n"])],
    "typed",
    [helper.make_tensor_value_info("c", T.BOOL, [2, 3]),
     helper.make_tensor_value_info("x", T.INT64, [2, 3]),
     helper.make_tensor_value_info("y", T.INT64, [2, 3]),
     helper.make_tensor_value_info("u", T.UINT64, [2])],
    [helper.make_tensor_value_info("w", T.INT64, [2, 3]),
     helper.make_tensor_value_info("e", T.BOOL, [2, 3]),
     helper.make_tensor_value_info("n", T.INT64, [])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
onnx.checker.check_model(m)
onnx.save(m, out + "/typed.onnx")
def w(name, a, path):
    open(out + "/" + path, "wb").write(numpy_helper.from_array(a, name).SerializeToString())
w("c", np.array([[1, 0, 1], [0, 1, 0]], bool), "c.pb")
# 2^24 and -2^24 are the largest magnitudes float32 holds exactly.
w("x", np.array([[16777216, -16777216, 3], [4, -5, 6]], np.int64), "x.pb")
w("y", np.array([[0, 1, 2], [4, 5, -6]], np.int64), "y.pb")
w("u", np.array([7, 18446744073709551615], np.uint64), "u-big.pb")
w("u", np.array([7, 9], np.uint64), "u.pb")
w("x", np.array([[16777217, 0, 0], [0, 0, 0]], np.int64), "x-big.pb")
w("x", np.array([[0, 0, 0], [0, 0, -16777217]], np.int64), "x-neg.pb")
w("x", np.zeros((2, 3), np.float32), "x-float.pb")
w("c", np.zeros((2, 3), np.int64), "c-int.pb")
w("x", np.zeros((2, 3), np.int32), "x-int32.pb")
