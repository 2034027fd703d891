#!/usr/bin/python3
"""onnxruntime's QLinearAdd, QLinearMul and QLinearConcat (com.microsoft),
code for code against onnxruntime-node and numpy.

  qlinear-binary-ort.py REBOCC_SRC REBOCC OUT_DIR

One-node models (onnx.helper; opsets ai.onnx 13, com.microsoft 1) over all
65536 (a, b) code pairs, uint8 and int8, for two scale sets each (random
ones, and ones whose ratios put many results next to a rounding tie), in
three layouts: A and B run-time [256, 256]; B a constant; A [1, 256, 1]
against B [1, 1, 256] (A broadcast along the innermost axis, which
onnxruntime adds first). Each prints how many codes of rebocc --run (float
reference and fixed point) differ from onnxruntime's, and how many of
numpy's formula (below, computed here with exact rational arithmetic, not
by rebocc) and of its unfused variant (a mul and an add for each fma, or
for QLinearMul the fused fma(p, M, zc)) differ.

  QLinearAdd  X, S = A, B (S = A when A is broadcast along the innermost
              axis); rX = sX / sC, rS = sS / sC, o = zC - fma(rX, zX, rS*zS)
              C = clamp(round(fma(X, rX, fma(S, rS, o))))
  QLinearMul  C = clamp(round((A - zA) * (B - zB) * (sA * sB / sC) + zC))
  QLinearConcat  each input (x - z) * s / sY, rounded, + zY, clamped

every operation in float32, round half to even. Then QLinearConcat of
three inputs (one with Y's own scale and zero point) over all 256 codes,
and a small QOperator residual block: QuantizeLinear -> QLinearConv ->
QLinearAdd (the conv's output and its input) -> QLinearConcat (the sum,
the input, the conv's output) -> DequantizeLinear; the conv's scales are
powers of two, so its requantization is exact and the block's codes are
the three ops' own.
"""
import os
import subprocess
import sys
from fractions import Fraction

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import finish, read_tensor, script_args, write_input  # noqa: E402

src, rebocc, out = script_args()
f32 = np.float32
OPSETS = [helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)]


def elem(dt):
    return TensorProto.UINT8 if dt == np.uint8 else TensorProto.INT8


def code_range(dt):
    return (0, 255) if dt == np.uint8 else (-128, 127)


def round_f32(value):
    """The float32 nearest the rational `value`, ties to even."""
    c = np.float32(float(value))
    best = None
    for cand in (np.nextafter(c, f32(-np.inf)), c, np.nextafter(c, f32(np.inf))):
        d = abs(Fraction(float(cand)) - value)
        even = (int(np.array(cand).view(np.uint32)) & 1) == 0
        if best is None or d < best[0] or (d == best[0] and even):
            best = (d, even, cand)
    return best[2]


def fma(x, y, z):
    """Elementwise float32 fma: the exact x * y + z rounded once."""
    x, y, z = np.broadcast_arrays(np.asarray(x, f32), np.asarray(y, f32),
                                  np.asarray(z, f32))
    # float64 holds the product exactly; where it holds the sum too
    # (TwoSum's error is 0), one rounding to float32 is the fma. The rest
    # in exact rationals.
    p = x.astype(np.float64) * y
    s = p + z
    t = s - p
    exact = ((p - (s - t)) + (z - t)) == 0
    result = s.astype(f32)
    cache = {}
    for i in np.flatnonzero(~exact.ravel()):
        key = (x.flat[i], y.flat[i], z.flat[i])
        if key not in cache:
            a, b, c = (Fraction(float(v)) for v in key)
            cache[key] = round_f32(a * b + c)
        result.flat[i] = cache[key]
    return result


def expected_add(dt, a, b, p, a_first, fused=True):
    (sa, za), (sb, zb), (sc, zc) = p
    lo, hi = code_range(dt)
    ra, rb = f32(f32(sa) / f32(sc)), f32(f32(sb) / f32(sc))
    X, S = (b, a) if a_first else (a, b)
    rx, rs = (rb, ra) if a_first else (ra, rb)
    zx, zs = (zb, za) if a_first else (za, zb)
    X, S = X.astype(f32), S.astype(f32)
    if fused:
        o = f32(f32(zc) - fma(rx, f32(zx), f32(rs * f32(zs))))
        y = fma(X, rx, fma(S, rs, o))
    else:
        o = f32(f32(zc) - f32(f32(rx * f32(zx)) + f32(rs * f32(zs))))
        y = f32(X * rx) + f32(f32(S * rs) + o)
    return np.clip(np.rint(y), lo, hi).astype(np.int32)


def expected_mul(dt, a, b, p, fused=False):
    (sa, za), (sb, zb), (sc, zc) = p
    lo, hi = code_range(dt)
    m = f32(f32(f32(sa) * f32(sb)) / f32(sc))
    prod = ((a.astype(np.int32) - za) * (b.astype(np.int32) - zb)).astype(f32)
    y = fma(prod, m, f32(zc)) if fused else f32(f32(prod * m) + f32(zc))
    return np.clip(np.rint(y), lo, hi).astype(np.int32)


