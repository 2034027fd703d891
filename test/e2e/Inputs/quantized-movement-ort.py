#!/usr/bin/python3
"""QDQ activations reaching an integer-weight layer through data movement,
bit for bit against onnxruntime-node.

  quantized-movement-ort.py REBOCC_SRC REBOCC OUT_DIR

Two opset-13 models (onnx.helper), every scale a power of two so that
onnxruntime's float32 arithmetic on the dequantized values is exact (each
product code_x * code_w * 2^-k is exact, and the sums stay below 2^24
steps): its outputs are then the exact values, and rebocc must write the
same bits in float reference, in fixed point and on the bit-sliced cells.

  pool  QuantizeLinear (uint8, zero point 128) -> DequantizeLinear ->
        MaxPool -> Flatten -> Gemm (transB; int8 weight through
        DequantizeLinear, float bias); outputs the Gemm, its QuantizeLinear
        (int8, cast to float) and the MaxPool (a second reader of the pooled
        values).
  move  two DequantizeLinear of one scale (uint8 zero point 100, int8
        zero point -7): Transpose, Reshape, Slice, Unsqueeze, Squeeze and a
        Pad with 0 on one, Flatten and Split on the other, a Concat of the
        three pieces and a Gather of 48 of its columns, then a Gemm with
        per-column int8 weights. onnxruntime runs it at its basic
        graph optimization level (see below).

Both models also run as opsets 19 and 21 (batch 1): QuantizeLinear and
DequantizeLinear gained `saturate` and float8 types at 19 and `block_size`,
`output_dtype` and 4-bit types at 21, all with the opset-13 behaviour by
default, so the nodes are the same.

Each Gemm reads the model's codes (input_bits=9 on its program
line); before, it re-quantized them with rebocc's own 16-bit scale, which
is not exact in fixed point.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (batched_graph, cross_check, finish, script_args,  # noqa: E402
                             write_input)

src, rebocc, out = script_args()
rng = np.random.default_rng(12)
inits = []


def const(name, value):
    inits.append(numpy_helper.from_array(np.asarray(value), name))
    return name


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def qdq(nodes, x, name, scale, zp):
    """x -> QuantizeLinear -> DequantizeLinear, the output named `name`."""
    s, z = const(name + "_s", np.float32(scale)), const(name + "_z", zp)
    nodes.append(node("QuantizeLinear", [x, s, z], [name + "_q"]))
    nodes.append(node("DequantizeLinear", [name + "_q", s, z], [name]))
    return name


def weight(nodes, name, shape, scale, axis):
    """An int8 weight in [-127, 127] through DequantizeLinear."""
    q = rng.integers(-127, 128, shape).astype(np.int8)
    scale = np.asarray(scale, np.float32)
    nodes.append(node("DequantizeLinear",
                      [const(name + "_q", q), const(name + "_s", scale),
                       const(name + "_z", np.zeros(scale.shape, np.int8))],
                      [name], axis=axis))
    return name


def bias(name, n):
    """Multiples of 2^-8, so the sum with the product stays exact."""
    return const(name, (rng.integers(-512, 512, n) / 256.0).astype(np.float32))


def pool_model():
    nodes = []
    d = qdq(nodes, "x", "d", 2.0 ** -3, np.uint8(128))
    nodes.append(node("MaxPool", [d], ["p"], kernel_shape=[2, 2],
                      strides=[2, 2]))
    nodes.append(node("Flatten", ["p"], ["f"]))
    w = weight(nodes, "w", (5, 32), 2.0 ** -5, 0)
    nodes.append(node("Gemm", ["f", w, bias("b", 5)], ["y"], transB=1))
    nodes.append(node("QuantizeLinear", ["y", const("ys", np.float32(4.0)),
                                         const("yz", np.int8(0))], ["yq"]))
    nodes.append(node("Cast", ["yq"], ["yqf"], to=TensorProto.FLOAT))
    outputs = [("y", [5]), ("yqf", [5]), ("p", [2, 4, 4])]
    return nodes, [2, 8, 8], outputs


def move_model():
    nodes = []
    d = qdq(nodes, "x", "d", 0.25, np.uint8(100))
    d2 = qdq(nodes, "x", "d2", 0.25, np.int8(-7))
    axes = const("axes", np.array([1], np.int64))
    nodes += [
        node("Transpose", [d], ["t"], perm=[0, 2, 3, 1]),
        node("Reshape", ["t", const("shape", np.array([0, 32], np.int64))],
             ["r"]),
        node("Slice", ["r", const("starts", np.array([3], np.int64)),
                       const("ends", np.array([27], np.int64)), axes], ["sl"]),
        node("Unsqueeze", ["sl", axes], ["u"]),
        node("Squeeze", ["u", axes], ["v"]),
        node("Pad", ["v", const("pads", np.array([0, 2, 0, 2], np.int64))],
             ["pd"]),
        node("Flatten", [d2], ["f2"]),
        node("Split", ["f2", const("split", np.array([16, 16], np.int64))],
             ["h1", "h2"], axis=1),
        node("Concat", ["pd", "h2", "h1"], ["c"], axis=1),
        node("Gather", ["c", const("idx", rng.permutation(60)[:48])], ["g"],
             axis=1),
    ]
    scales = 2.0 ** -rng.integers(3, 7, 6)
    w = weight(nodes, "w", (48, 6), scales, 1)
    nodes.append(node("Gemm", ["g", w, bias("b", 6)], ["y"]))
    return nodes, [2, 4, 4], [("y", [6])]


def check(model, kind, opset, in_shape, outputs):
    """Cross-checks `model` as `opset`: batches 1 and 2 at 13, 1 above."""
    status = 0
    model.opset_import[0].version = opset
    model.ir_version = {13: 8, 19: 9, 21: 10}[opset]
    name = kind if opset == 13 else f"{kind}-opset{opset}"
    path = os.path.join(out, name + ".onnx")
    onnx.save(model, path)
    program = subprocess.run([rebocc, path, "--emit=program"], check=True,
                             capture_output=True, text=True).stdout
    print(f"{name} program:", " ".join(
        " ".join(w for w in line.split()
                 if w.startswith(("name=", "weight_bits=", "input_bits=")))
        for line in program.splitlines() if line.startswith("layer @")))
    for batch in (1, 2) if opset == 13 else (1,):
        folder = os.path.join(out, f"{name}{batch}")
        os.makedirs(folder, exist_ok=True)
        # Codes across the whole uint8 range, some clipped.
        x = rng.normal(0.0, 12.0, [batch] + in_shape).astype(np.float32)
        inputs = [write_input(os.path.join(folder, "input_0.pb"), x, "x")]
        # onnxruntime's extended graph optimizations run the move model's
        # Gemm in a kernel that quantizes its float input anew (its outputs
        # then miss the exact values by up to 7 %); its basic level computes
        # the graph as the specification says, exactly here.
        os.environ["ORT_GRAPH_OPTIMIZATION_LEVEL"] = (
            "basic" if kind == "move" else "all")
        status |= cross_check(src, rebocc, path, inputs, folder, 0, 0,
                              f"{name} batch {batch}")
        # The cells read bit by bit through the ADC write the same bytes
        # (what follows the import; once, at opset 13, is enough).
        if opset != 13:
            continue
        rbp = os.path.join(folder, kind + ".rbp")
        subprocess.run([rebocc, path, "-o", rbp], check=True)
        sim = os.path.join(os.path.dirname(rebocc), "rebocc-sim")
        subprocess.run([sim, rbp, "--no-cost", "--bit-sliced", "--input",
                        inputs[0], "--output-dir",
                        os.path.join(folder, "bitsliced")], check=True,
                       stdout=subprocess.DEVNULL)
        same = all(
            open(os.path.join(folder, "fixed", f"output_{i}.pb"), "rb").read()
            == open(os.path.join(folder, "bitsliced", f"output_{i}.pb"),
                    "rb").read() for i in range(len(outputs)))
        print(f"{name} batch {batch} bit-sliced equals fixed: {same}",
              flush=True)
        status |= 0 if same else 1
    return status


status = 0
for kind, build in (("pool", pool_model), ("move", move_model)):
    inits.clear()
    nodes, in_shape, outputs = build()
    graph = batched_graph(nodes, kind, in_shape, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    print(f"{kind} ops:", " ".join(sorted({n.op_type for n in nodes})))
    for opset in (13, 19, 21):
        status |= check(model, kind, opset, in_shape, outputs)
finish(status)
