#!/usr/bin/python3
"""Cross-check a model with dynamic dims, a shape subgraph and an If on a
flag, compiled with --input-shape / --dim / --freeze-input, against
onnxruntime-node.

  dynamic-shapes-ort.py REBOCC_SRC REBOCC OUT_DIR

The model (opset 13) is OCR-like: an image X [N, 1, height, width] goes
through Conv (4 channels, 3x3, pad 1) + Relu + MaxPool 2x2, then the columns
become a sequence: Reshape to [N, C * H', W'] with the target computed by
Shape -> Gather -> Mul -> Concat (it folds only once height is known), and
Transpose to [N, W', C * H']. A bool input `flag` picks the head through an
If: then_branch scales and shifts the sequence (outer-scope X-derived data and
outer constants), else_branch takes its sigmoid. A second input S [N, seq]
(symbol seq) gets a Relu (Z), and a float input G [1] a run-time If: G > 0
picks 2 * Z, else -S (V).

Two configurations, each run by onnxruntime on the dynamic model (the flag
fed as an input) and by rebocc --run in float reference and fixed point:
  static:  --input-shape X=2x1x8x12 --input-shape S=2x5, flag frozen true,
           G = 0.5;
  dynamic: --dim height=6 --dim width=10 --dim seq=3, flag frozen false,
           batch 3 left to the run, G = -0.5.
Both configurations also run the same nodes as opsets 18 and 21 (If,
Reshape, Shape and Transpose only gained element types there).
Float reference within rtol 1e-5 / atol 1e-5 (float32, same operations);
fixed point within 2e-2 of the output's largest magnitude (the crossbar conv
is 16-bit fixed point), checked as atol 2e-2 * max|expected| by this script.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

src, rebocc, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)

N = helper.make_node
C = lambda name, value: numpy_helper.from_array(value, name)
i64 = lambda *v: np.array(v, np.int64)
SEQ = ["N", "columns", "features"]  # the If's output: [N, W', C * H']
then_branch = helper.make_graph(
    [N("Mul", ["seq", "scale"], ["scaled"]),
     N("Add", ["scaled", "shift"], ["head_t"])],
    "then", [], [helper.make_tensor_value_info("head_t", TensorProto.FLOAT, SEQ)])
else_branch = helper.make_graph(
    [N("Sigmoid", ["seq"], ["head_e"])],
    "else", [], [helper.make_tensor_value_info("head_e", TensorProto.FLOAT, SEQ)])
# A run-time condition: G > 0 picks 2 * relu(S) or -S.
gate_then = helper.make_graph(
    [N("Mul", ["Z", "two"], ["v_t"])], "gate_then", [],
    [helper.make_tensor_value_info("v_t", TensorProto.FLOAT, ["N", "seq"])])
gate_else = helper.make_graph(
    [N("Neg", ["S"], ["v_e"])], "gate_else", [],
    [helper.make_tensor_value_info("v_e", TensorProto.FLOAT, ["N", "seq"])])
nodes = [
    N("Conv", ["X", "W", "B"], ["conv"], pads=[1, 1, 1, 1]),
    N("Relu", ["conv"], ["relu"]),
    N("MaxPool", ["relu"], ["pool"], kernel_shape=[2, 2], strides=[2, 2]),
    N("Shape", ["pool"], ["shape"]),
    N("Gather", ["shape", "i0"], ["n"], axis=0),
    N("Gather", ["shape", "i1"], ["c"], axis=0),
    N("Gather", ["shape", "i2"], ["h"], axis=0),
    N("Gather", ["shape", "i3"], ["w"], axis=0),
    N("Mul", ["c", "h"], ["ch"]),
    N("Concat", ["n", "ch", "w"], ["target"], axis=0),
    N("Reshape", ["pool", "target"], ["columns"]),
    N("Transpose", ["columns"], ["seq"], perm=[0, 2, 1]),
    N("If", ["flag"], ["Y"], then_branch=then_branch, else_branch=else_branch),
    N("Relu", ["S"], ["Z"]),
    N("Greater", ["G", "zero"], ["gate"]),
    N("If", ["gate"], ["V"], then_branch=gate_then, else_branch=gate_else),
]
graph = helper.make_graph(
    nodes, "ocr_like",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 1, "height", "width"]),
     helper.make_tensor_value_info("flag", TensorProto.BOOL, []),
     helper.make_tensor_value_info("S", TensorProto.FLOAT, ["N", "seq"]),
     helper.make_tensor_value_info("G", TensorProto.FLOAT, [1])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, SEQ),
     helper.make_tensor_value_info("Z", TensorProto.FLOAT, ["N", "seq"]),
     helper.make_tensor_value_info("V", TensorProto.FLOAT, ["N", "seq"])],
    initializer=[
        C("W", rng.normal(0, 0.5, (4, 1, 3, 3)).astype(np.float32)),
        C("B", rng.normal(0, 0.1, (4,)).astype(np.float32)),
        C("i0", i64(0)), C("i1", i64(1)), C("i2", i64(2)), C("i3", i64(3)),
        C("scale", np.array(0.5, np.float32)),
        C("shift", np.array(-0.25, np.float32)),
        C("zero", np.array(0.0, np.float32)),
        C("two", np.array(2.0, np.float32)),
    ])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
paths = {}
for opset in (13, 18, 21):
    model.opset_import[0].version = opset
    model.ir_version = 10 if opset >= 21 else 8
    paths[opset] = os.path.join(
        out, "model.onnx" if opset == 13 else f"model{opset}.onnx")
    onnx.save(model, paths[opset])


def write(path, array, name):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())


def compare(expected_dir, actual_dir, fixed):
    ok = True
    for name in ("output_0.pb", "output_1.pb", "output_2.pb"):
        e = numpy_helper.to_array(onnx.load_tensor(os.path.join(expected_dir, name)))
        a = numpy_helper.to_array(onnx.load_tensor(os.path.join(actual_dir, name)))
        if e.shape != a.shape:
            print(f"{name}: shape {a.shape} != {e.shape}")
            ok = False
            continue
        atol = 2e-2 * float(np.abs(e).max()) if fixed else 1e-5
        rtol = 0.0 if fixed else 1e-5
        err = float(np.abs(a - e).max())
        good = bool(np.allclose(a, e, rtol=rtol, atol=atol))
        print(f"{name} {list(e.shape)}: max abs error {err:.3g}, "
              f"atol {atol:.3g}: {'OK' if good else 'MISMATCH'}")
        ok &= good
    return ok


def check(path, folder, inputs, label, flags):
    """Runs `path` in onnxruntime and rebocc on the inputs in `inputs`;
    0 when every output matches."""
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    "--input", os.path.join(inputs, "x.pb"),
                    "--input", os.path.join(inputs, "flag.pb"),
                    "--input", os.path.join(inputs, "s.pb"),
                    "--input", os.path.join(inputs, "g.pb"),
                    "--output-dir", os.path.join(folder, "ort")], check=True)
    status = 0
    for mode, extra in (("float", ["--float-reference"]), ("fixed", [])):
        actual = os.path.join(folder, mode)
        subprocess.run([rebocc, path, *flags,
                        "--freeze-input",
                        "flag=" + os.path.join(inputs, "flag.pb"),
                        "--run", *extra,
                        "--input", os.path.join(inputs, "x.pb"),
                        "--input", os.path.join(inputs, "s.pb"),
                        "--input", os.path.join(inputs, "g.pb"),
                        "--output-dir", actual], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"== {label} {mode}", flush=True)
        if not compare(os.path.join(folder, "ort"), actual, mode == "fixed"):
            status = 1
    return status


configs = [
    ("static", 2, 8, 12, 5, True, 0.5,
     ["--input-shape", "X=2x1x8x12", "--input-shape", "S=2x5"]),
    ("dynamic", 3, 6, 10, 3, False, -0.5,
     ["--dim", "height=6", "--dim", "width=10", "--dim", "seq=3"]),
]
status = 0
for name, batch, height, width, seq, flag, gate, flags in configs:
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    x = rng.normal(0, 1, (batch, 1, height, width)).astype(np.float32)
    s = rng.normal(0, 1, (batch, seq)).astype(np.float32)
    write(os.path.join(d, "x.pb"), x, "X")
    write(os.path.join(d, "s.pb"), s, "S")
    write(os.path.join(d, "flag.pb"), np.array(flag), "flag")
    write(os.path.join(d, "g.pb"), np.array([gate], np.float32), "G")
    for opset, path in paths.items():
        status |= check(path, d if opset == 13 else os.path.join(d, str(opset)),
                        d, name if opset == 13 else f"{name} opset {opset}",
                        flags)
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