def binary_model(op, dt, p, a_shape, b_shape, b_const=None):
    (sa, za), (sb, zb), (sc, zc) = p
    inits = [numpy_helper.from_array(f32(sa), "sa"),
             numpy_helper.from_array(dt(za), "za"),
             numpy_helper.from_array(f32(sb), "sb"),
             numpy_helper.from_array(dt(zb), "zb"),
             numpy_helper.from_array(f32(sc), "sc"),
             numpy_helper.from_array(dt(zc), "zc")]
    inputs = [helper.make_tensor_value_info("a", elem(dt), a_shape)]
    if b_const is None:
        inputs.append(helper.make_tensor_value_info("b", elem(dt), b_shape))
    else:
        inits.append(numpy_helper.from_array(b_const, "b"))
    node = helper.make_node(op, ["a", "sa", "za", "b", "sb", "zb", "sc", "zc"],
                            ["c"], domain="com.microsoft")
    shape = np.broadcast_shapes(tuple(a_shape), tuple(b_shape or a_shape))
    graph = helper.make_graph(
        [node], op, inputs,
        [helper.make_tensor_value_info("c", elem(dt), list(shape))], inits)
    return helper.make_model(graph, opset_imports=OPSETS, ir_version=8)


def run_all(model, feeds, folder):
    """onnxruntime's and rebocc's (float, fixed) outputs of `model`."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    onnx.save(model, path)
    args = []
    for i, (name, value) in enumerate(feeds):
        args += ["--input", write_input(os.path.join(folder, f"input_{i}.pb"),
                                        value, name)]
    results = {}
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    *args, "--output-dir", os.path.join(folder, "ort")],
                   check=True, stdout=subprocess.DEVNULL)
    for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
        subprocess.run([rebocc, path, "--run", *flags, *args, "--output-dir",
                        os.path.join(folder, mode)], check=True,
                       stdout=subprocess.DEVNULL)
    for kind in ("ort", "float", "fixed"):
        outs = []
        i = 0
        while os.path.exists(os.path.join(folder, kind, f"output_{i}.pb")):
            outs.append(read_tensor(os.path.join(folder, kind, f"output_{i}.pb")))
            i += 1
        results[kind] = outs
    return results


def differ(x, y):
    return int((np.asarray(x).astype(np.float64).ravel()
                != np.asarray(y).astype(np.float64).ravel()).sum())


status = 0
rng = np.random.default_rng(2026)
A = np.repeat(np.arange(256), 256).reshape(256, 256)
B = np.tile(np.arange(256), 256).reshape(256, 256)
# Scale sets: (sA, sB, sC); zero points drawn per type. The second sets'
# ratios are near halves, so many sums and products land next to a tie.
SCALES = {"QLinearAdd": [(0.0417, 0.0731, 0.0898), (0.07, 0.21, 0.14 * 1.000001)],
          "QLinearMul": [(0.0523, 0.0377, 0.0291), (0.07, 0.03, 0.0105 * 16)]}
for op, sets in SCALES.items():
    for dt in (np.uint8, np.int8):
        lo, hi = code_range(dt)
        a, b = (A + lo).astype(dt), (B + lo).astype(dt)
        for k, (sa, sb, sc) in enumerate(sets):
            zs = rng.integers(lo + 40, hi - 40, 3)
            p = [(sa, int(zs[0])), (sb, int(zs[1])), (sc, int(zs[2]))]
            for layout in ("runtime", "constant-b", "a-innermost-1"):
                if layout == "runtime":
                    m = binary_model(op, dt, p, [256, 256], [256, 256])
                    feeds, aa, bb = [("a", a), ("b", b)], a, b
                elif layout == "constant-b":
                    m = binary_model(op, dt, p, [256, 256], None, b_const=b)
                    feeds, aa, bb = [("a", a)], a, b
                else:
                    aa = a[:, :1].reshape(1, 256, 1)
                    bb = b[:1, :].reshape(1, 1, 256)
                    m = binary_model(op, dt, p, [1, 256, 1], [1, 1, 256])
                    feeds = [("a", aa), ("b", bb)]
                label = f"{op} {dt.__name__} set {k} {layout}"
                r = run_all(m, feeds, os.path.join(out, label.replace(" ", "-")))
                ort = r["ort"][0].astype(np.int32)
                ea, eb = np.broadcast_arrays(aa, bb)
                a_first = layout == "a-innermost-1"
                if op == "QLinearAdd":
                    exp = expected_add(dt, ea, eb, p, a_first)
                    others = {"unfused": expected_add(dt, ea, eb, p, a_first,
                                                      fused=False),
                              "other order": expected_add(dt, ea, eb, p,
                                                          not a_first)}
                else:
                    exp = expected_mul(dt, ea, eb, p)
                    others = {"fused": expected_mul(dt, ea, eb, p, fused=True)}
                counts = [differ(ort, x) for x in
                          (r["float"][0], r["fixed"][0], exp)]
                print(f"{label}: of {ort.size} codes, float {counts[0]}, "
                      f"fixed {counts[1]}, numpy {counts[2]}, " +
                      ", ".join(f"numpy {k} {differ(ort, v)}"
                                for k, v in others.items()), flush=True)
                status |= counts[0] or counts[1] or counts[2]


def concat_model(dt, y, xs):
    inits = [numpy_helper.from_array(f32(y[0]), "ys"),
             numpy_helper.from_array(dt(y[1]), "yz")]
    names = ["ys", "yz"]
    inputs = []
    for i, (s, z) in enumerate(xs):
        inits += [numpy_helper.from_array(f32(s), f"s{i}"),
                  numpy_helper.from_array(dt(z), f"z{i}")]
        names += [f"x{i}", f"s{i}", f"z{i}"]
        inputs.append(helper.make_tensor_value_info(f"x{i}", elem(dt), [2, 128]))
    node = helper.make_node("QLinearConcat", names, ["y"],
                            domain="com.microsoft", axis=1)
    graph = helper.make_graph([node], "concat", inputs,
                              [helper.make_tensor_value_info("y", elem(dt),
                                                             [2, 128 * len(xs)])],
                              inits)
    return helper.make_model(graph, opset_imports=OPSETS, ir_version=8)


for dt in (np.uint8, np.int8):
    lo, hi = code_range(dt)
    zy = int(rng.integers(lo, hi + 1))
    y = (0.07, zy)
    xs = [(0.07, zy), (0.07 * 2.5, int(rng.integers(lo, hi + 1))),
          (0.013, int(rng.integers(lo, hi + 1)))]
    x = np.arange(lo, hi + 1).astype(dt).reshape(2, 128)
    r = run_all(concat_model(dt, y, xs), [(f"x{i}", x) for i in range(3)],
                os.path.join(out, f"concat-{dt.__name__}"))
    exp = np.concatenate(
        [np.clip(np.rint(f32(f32((x.astype(np.int32) - z).astype(f32) * f32(s))
                             / f32(y[0]))) + y[1], lo, hi)
         for s, z in xs], axis=1)
    ort = r["ort"][0]
    counts = [differ(ort, v) for v in (r["float"][0], r["fixed"][0], exp)]
    print(f"QLinearConcat {dt.__name__}: of {ort.size} codes, float "
          f"{counts[0]}, fixed {counts[1]}, numpy {counts[2]}", flush=True)
    status |= counts[0] or counts[1] or counts[2]


def block_model():
    """x -> QuantizeLinear -> QLinearConv -> QLinearAdd (skip) ->
    QLinearConcat -> DequantizeLinear; the codes are output 1."""
    w = rng.integers(-127, 128, (4, 4, 3, 3)).astype(np.int8)
    inits = [numpy_helper.from_array(v, n) for n, v in [
        ("xs", f32(2.0 ** -4)), ("xz", np.uint8(128)), ("w", w),
        ("ws", f32(2.0 ** -7)), ("wz", np.int8(0)),
        ("ys", f32(2.0 ** -3)), ("yz", np.uint8(120)),
        ("bias", rng.integers(-2000, 2000, 4).astype(np.int32)),
        ("cs", f32(0.0913)), ("cz", np.uint8(117)),
        ("ts", f32(0.1189)), ("tz", np.uint8(98))]]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["q"]),
        helper.make_node("QLinearConv", ["q", "xs", "xz", "w", "ws", "wz",
                                         "ys", "yz", "bias"], ["y"],
                         pads=[1, 1, 1, 1]),
        helper.make_node("QLinearAdd", ["y", "ys", "yz", "q", "xs", "xz",
                                        "cs", "cz"], ["r"],
                         domain="com.microsoft"),
        helper.make_node("QLinearConcat", ["ts", "tz", "r", "cs", "cz",
                                           "q", "xs", "xz", "y", "ys", "yz"],
                         ["t"], domain="com.microsoft", axis=1),
        helper.make_node("DequantizeLinear", ["t", "ts", "tz"], ["out"]),
    ]
    graph = helper.make_graph(
        nodes, "block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 6, 6])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 12, 6, 6]),
         helper.make_tensor_value_info("t", TensorProto.UINT8, [1, 12, 6, 6])],
        inits)
    return helper.make_model(graph, opset_imports=OPSETS, ir_version=8)


x = rng.normal(0.0, 3.0, (1, 4, 6, 6)).astype(f32)
r = run_all(block_model(), [("x", x)], os.path.join(out, "block"))
for mode in ("float", "fixed"):
    counts = [differ(r["ort"][i], r[mode][i]) for i in range(2)]
    print(f"block {mode}: of {r['ort'][1].size} codes {counts[1]} differ, "
          f"of the dequantized values {counts[0]}", flush=True)
    status |= counts[0] or counts[1]
finish(status)
