"""DOUBLE inputs and outputs in the Python binding (double.test).

    double.py OUT_DIR

A model with a float32 input x and a DOUBLE input d: its DOUBLE outputs (a
Cast of x to DOUBLE, a Reshape of d) are float64 arrays holding the float32
values widened exactly, its Cast of d to INT32 an int32 array. A float64
value float32 does not hold, and a float32 array for d, are one rebocc.Error
each, as rebocc-sim says of such files. Prints one line per check.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper

import rebocc

out_dir = sys.argv[1]
graph = helper.make_graph(
    [helper.make_node("Cast", ["x"], ["xd"], to=T.DOUBLE),
     helper.make_node("Reshape", ["d", "shape"], ["dr"]),
     helper.make_node("Cast", ["d"], ["di"], to=T.INT32)],
    "double",
    [helper.make_tensor_value_info("x", T.FLOAT, ["N", 4]),
     helper.make_tensor_value_info("d", T.DOUBLE, ["N", 4])],
    [helper.make_tensor_value_info("xd", T.DOUBLE, ["N", 4]),
     helper.make_tensor_value_info("dr", T.DOUBLE, ["N", 2, 2]),
     helper.make_tensor_value_info("di", T.INT32, ["N", 4])],
    [numpy_helper.from_array(np.array([-1, 2, 2], np.int64), "shape")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
path = os.path.join(out_dir, "double.onnx")
onnx.save(model, path)

program = rebocc.compile(path)
x = np.array([[1.5, -2.0, 3e-40, np.inf]], np.float32)
d = np.array([[0.25, -7.5, 1e30, 0.1]], np.float32).astype(np.float64)
(xd, dr, di), _ = program.run([x, d])
print("dtypes:", xd.dtype, dr.dtype, di.dtype)
assert xd.tobytes() == x.astype(np.float64).tobytes()
assert dr.tobytes() == d.reshape(1, 2, 2).tobytes()
print("values:", xd.tolist(), dr.tolist(), di.tolist())

for bad in (np.array([[0.25, 0.1, 0, 0]]), d.astype(np.float32)):
    try:
        program.run([x, bad])
        raise AssertionError("no error")
    except rebocc.Error as e:
        print("rebocc.Error:", e)
