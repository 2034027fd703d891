"""QuantizeLinear by run-time scales and zero points against
onnxruntime-node (test/e2e/quantize-runtime-ort.test), bit for bit, rebocc
--run in float reference and fixed point (no crossbar layer: the digital
ops see the inputs as given).

  dql (opset 13): DynamicQuantizeLinear(x) and the same written out as
      ONNX operators (its function body: ReduceMin, ReduceMax, Min, Max,
      Sub, Div, Clip, Round, Cast to uint8, QuantizeLinear by the computed
      scale and zero point), on x and on an all-zero tensor z. x spans
      [-1.3, 2.2] and holds the float32 values next to every tie
      (k + 1/2) * scale of x / scale, scale = 3.5 / 255 computed as the
      model computes it.
  inputs (opset 13): x, the scales and zero points all graph inputs:
      u = QuantizeLinear(x, s, zu)    zu uint8
      i = QuantizeLinear(x, s, zi)    zi int8
      n = QuantizeLinear(x, s)        uint8, zero point 0
      c = QuantizeLinear(x, sc, zc, axis 1)  sc [3], zc uint8 [3]
      x [2, 3, 160] holds the values next to the ties of x / s (channel c:
      of x / sc[c]) for 160 consecutive k, about twice the type's span, so
      each output saturates at both ends; and a NaN, +-inf and 0.
      Run with s = 0.3, sc = [0.1, 0.3, 0.7] ("ties") and with the
      degenerate s = 0, sc = [0, -0.5, inf] ("degenerate"): x / 0 is +-inf,
      0 / 0 and inf / inf NaN, which onnxruntime saturates to qmin.
  wide (opset 21): 16- and 4-bit types, s a graph input:
      w16 = QuantizeLinear(x, s, z16)   z16 int16 (-5)
      wu16 = QuantizeLinear(x, s, zu16) zu16 uint16 (30000)
      w4 = DequantizeLinear(QuantizeLinear(x, s4, output_dtype INT4), 1)
      wu4 = DequantizeLinear(QuantizeLinear(x, s4, output_dtype UINT4), 1)
      (python onnx 1.12 has no 4-bit tensors: the 4-bit results come back
      as float).

Each output is compared with onnxruntime's bit for bit, and with the same
computed in numpy by division (clip(round_half_even(x / scale) + zero
point), NaN to qmin): "numpy x / scale agrees" shows onnxruntime divides.
The count of elements round(x * (1 / scale)) would get wrong (numpy) shows
the inputs tell a division from the multiplication by the reciprocal.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (finish, model_at_opset,  # noqa: E402
                             ort_and_rebocc_runs, read_tensor, script_args,
                             write_inputs)

import onnx  # noqa: E402

F = np.float32
RANGES = {T.UINT8: (0, 255), T.INT8: (-128, 127), T.INT16: (-32768, 32767),
          T.UINT16: (0, 65535), 22: (-8, 7), 21: (0, 15)}


def near_ties(scale, ks):
    """The float32 values next to each tie (k + 1/2) * scale: the nearest
    float32 and its two neighbours."""
    t = ((ks + 0.5) * np.float64(scale)).astype(F)
    return np.concatenate([np.nextafter(t, F(-np.inf)), t,
                           np.nextafter(t, F(np.inf))])


def quantize(x, scale, zero, lo, hi, divide=True):
    """clip(round_half_even(x / scale) + zero, lo, hi) in float32, NaN to
    lo; with divide False, x * (1 / scale)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q = x / scale if divide else x * (F(1) / scale)
        q = np.rint(q.astype(F)) + F(zero)
    q = np.clip(q, lo, hi)
    return np.where(np.isnan(q), F(lo), q)


# --- dql -------------------------------------------------------------------

DQL_SCALE = F(F(F(2.2) - F(-1.3)) / F(255))
_ks = np.arange(-94, 160)
_x = near_ties(DQL_SCALE, _ks)
_x = _x[(_x > F(-1.3)) & (_x < F(2.2))]
DQL_ARRAYS = {"x": np.concatenate([[F(-1.3), F(2.2)], _x]).astype(F),
              "z": np.zeros(6, F)}


