#!/usr/bin/python3
"""ONNX Runtime's QOperator contrib ops of one quantized input
(com.microsoft QLinearSigmoid, QLinearLeakyRelu, QLinearGlobalAveragePool,
QLinearAveragePool)
against onnxruntime-node, code for code.

  qlinear-unary-ort.py REBOCC_SRC REBOCC OUT_DIR

One-node models (onnx.helper; ai.onnx 13, com.microsoft 1), uint8 and int8:

  lookup   QLinearSigmoid and QLinearLeakyRelu over all 256 codes, at two
           random scale / zero-point sets and at four built so that f(x) /
           y_scale of one code lies on a rounding tie (m + 0.5) in double;
           float32 then decides which way it rounds.
  gap      QLinearGlobalAveragePool (channels_last 0 and 1) over channels
           whose sum of codes minus n * x_zero_point is an odd multiple of
           D0, with y_scale chosen so that D0 * x_scale / (y_scale * n) is
           m + 0.5: every such channel sits next to a tie; and random ones.
  qlap     QLinearAveragePool: 3x3 pads 1 (count_include_pad 0 and 1),
           2x2 stride 2, 3x3 stride 2 ceil_mode, 3x2 strides (2, 1) uneven
           pads ceil_mode count_include_pad, 5x5 stride 3 pads 2, and a 1-D
           kernel 4 stride 3 ceil_mode, 3x3 stride 2 auto_pad SAME_UPPER;
           y_scale puts the mean of one window
           on m + 0.5 (in double).

Each prints the number of codes where rebocc (float reference, fixed
point) and the numpy model (float32 step by step, written here from the
measured formulas, docs/SupportedOps.md) differ from onnxruntime.
QLinearSigmoid's numpy model uses the logistic function rounded once to
float32; onnxruntime's table uses an approximation of it, so next to a tie
the two may differ (printed, not hidden).

  tail     QuantizeLinear -> QLinearConv -> QLinearLeakyRelu ->
           QLinearGlobalAveragePool -> QLinearSigmoid -> DequantizeLinear,
           a small QOperator classifier tail, rebocc against onnxruntime.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import finish, read_tensor, script_args, write_input  # noqa: E402

src, rebocc, out = script_args()
rng = np.random.default_rng(2026)
f32 = np.float32
status = 0


def qtype(dt):
    return TensorProto.UINT8 if dt == np.uint8 else TensorProto.INT8


def model_of(nodes, inputs, outputs, inits):
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model


def one_node(op, dt, xshape, yshape, sx, zx, sy, zy, **attrs):
    inits = [numpy_helper.from_array(np.array(sx, f32), "sx"),
             numpy_helper.from_array(np.array(zx, dt), "zx"),
             numpy_helper.from_array(np.array(sy, f32), "sy"),
             numpy_helper.from_array(np.array(zy, dt), "zy")]
    node = helper.make_node(op, ["x", "sx", "zx", "sy", "zy"], ["y"],
                            domain="com.microsoft", **attrs)
    return model_of([node], [helper.make_tensor_value_info("x", qtype(dt), xshape)],
                    [helper.make_tensor_value_info("y", qtype(dt), yshape)], inits)


def runs(model, x, label):
    """onnxruntime's, rebocc's float reference and fixed-point outputs."""
    folder = os.path.join(out, label)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    onnx.save(model, path)
    inp = write_input(os.path.join(folder, "input_0.pb"), x, "x")
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    "--input", inp, "--output-dir", os.path.join(folder, "ort")],
                   check=True, stdout=subprocess.DEVNULL)
    result = {}
    for mode, flags in (("ort", None), ("float", ["--float-reference"]), ("fixed", [])):
        if flags is not None:
            subprocess.run([rebocc, path, "--run", *flags, "--input", inp,
                            "--output-dir", os.path.join(folder, mode)],
                           check=True, stdout=subprocess.DEVNULL)
        result[mode] = read_tensor(os.path.join(folder, mode, "output_0.pb"))
    return result


def report(label, res, expected, rebocc_must_match=True):
    global status
    ort = res["ort"].astype(np.int64).reshape(-1)
    counts = [int((res[m].astype(np.int64).reshape(-1) != ort).sum())
              for m in ("float", "fixed")]
    model_diff = int((np.asarray(expected).astype(np.int64).reshape(-1) != ort).sum())
    print(f"{label}: {ort.size} codes, differing from onnxruntime: "
          f"float {counts[0]} fixed {counts[1]} numpy {model_diff}", flush=True)
    if rebocc_must_match and (counts[0] or counts[1]):
        status = 1


def quantize(v, sy, zy, info):
    """float32 v / y_scale, rounded half to even, + zero point, saturated."""
    code = np.round((np.asarray(v, f32) / f32(sy)).astype(f32)) + zy
    return np.clip(code, info.min, info.max)


def logistic(x):
    return (1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))).astype(f32)


# -- QLinearSigmoid, QLinearLeakyRelu over all 256 codes ---------------------
for op in ("QLinearSigmoid", "QLinearLeakyRelu"):
    for dt in (np.uint8, np.int8):
        info = np.iinfo(dt)
        codes = np.arange(info.min, info.max + 1).astype(dt)
        for s in range(6):
            sx = float(f32(rng.uniform(0.01, 0.1)))
            zx = int(rng.integers(info.min // 2, info.max // 2))
            alpha = float(f32(rng.uniform(0.05, 0.3)))
            x = (f32(sx) * (codes.astype(f32) - f32(zx))).astype(f32)
            fx = logistic(x) if op == "QLinearSigmoid" else \
                np.where(x >= 0, x, (x * f32(alpha)).astype(f32))
            if s < 2:  # random
                sy = float(f32(rng.uniform(0.002, 0.02)))
                zy = int(rng.integers(info.min // 2, info.max // 2))
                kind = "random"
            else:  # a tie m + 0.5 at one code (in double)
                k = int(rng.integers(0, 256))
                while fx[k] == 0:
                    k = int(rng.integers(0, 256))
                m = int(rng.integers(3, 100))
                sy = float(f32(abs(np.float64(fx[k])) / (m + 0.5)))
                zy = int(rng.integers(info.min // 4, info.max // 4))
                kind = "tie"
            attrs = {"alpha": alpha} if op == "QLinearLeakyRelu" else {}
            model = one_node(op, dt, [256], [256], sx, zx, sy, zy, **attrs)
            label = f"{op} {dt.__name__} {kind} {s}"
            res = runs(model, codes, label.replace(" ", "-"))
            # rebocc's Sigmoid table is the correctly rounded logistic:
            # next to a tie it may differ from onnxruntime's approximation.
            report(label, res, quantize(fx, sy, zy, info),
                   rebocc_must_match=op != "QLinearSigmoid" or kind == "random")


# -- QLinearGlobalAveragePool next to rounding ties --------------------------
def channel_of(total, n, info):
    """n codes of the type's range that sum to `total`."""
    c = np.full(n, total // n, np.int64)
    c[: total - (total // n) * n] += 1
    for _ in range(3 * n):
        i, j = rng.integers(0, n, 2)
        d = int(rng.integers(0, 20))
        if c[i] + d <= info.max and c[j] - d >= info.min:
            c[i] += d
            c[j] -= d
    return c


for dt in (np.uint8, np.int8):
    info = np.iinfo(dt)
    for s, (h, w) in enumerate([(3, 3), (7, 7), (4, 5), (1, 1), (13, 13), (2, 2)]):
        n = h * w
        za = int(rng.integers(info.min // 2, info.max // 2))
        zc = int(rng.integers(info.min // 2, info.max // 2))
        sa = float(f32(rng.uniform(0.01, 0.1)))
        d0 = int(rng.integers(1, 30))
        m = int(rng.integers(0, 40))
        sc = float(f32(sa * d0 / (n * (m + 0.5))))
        totals = [sgn * k * d0 + n * za for k in range(1, 200, 2) for sgn in (1, -1)]
        totals = [t for t in totals if info.min * n <= t <= info.max * n][:48]
        totals += [int(rng.integers(info.min * n, info.max * n + 1)) for _ in range(16)]
        chans = np.stack([channel_of(t, n, info) for t in totals])  # (C, n)
        c = len(totals)
        dsum = chans.sum(1) - n * za
        # onnxruntime's measured formula, float32 step by step.
        multiplier = f32(f32(sa) / (f32(sc) * f32(n)))
        expected = np.clip(np.round((dsum.astype(f32) * multiplier).astype(f32)) + zc,
                           info.min, info.max)
        for last in (0, 1):
            if last:
                x = chans.reshape(1, c, h, w).transpose(0, 2, 3, 1).astype(dt)
                xs, ys = [1, h, w, c], [1, 1, 1, c]
            else:
                x = chans.reshape(1, c, h, w).astype(dt)
                xs, ys = [1, c, h, w], [1, c, 1, 1]
            model = one_node("QLinearGlobalAveragePool", dt, xs, ys, sa, za, sc, zc,
                             channels_last=last)
            label = f"QLinearGlobalAveragePool {dt.__name__} {h}x{w} channels_last {last}"
            res = runs(model, x, label.replace(" ", "-"))
            report(label, res, expected)


# -- QLinearAveragePool, one window of each model next to a tie ---------------
def out_size(size, k, s, pb, pe, ceil):
    """ONNX's pooled size; with ceil_mode the last window starts inside the
    input or its leading padding."""
    span = size + pb + pe - k
    o = (-(-span // s) if ceil else span // s) + 1
    if ceil and (o - 1) * s >= size + pb:
        o -= 1
    return o


def windows(size, k, s, pb, pe, ceil, include_pad):
    """(first, end, count) of each window along one axis."""
    result = []
    for o in range(out_size(size, k, s, pb, pe, ceil)):
        start = o * s - pb
        end = min(start + k, size + pe)
        count = end - start if include_pad else min(end, size) - max(start, 0)
        result.append((max(start, 0), min(end, size), count))
    return result


POOLS = [dict(k=[3, 3], s=[1, 1], p=[1, 1, 1, 1], ceil=0, cip=0),
         dict(k=[3, 3], s=[1, 1], p=[1, 1, 1, 1], ceil=0, cip=1),
         dict(k=[2, 2], s=[2, 2], p=[0, 0, 0, 0], ceil=0, cip=0),
         dict(k=[3, 3], s=[2, 2], p=[0, 0, 0, 0], ceil=1, cip=0),
         dict(k=[3, 2], s=[2, 1], p=[1, 0, 1, 1], ceil=1, cip=1),
         dict(k=[5, 5], s=[3, 3], p=[2, 2, 2, 2], ceil=0, cip=0),
         dict(k=[4], s=[3], p=[1, 2], ceil=1, cip=0),
         dict(k=[3, 3], s=[2, 2], p=[1, 0, 1, 1], ceil=0, cip=0, auto="SAME_UPPER")]

for dt in (np.uint8, np.int8):
    info = np.iinfo(dt)
    for s, pool in enumerate(POOLS):
        one_d = len(pool["k"]) == 1
        c, h, w = 6, (1 if one_d else 7), 8
        k = [1] + pool["k"] if one_d else pool["k"]
        st = [1] + pool["s"] if one_d else pool["s"]
        pads = [0, pool["p"][0], 0, pool["p"][1]] if one_d else pool["p"]
        rows = windows(h, k[0], st[0], pads[0], pads[2], pool["ceil"], pool["cip"])
        cols = windows(w, k[1], st[1], pads[1], pads[3], pool["ceil"], pool["cip"])
        za = int(rng.integers(info.min // 2, info.max // 2))
        zc = int(rng.integers(info.min // 2, info.max // 2))
        sa = float(f32(rng.uniform(0.01, 0.1)))
        x = rng.integers(info.min, info.max + 1, (1, c, h, w))
        # y_scale puts the mean of one window of channel 0 on m + 0.5.
        (r0, r1, rc), (c0, c1, cc) = rows[len(rows) // 2], cols[len(cols) // 2]
        if (x[0, 0, r0:r1, c0:c1] - za).sum() == 0:
            x[0, 0, r0, c0] += 1 if x[0, 0, r0, c0] < info.max else -1
        dsum = int((x[0, 0, r0:r1, c0:c1] - za).sum())
        m = int(rng.integers(0, 30))
        sc = float(f32(abs(sa * dsum / (rc * cc * (m + 0.5)))))
        x = x.astype(dt)
        # onnxruntime's measured steps in float32: dequantize, add in the
        # window's row-major order, divide by the count, then
        # round(mean / y_scale + y_zero_point).
        expected = np.zeros((c, len(rows), len(cols)))
        for ch in range(c):
            for i, (a0, a1, ac) in enumerate(rows):
                for j, (b0, b1, bc) in enumerate(cols):
                    acc = f32(0)
                    for code in x[0, ch, a0:a1, b0:b1].reshape(-1):
                        acc = f32(acc + f32(f32(sa) * f32(int(code) - za)))
                    mean = f32(acc / f32(ac * bc))
                    expected[ch, i, j] = np.clip(np.round(f32(f32(mean / f32(sc)) + f32(zc))),
                                                 info.min, info.max)
        attrs = dict(kernel_shape=pool["k"], strides=pool["s"], pads=pool["p"],
                     ceil_mode=pool["ceil"], count_include_pad=pool["cip"])
        if "auto" in pool:  # the pads above are SAME_UPPER's for 7x8
            del attrs["pads"]
            attrs["auto_pad"] = pool["auto"]
        if one_d:
            xs, ys, xin = [1, c, w], [1, c, len(cols)], x.reshape(1, c, w)
        else:
            xs, ys, xin = [1, c, h, w], [1, c, len(rows), len(cols)], x
        model = one_node("QLinearAveragePool", dt, xs, ys, sa, za, sc, zc, **attrs)
        label = (f"QLinearAveragePool {dt.__name__} {s} kernel {pool['k']} strides "
                 f"{pool['s']} pads {pool['p']} ceil_mode {pool['ceil']} "
                 f"count_include_pad {pool['cip']}" + (f" auto_pad {pool['auto']}"
                                                       if "auto" in pool else ""))
        res = runs(model, xin, f"qlap-{dt.__name__}-{s}")
        report(label, res, expected)


# -- a QOperator classifier tail ---------------------------------------------
def tail_model(dt):
    info = np.iinfo(dt)
    q = lambda name, v: numpy_helper.from_array(np.array(v, dt), name)  # noqa: E731
    s = lambda name, v: numpy_helper.from_array(np.array(v, f32), name)  # noqa: E731
    w = rng.integers(-60, 61, (8, 3, 3, 3)).astype(np.int8)
    bias = rng.integers(-300, 301, 8).astype(np.int32)
    inits = [s("in_s", 0.02), q("in_z", 128 if dt == np.uint8 else 3),
             numpy_helper.from_array(w, "w"), s("w_s", 0.004),
             numpy_helper.from_array(np.array(0, np.int8), "w_z"),
             numpy_helper.from_array(bias, "b"),
             s("c_s", 0.05), q("c_z", 110 if dt == np.uint8 else -9),
             s("l_s", 0.03), q("l_z", 60 if dt == np.uint8 else -50),
             s("g_s", 0.011), q("g_z", 40 if dt == np.uint8 else -70),
             s("o_s", 1 / 256), q("o_z", 0 if dt == np.uint8 else -128)]
    ms = "com.microsoft"
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "in_s", "in_z"], ["xq"]),
        helper.make_node("QLinearConv", ["xq", "in_s", "in_z", "w", "w_s", "w_z",
                                         "c_s", "c_z", "b"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("QLinearLeakyRelu", ["c", "c_s", "c_z", "l_s", "l_z"], ["l"],
                         domain=ms, alpha=0.1),
        helper.make_node("QLinearGlobalAveragePool", ["l", "l_s", "l_z", "g_s", "g_z"],
                         ["g"], domain=ms, channels_last=0),
        helper.make_node("QLinearSigmoid", ["g", "g_s", "g_z", "o_s", "o_z"], ["o"],
                         domain=ms),
        helper.make_node("DequantizeLinear", ["o", "o_s", "o_z"], ["y"]),
    ]
    del info
    return model_of(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 6, 6])],
                    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 8, 1, 1])], inits)


for dt in (np.uint8, np.int8):
    x = rng.normal(0, 1, (2, 3, 6, 6)).astype(f32)
    res = runs(tail_model(dt), x, f"tail-{dt.__name__}")
    for mode in ("float", "fixed"):
        diff = int((res[mode].reshape(-1) != res["ort"].reshape(-1)).sum())
        print(f"tail {dt.__name__} {mode}: {res['ort'].size} outputs, "
              f"differing from onnxruntime: {diff}")
        status |= diff != 0

finish(status)
