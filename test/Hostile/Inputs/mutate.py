"""Hostile inputs for test/Hostile from the bundled relu-fc model, with fixed
offsets and a fixed seed so every run makes the same files.

mutate.py OUT_DIR writes:
  model.onnx          the valid model (binary, from the .onnxtxt)
  truncated.onnx      its first 40% of bytes
  x.pb                a valid [1, 4] float input
  truncated.pb        x.pb without its last 5 bytes
  x-int64.pb          a valid [1, 4] INT64 input (wrong element type)
  x-short-raw.pb      FLOAT [1, 4] whose raw_data holds 12 bytes
  reshape-overflow.onnx  Reshape of [1, 16] to [1, 2^60, 16] (16 * 2^60 = 2^64
                         wraps to 0 in int64)
  absurd-input.onnx   a graph input of 1 x 10^9 x 10^6 floats (4 PB)
  stride0.onnx        a MaxPool with a 0 stride
"""
import random
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, parser

out = sys.argv[1]
src = sys.argv[2]
random.seed(13)

model = parser.parse_model(open(src).read())
data = model.SerializeToString()
open(out + "/model.onnx", "wb").write(data)
open(out + "/truncated.onnx", "wb").write(data[: len(data) * 2 // 5])

x = numpy_helper.from_array(np.ones((1, 4), np.float32), "X").SerializeToString()
open(out + "/x.pb", "wb").write(x)
open(out + "/truncated.pb", "wb").write(x[:-5])
open(out + "/x-int64.pb", "wb").write(
    numpy_helper.from_array(np.ones((1, 4), np.int64), "X").SerializeToString())
short = TensorProto(name="X", data_type=TensorProto.FLOAT, dims=[1, 4],
                    raw_data=b"\0" * 12)
open(out + "/x-short-raw.pb", "wb").write(short.SerializeToString())


def save(graph, name, opset=13):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    open(out + "/" + name, "wb").write(m.SerializeToString())


shape = numpy_helper.from_array(np.array([0, 1 << 60, 16], np.int64), "s")
save(helper.make_graph(
    [helper.make_node("Reshape", ["X", "s"], ["Y"], name="bad_reshape")], "g",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 16])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)], [shape]),
    "reshape-overflow.onnx")
save(helper.make_graph(
    [helper.make_node("Relu", ["X"], ["Y"], name="relu")], "g",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 10**9, 10**6])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)]),
    "absurd-input.onnx")
save(helper.make_graph(
    [helper.make_node("MaxPool", ["X"], ["Y"], name="pool",
                      kernel_shape=[2, 2], strides=[0, 1])], "g",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 1, 4, 4])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)]),
    "stride0.onnx")