def dql_graph(opset):
    nodes, inits = [], [numpy_helper.from_array(F(0), "qmin"),
                        numpy_helper.from_array(F(255), "qmax")]
    outputs = []
    for x in ("x", "z"):
        nodes.append(helper.make_node("DynamicQuantizeLinear", [x],
                                      [f"{x}_y", f"{x}_s", f"{x}_z"]))
        p = f"{x}_e_"
        nodes += [
            helper.make_node("ReduceMin", [x], [p + "min"], keepdims=0),
            helper.make_node("Min", [p + "min", "qmin"], [p + "min_adj"]),
            helper.make_node("ReduceMax", [x], [p + "max"], keepdims=0),
            helper.make_node("Max", [p + "max", "qmin"], [p + "max_adj"]),
            helper.make_node("Sub", [p + "max_adj", p + "min_adj"],
                             [p + "range"]),
            helper.make_node("Div", [p + "range", "qmax"], [p + "s"]),
            helper.make_node("Div", [p + "min_adj", p + "s"],
                             [p + "min_scaled"]),
            helper.make_node("Sub", ["qmin", p + "min_scaled"], [p + "zf"]),
            helper.make_node("Clip", [p + "zf", "qmin", "qmax"], [p + "zc"]),
            helper.make_node("Round", [p + "zc"], [p + "zr"]),
            helper.make_node("Cast", [p + "zr"], [p + "z"], to=T.UINT8),
            helper.make_node("QuantizeLinear", [x, p + "s", p + "z"],
                             [p + "y"])]
        n = DQL_ARRAYS[x].shape
        outputs += [helper.make_tensor_value_info(f"{x}_y", T.UINT8, n),
                    helper.make_tensor_value_info(f"{x}_s", T.FLOAT, []),
                    helper.make_tensor_value_info(f"{x}_z", T.UINT8, []),
                    helper.make_tensor_value_info(p + "y", T.UINT8, n),
                    helper.make_tensor_value_info(p + "s", T.FLOAT, []),
                    helper.make_tensor_value_info(p + "z", T.UINT8, [])]
    return helper.make_graph(
        nodes, "dql",
        [helper.make_tensor_value_info(n, T.FLOAT, a.shape)
         for n, a in DQL_ARRAYS.items()], outputs, inits)


def dql_references(arrays):
    """y by division and by the reciprocal, for x (scale DQL_SCALE, zero
    point round(1.3 / scale) = 95) and z (scale 1 for the DQL operator,
    0 written out: 0 / 0 is NaN, qmin)."""
    zero = float(np.rint(F(1.3) / DQL_SCALE))
    refs = {}
    for name in ("x_y", "x_e_y"):
        refs[name] = (quantize(arrays["x"], DQL_SCALE, zero, 0, 255),
                      quantize(arrays["x"], DQL_SCALE, zero, 0, 255, False))
    refs["z_y"] = (np.zeros(6, F), None)
    refs["z_e_y"] = (np.zeros(6, F), None)
    return refs


# --- inputs ----------------------------------------------------------------

KS = np.arange(-80, 80)


def inputs_arrays(s, sc):
    """x [2, 3, 160 * 3 + 4]: channel c next to the ties of sc[c] (of s for
    the outputs by one scale; batch 0), of s in batch 1, each row ending in
    NaN, inf, -inf, 0."""
    special = np.array([np.nan, np.inf, -np.inf, 0], F)
    x = np.stack([np.stack([np.concatenate([near_ties(scale, KS), special])
                            for scale in row]) for row in (sc, [s] * 3)])
    return {"x": x.astype(F), "s": np.array(s, F),
            "zu": np.array(128, np.uint8), "zi": np.array(-3, np.int8),
            "sc": np.array(sc, F), "zc": np.array([100, 128, 150], np.uint8)}


INPUT_SETS = {"ties": inputs_arrays(0.3, [0.1, 0.3, 0.7])}
# The same x by the scales 0, 0 / -0.5 / inf.
INPUT_SETS["degenerate"] = dict(INPUT_SETS["ties"], s=np.array(0, F),
                                sc=np.array([0, -0.5, np.inf], F))

INPUT_TYPES = {"x": T.FLOAT, "s": T.FLOAT, "zu": T.UINT8, "zi": T.INT8,
               "sc": T.FLOAT, "zc": T.UINT8}
QUANTIZES = {"u": (["x", "s", "zu"], T.UINT8),
             "i": (["x", "s", "zi"], T.INT8),
             "n": (["x", "s"], T.UINT8),
             "c": (["x", "sc", "zc"], T.UINT8)}


def inputs_graph(opset):
    arrays = INPUT_SETS["ties"]
    nodes = [helper.make_node("QuantizeLinear", ins, [out], axis=1)
             for out, (ins, _) in QUANTIZES.items()]
    return helper.make_graph(
        nodes, "inputs",
        [helper.make_tensor_value_info(n, INPUT_TYPES[n], a.shape)
         for n, a in arrays.items()],
        [helper.make_tensor_value_info(out, t, arrays["x"].shape)
         for out, (_, t) in QUANTIZES.items()])


