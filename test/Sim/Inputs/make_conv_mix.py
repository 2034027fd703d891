"""Writes a small CNN of every convolution shape the exact GEMM path treats
apart (lib/Sim/ExactGemm.cpp), with random weights, and one input batch:
  conv 3x3, stride 2, pad 1, dilation 2, 2 groups  (im2col with borders)
  conv 1x1, stride 1, no pad                        (the image read in place)
  conv 1x1, stride 2                                (im2col of a 1x1 window)
  conv 3x3, stride 1, pad 1, 6 channels in, 4 out
  global average pool, flatten, Gemm 4 -> 5         (fully connected)
Usage: make_conv_mix.py OUT_DIR BATCH [HEIGHT WIDTH]   (OUT_DIR/model.onnx,
OUT_DIR/input_0.pb; the batch dimension is symbolic, the image
19x17 unless given)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out_dir, batch = sys.argv[1], int(sys.argv[2])
height, width = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (19, 17)
os.makedirs(out_dir, exist_ok=True)
rng = np.random.default_rng(7)


def weight(name, *shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)


inits = [weight("w1", 8, 2, 3, 3), weight("b1", 8), weight("w2", 6, 8, 1, 1),
         weight("w3", 6, 6, 1, 1), weight("w4", 4, 6, 3, 3), weight("b4", 4),
         weight("w5", 5, 4), weight("b5", 5)]
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3],
                     strides=[2, 2], pads=[1, 1, 1, 1], dilations=[2, 2], group=2),
    helper.make_node("Relu", ["c1"], ["r1"]),
    helper.make_node("Conv", ["r1", "w2"], ["c2"], kernel_shape=[1, 1]),
    helper.make_node("Conv", ["c2", "w3"], ["c3"], kernel_shape=[1, 1], strides=[2, 2]),
    helper.make_node("Conv", ["c3", "w4", "b4"], ["c4"], kernel_shape=[3, 3],
                     pads=[1, 1, 1, 1]),
    helper.make_node("GlobalAveragePool", ["c4"], ["g"]),
    helper.make_node("Flatten", ["g"], ["f"]),
    helper.make_node("Gemm", ["f", "w5", "b5"], ["y"], transB=1),
]
graph = helper.make_graph(
    nodes, "conv_mix",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4, height, width])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 5])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out_dir, "model.onnx"))
x = rng.uniform(-1, 1, (batch, 4, height, width)).astype(np.float32)
with open(os.path.join(out_dir, "input_0.pb"), "wb") as f:
    f.write(numpy_helper.from_array(x, "x").SerializeToString())
