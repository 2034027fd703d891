"""DOUBLE carried as float32 against onnxruntime-node (issue 12;
test/e2e/cast-double-ort.test).

Two models at opsets 17 and 21:
  widen: float32 inputs x, u, v; d = Cast(x, DOUBLE) is a graph output and
         goes through Reshape, Transpose, Slice, Gather, Concat (with a
         DOUBLE constant of float32 values) and Identity to DOUBLE outputs,
         and through Cast to INT8 ... INT64, FLOAT16, BOOL and FLOAT (and
         BFLOAT16 then FLOAT: ort_run.js cannot write bfloat16); u and v
         go through DOUBLE to UINT32 and UINT64.
  input: the DOUBLE input dx (x's values, widened exactly) cast to the same
         types, and reshaped to a DOUBLE output.
x, u and v are cast-ort.py's inputs, which hit truncation, NaN, infinities,
out-of-range values, the low bits of narrow types, half-precision ties and
subnormals. A Cast of float32 data widened to DOUBLE gives what the Cast of
the float32 data gives (measured with onnxruntime, docs/SupportedOps.md),
so rebocc's results are its Casts of float32 data. Every output must have
onnxruntime's element type and shape and the same values bit for bit, in
the float reference and in fixed point.
"""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ort_cross_check import (finish, model_at_opset, read_tensor,  # noqa: E402
                             script_args, write_inputs)

_spec = importlib.util.spec_from_file_location(
    "cast_ort", os.path.join(HERE, "cast-ort.py"))
cast_ort = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cast_ort)
X, U, V = cast_ort.X, cast_ort.U, cast_ort.V

TARGETS = [("INT8", T.INT8), ("UINT8", T.UINT8), ("INT16", T.INT16),
           ("UINT16", T.UINT16), ("INT32", T.INT32), ("INT64", T.INT64),
           ("FLOAT16", T.FLOAT16), ("BOOL", T.BOOL), ("FLOAT", T.FLOAT)]


def casts(source, prefix, n):
    """Cast of `source` to every target, BFLOAT16 through FLOAT."""
    nodes, outputs = [], []
    for name, to in TARGETS:
        nodes.append(helper.make_node("Cast", [source], [prefix + name], to=to))
        outputs.append(helper.make_tensor_value_info(prefix + name, to, [n]))
    nodes += [helper.make_node("Cast", [source], [prefix + "bf"], to=T.BFLOAT16),
              helper.make_node("Cast", [prefix + "bf"], [prefix + "BFLOAT16"],
                               to=T.FLOAT)]
    outputs.append(helper.make_tensor_value_info(prefix + "BFLOAT16", T.FLOAT,
                                                 [n]))
    return nodes, outputs


