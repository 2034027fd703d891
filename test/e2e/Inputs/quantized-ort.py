#!/usr/bin/python3
"""Quantized CNNs (QDQ and QOperator), end to end against onnxruntime-node.

  quantized-ort.py REBOCC_SRC REBOCC OUT_DIR

Trains nothing: a small torch CNN (seed 0; Conv 3->8, ReLU, Conv 8->16,
ReLU, MaxPool, Flatten, Linear 256->10) gives the float weights; the
activation scales come from one calibration batch through it. From those
the script writes two ONNX models with onnx.helper (opset 13), the way
onnxruntime's static quantization lays them out:

  qdq.onnx   QuantizeLinear/DequantizeLinear pairs on every activation
             (uint8 with zero point 128 on the input, uint8 after the
             ReLUs, int8 on the logits) and DequantizeLinear of constant
             int8 weights: conv1 per tensor, conv2 and the Linear per output
             channel; float biases.
  qop.onnx   the QOperator form of the same network: QuantizeLinear,
             QLinearConv (int8 weights per channel, int32 biases),
             QLinearMatMul (uint8 logits, zero point 128), then a ConvInteger / MatMulInteger side branch
             (uint8 data, zero points) added to the logits, and
             DequantizeLinear at the end.

Both run in onnxruntime and in rebocc --run (batches 1 and 2), and again
(batch 1, the same nodes) as opsets 19 and 21 (qdq) or 21 (qop, int). The float
reference must agree within one step of the output's quantization (0.05
absolute; a rounding tie decided the other way moves a value by one step),
fixed point within 2e-2 of each output's largest magnitude.
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import cross_check, read_tensor, write_input  # noqa: E402

src, rebocc, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)

torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                    nn.MaxPool2d(4), nn.Flatten(), nn.Linear(256, 10)).eval()
conv1, conv2, fc = net[0], net[2], net[6]

rng = np.random.default_rng(5)
calib = rng.normal(0.0, 1.0, (8, 3, 16, 16)).astype(np.float32)
with torch.no_grad():
    t = torch.from_numpy(calib)
    a1 = net[1](conv1(t))
    a2 = net[3](conv2(a1))
    logits = net[6](net[5](net[4](a2)))


def np_(p):
    return p.detach().numpy().astype(np.float32)


s_in = np.float32(np.abs(calib).max() / 127.0)        # uint8, zero point 128
s_a1 = np.float32(a1.max().item() / 255.0)            # uint8, zero point 0
s_a2 = np.float32(a2.max().item() / 255.0)
s_out = np.float32(logits.abs().max().item() / 127.0)  # int8, zero point 0


def quantize_weight(w, per_channel, axis):
    """Symmetric int8 weights, per tensor or per channel along `axis`."""
    if per_channel:
        other = tuple(d for d in range(w.ndim) if d != axis)
        scale = (np.abs(w).max(axis=other) / 127.0).astype(np.float32)
        shape = [1] * w.ndim
        shape[axis] = -1
        q = np.round(w / scale.reshape(shape))
    else:
        scale = np.float32(np.abs(w).max() / 127.0)
        q = np.round(w / scale)
    return np.clip(q, -127, 127).astype(np.int8), scale


w1, s_w1 = quantize_weight(np_(conv1.weight), False, 0)
w2, s_w2 = quantize_weight(np_(conv2.weight), True, 0)
w3, s_w3 = quantize_weight(np_(fc.weight).T.copy(), True, 1)  # (256, 10)

inits = []


def const(name, value):
    inits.append(numpy_helper.from_array(np.asarray(value), name))
    return name


def qdq_model():
    nodes = []
    inits.clear()

    def qdq(x, name, scale, zp):
        nodes.append(helper.make_node("QuantizeLinear", [x, const(name + "_s", scale),
                                                          const(name + "_z", zp)],
                                      [name + "_q"]))
        nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_s",
                                                            name + "_z"], [name]))
        return name

    def weight(name, q, scale, axis):
        nodes.append(helper.make_node(
            "DequantizeLinear", [const(name + "_q", q), const(name + "_s", scale),
                                 const(name + "_z", np.zeros_like(scale, np.int8))],
            [name], axis=axis))
        return name

    x = qdq("x", "xq", s_in, np.uint8(128))
    nodes.append(helper.make_node("Conv", [x, weight("w1", w1, s_w1, 0),
                                           const("b1", np_(conv1.bias))],
                                  ["c1"], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Relu", ["c1"], ["r1"]))
    h = qdq("r1", "a1", s_a1, np.uint8(0))
    nodes.append(helper.make_node("Conv", [h, weight("w2", w2, s_w2, 0),
                                           const("b2", np_(conv2.bias))],
                                  ["c2"], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Relu", ["c2"], ["r2"]))
    h = qdq("r2", "a2", s_a2, np.uint8(0))
    nodes.append(helper.make_node("MaxPool", [h], ["p"], kernel_shape=[4, 4],
                                  strides=[4, 4]))
    nodes.append(helper.make_node("Flatten", ["p"], ["f"]))
    nodes.append(helper.make_node("MatMul", ["f", weight("w3", w3, s_w3, 1)],
                                  ["m"]))
    nodes.append(helper.make_node("Add", ["m", const("b3", np_(fc.bias))], ["l"]))
    qdq("l", "y", s_out, np.int8(0))
    return nodes, ["y"]


def qop_model():
    nodes = []
    inits.clear()
    nodes.append(helper.make_node("QuantizeLinear", ["x", const("s_in", s_in),
                                                      const("z_in", np.uint8(128))],
                                  ["xq"]))
    b1 = np.round(np_(conv1.bias) / (s_in * s_w1)).astype(np.int32)
    nodes.append(helper.make_node(
        "QLinearConv", ["xq", "s_in", "z_in", const("w1", w1),
                        const("s_w1", s_w1), const("z_w1", np.int8(0)),
                        const("s_a1", s_a1), const("z_a1", np.uint8(0)),
                        const("b1", b1)], ["h1"], pads=[1, 1, 1, 1]))
    # A ReLU after a uint8 zero point 0 output is the saturation itself.
    b2 = np.round(np_(conv2.bias) / (s_a1 * s_w2)).astype(np.int32)
    nodes.append(helper.make_node(
        "QLinearConv", ["h1", "s_a1", "z_a1", const("w2", w2),
                        const("s_w2", s_w2), const("z_w2", np.zeros(16, np.int8)),
                        const("s_a2", s_a2), const("z_a2", np.uint8(0)),
                        const("b2", b2)], ["h2"], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("MaxPool", ["h2"], ["p"], kernel_shape=[4, 4],
                                  strides=[4, 4]))
    nodes.append(helper.make_node("Flatten", ["p"], ["f"]))
    # QLinearMatMul has per-tensor or per-column weight scales and no bias;
    # onnxruntime implements a uint8 output for uint8 data.
    nodes.append(helper.make_node(
        "QLinearMatMul", ["f", "s_a2", "z_a2", const("w3", w3),
                          const("s_w3", s_w3), const("z_w3", np.zeros(10, np.int8)),
                          const("s_out", s_out), const("z_out", np.uint8(128))],
        ["lq"]))
    nodes.append(helper.make_node("DequantizeLinear", ["lq", "s_out", "z_out"],
                                  ["l"]))
    # Side branch: ConvInteger on the quantized input (uint8, zero point
    # 128) with a uint8 weight (zero point 3), MatMulInteger after it.
    wi = rng.integers(0, 8, (2, 3, 4, 4)).astype(np.uint8)
    nodes.append(helper.make_node("ConvInteger", ["xq", const("wi", wi), "z_in",
                                                  const("z_wi", np.uint8(3))],
                                  ["ci"], strides=[4, 4]))
    nodes.append(helper.make_node("Cast", ["ci"], ["cf"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Flatten", ["cf"], ["cff"]))
    nodes.append(helper.make_node("Mul", ["cff", const("k", np.float32(1 / 64.0))],
                                  ["cs"]))
    nodes.append(helper.make_node("QuantizeLinear", ["cs", const("s_c", np.float32(0.5)),
                                                      const("z_c", np.uint8(100))],
                                  ["cq"]))
    wm = rng.integers(-8, 8, (32, 10)).astype(np.int8)
    nodes.append(helper.make_node("MatMulInteger", ["cq", const("wm", wm),
                                                    "z_c", const("z_wm", np.int8(1))],
                                  ["mi"]))
    nodes.append(helper.make_node("Cast", ["mi"], ["mf"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Mul", ["mf", const("k2", np.float32(1 / 256.0))],
                                  ["ms"]))
    nodes.append(helper.make_node("Add", ["l", "ms"], ["y"]))
    return nodes, ["y"]


def int_model():
    """Integer results alone, compared exactly: ConvInteger (uint8 data,
    zero point 128; uint8 weight, zero point 3) and MatMulInteger of its
    flattened result (int8 weight, zero point 1) of a DynamicQuantizeLinear
    of the input, as ISNet quantizes its activations."""
    nodes = []
    inits.clear()
    nodes.append(helper.make_node("QuantizeLinear", ["x", const("s_in", s_in),
                                                      const("z_in", np.uint8(128))],
                                  ["xq"]))
    wi = rng.integers(0, 8, (2, 3, 4, 4)).astype(np.uint8)
    nodes.append(helper.make_node("ConvInteger", ["xq", const("wi", wi), "z_in",
                                                  const("z_wi", np.uint8(3))],
                                  ["ci"], strides=[4, 4]))
    nodes.append(helper.make_node("Cast", ["ci"], ["conv"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("DynamicQuantizeLinear", ["x"],
                                  ["dq", "dq_s", "dq_z"]))
    nodes.append(helper.make_node("ConvInteger", ["dq", "wi", "dq_z",
                                                  "z_wi"], ["di"], strides=[4, 4]))
    nodes.append(helper.make_node("Cast", ["di"], ["dconv"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Flatten", ["dconv"], ["df"]))
    nodes.append(helper.make_node("Mul", ["df", const("k3", np.float32(1 / 256.0))],
                                  ["ds"]))
    nodes.append(helper.make_node("QuantizeLinear", ["ds", const("s_d", np.float32(0.5)),
                                                      const("z_d", np.uint8(100))],
                                  ["dsq"]))
    wm = rng.integers(-8, 8, (32, 10)).astype(np.int8)
    nodes.append(helper.make_node("MatMulInteger", ["dsq", const("wm", wm),
                                                    "z_d", const("z_wm", np.int8(1))],
                                  ["mi"]))
    nodes.append(helper.make_node("Cast", ["mi"], ["matmul"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Cast", ["dq"], ["dqf"], to=TensorProto.FLOAT))
    return nodes, ["conv", "matmul", "dqf"]


OUTPUT_SHAPES = {"conv": [2, 4, 4], "matmul": [10], "dqf": [3, 16, 16]}

status = 0
for kind, build in (("qdq", qdq_model), ("qop", qop_model), ("int", int_model)):
    nodes, outputs = build()
    graph = helper.make_graph(
        nodes, kind,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT,
                                       ["N"] + OUTPUT_SHAPES.get(o, [10]))
         for o in outputs], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    path = os.path.join(out, kind + ".onnx")
    onnx.save(model, path)
    ops = sorted({n.op_type for n in nodes})
    print(f"{kind} ops:", " ".join(ops))
    for batch in (1, 2):
        d = os.path.join(out, f"{kind}{batch}")
        os.makedirs(d, exist_ok=True)
        x = rng.normal(0.0, 1.0, (batch, 3, 16, 16)).astype(np.float32)
        inputs = [write_input(os.path.join(d, "input_0.pb"), x, "x")]
        # ConvInteger and MatMulInteger are integer arithmetic in
        # onnxruntime: rebocc's results must be the same integers.
        exact = kind == "int"
        status |= cross_check(src, rebocc, path, inputs, d, 0,
                              0 if exact else 0.05, f"{kind} batch {batch}",
                              fixed_range_tol=None if exact else 2e-2,
                              # DynamicQuantizeLinear's range spans the batch.
                              rebocc_flags=[f"--input-shape=x={batch}x3x16x16"]
                              if exact else [])
        if batch == 1:
            batch1 = inputs
    # The same nodes as opsets 19 and 21 (QuantizeLinear and
    # DequantizeLinear changed there, their defaults the opset-13 meaning),
    # on the batch-1 input; the QOperator and integer models, whose other
    # operators did not change, at 21 only.
    for opset in (19, 21) if kind == "qdq" else (21,):
        model.opset_import[0].version = opset
        model.ir_version = 10 if opset >= 21 else 9
        newer = os.path.join(out, f"{kind}-opset{opset}.onnx")
        onnx.save(model, newer)
        d = os.path.join(out, f"{kind}-opset{opset}")
        status |= cross_check(src, rebocc, newer, batch1, d, 0,
                              0 if exact else 0.05,
                              f"{kind} opset {opset} batch 1",
                              fixed_range_tol=None if exact else 2e-2,
                              rebocc_flags=["--input-shape=x=1x3x16x16"]
                              if exact else [])
    if kind == "int":
        continue
    # The program holds each layer's own weight bit width.
    program = subprocess.run([rebocc, path, "--emit=program"], check=True,
                             capture_output=True, text=True).stdout
    print(f"{kind} program:", " ".join(
        line.split()[2] + " " + " ".join(w for w in line.split()
                                         if w.startswith(("weight_bits=",
                                                          "input_bits=")))
        for line in program.splitlines() if line.startswith("layer @")))


def with_codes(build, codes):
    """The model of `build` whose outputs are its quantized tensors `codes`
    (cast to float: onnxruntime's integers, compared exactly)."""
    def model():
        nodes, _ = build()
        for c in codes:
            nodes.append(helper.make_node("Cast", [c], [c + "_f"],
                                          to=TensorProto.FLOAT))
        return nodes, [c + "_f" for c in codes]
    return model


# The integer outputs of the quantized layers (QuantizeLinear after a QDQ
# Conv or MatMul; QLinearConv, QLinearMatMul), per mode: how many codes
# differ from onnxruntime's and by how much at most. Each layer reads its
# input's codes as they are, so the integer product is exact and only the
# float requantization can move a code; --bit-sliced (the cells, read bit
# by bit through the ADC) must write the exact path's outputs byte for byte.
OUTPUT_SHAPES.update({"a1_q_f": [8, 16, 16], "a2_q_f": [16, 16, 16],
                      "y_q_f": [10], "h1_f": [8, 16, 16], "h2_f": [16, 16, 16],
                      "lq_f": [10]})
for kind, build in (("qdqcodes", with_codes(qdq_model, ["a1_q", "a2_q", "y_q"])),
                    ("qopcodes", with_codes(qop_model, ["h1", "h2", "lq"]))):
    nodes, outputs = build()
    graph = helper.make_graph(
        nodes, kind,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT,
                                       ["N"] + OUTPUT_SHAPES[o])
         for o in outputs], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    path = os.path.join(out, kind + ".onnx")
    onnx.save(model, path)
    d = os.path.join(out, kind)
    os.makedirs(d, exist_ok=True)
    x = rng.normal(0.0, 1.0, (4, 3, 16, 16)).astype(np.float32)
    inp = write_input(os.path.join(d, "input_0.pb"), x, "x")
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    "--input", inp, "--output-dir", os.path.join(d, "ort")],
                   check=True)
    program = os.path.join(d, kind + ".rbp")
    subprocess.run([rebocc, path, "-o", program], check=True)
    sim = os.path.join(os.path.dirname(rebocc), "rebocc-sim")
    for mode, flags in (("float", ["--float-reference"]), ("fixed", []),
                        ("bitsliced", ["--bit-sliced"])):
        run = ([sim, program, "--no-cost", *flags] if mode == "bitsliced" else
               [rebocc, path, "--run", *flags])
        subprocess.run([*run, "--input", inp, "--output-dir",
                        os.path.join(d, mode)], check=True,
                       stdout=subprocess.DEVNULL)
        report = []
        for i, o in enumerate(outputs):
            name = f"output_{i}.pb"
            want = read_tensor(os.path.join(d, "ort", name))
            got = read_tensor(os.path.join(d, mode, name))
            diff = np.abs(got.astype(np.float64) - want)
            report.append(f"{o[:-2]} {int((diff > 0).sum())}/{diff.size} "
                          f"differ, max {diff.max():g}")
        print(f"{kind} {mode}: " + "; ".join(report))
    same = all(open(os.path.join(d, "fixed", f"output_{i}.pb"), "rb").read() ==
               open(os.path.join(d, "bitsliced", f"output_{i}.pb"), "rb").read()
               for i in range(len(outputs)))
    print(f"{kind} bit-sliced equals exact: {same}")
    # Fixed point on the cells adds nothing to the float reference.
    agree = all(open(os.path.join(d, "fixed", f"output_{i}.pb"), "rb").read() ==
                open(os.path.join(d, "float", f"output_{i}.pb"), "rb").read()
                for i in range(len(outputs)))
    print(f"{kind} fixed equals float reference: {agree}")
    status |= 0 if same and agree else 1

