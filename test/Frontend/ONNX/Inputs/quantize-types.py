#!/usr/bin/python3
"""Writes OUT_DIR/{f8,i4}.onnx: a QuantizeLinear of run-time data whose
zero point is a float8e4m3fn (17) or int4 (22) scalar, built from the raw
TensorProto (the system's python onnx predates those types)."""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

for name, data_type in (("f8", 17), ("i4", 22)):
    zp = TensorProto()
    zp.name, zp.data_type, zp.raw_data = "z", data_type, b"\x00"
    graph = helper.make_graph(
        [helper.make_node("QuantizeLinear", ["X", "s", "z"], ["Y"])], "g",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 4])],
        [numpy_helper.from_array(np.float32(0.5), "s"), zp])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    with open(os.path.join(sys.argv[1], name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
