"""What the generated-model onnxruntime checks share.

script_args() reads their command line (REBOCC_SRC REBOCC OUT_DIR) and
creates OUT_DIR; floats()/ints() make initializers; write_inputs() writes
seeded input arrays as input_<i>.pb; finish(status) prints the verdict line
the tests check and exits with it.

cross_check(src, rebocc, model, inputs, folder, rtol, atol, label) runs
onnxruntime-node (scripts/ort_reference.sh) and rebocc --run in float
reference and in fixed point on the same input files, and compares each
mode's outputs with onnxruntime's (scripts/compare_outputs.py). Without
crossbar layers fixed point runs the digital ops in float32 too and both
modes are held to the same tolerance; a model with crossbar layers passes
`fixed_range_tol`, the fraction of each output's largest magnitude fixed
point may be off by; `rebocc_flags` go to every rebocc run (e.g.
--input-shape). Returns 0 when both match.

write_model(folder, file_name, graph, opset, inputs) writes a graph at an
opset and its inputs into one folder; cross_check_opsets(...) does that and
cross_check for each of a list of opsets, yielding each opset's folder and
status so a script can inspect onnxruntime's outputs after each check.

attention_modes_agree(rebocc, model, inputs, folder, label) runs rebocc
--run with --attention=digital and --attention=reprogram and checks that
every output file is byte-identical (a reprogrammed product must give what
the digital units give, bit for bit).
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def script_args():
    """REBOCC_SRC, REBOCC and OUT_DIR (created) from the command line."""
    src, rebocc, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    return src, rebocc, out


def floats(name, values):
    """A float32 initializer."""
    return numpy_helper.from_array(np.array(values, np.float32), name)


def ints(name, values):
    """An int64 initializer."""
    return numpy_helper.from_array(np.array(values, np.int64), name)


def ort_and_rebocc_runs(src, rebocc, model, inputs, folder, rebocc_flags=()):
    """onnxruntime's outputs of `model` on `inputs` in folder/ort, then
    rebocc --run's in the float reference and in fixed point: yields each
    mode ("float", "fixed") and the folder of its outputs, after its run."""
    args = [a for p in inputs for a in ("--input", p)]
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), model,
                    *args, "--output-dir", os.path.join(folder, "ort")],
                   check=True)
    for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
        actual = os.path.join(folder, mode)
        subprocess.run([rebocc, model, "--run", *flags, *rebocc_flags, *args,
                        "--output-dir", actual], check=True,
                       stdout=subprocess.DEVNULL)
        yield mode, actual


def cross_check(src, rebocc, model, inputs, folder, rtol, atol, label,
                fixed_range_tol=None, rebocc_flags=()):
    status = 0
    for mode, actual in ort_and_rebocc_runs(src, rebocc, model, inputs,
                                            folder, rebocc_flags):
        print(f"== {label} {mode}", flush=True)
        tolerance = ["--rtol", str(rtol), "--atol", str(atol)]
        if mode == "fixed" and fixed_range_tol is not None:
            tolerance = ["--rtol", "0", "--atol", "0",
                         "--range-tol", str(fixed_range_tol)]
        status |= subprocess.call(
            [sys.executable, os.path.join(src, "scripts/compare_outputs.py"),
             "--expected", os.path.join(folder, "ort"), "--actual", actual,
             *tolerance])
    return status


def read_tensor(path):
    """The array of one TensorProto file (an input or an output)."""
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def write_input(path, array, name):
    """One TensorProto input file."""
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())
    return path


def write_inputs(folder, arrays):
    """`arrays` ({input name: array}, in the model's input order) as
    folder/input_<i>.pb (folder created); returns the paths."""
    os.makedirs(folder, exist_ok=True)
    return [write_input(os.path.join(folder, f"input_{i}.pb"), array, name)
            for i, (name, array) in enumerate(arrays.items())]


def attention_modes_agree(rebocc, model, inputs, folder, label=None):
    """0 when --attention=digital and =reprogram write identical outputs."""
    args = [a for p in inputs for a in ("--input", p)]
    for mode in ("digital", "reprogram"):
        subprocess.run([rebocc, model, "--run", *args, f"--attention={mode}",
                        "--output-dir", os.path.join(folder, mode)],
                       check=True, stdout=subprocess.DEVNULL)
    same = all(
        open(os.path.join(folder, "digital", f), "rb").read() ==
        open(os.path.join(folder, "reprogram", f), "rb").read()
        for f in sorted(os.listdir(os.path.join(folder, "digital"))))
    prefix = f"{label}: " if label else ""
    print(f"{prefix}digital and reprogram outputs identical: {same}",
          flush=True)
    return 0 if same else 1


def model_at_opset(graph, opset):
    """`graph` as a model of the default domain at `opset`, with the IR
    version ONNX released with that opset (8 up to opset 18, 9 for 19 and 20,
    10 for 21), which onnxruntime checks against the opset."""
    from onnx import helper
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10 if opset >= 21 else 9 if opset >= 19 else 8
    return model


def write_model(folder, file_name, graph, opset, inputs):
    """`graph` at `opset` (model_at_opset) as folder/file_name and `inputs`
    ({input name: array}, in the model's input order) as folder/input_<i>.pb
    (folder created); returns the model's path and the input paths."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, file_name)
    with open(path, "wb") as f:
        f.write(model_at_opset(graph, opset).SerializeToString())
    return path, write_inputs(folder, inputs)


def cross_check_opsets(src, rebocc, graph, opsets, out, file_name, inputs,
                       label, rtol=0, atol=0, prefix="opset", **kwargs):
    """For each opset: write_model into out/<prefix><opset> and cross_check
    it, labelled "<label> opset <opset>" (kwargs go to cross_check). Yields
    (folder, status) after each opset's check: onnxruntime's outputs are in
    folder/ort."""
    for opset in opsets:
        folder = os.path.join(out, f"{prefix}{opset}")
        path, files = write_model(folder, file_name, graph, opset, inputs)
        yield folder, cross_check(src, rebocc, path, files, folder, rtol,
                                  atol, f"{label} opset {opset}", **kwargs)


def batched_graph(nodes, name, in_shape, outputs, inits):
    """A graph of one float input "x" of shape [N] + in_shape and float
    outputs [(name, shape)] of shape [N] + shape, N the symbolic batch."""
    from onnx import TensorProto, helper
    return helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["N"] + in_shape)],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N"] + shape)
         for out, shape in outputs], list(inits))


def finish(status):
    """The verdict line the tests check, and the exit status."""
    print("all outputs match" if status == 0 else "MISMATCH")
    sys.exit(status)