def inputs_references(arrays):
    refs = {}
    for out, (ins, t) in QUANTIZES.items():
        lo, hi = RANGES[t]
        scale = arrays[ins[1]]
        zero = arrays[ins[2]].astype(F) if len(ins) > 2 else F(0)
        if scale.ndim:
            scale, zero = scale.reshape(1, 3, 1), zero.reshape(1, 3, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            nans = int(np.isnan(arrays["x"] / scale).sum())
        refs[out] = (quantize(arrays["x"], scale, zero, lo, hi),
                     quantize(arrays["x"], scale, zero, lo, hi, False), nans)
    return refs


# --- wide ------------------------------------------------------------------

WIDE_S, WIDE_S4 = 0.3, 0.7
WIDE_ARRAYS = {
    "x": np.concatenate([near_ties(WIDE_S, np.arange(-120000, 120000, 997)),
                         near_ties(WIDE_S, np.arange(-40, 40)),
                         near_ties(WIDE_S4, np.arange(-20, 20)),
                         [np.nan, np.inf, -np.inf]]).astype(F),
    "s": np.array(WIDE_S, F), "s4": np.array(WIDE_S4, F),
    "z16": np.array(-5, np.int16), "zu16": np.array(30000, np.uint16)}
WIDE_TYPES = {"x": T.FLOAT, "s": T.FLOAT, "s4": T.FLOAT, "z16": T.INT16,
              "zu16": T.UINT16}


def wide_graph(opset):
    n = WIDE_ARRAYS["x"].shape
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z16"], ["w16"]),
             helper.make_node("QuantizeLinear", ["x", "s", "zu16"], ["wu16"]),
             helper.make_node("QuantizeLinear", ["x", "s4"], ["q4"],
                              output_dtype=22),
             helper.make_node("DequantizeLinear", ["q4", "one"], ["w4"]),
             helper.make_node("QuantizeLinear", ["x", "s4"], ["qu4"],
                              output_dtype=21),
             helper.make_node("DequantizeLinear", ["qu4", "one"], ["wu4"])]
    return helper.make_graph(
        nodes, "wide",
        [helper.make_tensor_value_info(k, WIDE_TYPES[k], a.shape)
         for k, a in WIDE_ARRAYS.items()],
        [helper.make_tensor_value_info("w16", T.INT16, n),
         helper.make_tensor_value_info("wu16", T.UINT16, n),
         helper.make_tensor_value_info("w4", T.FLOAT, n),
         helper.make_tensor_value_info("wu4", T.FLOAT, n)],
        [numpy_helper.from_array(F(1), "one")])


def wide_references(arrays):
    x = arrays["x"]
    return {"w16": (quantize(x, F(WIDE_S), -5, -32768, 32767),
                    quantize(x, F(WIDE_S), -5, -32768, 32767, False)),
            "wu16": (quantize(x, F(WIDE_S), 30000, 0, 65535),
                     quantize(x, F(WIDE_S), 30000, 0, 65535, False)),
            "w4": (quantize(x, F(WIDE_S4), 0, -8, 7),
                   quantize(x, F(WIDE_S4), 0, -8, 7, False)),
            "wu4": (quantize(x, F(WIDE_S4), 0, 0, 15),
                    quantize(x, F(WIDE_S4), 0, 0, 15, False))}


RUNS = [("dql", dql_graph, 13, {"": DQL_ARRAYS}, dql_references),
        ("inputs", inputs_graph, 13, INPUT_SETS, inputs_references),
        ("wide", wide_graph, 21, {"": WIDE_ARRAYS}, wide_references)]


def verdict(expected, got, refs, name):
    same = expected.shape == got.shape and np.array_equal(expected, got)
    text = "identical" if same else "DIFFERENT"
    if name in refs:
        by_division, by_reciprocal = refs[name][:2]
        agrees = np.array_equal(by_division.reshape(expected.shape),
                                expected.astype(F))
        text += "; numpy x / scale " + ("agrees" if agrees else "DISAGREES")
        if by_reciprocal is not None:
            off = int((by_reciprocal.reshape(expected.shape) !=
                       expected.astype(F)).sum())
            text += (f" ({off} of {expected.size} differ as "
                     "round(x * (1 / scale)))")
        if len(refs[name]) > 2:
            text += f" ({refs[name][2]} NaN quotients)"
        same &= agrees
    return same, text


def main():
    src, rebocc, out = script_args()
    status = 0
    for label, graph, opset, input_sets, references in RUNS:
        g = graph(opset)
        for set_name, arrays in input_sets.items():
            name = f"{label} {set_name}".strip()
            folder = os.path.join(out, name.replace(" ", "-"))
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"{label}.onnx")
            onnx.save(model_at_opset(g, opset), path)
            inputs = write_inputs(os.path.join(folder, "in"), arrays)
            refs = references(arrays)
            for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                                    folder):
                print(f"== {name} {mode}")
                for i, output in enumerate(g.output):
                    e = read_tensor(os.path.join(folder, "ort",
                                                 f"output_{i}.pb"))
                    got = read_tensor(os.path.join(actual, f"output_{i}.pb"))
                    same, text = verdict(e, got, refs, output.name)
                    status |= not same
                    print(f"{output.name}: {text}")
    finish(status)


if __name__ == "__main__":
    main()
