"""DequantizeLinear by run-time scales and zero points against
onnxruntime-node (test/e2e/dequantize-runtime-ort.test), bit for bit, rebocc
--run in float reference and fixed point (no crossbar layer: the digital
ops see the inputs as given), and against numpy's float32
(x - zero_point) * scale on the int32 difference.

  opset 10: u = DequantizeLinear(xu, s, zu)   xu uint8 [2, 3, 256] (every
      value), s float [] and zu uint8 [] graph inputs (opset 10 has no axis:
      per tensor only).
  opset 13 and 19: the same u, and
      i = DequantizeLinear(xi, sc, zi, axis 1)  xi int8 [2, 3, 256] (every
          value), sc float [3] and zi int8 [3] graph inputs: per axis
      c = DequantizeLinear(xi, s, zc)   zc a constant int8 (-7), s run-time
      n = DequantizeLinear(x32, s)      x32 int32, no zero point
      k = DequantizeLinear(ki, s, zk)   ki a constant int8, zk run-time
  opset 21: u and i, and int16 / uint16 data with run-time zero points:
      w = DequantizeLinear(x16, s, z16)    x16 int16, z16 int16
      wu = DequantizeLinear(xu16, s, zu16) xu16 uint16, zu16 uint16
The scales are 0.1 / [0.1, 0.3, 0.0007] (products that round), then
0.3 / [1e-3, 7, -0.5] with other zero points, and 0 / [0, inf, nan]:
a scale is not checked at run time (onnxruntime neither), 0 * inf is NaN.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (finish, ort_and_rebocc_runs,  # noqa: E402
                             read_tensor, script_args, write_model)

F = np.float32
src, rebocc, out = script_args()
rng = np.random.default_rng(12)

xu = np.tile(np.arange(256, dtype=np.uint8), (2, 3, 1))
xi = np.tile(np.arange(-128, 128, dtype=np.int16).astype(np.int8), (2, 3, 1))
x32 = rng.integers(-(2 ** 20), 2 ** 20, (2, 3, 256)).astype(np.int32)
x16 = rng.integers(-32768, 32768, (2, 3, 256)).astype(np.int16)
xu16 = rng.integers(0, 65536, (2, 3, 256)).astype(np.uint16)
x16[0, 0, :4] = [-32768, 32767, 0, -1]
xu16[0, 0, :3] = [0, 65535, 1]
ki = rng.integers(-128, 128, (2, 3, 256)).astype(np.int8)
ZC = np.int8(-7)


def info(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


SHAPE = [2, 3, 256]


def graph_at(opset):
    """The model's nodes, inputs and outputs at `opset`."""
    nodes = [helper.make_node("DequantizeLinear", ["xu", "s", "zu"], ["u"])]
    inputs = [info("xu", T.UINT8, SHAPE), info("s", T.FLOAT, []),
              info("zu", T.UINT8, [])]
    outputs = ["u"]
    inits = []
    if opset >= 13:
        nodes.append(helper.make_node("DequantizeLinear", ["xi", "sc", "zi"],
                                      ["i"], axis=1))
        inputs += [info("xi", T.INT8, SHAPE), info("sc", T.FLOAT, [3]),
                   info("zi", T.INT8, [3])]
        outputs.append("i")
    if opset in (13, 19):
        nodes += [
            helper.make_node("DequantizeLinear", ["xi", "s", "zc"], ["c"]),
            helper.make_node("DequantizeLinear", ["x32", "s"], ["n"]),
            helper.make_node("DequantizeLinear", ["ki", "s", "zk"], ["k"])]
        inputs += [info("x32", T.INT32, SHAPE), info("zk", T.INT8, [])]
        inits += [numpy_helper.from_array(np.array(ZC), "zc"),
                  numpy_helper.from_array(ki, "ki")]
        outputs += ["c", "n", "k"]
    if opset == 21:
        nodes += [
            helper.make_node("DequantizeLinear", ["x16", "s", "z16"], ["w"]),
            helper.make_node("DequantizeLinear", ["xu16", "s", "zu16"],
                             ["wu"])]
        inputs += [info("x16", T.INT16, SHAPE), info("z16", T.INT16, []),
                   info("xu16", T.UINT16, SHAPE), info("zu16", T.UINT16, [])]
        outputs += ["w", "wu"]
    graph = helper.make_graph(nodes, f"dequantize_runtime_{opset}", inputs,
                              [info(o, T.FLOAT, SHAPE) for o in outputs],
                              inits)
    return graph, [i.name for i in inputs], outputs


def numpy_dequantize(x, scale, zero, axis_len=None):
    """float32 (x - zero) * scale on the int32 difference."""
    shape = (1, axis_len, 1) if axis_len else ()
    zero = np.asarray(zero).astype(np.int64).reshape(shape)
    scale = np.asarray(scale, F).reshape(shape)
    diff = (x.astype(np.int64) - zero).astype(np.int32).astype(F)
    with np.errstate(invalid="ignore"):
        return diff * scale


SETS = {
    "round": dict(s=F(0.1), sc=np.array([0.1, 0.3, 0.0007], F), zu=128,
                  zi=[0, -128, 127], zk=3, z16=-5, zu16=30000),
    "other": dict(s=F(0.3), sc=np.array([1e-3, 7, -0.5], F), zu=0,
                  zi=[5, 1, -1], zk=-128, z16=32767, zu16=0),
    "degenerate": dict(s=F(0), sc=np.array([0, np.inf, np.nan], F), zu=255,
                       zi=[0, 0, 0], zk=0, z16=0, zu16=65535),
}

status = 0
for opset in (10, 13, 19, 21):
    graph, names, outputs = graph_at(opset)
    for label, p in SETS.items():
        folder = os.path.join(out, f"opset{opset}-{label}")
        values = dict(xu=xu, s=np.array(p["s"], F), zu=np.array(p["zu"],
                                                                  np.uint8),
                      xi=xi, sc=p["sc"], zi=np.array(p["zi"], np.int8),
                      x32=x32, zk=np.array(p["zk"], np.int8),
                      x16=x16, z16=np.array(p["z16"], np.int16),
                      xu16=xu16, zu16=np.array(p["zu16"], np.uint16))
        expected = dict(
            u=numpy_dequantize(xu, p["s"], p["zu"]),
            i=numpy_dequantize(xi, p["sc"], p["zi"], 3),
            c=numpy_dequantize(xi, p["s"], ZC),
            n=numpy_dequantize(x32, p["s"], 0),
            k=numpy_dequantize(ki, p["s"], p["zk"]),
            w=numpy_dequantize(x16, p["s"], p["z16"]),
            wu=numpy_dequantize(xu16, p["s"], p["zu16"]))
        path, inputs = write_model(folder, "dq.onnx", graph, opset,
                                   {n: values[n] for n in names})
        for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                                folder):
            print(f"== opset {opset} {label} {mode}", flush=True)
            for i, name in enumerate(outputs):
                ort = read_tensor(os.path.join(folder, "ort",
                                               f"output_{i}.pb"))
                got = read_tensor(os.path.join(actual, f"output_{i}.pb"))
                same = ort.tobytes() == got.tobytes()
                npy = expected[name]
                agrees = npy.tobytes() == ort.tobytes()
                nans = int(np.isnan(ort).sum())
                print(f"{name}: {'identical' if same else 'DIFFERENT'}; "
                      f"numpy {'agrees' if agrees else 'DISAGREES'}"
                      + (f" ({nans} NaN)" if nans else ""), flush=True)
                status |= 0 if same and agrees else 1
finish(status)
