"""QuantizeLinear by constant scales on NaN and infinite data against
onnxruntime-node (test/e2e/quantize-nan-ort.test), bit for bit, rebocc --run
in float reference and fixed point, and against numpy's
clip(round(x / scale) + zero point) with NaN at the type's low end.

  u = QuantizeLinear(x, 0.5, 3)          uint8 (0.5: the multiplication by 2)
  i = QuantizeLinear(x, 0.3, -3)         int8 (a division)
  w = QuantizeLinear(x, 0.3, 5)          int16 (opset 21)
  wu = QuantizeLinear(x, 0.5, 7)         uint16 (opset 21)
  c = QuantizeLinear(x, [0.5, 0.3, 2], [1, 2, 3], axis 1)  uint8 per axis
  d = DequantizeLinear(QuantizeLinear(x, 0.3, 10), 0.3, 10)  uint8 QDQ
  k = QuantizeLinear(kc, 0.3, -3)        int8 of a constant (folded)
x [2, 3, 8] holds NaN, -NaN, +-inf, large, small and ordinary values; kc
the same values as a constant. onnxruntime gives NaN the type's low end
(0, -128, -32768), whatever the zero point.
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
row = np.array([np.nan, -np.nan, np.inf, -np.inf, 1e30, -7.4, 0.2, 2.5], F)
x = np.tile(row, (2, 3, 1))
x[1] = -x[1]
RANGES = {T.UINT8: (0, 255), T.INT8: (-128, 127), T.INT16: (-32768, 32767),
          T.UINT16: (0, 65535)}
NP = {T.UINT8: np.uint8, T.INT8: np.int8, T.INT16: np.int16,
      T.UINT16: np.uint16}


def scalar(name, value, dtype):
    return numpy_helper.from_array(np.array(value, dtype), name)


nodes, inits, outputs, expected = [], [], [], {}


def numpy_quantize(data, scale, zero, dtype, shape=()):
    lo, hi = RANGES[dtype]
    scale = np.asarray(scale, F).reshape(shape)
    zero = np.asarray(zero, np.float64).reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.clip(np.round(data / scale).astype(np.float64) + zero, lo, hi)
    return np.where(np.isnan(q), lo, q).astype(NP[dtype])


def quantize(name, scale, zero, dtype, source="x", **attrs):
    inits.extend([scalar(name + "_s", scale, F),
                  scalar(name + "_z", zero, NP[dtype])])
    nodes.append(helper.make_node("QuantizeLinear",
                                  [source, name + "_s", name + "_z"], [name],
                                  **attrs))


for name, scale, zero, dtype in (("u", 0.5, 3, T.UINT8), ("i", 0.3, -3, T.INT8),
                                 ("w", 0.3, 5, T.INT16),
                                 ("wu", 0.5, 7, T.UINT16)):
    quantize(name, scale, zero, dtype)
    outputs.append((name, dtype))
    expected[name] = numpy_quantize(x, scale, zero, dtype)
quantize("c", [0.5, 0.3, 2], [1, 2, 3], T.UINT8, axis=1)
outputs.append(("c", T.UINT8))
expected["c"] = numpy_quantize(x, [0.5, 0.3, 2], [1, 2, 3], T.UINT8, (1, 3, 1))
quantize("dq", 0.3, 10, T.UINT8)
nodes.append(helper.make_node("DequantizeLinear", ["dq", "dq_s", "dq_z"],
                              ["d"]))
outputs.append(("d", T.FLOAT))
expected["d"] = ((numpy_quantize(x, 0.3, 10, T.UINT8).astype(np.int32) - 10)
                 .astype(F) * F(0.3))
inits.append(numpy_helper.from_array(x, "kc"))
quantize("k", 0.3, -3, T.INT8, source="kc")
outputs.append(("k", T.INT8))
expected["k"] = numpy_quantize(x, 0.3, -3, T.INT8)

status = 0
for opset in (13, 21):
    # int16 and uint16 are types from opset 21 on.
    wide = ("w", "wu")
    kept = [(n, t) for n, t in outputs if opset >= 21 or n not in wide]
    graph = helper.make_graph(
        [n for n in nodes if opset >= 21 or n.output[0] not in wide],
        f"quantize_nan_{opset}",
        [helper.make_tensor_value_info("x", T.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info(n, t, list(x.shape)) for n, t in kept],
        [i for i in inits if opset >= 21 or i.name[:2] not in ("w_", "wu")])
    folder = os.path.join(out, f"opset{opset}")
    path, inputs = write_model(folder, "q.onnx", graph, opset, {"x": x})
    for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                            folder):
        print(f"== opset {opset} {mode}", flush=True)
        for i, (name, _) in enumerate(kept):
            ort = read_tensor(os.path.join(folder, "ort", f"output_{i}.pb"))
            got = read_tensor(os.path.join(actual, f"output_{i}.pb"))
            same = ort.tobytes() == got.tobytes()
            agrees = expected[name].tobytes() == ort.tobytes()
            print(f"{name}: {'identical' if same else 'DIFFERENT'}; numpy "
                  f"{'agrees' if agrees else 'DISAGREES'}", flush=True)
            status |= 0 if same and agrees else 1
finish(status)
