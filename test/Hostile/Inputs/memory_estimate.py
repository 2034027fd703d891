"""Models for the whole-run memory estimates (docs/Hostile.md), each of
65536-element float tensors (256 KiB) so every single tensor fits a budget
that the total does not.

memory_estimate.py OUT_DIR writes:
  weights.onnx  Y = X + W0 + W1 + W2 + W3, four [1,65536] initializers
  relus.onnx    Y = Relu(Relu(X)), no initializers
  x.pb          a [1,65536] input for either
"""
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
n = 65536


def save(name, nodes, initializers):
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, n])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, n])
    graph = helper.make_graph(nodes, "g", [x], [y], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open(out + "/" + name, "wb").write(model.SerializeToString())


weights = [numpy_helper.from_array(np.full((1, n), i, np.float32), "W%d" % i)
           for i in range(4)]
adds = [helper.make_node("Add", ["X" if i == 0 else "s%d" % i, "W%d" % i],
                         ["Y" if i == 3 else "s%d" % (i + 1)], name="add%d" % i)
        for i in range(4)]
save("weights.onnx", adds, weights)
save("relus.onnx", [helper.make_node("Relu", ["X"], ["h"], name="relu0"),
                    helper.make_node("Relu", ["h"], ["Y"], name="relu1")], [])
x = numpy_helper.from_array(np.linspace(-1, 1, n, dtype=np.float32).reshape(1, n), "X")
open(out + "/x.pb", "wb").write(x.SerializeToString())