def widen_model(path, opset):
    n = len(X)
    nodes, outputs = casts("d", "", n)
    nodes = [helper.make_node("Cast", ["x"], ["d"], to=T.DOUBLE)] + nodes
    outputs.insert(0, helper.make_tensor_value_info("d", T.DOUBLE, [n]))
    nodes += [
        helper.make_node("Reshape", ["d", "rows"], ["r"]),
        helper.make_node("Transpose", ["r"], ["t"], perm=[1, 0]),
        helper.make_node("Slice", ["t", "starts", "ends"], ["moved"]),
        helper.make_node("Gather", ["d", "picks"], ["picked"], axis=0),
        helper.make_node("Concat", ["d", "tail"], ["joined"], axis=0),
        helper.make_node("Identity", ["joined"], ["same"]),
    ]
    outputs += [helper.make_tensor_value_info("moved", T.DOUBLE, [n // 4, 3]),
                helper.make_tensor_value_info("picked", T.DOUBLE, [4]),
                helper.make_tensor_value_info("same", T.DOUBLE, [n + 4])]
    for source, name, to in (("u", "UINT32", T.UINT32),
                             ("v", "UINT64", T.UINT64)):
        nodes += [helper.make_node("Cast", [source], [source + "d"], to=T.DOUBLE),
                  helper.make_node("Cast", [source + "d"], [name], to=to)]
        outputs.append(helper.make_tensor_value_info(name, to, [len(U)]))
    inits = [numpy_helper.from_array(np.array([4, n // 4], np.int64), "rows"),
             numpy_helper.from_array(np.array([0, 1], np.int64), "starts"),
             numpy_helper.from_array(np.array([n // 4, 4], np.int64), "ends"),
             numpy_helper.from_array(np.array([3, 0, 33, 3], np.int64), "picks"),
             # float32 values as DOUBLE: carried exactly.
             numpy_helper.from_array(
                 np.array([0.1, -2.5, 1e30, 3e-40], np.float32)
                 .astype(np.float64), "tail")]
    inputs = [helper.make_tensor_value_info(name, T.FLOAT, [len(vals)])
              for name, vals in (("x", X), ("u", U), ("v", V))]
    save(helper.make_graph(nodes, "widen", inputs, outputs, inits), path, opset)


def input_model(path, opset):
    n = len(X)
    nodes, outputs = casts("dx", "in_", n)
    nodes.append(helper.make_node("Reshape", ["dx", "rows"], ["dr"]))
    outputs.append(helper.make_tensor_value_info("dr", T.DOUBLE, [4, n // 4]))
    inits = [numpy_helper.from_array(np.array([4, n // 4], np.int64), "rows")]
    save(helper.make_graph(
        nodes, "input", [helper.make_tensor_value_info("dx", T.DOUBLE, [n])],
        outputs, inits), path, opset)


def save(graph, path, opset):
    m = model_at_opset(graph, opset)
    if opset <= onnx.defs.onnx_opset_version():
        onnx.checker.check_model(m)
    onnx.save(m, path)


def same(expected, actual):
    """Equal type, shape and bits (NaN where NaN)."""
    if expected.dtype != actual.dtype or expected.shape != actual.shape:
        return (f"{actual.dtype}{list(actual.shape)} != "
                f"{expected.dtype}{list(expected.shape)}")
    if expected.dtype.kind == "f":
        nan = np.isnan(expected)
        if not np.array_equal(nan, np.isnan(actual)):
            return "NaN positions differ"
        bits = {2: np.uint16, 4: np.uint32, 8: np.uint64}[expected.itemsize]
        bad = np.nonzero(expected[~nan].view(bits) != actual[~nan].view(bits))[0]
    else:
        bad = np.nonzero(expected.ravel() != actual.ravel())[0]
    if bad.size:
        i = bad[0]
        return (f"{bad.size} values differ, first {actual.flat[i]!r} != "
                f"{expected.flat[i]!r}")
    return None


def check(src, rebocc, out, label, path, arrays):
    """Runs `path` with onnxruntime and rebocc on `arrays`; 0 when every
    output is identical."""
    inputs = write_inputs(os.path.join(out, label + "-in"), arrays)
    args = [a for p in inputs for a in ("--input", p)]
    ort = os.path.join(out, label + "-ort")
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), path,
                    *args, "--output-dir", ort], check=True)
    names = [o.name for o in onnx.load(path).graph.output]
    status = 0
    for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
        folder = os.path.join(out, f"{label}-{mode}")
        subprocess.run([rebocc, path, "--run", *flags, *args,
                        "--output-dir", folder], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"== {label} {mode}")
        for i, name in enumerate(names):
            expected = read_tensor(os.path.join(ort, f"output_{i}.pb"))
            actual = read_tensor(os.path.join(folder, f"output_{i}.pb"))
            problem = same(expected, actual)
            status |= problem is not None
            print(f"{name} {expected.dtype}: {problem or 'identical'}")
    return status


def main():
    src, rebocc, out = script_args()
    x = np.array(X, np.float32)
    status = 0
    for opset in (17, 21):
        widen = os.path.join(out, f"widen{opset}.onnx")
        widen_model(widen, opset)
        status |= check(src, rebocc, out, f"widen opset {opset}", widen, {
            "x": x, "u": np.array(U, np.float32), "v": np.array(V, np.float32)})
        given = os.path.join(out, f"input{opset}.onnx")
        input_model(given, opset)
        status |= check(src, rebocc, out, f"input opset {opset}", given,
                        {"dx": x.astype(np.float64)})
    finish(status)


if __name__ == "__main__":
    main()