# The int8 weights on an 8-bit weight chip (--hw-set weight_bits=8): 4
# slices of 2-bit cells per weight instead of 8, the same outputs within the
# fixed-point tolerance. The report's cells per layer show the slices.
d = os.path.join(out, "qdq1")
for bits in (16, 8):
    folder = os.path.join(d, f"w{bits}")
    report = os.path.join(d, f"w{bits}.json")
    subprocess.run([rebocc, os.path.join(out, "qdq.onnx"), "--run",
                    "--hw-set", f"weight_bits={bits}", "--input",
                    os.path.join(d, "input_0.pb"), "--output-dir", folder,
                    "--report", report], check=True, stdout=subprocess.DEVNULL)
    layers = json.load(open(report))["layers"]
    print(f"weight_bits={bits}:", ", ".join(
        f"{layer['name']} {layer['occupied_cells']} cells "
        f"{layer['adc_conversions']} adc" for layer in layers))
    # Each layer's reads: its own input_bits (9) or the chip's 16.
    print(f"weight_bits={bits} reads:", ", ".join(
        f"{c['name']} crossbar {c['stages']['crossbar']:.6g} s "
        f"adc {c['energy_j']['dynamic_by_component']['adc']:.6g} J"
        for c in json.load(open(report))["cost"]["layers"]
        if c["kind"] == "crossbar"))
    print(f"== qdq weight_bits={bits} fixed", flush=True)
    status |= subprocess.call(
        [sys.executable, os.path.join(src, "scripts/compare_outputs.py"),
         "--expected", os.path.join(d, "ort"), "--actual", folder,
         "--rtol", "0", "--atol", "0", "--range-tol", "2e-2"])
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
