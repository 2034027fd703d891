#!/usr/bin/python3
"""Writes OUT_DIR/*.onnx: QDQ models (opset 21) with malformed 4-bit,
16-bit and float8 tensors or zero points, for quantized-widths.test.

Debian's python onnx (1.12) predates INT4 (22), UINT4 (21) and the float8
types (17-20): those tensors are written field by field."""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]


def tensor(name, data_type, dims, raw=None, int32=None):
    t = TensorProto()
    t.name, t.data_type = name, data_type
    t.dims.extend(dims)
    if raw is not None:
        t.raw_data = bytes(raw)
    if int32 is not None:
        t.int32_data.extend(int32)
    return t


def scale(name="s", value=0.5):
    return numpy_helper.from_array(np.float32(value), name)


def save(name, nodes, inits, x_shape=(2, 3)):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["N", *x_shape])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def weight_model(name, w, zp=None):
    """y = MatMul(x, DequantizeLinear(w, 0.5[, zp]))."""
    inputs = ["w", "s"] + (["z"] if zp is not None else [])
    save(name, [helper.make_node("DequantizeLinear", inputs, ["wd"]),
                helper.make_node("MatMul", ["x", "wd"], ["y"])],
         [w, scale()] + ([zp] if zp is not None else []))


def qdq_model(name, zp, x_shape=(2, 3)):
    """y = DequantizeLinear(QuantizeLinear(x, 0.5, zp), 0.5, zp)."""
    save(name, [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
                helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])],
         [scale(), zp], x_shape)


# 3x5 = 15 int4 values need 8 bytes: raw_data of 7, int32_data of 7.
weight_model("int4-short-raw", tensor("w", 22, [3, 5], raw=range(7)))
weight_model("uint4-short-int32", tensor("w", 21, [3, 5], int32=range(7)))
# An int32_data entry that is no byte.
weight_model("int4-int32-300", tensor("w", 22, [3, 5], int32=[300] * 8))
# Float8 raw_data one byte short.
weight_model("float8-short-raw", tensor("w", 17, [3, 5], raw=range(14)))
# Zero points outside their type: uint16 70000, int16 -40000, int8 200.
qdq_model("uint16-zp-70000", tensor("z", TensorProto.UINT16, [], int32=[70000]))
qdq_model("int16-zp-40000", tensor("z", TensorProto.INT16, [], int32=[-40000]))
qdq_model("int8-zp-200", tensor("z", TensorProto.INT8, [], int32=[200]))
# A uint4 weight with an int8 zero point (x and its zero point share a
# type), and a float8 weight with a zero point that is not 0 (0x38 = 1.0).
weight_model("uint4-int8-zp", tensor("w", 21, [3, 5], raw=range(8)),
             tensor("z", TensorProto.INT8, [], int32=[3]))
weight_model("float8-zp-1", tensor("w", 17, [3, 5], raw=range(15)),
             tensor("z", 17, [], raw=[0x38]))
# The DequantizeLinear of run-time float8 data (its QuantizeLinear is
# rejected first, naming the type).
qdq_model("float8-runtime", tensor("z", 19, [], raw=[0]))
# Blocked quantization (block_size 2 along axis 0 of a 3x5 weight) with a
# scale of shape [1, 5], not [2, 5].
save("blocked-scale", [
    helper.make_node("DequantizeLinear", ["w", "bs"], ["wd"], axis=0,
                     block_size=2),
    helper.make_node("MatMul", ["x", "wd"], ["y"])],
    [tensor("w", 22, [3, 5], raw=range(8)),
     numpy_helper.from_array(np.full((1, 5), 0.5, np.float32), "bs")])
