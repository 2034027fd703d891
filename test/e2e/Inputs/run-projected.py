#!/usr/bin/python3
"""Checks `rebocc MODEL --block-size=K --projection` against onnxruntime on the
model projected independently by scripts/project_onnx.py (numpy):

  run-projected.py MODELS_DIR OUT_DIR name [name ...] --k K [K ...]
                   [--float-tolerance REL] [--fixed-tolerance REL]
                   [--modes {float,fixed} ...]

MODELS_DIR/<name>/ has the model-zoo layout (model.onnx,
test_data_set_0/input_0.pb). Per model and k:
  1. project_onnx.py model.onnx -> OUT_DIR/<name>_k<K>/projected.onnx (+ the
     per-layer relative Frobenius errors as JSON);
  2. onnxruntime runs projected.onnx on input_0.pb (scripts/ort_reference.sh);
  3. rebocc compiles and runs the ORIGINAL model with --block-size=K
     --projection, in float reference and/or fixed point;
  4. rebocc's projection remarks must name the same projected and dense
     layers as project_onnx.py, with errors agreeing to 1e-5 (relative);
  5. rebocc's outputs must match ORT's within atol = REL * max|ORT output|
     (rtol 0; compare_outputs.py with --atol scaled to the output), and the
     top-1 class must agree for every row. On a mismatch the run is
     repeated with -j 1 and the script says whether that rerun wrote the
     same bytes (a nondeterministic result or a reproducible one).
Defaults: float 1e-4, fixed 5e-3. Prints one block per run and
"N runs matched"; exits 1 at the first mismatch or failure.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.normpath(os.path.join(here, "..", "..", ".."))
scripts = os.path.join(repo, "scripts")
compare = os.path.join(scripts, "compare_outputs.py")
project = os.path.join(scripts, "project_onnx.py")
ort = os.path.join(scripts, "ort_reference.sh")

REMARK_PROJECTED = re.compile(
    r"layer '([^']+)' projected onto block size (\d+), relative Frobenius error (\S+)")
REMARK_DENSE = re.compile(r"layer '([^']+)' stays dense: k = (\d+) does not fit")


def fail(message):
    print(message)
    sys.exit(1)


def run(cmd, what):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result


def load_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def check_remarks(stderr, report, name, k):
    """rebocc's remarks against project_onnx.py's JSON report."""
    projected = {m.group(1): float(m.group(3)) for m in REMARK_PROJECTED.finditer(stderr)
                 if int(m.group(2)) == k}
    dense = {m.group(1) for m in REMARK_DENSE.finditer(stderr)}
    mine_projected = {l["node"]: l["error"] for l in report["layers"] if l["projected"]}
    mine_dense = {l["node"] for l in report["layers"] if not l["projected"]}
    # rebocc remarks only on layers the projection changes (largest deviation
    # above its detection tolerance, 1e-5 of the largest weight): a layer that
    # is already block-circulant with this k is projected silently.
    exact = {l for l, e in mine_projected.items() if e <= 1e-5 and l not in projected}
    mine_projected = {l: e for l, e in mine_projected.items() if l not in exact}
    if set(projected) != set(mine_projected):
        fail(f"{name} k={k}: projected layers differ: rebocc {sorted(projected)} "
             f"numpy {sorted(mine_projected)}")
    if dense != mine_dense:
        fail(f"{name} k={k}: dense layers differ: rebocc {sorted(dense)} numpy {sorted(mine_dense)}")
    worst = 0.0
    for layer, err in projected.items():
        diff = abs(err - mine_projected[layer]) / max(abs(mine_projected[layer]), 1e-30)
        worst = max(worst, diff)
    if worst > 1e-5:
        fail(f"{name} k={k}: projection errors differ by up to {worst:.3g} (relative)")
    errs = list(mine_projected.values())
    span = f"{min(errs):.3g}..{max(errs):.3g}" if errs else "-"
    print(f"{name} k={k}: remarks agree: {len(projected)} projected (error {span}), "
          f"{len(dense)} dense" + (f", {len(exact)} already circulant" if exact else ""))


def rerun(model, k, inp, target, flags):
    """After a mismatch: the same run again on one thread, to tell a
    nondeterministic result (outputs that differ between runs, docs/Hostile.md)
    from a reproducible one. Both output directories are kept."""
    again = target + "-rerun-j1"
    run(["rebocc", model, f"--block-size={k}", "--projection", "--run", "--input", inp,
         "--output-dir", again, "-j", "1"] + flags, "rebocc (rerun)")
    names = sorted(f for f in os.listdir(target) if f.endswith(".pb"))
    same = all(open(os.path.join(target, f), "rb").read() ==
               open(os.path.join(again, f), "rb").read() for f in names)
    print(f"rerun with -j 1 into {again}: outputs identical to the failing run: {same}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models")
    ap.add_argument("out")
    ap.add_argument("names", nargs="+")
    ap.add_argument("--k", type=int, nargs="+", required=True)
    ap.add_argument("--float-tolerance", type=float, default=1e-4)
    ap.add_argument("--fixed-tolerance", type=float, default=5e-3)
    ap.add_argument("--modes", nargs="+", choices=["float", "fixed"], default=["float", "fixed"])
    a = ap.parse_args()
    models, out, names, ks, modes = a.models, a.out, a.names, a.k, a.modes
    float_tol, fixed_tol = a.float_tolerance, a.fixed_tolerance
    runs = 0
    for name in names:
        data = os.path.join(models, name, "test_data_set_0")
        model = os.path.join(models, name, "model.onnx")
        inp = os.path.join(data, "input_0.pb")
        for k in ks:
            work = os.path.join(out, f"{name.replace('/', '_')}_k{k}")
            os.makedirs(work, exist_ok=True)
            projected = os.path.join(work, "projected.onnx")
            errors = os.path.join(work, "errors.json")
            run([sys.executable, project, model, projected, "--k", str(k), "--json", errors,
                 "--quiet"], "project_onnx.py")
            reference = os.path.join(work, "ort")
            run([ort, projected, "--input", inp, "--output-dir", reference], "onnxruntime")
            os.remove(projected)  # up to 245 MB (AlexNet)
            report = json.load(open(errors))
            scale = max(float(np.abs(load_pb(p)).max())
                        for p in (os.path.join(reference, f) for f in os.listdir(reference))
                        if p.endswith(".pb"))
            for mode in modes:
                target = os.path.join(work, mode)
                flags = ["--float-reference"] if mode == "float" else []
                start = time.time()
                result = run(["rebocc", model, f"--block-size={k}", "--projection", "--run",
                              "--input", inp, "--output-dir", target] + flags, "rebocc")
                seconds = time.time() - start
                if mode == modes[0]:
                    check_remarks(result.stderr, report, name, k)
                tol = float_tol if mode == "float" else fixed_tol
                atol = tol * scale
                check = subprocess.run([sys.executable, compare, "--expected", reference,
                                        "--actual", target, "--rtol", "0", "--atol", f"{atol:.6g}",
                                        "--top1"], capture_output=True, text=True)
                print(f"== {name} k={k} {mode}: atol {tol:g} x max|ORT| {scale:.4g} = {atol:.3g}"
                      f" (rebocc {seconds:.1f} s)")
                print(check.stdout.strip())
                if check.returncode != 0:
                    rerun(model, k, inp, target, flags)
                    sys.exit(1)
                runs += 1
    print(f"{runs} runs matched")


if __name__ == "__main__":
    main()
