#!/usr/bin/python3
"""Compare ONNX output tensors (output_N.pb) of a run against expected ones.

  compare_outputs.py --expected DIR_or_FILE [FILE ...] --actual DIR
                     [--rtol R] [--atol A] [--range-tol T] [--top1]

--expected is either one directory (every output_*.pb in it is compared) or one
or more .pb files. For each expected file the file with the same base name is
read from --actual. Per output it prints the max absolute and max relative error
and whether numpy.allclose(actual, expected, rtol, atol) holds; --range-tol T adds
T x max|expected| of that output to atol (fixed point's error is absolute, a
fraction of each tensor's range). With --top1 it
also compares the arg-max over the last axis and prints
"top-1 agreement: A/N".

Exit status: 0 if everything matches, 1 on any mismatch (shape, dtype,
allclose or top-1) and on missing or unreadable files (with a
"compare_outputs: error:" message); 2 on command-line usage errors.
"""
import argparse
import glob
import os
import re
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def load_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def natural_key(path):
    return [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", os.path.basename(path))]


def expected_files(specs):
    files = []
    for spec in specs:
        if os.path.isdir(spec):
            found = sorted(glob.glob(os.path.join(spec, "output_*.pb")), key=natural_key)
            if not found:
                raise FileNotFoundError(f"no output_*.pb files in expected directory {spec}")
            files.extend(found)
        elif os.path.isfile(spec):
            files.append(spec)
        else:
            raise FileNotFoundError(f"expected file or directory not found: {spec}")
    return files


def compare(name, exp, act, rtol, atol, top1, range_tol=0.0):
    """Returns (ok, message lines)."""
    lines = []
    if exp.shape != act.shape:
        # allow trivially equal sizes? No: shapes must match exactly.
        return False, [f"{name}: SHAPE MISMATCH expected {exp.shape} actual {act.shape}"]
    if exp.dtype != act.dtype:
        lines.append(f"{name}: note: dtype differs (expected {exp.dtype}, actual {act.dtype}); comparing as float64")
    e = exp.astype(np.float64)
    a = act.astype(np.float64)
    ok = True
    if e.size == 0:
        lines.append(f"{name}: empty tensor {exp.shape}: OK")
        return True, lines
    nan_mismatch = np.isnan(e) != np.isnan(a)
    diff = np.abs(a - e)
    diff = np.where(np.isnan(e) & np.isnan(a), 0.0, diff)
    max_abs = float(np.nanmax(diff)) if not np.all(np.isnan(diff)) else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = diff / np.abs(e)
    rel = rel[np.isfinite(rel)]
    max_rel = float(rel.max()) if rel.size else 0.0
    if range_tol:
        finite = np.abs(e[np.isfinite(e)])
        atol = atol + range_tol * (float(finite.max()) if finite.size else 0.0)
    close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    n_bad = int((~close).sum())
    allclose = n_bad == 0 and not nan_mismatch.any()
    worst = np.unravel_index(int(np.nanargmax(np.where(np.isnan(diff), -1, diff))), e.shape) if e.ndim else ()
    lines.append(f"{name}: shape {tuple(exp.shape)} max abs err {max_abs:.6g} max rel err {max_rel:.6g} "
                 f"max|expected| {float(np.nanmax(np.abs(e))):.6g} -> allclose(rtol={rtol:g}, atol={atol:g}): "
                 f"{'OK' if allclose else f'FAIL ({n_bad}/{e.size} elements outside tolerance)'}")
    if not allclose:
        ok = False
        lines.append(f"{name}:   worst at index {tuple(int(i) for i in worst)}: "
                     f"expected {e[worst]!r} actual {a[worst]!r}")
    if top1:
        if e.ndim == 0:
            lines.append(f"{name}: top-1 not applicable to a scalar")
        else:
            ea, aa = e.argmax(axis=-1), a.argmax(axis=-1)
            agree = int((ea == aa).sum())
            lines.append(f"top-1 agreement: {agree}/{ea.size}" + ("" if agree == ea.size else f" ({name})"))
            if agree != ea.size:
                ok = False
    return ok, lines


def main(argv=None):
    ap = argparse.ArgumentParser(description="Compare output_N.pb tensors (exit 1 on mismatch).")
    ap.add_argument("--expected", nargs="+", required=True, help="directory with output_*.pb, or .pb files")
    ap.add_argument("--actual", required=True, help="directory holding the actual output_*.pb")
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--range-tol", type=float, default=0.0,
                    help="add this fraction of each output's max|expected| to atol")
    ap.add_argument("--top1", action="store_true", help="also require arg-max (last axis) agreement")
    args = ap.parse_args(argv)

    try:
        files = expected_files(args.expected)
    except FileNotFoundError as e:
        print(f"compare_outputs: error: {e}", file=sys.stderr)
        return 1
    if not os.path.isdir(args.actual):
        print(f"compare_outputs: error: actual directory not found: {args.actual}", file=sys.stderr)
        return 1

    all_ok = True
    missing = []
    for ef in files:
        base = os.path.basename(ef)
        af = os.path.join(args.actual, base)
        if not os.path.isfile(af):
            missing.append(af)
            continue
        try:
            exp, act = load_pb(ef), load_pb(af)
        except Exception as e:  # noqa: BLE001 - report any decode error
            print(f"compare_outputs: error: cannot read {ef} or {af}: {e}", file=sys.stderr)
            return 1
        ok, lines = compare(base, exp, act, args.rtol, args.atol, args.top1,
                            args.range_tol)
        print("\n".join(lines))
        all_ok &= ok
    if missing:
        for m in missing:
            print(f"compare_outputs: error: missing actual output {m}", file=sys.stderr)
        return 1
    extra = sorted(set(os.path.basename(p) for p in glob.glob(os.path.join(args.actual, "output_*.pb")))
                   - set(os.path.basename(p) for p in files))
    if extra and all(os.path.isdir(s) for s in args.expected):
        print(f"compare_outputs: note: extra actual outputs not compared: {', '.join(extra)}")
    print("RESULT: " + ("MATCH" if all_ok else "MISMATCH"))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
