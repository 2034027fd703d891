#!/usr/bin/python3
"""QDQ models of 4-bit, 16-bit and float8 types (opset 21) against
onnxruntime-node.

  quantized-widths-ort.py REBOCC_SRC REBOCC OUT_DIR

Debian's python onnx (1.12) predates INT4/UINT4 (21, 22) and the float8
types (17-20), so their tensors are written by hand: two 4-bit values a
byte, the first in the low nibble (onnx.proto), in raw_data or one byte
per int32_data entry; float8 as its bytes.

  int4    x -> QuantizeLinear (uint8, zero point 128) -> DequantizeLinear ->
          Conv (int4 weight 5x3x3x3 = 135 values, an odd count, per output
          channel, raw_data; float bias) -> Relu -> Flatten -> MatMul
          (uint4 weight 80x7 = 560 values, zero point 8, per column,
          int32_data).
  w4a4    x -> QuantizeLinear (uint4, zero point 8) -> DequantizeLinear ->
          Conv (int4 weight): the layer reads the 5-bit codes, exact in
          fixed point and on the bit-sliced cells too.
  blocked x -> int8 QDQ -> MatMul of an int4 weight 40x6 quantized in blocks
          of 16 rows (block_size; scale and zero point 3x6), which rebocc
          folds to a float weight.
  qdq4    x's int4 (zero point -2) and uint4 (zero point 3) QDQ pairs,
          saturating to -8..7 and 0..15.
  a16w8   x -> QuantizeLinear (uint16, zero point 32768) -> DequantizeLinear
          -> Conv (int8 weight per channel) -> QuantizeLinear (uint16) ->
          DequantizeLinear, as Qualcomm's QNN tooling writes a16w8 models;
          again on a chip of 17 input bits (a16w8-chip17), which reads the
          16-bit codes as they are: exact in fixed point and bit-sliced.
  int16   an int16 QDQ pair on x (zero point -5, saturating: x spans more
          than the range) and a uint16 one, and a Gemm (transB) of int16
          weights (int32_data, up to 60 in magnitude) on a third int16
          pair (scale 1, zero point 7).
  float8  MatMul of a FLOAT8E4M3FN weight and Conv of a FLOAT8E5M2 weight,
          both through DequantizeLinear, on x's int8 QDQ pair; and x's
          first element (1) times the
          DequantizeLinear of all 256 bytes of each float8 type, which
          shows the decoding of every value (subnormals, NaN, infinities,
          the FNUZ types' 0x80).

Every scale is a power of two and the codes small enough that
onnxruntime's float32 sums are exact: rebocc's float reference must write
the same bits (atol 0). In fixed point the digital outputs (the QDQ pairs,
the float8 decoding) are exact too; the crossbar layers' outputs are held to
the usual 2e-2 of each output's largest magnitude: the int4 MatMul reads the
Relu's float output, the a16w8 and int16 layers 16-bit codes (which need 17
signed bits, more than ISAAC-CE's 16 input bits), all of which rebocc
re-quantizes, and the float8 layers have float weights. onnxruntime runs at
its basic graph optimization level, which computes the QDQ graph as the
specification says (at the default level the int4 model's output is up
to 0.15 off the exact values). The 4-bit QDQ pairs are a model of their
own: in the int4 model, onnxruntime 1.30 at the basic level returned
garbage for the first 32 of the pair's 384 values at batch 2.

Each model's program line shows the weight bits of its layers: 4 for int4
(5 where a code is -8), 8, 16, and none for float weights; the cells line
the cells each layer occupies.
"""
import json
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (batched_graph, cross_check, finish, model_at_opset,  # noqa: E402
                             read_tensor, script_args, write_input)

INT4, UINT4 = 22, 21
F8 = {"e4m3fn": 17, "e4m3fnuz": 18, "e5m2": 19, "e5m2fnuz": 20}

src, rebocc, out = script_args()
rng = np.random.default_rng(21)
inits = []
os.environ["ORT_GRAPH_OPTIMIZATION_LEVEL"] = "basic"


def const(name, value):
    inits.append(numpy_helper.from_array(np.asarray(value), name))
    return name


def packed4(name, values, data_type, as_int32=False):
    """A 4-bit initializer: two values a byte, the first in the low
    nibble; raw_data, or one byte per int32_data entry."""
    flat = np.asarray(values).astype(np.int64).ravel() & 0xF
    if flat.size % 2:
        flat = np.append(flat, 0)
    data = (flat[0::2] | (flat[1::2] << 4)).astype(np.uint8)
    t = TensorProto()
    t.name, t.data_type = name, data_type
    t.dims.extend(np.shape(values))
    if as_int32:
        t.int32_data.extend(int(b) for b in data)
    else:
        t.raw_data = data.tobytes()
    inits.append(t)
    return name


