#!/usr/bin/python3
"""Sweep torchvision's model zoo through rebocc, as a new user would try it.

  torchvision_zoo_sweep.py export OUT_DIR [--only NAME ...] [--opset N ...]
  torchvision_zoo_sweep.py check  OUT_DIR [--only NAME ...] [--opset N ...]
                                  [--rebocc PATH] [--timeout S]
  torchvision_zoo_sweep.py table  OUT_DIR

export: every model in MODELS gets random weights (torch.manual_seed, never a
  download), random BatchNorm statistics (gen_torchvision_models.py's
  randomize_batchnorm) and random values for parameters initialised to one
  value (randomize_constant_parameters), is exported with torch.onnx at batch 1 and at the
  smallest square input its eager forward accepts (SIZES tried in order;
  a model whose export fails there is tried at the next sizes too, and the
  first failure is kept), for each opset, to OUT_DIR/opsetN/NAME/model.onnx
  with test_data_set_0/input_0.pb (uniform [0, 1), seeded). Writes
  OUT_DIR/opsetN/NAME/export.json.
check: runs onnxruntime-node (scripts/ort_run.js), `rebocc --run
  --float-reference` and `rebocc --run` (fixed point) on that input and
  compares with onnxruntime (scripts/compare_outputs.py): the float reference
  within 1e-3 of each output's largest magnitude, fixed point within 2e-2
  (issue 12's bound), and the same top-1 class for classifiers. Writes
  OUT_DIR/opsetN/NAME/check.json with each step's status, seconds, error
  ratio and first error line.
  Prints "M of N match"; exits 1 unless every model matches.
table: prints the Markdown table of docs/RealModels.md ("torchvision zoo").

Runs one model at a time (the machine has 2 shared cores); a step that takes
longer than --timeout seconds is stopped and recorded as a time-out.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SEED = 20261204

# name -> (builder module, kind). Every classification family torchvision 0.14
# has (its smallest member, plus a few common larger ones) and the three
# segmentation families with a small backbone.
MODELS = {
    "resnet18": "cls", "resnet50": "cls", "resnext50_32x4d": "cls",
    "wide_resnet50_2": "cls", "densenet121": "cls", "googlenet": "cls",
    "inception_v3": "cls", "mobilenet_v2": "cls", "mobilenet_v3_small": "cls",
    "mobilenet_v3_large": "cls", "mnasnet0_5": "cls", "shufflenet_v2_x0_5": "cls",
    "squeezenet1_0": "cls", "squeezenet1_1": "cls", "efficientnet_b0": "cls",
    "efficientnet_v2_s": "cls", "regnet_x_400mf": "cls", "regnet_y_400mf": "cls",
    "convnext_tiny": "cls", "vit_b_16": "cls", "swin_t": "cls", "swin_v2_t": "cls",
    "maxvit_t": "cls", "alexnet": "cls",
    "fcn_resnet50": "seg", "deeplabv3_mobilenet_v3_large": "seg",
    "lraspp_mobilenet_v3_large": "seg",
}
SIZES = (32, 48, 64, 75, 96, 128, 160, 192, 224)
FLOAT_TOL = 1e-3
FIXED_TOL = 2e-2


def randomize_constant_parameters(model):
    """Parameters initialised to one value (ViT's all-zero classifier head,
    ConvNeXt's 1e-6 layer scale, LayerNorm's ones and zeros, zero biases) get
    random values: otherwise ViT's output is all zeros (any run "matches") and
    ConvNeXt's blocks are identities. Matrices ~ N(0, 1 / fan_in), vectors
    initialised near 1 ~ U(0.5, 1.5), the others ~ N(0, 0.1)."""
    import torch
    with torch.no_grad():
        for p in model.parameters():
            if p.numel() < 2 or not bool((p == p.flatten()[0]).all()):
                continue
            if p.dim() >= 2:
                p.copy_(torch.randn_like(p) / (p[0].numel() ** 0.5))
            elif abs(float(p.flatten()[0])) >= 0.5:
                p.copy_(0.5 + torch.rand_like(p))
            else:
                p.copy_(0.1 * torch.randn_like(p))


def export_one(name, kind, opset, out):
    import numpy as np
    import torch
    import torchvision
    from onnx import numpy_helper
    sys.path.insert(0, HERE)
    from gen_torchvision_models import randomize_batchnorm

    torch.manual_seed(SEED)
    if kind == "seg":
        net = getattr(torchvision.models.segmentation, name)(weights=None, weights_backbone=None)

        class Out(torch.nn.Module):  # the dict's "out" entry: one output tensor
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, x):
                return self.m(x)["out"]
        model = Out(net).eval()
    else:
        model = getattr(torchvision.models, name)(weights=None).eval()
    randomize_batchnorm(model)
    randomize_constant_parameters(model)
    rec = {"name": name, "kind": kind, "opset": opset}
    first_error = None
    for size in SIZES:
        torch.manual_seed(SEED + 1)
        x = torch.rand(1, 3, size, size)
        try:
            with torch.no_grad():
                model(x)
        except Exception:  # noqa: BLE001 - too small for this network: try the next size
            continue
        path = os.path.join(out, "model.onnx")
        t0 = time.time()
        try:  # with autograd on, as a user would: torch 1.13's eval-mode
            # nn.MultiheadAttention under no_grad takes a fused kernel that has no ONNX export
            torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"],
                              output_names=["output"])
        except Exception as e:  # noqa: BLE001 - recorded, then the next size
            msg = str(e).strip().splitlines()
            first_error = first_error or {"size": size, "error": (msg[0] if msg else type(e).__name__)[:300]}
            continue
        rec.update(size=size, export="ok", export_seconds=round(time.time() - t0, 1),
                   onnx_bytes=os.path.getsize(path),
                   params=int(sum(p.numel() for p in model.parameters())))
        if first_error:
            rec["export_first_error"] = first_error
        os.makedirs(os.path.join(out, "test_data_set_0"), exist_ok=True)
        with open(os.path.join(out, "test_data_set_0", "input_0.pb"), "wb") as f:
            f.write(numpy_helper.from_array(x.numpy().astype(np.float32), "input").SerializeToString())
        return rec
    rec.update(export="fail", error=(first_error or {"error": "no size in %s accepted" % (SIZES,)})["error"],
               size=(first_error or {}).get("size"))
    return rec


def run(cmd, timeout, log):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", time.time() - t0, f"timed out after {timeout} s"
    with open(log, "w") as f:
        f.write(p.stdout + p.stderr)
    err = next((ln.strip() for ln in (p.stderr + p.stdout).splitlines() if "error" in ln.lower()), "")
    if not err and p.returncode:
        err = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
    return ("ok" if p.returncode == 0 else "fail"), time.time() - t0, err[:400]


def error_ratio(expected_dir, actual_dir):
    """max |a - e| / max |e| over outputs (the worst), and top-1 agreement."""
    import numpy as np
    sys.path.insert(0, HERE)
    from compare_outputs import load_pb
    worst, top1 = 0.0, True
    for ef in sorted(glob.glob(os.path.join(expected_dir, "output_*.pb"))):
        af = os.path.join(actual_dir, os.path.basename(ef))
        if not os.path.exists(af):
            return None, None
        e, a = load_pb(ef).astype(np.float64), load_pb(af).astype(np.float64)
        if e.shape != a.shape:
            return None, None
        worst = max(worst, float(np.abs(a - e).max() / max(np.abs(e).max(), 1e-30)))
        top1 &= bool((e.argmax(-1) == a.argmax(-1)).all())
    return worst, top1


def check_one(d, rec, rebocc, timeout):
    data = os.path.join(d, "test_data_set_0")
    model = os.path.join(d, "model.onnx")
    inp = os.path.join(data, "input_0.pb")
    ort_dir = os.path.join(d, "ort")
    st, secs, err = run(["node", os.path.join(HERE, "ort_run.js"), model, "--input", inp,
                         "--output-dir", ort_dir], timeout, os.path.join(d, "ort.log"))
    rec["ort"] = {"status": st, "seconds": round(secs, 1), "error": err}
    if st != "ok":
        return rec
    for mode, flags, tol in (("float", ["--float-reference"], FLOAT_TOL), ("fixed", [], FIXED_TOL)):
        out = os.path.join(d, mode)
        st, secs, err = run([rebocc, model, "--run", *flags, "--input", inp, "--output-dir", out],
                            timeout, os.path.join(d, mode + ".log"))
        r = {"status": st, "seconds": round(secs, 1), "error": err}
        if st == "ok":
            ratio, top1 = error_ratio(ort_dir, out)
            r["error_ratio"] = ratio
            r["top1"] = top1
            r["match"] = ratio is not None and ratio <= tol and (rec["kind"] != "cls" or top1)
        rec[mode] = r
        if st != "ok":  # the other mode fails the same way (same front end)
            break
    return rec


def models_of(args):
    names = args.only or list(MODELS)
    for n in names:
        if n not in MODELS:
            sys.exit(f"torchvision_zoo_sweep: error: unknown model {n!r}")
    return names


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("phase", choices=["export", "check", "table"])
    ap.add_argument("out_dir")
    ap.add_argument("--only", nargs="+")
    ap.add_argument("--opset", type=int, action="append")
    ap.add_argument("--rebocc", default=os.path.join(REPO, "build", "bin", "rebocc"))
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args(argv)
    opsets = args.opset or [13, 17]
    if args.phase == "table":
        return table(args.out_dir, opsets)
    matched = total = 0
    for opset in opsets:
        for name in models_of(args):
            d = os.path.join(args.out_dir, f"opset{opset}", name)
            os.makedirs(d, exist_ok=True)
            if args.phase == "export":
                import torch
                torch.set_num_threads(1)
                rec = export_one(name, MODELS[name], opset, d)
                json.dump(rec, open(os.path.join(d, "export.json"), "w"), indent=1)
            else:
                rec = json.load(open(os.path.join(d, "export.json")))
                if rec.get("export") == "ok":
                    rec = check_one(d, rec, args.rebocc, args.timeout)
                json.dump(rec, open(os.path.join(d, "check.json"), "w"), indent=1)
            print(f"opset {opset} {name}: {summary(rec)}", flush=True)
            total += 1
            matched += bool(rec.get("float", {}).get("match") and rec.get("fixed", {}).get("match"))
    if args.phase == "check":
        print(f"{matched} of {total} match")
        return 0 if matched == total else 1
    return 0


def summary(rec):
    if rec.get("export") != "ok":
        return f"export FAILED: {rec.get('error')}"
    parts = [f"{rec['size']}px"]
    for k in ("ort", "float", "fixed"):
        if k in rec:
            r = rec[k]
            s = f"{k} {r['status']} {r['seconds']}s"
            if "error_ratio" in r:
                s += f" err {r['error_ratio']:.2g} top1 {r['top1']} {'MATCH' if r['match'] else 'MISS'}"
            elif r["error"]:
                s += f" ({r['error']})"
            parts.append(s)
    return "; ".join(parts)


def cell(r):
    if r is None:
        return "-"
    if r["status"] != "ok":
        return r["status"]
    if r.get("error_ratio") is None:
        return "shape?"
    return f"{r['error_ratio']:.1e}" + ("" if r["match"] else " ✗")


def table(out, opsets):
    print("| model | input | opset | export | ort | float err | fixed err | top-1 | rebocc s | result |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in MODELS:
        for opset in opsets:
            f = os.path.join(out, f"opset{opset}", name, "check.json")
            if not os.path.exists(f):
                continue
            rec = json.load(open(f))
            if rec.get("export") != "ok":
                why = str(rec.get("error")).split(". Please")[0]
                print(f"| {name} | {rec.get('size') or '-'} | {opset} | fail | - | - | - | - | - | export: {why} |")
                continue
            fl, fx = rec.get("float"), rec.get("fixed")
            ok = fl and fx and fl.get("match") and fx.get("match")
            why = "match" if ok else next((f"{k}: {rec[k]['error'].split('.onnx: ')[-1]}" for k in ("ort", "float", "fixed")
                                           if k in rec and rec[k]["status"] != "ok"), "outside bound")
            top1 = "-" if not fx or rec["kind"] != "cls" or "top1" not in fx else ("yes" if fx["top1"] else "no")
            secs = fx["seconds"] if fx else (fl["seconds"] if fl else "-")
            print(f"| {name} | {rec['size']} | {opset} | ok | {rec['ort']['status']} | {cell(fl)} | {cell(fx)} "
                  f"| {top1} | {secs} | {why.replace('|', '/')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
