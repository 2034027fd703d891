"""Writes a one-MatMul model whose weight tensor the decoder must reject.

make_bad_tensor.py KIND OUT.onnx, KIND one of:
  float16   a FLOAT16 [2, 2] initializer with 7 bytes of raw_data
  half-int  a FLOAT16 [2, 2] initializer whose int32_data holds 65536
  short     a FLOAT [2, 2] initializer with 12 bytes of raw_data
  constant  the weight from a Constant node whose value holds 5 of 4 floats
"""
import sys

import onnx
from onnx import TensorProto, helper

kind, out = sys.argv[1], sys.argv[2]
x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 2])
y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 2])
nodes, inits = [], []
if kind == "float16":
    w = helper.make_tensor("W", TensorProto.FLOAT16, [2, 2], [1, 2, 3, 4])
    del w.int32_data[:]
    w.raw_data = b"\0" * 7
    inits.append(w)
elif kind == "half-int":
    w = helper.make_tensor("W", TensorProto.FLOAT16, [2, 2], [1, 2, 3, 4])
    w.int32_data[3] = 65536
    inits.append(w)
elif kind == "short":
    w = helper.make_tensor("W", TensorProto.FLOAT, [2, 2], [1, 2, 3, 4])
    del w.float_data[:]
    w.raw_data = b"\0" * 12
    inits.append(w)
elif kind == "constant":
    value = helper.make_tensor("v", TensorProto.FLOAT, [2, 2], [1, 2, 3, 4])
    value.float_data.append(5)
    nodes.append(helper.make_node("Constant", [], ["W"], value=value))
else:
    sys.exit("unknown kind " + kind)
nodes.append(helper.make_node("MatMul", ["X", "W"], ["Y"]))
graph = helper.make_graph(nodes, "g", [x], [y], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, out)
