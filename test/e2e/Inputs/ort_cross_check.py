"""The run-and-compare step the generated-model onnxruntime checks share.

cross_check(src, rebocc, model, inputs, folder, rtol, atol, label) runs
onnxruntime-node (scripts/ort_reference.sh) and rebocc --run in float
reference and in fixed point on the same input files, and compares each
mode's outputs with onnxruntime's (scripts/compare_outputs.py). Without
crossbar layers fixed point runs the digital ops in float32 too and both
modes are held to the same tolerance; a model with crossbar layers passes
`fixed_range_tol`, the fraction of each output's largest magnitude fixed
point may be off by; `rebocc_flags` go to every rebocc run (e.g.
--input-shape). Returns 0 when both match.
"""
import os
import subprocess
import sys


def cross_check(src, rebocc, model, inputs, folder, rtol, atol, label,
                fixed_range_tol=None, rebocc_flags=()):
    args = [a for p in inputs for a in ("--input", p)]
    subprocess.run(["sh", os.path.join(src, "scripts/ort_reference.sh"), model,
                    *args, "--output-dir", os.path.join(folder, "ort")],
                   check=True)
    status = 0
    for mode, flags in (("float", ["--float-reference"]), ("fixed", [])):
        actual = os.path.join(folder, mode)
        subprocess.run([rebocc, model, "--run", *flags, *rebocc_flags, *args,
                        "--output-dir", actual], check=True,
                       stdout=subprocess.DEVNULL)
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


def write_input(path, array, name):
    """One TensorProto input file."""
    from onnx import numpy_helper
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())
    return path
