"""Writes a one-Gemm model whose node names are non-ASCII UTF-8.

usage: make_utf8_model.py OUT.onnx [SUFFIX]: SUFFIX is appended to both node
names (markup, to test the HTML page's escaping)."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

suffix = sys.argv[2] if len(sys.argv) > 2 else ""
W = numpy_helper.from_array(np.array([[1, 2, 3, 4], [4, 1, 2, 3]], np.float32), "W")
B = numpy_helper.from_array(np.array([0.5, -0.5], np.float32), "B")
graph = helper.make_graph(
    [helper.make_node("Gemm", ["X", "W", "B"], ["H"], name="fc1·é✓" + suffix, transB=1),
     helper.make_node("Relu", ["H"], ["Y"], name="relu·é✓" + suffix)],
    "utf8", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 2])], [W, B])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