def bytes_tensor(name, data, data_type, dims):
    """A float8 initializer of raw bytes."""
    t = TensorProto()
    t.name, t.data_type, t.raw_data = name, data_type, bytes(data)
    t.dims.extend(dims)
    inits.append(t)
    return name


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def qdq(nodes, x, name, scale, zp, data_type=None):
    """x -> QuantizeLinear -> DequantizeLinear; a 4-bit zero point is
    written packed (`data_type`)."""
    s = const(name + "_s", np.float32(scale))
    z = (packed4(name + "_z", np.array(zp), data_type) if data_type
         else const(name + "_z", zp))
    nodes.append(node("QuantizeLinear", [x, s, z], [name + "_q"]))
    nodes.append(node("DequantizeLinear", [name + "_q", s, z], [name]))
    return name


def pow2_scales(n, lo, hi):
    return (2.0 ** -rng.integers(lo, hi, n)).astype(np.float32)


def int4_model():
    nodes = []
    d = qdq(nodes, "x", "d", 2.0 ** -3, np.uint8(128))
    # Codes -8..7 (one -8, so 5 bits), per output channel.
    w = rng.integers(-7, 8, (5, 3, 3, 3))
    w[0, 0, 0, 0] = -8
    nodes.append(node("DequantizeLinear",
                      [packed4("w", w, INT4), const("w_s", pow2_scales(5, 4, 7)),
                       packed4("w_z", np.zeros(5), INT4)], ["wd"], axis=0))
    nodes.append(node("Conv", [d, "wd", const("b", (rng.integers(
        -64, 64, 5) / 64.0).astype(np.float32))], ["c"], pads=[1, 1, 1, 1]))
    nodes.append(node("Relu", ["c"], ["r"]))
    nodes.append(node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2],
                      strides=[2, 2]))
    nodes.append(node("Flatten", ["p"], ["f"]))
    # uint4 around zero point 8 (codes -7..7: 4 bits), per column (axis
    # 1), in int32_data.
    m = rng.integers(1, 16, (80, 7))
    nodes.append(node("DequantizeLinear",
                      [packed4("m", m, UINT4, as_int32=True),
                       const("m_s", pow2_scales(7, 3, 6)),
                       packed4("m_z", np.full(7, 8), UINT4)], ["md"], axis=1))
    nodes.append(node("MatMul", ["f", "md"], ["y"]))
    return nodes, [3, 8, 8], [("y", [7])], 12.0


def w4a4_model():
    nodes = []
    d = qdq(nodes, "x", "d", 0.5, np.array(8), UINT4)
    w = rng.integers(-7, 8, (3, 2, 3, 3))
    nodes.append(node("DequantizeLinear",
                      [packed4("w", w, INT4), const("w_s", pow2_scales(3, 2, 5)),
                       packed4("w_z", np.zeros(3), INT4)], ["wd"], axis=0))
    nodes.append(node("Conv", [d, "wd"], ["y"], pads=[1, 1, 1, 1]))
    return nodes, [2, 5, 5], [("y", [3, 5, 5])], 3.0


def blocked_model():
    nodes = []
    d = qdq(nodes, "x", "d", 2.0 ** -3, np.int8(0))
    # 40 rows in blocks of 16 (the last one 8), per column: scale and zero
    # point 3 x 6.
    w = rng.integers(-8, 8, (40, 6))
    nodes.append(node("DequantizeLinear",
                      [packed4("w", w, INT4),
                       const("w_s", pow2_scales(18, 2, 6).reshape(3, 6)),
                       packed4("w_z", rng.integers(-2, 3, (3, 6)), INT4)],
                      ["wd"], axis=0, block_size=16))
    nodes.append(node("MatMul", [d, "wd"], ["y"]))
    return nodes, [40], [("y", [6])], 4.0


def qdq4_model():
    nodes = []
    qdq(nodes, "x", "i", 0.5, np.array(-2), INT4)
    qdq(nodes, "x", "u", 0.25, np.array(3), UINT4)
    return nodes, [5, 7], [("i", [5, 7]), ("u", [5, 7])], 3.0


