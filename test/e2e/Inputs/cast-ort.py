"""Cast of run-time float32 data to every integer type and to FLOAT16 and
BFLOAT16 against onnxruntime-node (issue 12; test/e2e/cast-ort.test).

One model, three float32 inputs, one Cast per output:
  x -> INT8, UINT8, INT16, UINT16, INT32, INT64, FLOAT16, and BFLOAT16 then
       FLOAT (ort_run.js cannot write bfloat16; widening is exact);
  u -> UINT32, v -> UINT64, each on inputs whose results float32 holds
       exactly (rebocc carries values as float32 and stops on any other:
       cast-inexact.test).
The inputs hit every edge docs/SupportedOps.md lists: negative fractions
(truncation toward zero), 300 / -129 / 70000.7 (low bits), NaN and
infinities, values past 2^31 and 2^63, 65504 / 65519.99 / 65520 (FLOAT16's
largest and the first value that rounds to infinity), FLOAT16 and BFLOAT16
ties (to even), FLOAT16 subnormals and their ties, float32 subnormals.
Every tensor has a multiple of 4 elements: onnxruntime's UINT32 Cast gives
position-dependent results for NaN, -inf and out-of-range inputs (its
vectorized body and its scalar tail differ; docs/SupportedOps.md), and the
vectorized body, whose results rebocc gives, covers all of them then.

rebocc --run (float reference and fixed point) must write every output with
onnxruntime's element type and shape and the same values bit for bit (NaN
where it has NaN). The model is written at opsets 17, 19 (Cast gained
`saturate`, which only float8 targets read) and 21 (4-bit types): the same
nodes at each.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import finish, read_tensor, script_args, write_inputs  # noqa: E402

NAN, INF = float("nan"), float("inf")

X = [-0.5, -1.5, -2.5, 0.5, 1.5, 2.5, -0.9999, 1.99, -1.99,
     127, 128, 255, 256, 300, -129, -200, -128,
     32767, 32768, 65535, 65536, 70000.7, -70000.7, -32769,
     2147483520, 2147483648, -2147483648, -3e9, 3e9, 9.3e18, -9.3e18, 1e20,
     -3.4028235e38, NAN, INF, -INF,
     65504, 65519.99, 65520, -65520,
     2.9802322e-08, 2.9802326e-08, 8.940697e-08, 5.9604645e-08,
     1.00048828125, 1.00146484375, 1.00390625, 1.01171875, 1.9921875,
     1e-40, -1e-40, 1e-45, -0.0, 16777217, 33554436, 4294967296]
U = [0, 1.5, 255.9, -0.5, 2147483520, 2147483648, 3e9, 4294967040,
     4294967296, 5e9, -256, -2147483648, -3e9, -2147483904, 9.3e18, 1e20,
     NAN, INF, -INF, -1e20]
V = [0, 1.5, 255.9, -0.5, 3e9, 9.223371e18, 9.223372e18, 1e19,
     1.8446743e19, 2e19, 1e20, -1099511627776, -9.223372e18, -1e19,
     NAN, INF, -INF, -3.4028235e38, 16777217, 1e-40]

OUTPUTS = [("x", "INT8", T.INT8), ("x", "UINT8", T.UINT8),
           ("x", "INT16", T.INT16), ("x", "UINT16", T.UINT16),
           ("x", "INT32", T.INT32), ("x", "INT64", T.INT64),
           ("x", "FLOAT16", T.FLOAT16), ("u", "UINT32", T.UINT32),
           ("v", "UINT64", T.UINT64)]


def model(path, opset):
    nodes, outputs = [], []
    size = {"x": len(X), "u": len(U), "v": len(V)}
    for source, name, to in OUTPUTS:
        nodes.append(helper.make_node("Cast", [source], [name], to=to))
        outputs.append(helper.make_tensor_value_info(name, to, [size[source]]))
    nodes.append(helper.make_node("Cast", ["x"], ["bf16"], to=T.BFLOAT16))
    nodes.append(helper.make_node("Cast", ["bf16"], ["BFLOAT16"], to=T.FLOAT))
    outputs.append(helper.make_tensor_value_info("BFLOAT16", T.FLOAT, [len(X)]))
    inputs = [helper.make_tensor_value_info(n, T.FLOAT, [len(vals)])
              for n, vals in (("x", X), ("u", U), ("v", V))]
    graph = helper.make_graph(nodes, "cast", inputs, outputs)
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = {17: 8, 19: 9, 21: 10}[opset]
    if opset <= onnx.defs.onnx_opset_version():  # onnx 1.12 knows up to 17
        onnx.checker.check_model(m)
    onnx.save(m, path)


def same(expected, actual):
    """Equal type, shape and values (bit for bit; NaN where NaN)."""
    if expected.dtype != actual.dtype or expected.shape != actual.shape:
        return f"{actual.dtype}{list(actual.shape)} != {expected.dtype}{list(expected.shape)}"
    if expected.dtype.kind == "f":
        nan = np.isnan(expected)
        if not np.array_equal(nan, np.isnan(actual)):
            return "NaN positions differ"
        bits = {2: np.uint16, 4: np.uint32}[expected.dtype.itemsize]
        bad = np.nonzero(expected[~nan].view(bits) != actual[~nan].view(bits))[0]
    else:
        bad = np.nonzero(expected != actual)[0]
    if bad.size:
        i = bad[0]
        return f"{bad.size} values differ, first {actual.flat[i]!r} != {expected.flat[i]!r}"
    return None


def uint32_tail(src, out):
    """onnxruntime's UINT32 Cast of five -3e9: the vectorized body (the
    first four) and the scalar tail (the fifth) differ, as
    docs/SupportedOps.md says; printed so the test notices a change."""
    path = os.path.join(out, "tail.onnx")
    graph = helper.make_graph(
        [helper.make_node("Cast", ["t"], ["y"], to=T.UINT32)], "tail",
        [helper.make_tensor_value_info("t", T.FLOAT, [5])],
        [helper.make_tensor_value_info("y", T.UINT32, [5])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, path)
    inputs = write_inputs(os.path.join(out, "tail-in"),
                          {"t": np.full(5, -3e9, np.float32)})
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    "--input", inputs[0], "--output-dir",
                    os.path.join(out, "tail-ort")], check=True)
    y = read_tensor(os.path.join(out, "tail-ort", "output_0.pb"))
    print("onnxruntime UINT32 of five -3e9:", " ".join(str(v) for v in y))


def main():
    src, rebocc, out = script_args()
    uint32_tail(src, out)
    for values in (X, U, V):
        assert len(values) % 4 == 0, len(values)
    status = 0
    for opset in (17, 19, 21):
        status |= check(src, rebocc, out, opset)
    finish(status)


def check(src, rebocc, out, opset):
    """Runs the model of `opset` (opset 17 in OUT_DIR itself, others in
    OUT_DIR/opsetN) with onnxruntime and rebocc; 0 when all are identical."""
    out = out if opset == 17 else os.path.join(out, f"opset{opset}")
    path = os.path.join(out, "cast.onnx")
    os.makedirs(out, exist_ok=True)
    model(path, opset)
    inputs = write_inputs(os.path.join(out, "in"), {
        n: np.array(vals, np.float32) for n, vals in (("x", X), ("u", U), ("v", V))})
    args = [a for p in inputs for a in ("--input", p)]
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    *args, "--output-dir", os.path.join(out, "ort")], check=True)
    status = 0
    names = [name for _, name, _ in OUTPUTS] + ["BFLOAT16"]
    for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
        folder = os.path.join(out, mode)
        subprocess.run([rebocc, path, "--run", *flags, *args,
                        "--output-dir", folder], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"== opset {opset} {mode}")
        for i, name in enumerate(names):
            expected = read_tensor(os.path.join(out, "ort", f"output_{i}.pb"))
            actual = read_tensor(os.path.join(folder, f"output_{i}.pb"))
            problem = same(expected, actual)
            status |= problem is not None
            print(f"{name} {expected.dtype}: {problem or 'identical'}")
    return status


if __name__ == "__main__":
    main()
