"""Division against onnxruntime-node (test/e2e/div-ort.test), bit for bit,
rebocc --run in float reference and fixed point (no crossbar layer, so the
inputs reach the division as given). Three models, numpy broadcasting:

div (opsets 13 and 21), Div by a run-time divisor: one division, rounded
once as onnxruntime's a / b is. Until 2026-12-04 rebocc computed a * b^-1,
two roundings, and about a quarter of the quotients differed from
onnxruntime's in the last bit.
  q = Div(a, b)        float32 [2, 500] by [2, 500]
  r = Div(a, c)        float32 [2, 500] by [500] (broadcast)
  s = Reciprocal(b)    float32 [2, 500]: 1 / b, also one division

divconst (opsets 13 and 21), Div by a constant: a division too, the
constant materialized as its float32 value (until 2026-12-04 a
multiplication by the reciprocal, off like a * b^-1), except when every
element is a power of two: x * 2^-k is x / 2^k exactly, subnormal
quotients included, and stays the cheaper multiplication.
  t = Div(a, 3)                      u = Div(a, 0.1)
  v = Div(img, [0.229, 0.224, 0.225] as [3, 1, 1])   img [2, 3, 8, 8]
  w = Div(a, 4)
  z = Div(tiny, [8, -1024, 0.5, 2^20])   tiny [250, 4] near 2^-126, so most
                                         quotients are subnormal

means (opsets 17 and 21; ReduceMean's axes an attribute, then an input):
the sum over the count. Inputs are multiples of 1/8 below 50 in magnitude,
so every sum S is exact in float32 whatever the summation order, and only
the last step can differ. onnxruntime divides in ReduceMean and in
LayerNormalization's Mean output (8 or more normalized elements; below 8 it
keeps a running mean), and multiplies by 1 / n in Mean:
  rm7 = ReduceMean(e [50, 7], axes [1])          S / 7
  rm105 = ReduceMean(f [7, 40, 15], axes [0, 2]) S / 105
  rm8 = ReduceMean(g [50, 8], axes [1])          S / 8 = S * 0.125
  mean3 = Mean(m1, m2, m3)  [1000] each           S * (1 / 3)
  ln_mean = LayerNormalization(h [400, 10]) output 1   S / 10

Each output must equal onnxruntime's bit for bit; the count of results the
other method (the other rounding of the last step, computed with numpy)
would get wrong is printed too, to show the inputs tell the two apart.
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
RNG = np.random.default_rng(11)
ARRAYS = {"a": RNG.uniform(-3, 3, (2, 500)).astype(F),
          "b": RNG.uniform(0.1, 5, (2, 500)).astype(F),
          "c": RNG.uniform(-5, -0.1, (500,)).astype(F)}
CONST_ARRAYS = {"a": ARRAYS["a"],
                "img": RNG.uniform(0, 1, (2, 3, 8, 8)).astype(F),
                "tiny": (RNG.uniform(-4, 4, (250, 4)) * 2.0**-126).astype(F)}
CONSTANTS = {"three": np.array(3, F), "tenth": np.array(0.1, F),
             "std": np.array([0.229, 0.224, 0.225], F).reshape(3, 1, 1),
             "four": np.array(4, F),
             "pow2": np.array([8, -1024, 0.5, 2.0**20], F)}
DIVISIONS = {"t": ("a", "three"), "u": ("a", "tenth"), "v": ("img", "std"),
             "w": ("a", "four"), "z": ("tiny", "pow2")}


def eighths(shape):
    """Multiples of 1/8 in (-50, 50): sums of up to 2^14 of them are exact
    in float32."""
    return (RNG.integers(-400, 400, shape) / 8).astype(F)


MEAN_ARRAYS = {"e": eighths((50, 7)), "f": eighths((7, 40, 15)),
               "g": eighths((50, 8)), "m1": eighths((1000,)),
               "m2": eighths((1000,)), "m3": eighths((1000,)),
               "h": eighths((400, 10))}


def value_info(name, shape):
    return helper.make_tensor_value_info(name, T.FLOAT, shape)


def div_graph(opset):
    nodes = [helper.make_node("Div", ["a", "b"], ["q"], name="div_same"),
             helper.make_node("Div", ["a", "c"], ["r"], name="div_bcast"),
             helper.make_node("Reciprocal", ["b"], ["s"], name="recip")]
    return helper.make_graph(
        nodes, "div", [value_info(n, a.shape) for n, a in ARRAYS.items()],
        [value_info(n, [2, 500]) for n in "qrs"])


def divconst_graph(opset):
    nodes = [helper.make_node("Div", list(io), [out], name=f"div_{out}")
             for out, io in DIVISIONS.items()]
    outputs = [value_info(out, CONST_ARRAYS[x].shape)
               for out, (x, _) in DIVISIONS.items()]
    return helper.make_graph(
        nodes, "divconst",
        [value_info(n, a.shape) for n, a in CONST_ARRAYS.items()], outputs,
        [numpy_helper.from_array(v, n) for n, v in CONSTANTS.items()])


REDUCE_MEANS = {"rm7": ("e", [1]), "rm105": ("f", [0, 2]), "rm8": ("g", [1])}


def means_graph(opset):
    nodes, inits = [], []
    for out, (x, axes) in REDUCE_MEANS.items():
        if opset < 18:
            nodes.append(helper.make_node("ReduceMean", [x], [out],
                                          axes=axes))
        else:
            inits.append(numpy_helper.from_array(np.array(axes, np.int64),
                                                 f"{out}_axes"))
            nodes.append(helper.make_node("ReduceMean", [x, f"{out}_axes"],
                                          [out]))
    nodes.append(helper.make_node("Mean", ["m1", "m2", "m3"], ["mean3"]))
    inits.append(numpy_helper.from_array(np.ones(10, F), "h_scale"))
    nodes.append(helper.make_node("LayerNormalization", ["h", "h_scale"],
                                  ["ln_y", "ln_mean"], axis=-1))
    shapes = {"rm7": [50, 1], "rm105": [1, 40, 1], "rm8": [50, 1],
              "mean3": [1000], "ln_mean": [400, 1]}
    return helper.make_graph(
        nodes, "means",
        [value_info(n, a.shape) for n, a in MEAN_ARRAYS.items()],
        [value_info(n, s) for n, s in shapes.items()], inits)


def div_alternatives():
    """Each output as a * (1 / b) would compute it."""
    a, b, c = ARRAYS["a"], ARRAYS["b"], ARRAYS["c"]
    return {"q": (a * (F(1) / b), "a * (1 / b)"),
            "r": (a * (F(1) / c), "a * (1 / b)")}


def divconst_alternatives():
    return {out: (CONST_ARRAYS[x] * (F(1) / CONSTANTS[d]), "a * (1 / b)")
            for out, (x, d) in DIVISIONS.items()}


def means_alternatives():
    """ReduceMean and LayerNormalization's mean as S * (1 / n), Mean as
    S / n, S the exact sum."""
    def exact_sum(x, axes):
        return MEAN_ARRAYS[x].astype(np.float64).sum(
            axis=tuple(axes), keepdims=True).astype(F)
    out = {}
    for name, (x, axes) in REDUCE_MEANS.items():
        n = int(np.prod([MEAN_ARRAYS[x].shape[d] for d in axes]))
        out[name] = (exact_sum(x, axes) * (F(1) / F(n)), "S * (1 / n)")
    m = sum(MEAN_ARRAYS[k].astype(np.float64) for k in ("m1", "m2", "m3"))
    out["mean3"] = (m.astype(F) / F(3), "S / n")
    out["ln_mean"] = (exact_sum("h", [1]) * (F(1) / F(10)), "S * (1 / n)")
    return out


# QuantizeLinear on values next to the rounding ties of x / scale: (k +
# 1/2) * scale in float32, per tensor (0.3, zero point 128; 0.25, a power of
# two) and per channel along axis 1.
QUANT_SCALES = {"qt": (np.array(0.3, F), np.array(128, np.uint8)),
                "qp": (np.array(0.25, F), np.array(128, np.uint8)),
                "qc": (np.array([0.1, 0.3, 0.7], F),
                       np.array([100, 128, 150], np.uint8))}
TIES = (np.arange(-120, 120) + F(0.5)).astype(F)
QUANT_ARRAYS = {"x1": (TIES * F(0.3)).astype(F),
                "x2": (TIES * F(0.25)).astype(F),
                "x3": (TIES[:, None] *
                       np.array([0.1, 0.3, 0.7], F)).astype(F).reshape(
                           1, 240, 3).transpose(0, 2, 1).copy()}
QUANT_INPUTS = {"qt": "x1", "qp": "x2", "qc": "x3"}


def quant_graph(opset):
    nodes, inits = [], []
    for out, (scale, zero) in QUANT_SCALES.items():
        inits += [numpy_helper.from_array(scale, f"{out}_s"),
                  numpy_helper.from_array(zero, f"{out}_z")]
        nodes.append(helper.make_node(
            "QuantizeLinear", [QUANT_INPUTS[out], f"{out}_s", f"{out}_z"],
            [out], axis=1))
    return helper.make_graph(
        nodes, "quant",
        [value_info(n, a.shape) for n, a in QUANT_ARRAYS.items()],
        [helper.make_tensor_value_info(out, T.UINT8,
                                       QUANT_ARRAYS[QUANT_INPUTS[out]].shape)
         for out in QUANT_SCALES], inits)


def quant_alternatives():
    """Each output as round(x * (1 / scale)) + zero point would be."""
    out = {}
    for name, (scale, zero) in QUANT_SCALES.items():
        x = QUANT_ARRAYS[QUANT_INPUTS[name]]
        s = scale.reshape(1, -1, 1) if scale.ndim else scale
        z = zero.reshape(1, -1, 1) if zero.ndim else zero
        q = np.rint(x * (F(1) / s)) + z.astype(F)
        out[name] = (np.clip(q, 0, 255).astype(np.uint8),
                     "round(x * (1 / scale))")
    return out


MODELS = [("div", div_graph, ARRAYS, (13, 21), div_alternatives()),
          ("divconst", divconst_graph, CONST_ARRAYS, (13, 21),
           divconst_alternatives()),
          ("means", means_graph, MEAN_ARRAYS, (17, 21),
           means_alternatives()),
          ("quant", quant_graph, QUANT_ARRAYS, (13, 21),
           quant_alternatives())]


def main():
    src, rebocc, out = script_args()
    status = 0
    for label, graph, arrays, opsets, alternatives in MODELS:
        for opset in opsets:
            g = graph(opset)
            folder = os.path.join(out, f"{label}{opset}")
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"{label}.onnx")
            onnx.save(model_at_opset(g, opset), path)
            inputs = write_inputs(os.path.join(folder, "in"), arrays)
            for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                                    folder):
                print(f"== {label} opset {opset} {mode}")
                for i, output in enumerate(g.output):
                    name = output.name
                    e = read_tensor(os.path.join(folder, "ort",
                                                 f"output_{i}.pb"))
                    got = read_tensor(os.path.join(actual, f"output_{i}.pb"))
                    same = e.shape == got.shape and np.array_equal(e, got)
                    status |= not same
                    verdict = "identical" if same else "DIFFERENT"
                    if name in alternatives:
                        other, how = alternatives[name]
                        off = int((other.reshape(e.shape) != e).sum())
                        verdict += f" ({off} of {e.size} differ as {how})"
                    if name == "z":
                        tiny = np.abs(e) < np.finfo(F).tiny
                        verdict += f" ({int(tiny.sum())} subnormal)"
                    print(f"{name}: {verdict}")
    finish(status)


if __name__ == "__main__":
    main()