def a16w8_model():
    nodes = []
    d = qdq(nodes, "x", "d", 2.0 ** -8, np.uint16(32768))
    w = rng.integers(-63, 64, (4, 3, 3, 3)).astype(np.int8)
    nodes.append(node("DequantizeLinear",
                      [const("w", w), const("w_s", pow2_scales(4, 5, 8)),
                       const("w_z", np.zeros(4, np.int8))], ["wd"], axis=0))
    nodes.append(node("Conv", [d, "wd"], ["c"], pads=[1, 1, 1, 1]))
    qdq(nodes, "c", "y", 2.0 ** -4, np.uint16(30000))
    return nodes, [3, 6, 6], [("y", [4, 6, 6])], 4.0


def int16_model():
    nodes = []
    qdq(nodes, "x", "d", 2.0 ** -4, np.int16(-5))
    qdq(nodes, "x", "u", 2.0 ** -2, np.uint16(40000))
    g = qdq(nodes, "x", "g", 1.0, np.int16(7))
    nodes.append(node("Flatten", [g], ["f"]))
    # Weights up to 60 so the sums of codes (up to 10^4) times weights
    # stay exact in float32; the layer still takes the model's 16 bits.
    w = rng.integers(-60, 61, (6, 16)).astype(np.int16)
    wt = numpy_helper.from_array(w, "w")
    wt.ClearField("raw_data")
    wt.int32_data.extend(int(v) for v in w.ravel())
    inits.append(wt)
    nodes.append(node("DequantizeLinear",
                      ["w", const("w_s", np.float32(2.0 ** -12)),
                       const("w_z", np.int16(0))], ["wd"]))
    nodes.append(node("Gemm", ["f", "wd"], ["y"], transB=1))
    # Codes past both ends of each range: saturation.
    return nodes, [4, 4], [("y", [6]), ("d", [4, 4]), ("u", [4, 4])], 2500.0


def float8_model():
    nodes = []
    d = qdq(nodes, "x", "d", 2.0 ** -4, np.int8(0))
    # Bytes of moderate exponent so the products stay within float32's
    # exact sums: E4M3FN 0x20..0x4f and their negatives.
    w8 = rng.integers(0x20, 0x50, (32, 5)) | (rng.integers(0, 2, (32, 5)) << 7)
    nodes.append(node("DequantizeLinear",
                      [bytes_tensor("w8", w8.astype(np.uint8).ravel(),
                                    F8["e4m3fn"], [32, 5]),
                       const("w8_s", np.float32(2.0 ** -3))], ["w8d"]))
    k = rng.integers(0x30, 0x48, (2, 3, 3, 3)) | (
        rng.integers(0, 2, (2, 3, 3, 3)) << 7)
    nodes.append(node("DequantizeLinear",
                      [bytes_tensor("k", k.astype(np.uint8).ravel(),
                                    F8["e5m2"], [2, 3, 3, 3]),
                       const("k_s", np.float32(0.5))], ["kd"]))
    nodes.append(node("Conv", [d, "kd"], ["c"], pads=[1, 1, 1, 1]))
    nodes.append(node("Flatten", [d], ["cf"]))
    nodes.append(node("Slice", ["cf", const("st", np.array([0], np.int64)),
                                const("en", np.array([32], np.int64)),
                                const("ax", np.array([1], np.int64))],
                      ["cs"]))
    nodes.append(node("MatMul", ["cs", "w8d"], ["y"]))
    outputs = [("y", [5]), ("c", [2, 4, 4])]
    # Every byte of each type, times ones (keeps -0, NaN and infinities).
    nodes.append(node("Flatten", ["x"], ["xf"]))
    nodes.append(node("Slice", ["xf", "st", const("e256", np.array(
        [1], np.int64)), "ax"], ["one"]))
    for kind, data_type in F8.items():
        nodes.append(node("DequantizeLinear",
                          [bytes_tensor("all_" + kind, range(256), data_type,
                                        [256]),
                           const("all_s_" + kind, np.float32(1.0))],
                          ["all_" + kind + "_d"]))
        nodes.append(node("Mul", ["one", "all_" + kind + "_d"],
                          ["v_" + kind]))
        outputs.append(("v_" + kind, [256]))
    return nodes, [3, 4, 4], outputs, 1.0


def same_float8_bits(folder, count):
    """Every decoded float8 value has onnxruntime's bits in both modes
    (signed zeros too; NaN where onnxruntime has NaN, whatever payload)."""
    same = True
    for mode in ("float", "fixed"):
        for i in range(2, count):
            name = f"output_{i}.pb"
            e = read_tensor(os.path.join(folder, "ort", name))
            a = read_tensor(os.path.join(folder, mode, name))
            nan = np.isnan(e)
            same &= bool((nan == np.isnan(a)).all() and
                         (e.view(np.uint32)[~nan] ==
                          a.view(np.uint32)[~nan]).all())
    print(f"{os.path.basename(folder)} float8 bits identical: {same}, "
          f"NaNs per type: {[int(np.isnan(read_tensor(os.path.join(folder, 'ort', f'output_{i}.pb'))[0]).sum()) for i in range(2, count)]}",
          flush=True)
    return 0 if same else 1


def bit_sliced_equals_fixed(path, input_file, folder, flags=()):
    """The cells read bit by bit through the ADC (rebocc-sim --bit-sliced)
    write fixed point's bytes."""
    rbp = os.path.join(folder, "m.rbp")
    subprocess.run([rebocc, path, *flags, "-o", rbp], check=True)
    sim = os.path.join(os.path.dirname(rebocc), "rebocc-sim")
    subprocess.run([sim, rbp, "--no-cost", "--bit-sliced", "--input",
                    input_file, "--output-dir",
                    os.path.join(folder, "bitsliced")], check=True,
                   stdout=subprocess.DEVNULL)
    name = "output_0.pb"
    same = (open(os.path.join(folder, "fixed", name), "rb").read() ==
            open(os.path.join(folder, "bitsliced", name), "rb").read())
    print(f"{os.path.basename(folder)} bit-sliced equals fixed: {same}",
          flush=True)
    return 0 if same else 1


def print_cells(kind, path, in_shape, flags=()):
    """Each crossbar layer's occupied cells, from the report of a run."""
    folder = os.path.join(out, kind + "-cells")
    report = os.path.join(folder, "report.json")
    os.makedirs(folder, exist_ok=True)
    zeros = write_input(os.path.join(folder, "input_0.pb"),
                        np.zeros([1] + in_shape, np.float32), "x")
    subprocess.run([rebocc, path, *flags, "--run", "--input", zeros,
                    "--output-dir", os.path.join(folder, "cells"),
                    "--report", report], check=True,
                   stdout=subprocess.DEVNULL)
    layers = json.load(open(report))["layers"]
    print(f"{kind} cells:", ", ".join(
        f"{layer['name']} {layer['occupied_cells']}" for layer in layers),
          flush=True)


def program_line(path, flags=()):
    program = subprocess.run([rebocc, path, *flags, "--emit=program"],
                             check=True,
                             capture_output=True, text=True).stdout
    return " ".join(
        " ".join(w for w in line.split()
                 if w.startswith(("name=", "weight_bits=", "input_bits=")))
        for line in program.splitlines() if line.startswith("layer @"))


# A chip of 17 input bits reads the a16w8 Conv's 16-bit codes as they are.
CHIP17 = ["--hw-set", "input_bits=17"]
status = 0
for kind, build, exact_fixed, flags in (
        ("int4", int4_model, False, []),
        ("w4a4", w4a4_model, True, []),
        ("blocked", blocked_model, False, []),
        ("qdq4", qdq4_model, True, []),
        ("a16w8", a16w8_model, False, []),
        ("a16w8-chip17", a16w8_model, True, CHIP17),
        ("int16", int16_model, False, []),
        ("float8", float8_model, False, [])):
    inits.clear()
    nodes, in_shape, outputs, spread = build()
    graph = batched_graph(nodes, kind, in_shape, outputs, inits)
    model = model_at_opset(graph, 21)
    path = os.path.join(out, kind + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    print(f"{kind} program: {program_line(path, flags)}", flush=True)
    print_cells(kind, path, in_shape, flags)
    for batch in (1, 2):
        folder = os.path.join(out, f"{kind}{batch}")
        os.makedirs(folder, exist_ok=True)
        if kind == "float8":
            x = np.ones([batch] + in_shape, np.float32)
            x[:, :, 1:, :] = rng.normal(0.0, 2.0, [batch, 3, 3, 4])
        else:
            x = rng.normal(0.0, spread, [batch] + in_shape).astype(np.float32)
        inputs = [write_input(os.path.join(folder, "input_0.pb"), x, "x")]
        status |= cross_check(src, rebocc, path, inputs, folder, 0, 0,
                              f"{kind} batch {batch}",
                              None if exact_fixed else 2e-2,
                              rebocc_flags=flags)
        if kind == "float8":
            status |= same_float8_bits(folder, len(outputs))
        if kind in ("w4a4", "a16w8-chip17"):
            status |= bit_sliced_equals_fixed(path, inputs[0], folder, flags)
finish(status)
