#!/usr/bin/python3
"""rebocc-sim against onnxruntime-node, in the same run, on torchvision
ResNet-18 and ResNet-50 at 3x224x224 with random weights (issue 15):

  * compute per image: rebocc-sim at -j 1, (batch-4 run - batch-1 run) / 3,
    so loading the program drops out, against onnxruntime's warm
    single-thread inference (bench/ort_time.js, intraOpNumThreads 1);
  * the same with every core (rebocc-sim without -j, onnxruntime's default);
  * whole process on one image: rebocc-sim (load, run, write) against node
    scripts/ort_run.js (session creation + one inference).

Each figure is given as wall time and as CPU time (user + system of the
process and its threads, from wait4): on a machine shared with other jobs the
CPU time varies less. The runs are interleaved and repeated; the median is
reported. Usage:
  bench/sim_vs_ort.py BUILD_DIR [--repeats N] [--models resnet18 resnet50]
Models are generated into BUILD_DIR/bench/tv (scripts/gen_torchvision_models.py,
python3-torch); onnxruntime-node is looked up as scripts/ort_run.js does
($ORT_NODE_MODULES, <repo>/.cache/ort) and installed with
scripts/ort_reference.sh install when missing.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    """Runs cmd; returns (wall seconds, CPU seconds) of the child."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"sim_vs_ort: failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def prepare(build, name):
    """The model with a symbolic batch, its batch-1 and batch-4 inputs."""
    tv = os.path.join(build, "bench", "tv")
    model = os.path.join(tv, name, "model.onnx")
    if not os.path.exists(model):
        subprocess.check_call(["/usr/bin/python3", os.path.join(ROOT, "scripts", "gen_torchvision_models.py"),
                               tv, "--only", name, "--size", f"{name}=224"], stdout=subprocess.DEVNULL)
    work = os.path.join(build, "bench", "vs_ort", name)
    os.makedirs(work, exist_ok=True)
    dyn = os.path.join(work, "model_nbatch.onnx")
    m = onnx.load(model)
    for v in list(m.graph.input) + list(m.graph.output):
        d = v.type.tensor_type.shape.dim[0]
        d.ClearField("dim_value")
        d.dim_param = "N"
    onnx.save(m, dyn)
    x1 = numpy_helper.to_array(onnx.load_tensor(os.path.join(tv, name, "test_data_set_0", "input_0.pb")))
    rng = np.random.default_rng(15)
    x4 = np.concatenate([x1, rng.random((3,) + x1.shape[1:], dtype=np.float32)])
    inputs = {}
    for b, x in ((1, x1), (4, x4)):
        inputs[b] = os.path.join(work, f"input_b{b}.pb")
        with open(inputs[b], "wb") as f:
            f.write(numpy_helper.from_array(x, m.graph.input[0].name).SerializeToString())
    rbp = os.path.join(work, "model.rbp")
    subprocess.check_call([os.path.join(build, "bin", "rebocc"), dyn, "-o", rbp])
    return model, rbp, inputs, work


def ort_env():
    env = dict(os.environ)
    dirs = [env.get("ORT_NODE_MODULES"), os.path.join(ROOT, ".cache", "ort", "node_modules")]
    for d in dirs:
        if d and os.path.exists(os.path.join(d, "onnxruntime-node", "package.json")):
            env["ORT_NODE_MODULES"] = d
            return env
    if subprocess.call([os.path.join(ROOT, "scripts", "ort_reference.sh"), "install"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        env["ORT_NODE_MODULES"] = dirs[1]
        return env
    return None


def median(xs):
    return statistics.median(xs)


def bench(build, name, repeats, env):
    model, rbp, inputs, work = prepare(build, name)
    sim = os.path.join(build, "bin", "rebocc-sim")
    t = {k: [] for k in ("j1b1", "j1b4", "jNb1", "jNb4", "ortproc", "ort1", "ortN")}
    for _ in range(repeats):  # interleaved: a load burst hits every figure alike
        for j, tag in (("1", "j1"), (None, "jN")):
            for b in (1, 4):
                cmd = [sim, rbp, "--input", inputs[b], "--output-dir", os.path.join(work, f"out_{tag}_b{b}")]
                if j:
                    cmd += ["-j", j]
                t[f"{tag}b{b}"].append(run(cmd))
        t["ortproc"].append(run(["node", os.path.join(ROOT, "scripts", "ort_run.js"), model,
                                 "--input", inputs[1], "--output-dir", os.path.join(work, "out_ort")], env=env))
        for threads, key in (("1", "ort1"), ("0", "ortN")):
            out = subprocess.check_output(["node", os.path.join(ROOT, "bench", "ort_time.js"), model, threads, "10"],
                                          env=env).split()
            t[key].append((float(out[0]) / 1e3, float(out[1]) / 1e3))
    # Per image: the difference of the medians (wall, CPU).
    def per_image(tag, i):
        return (median([x[i] for x in t[f"{tag}b4"]]) - median([x[i] for x in t[f"{tag}b1"]])) / 3
    med = {k: (median([x[0] for x in v]), median([x[1] for x in v])) for k, v in t.items()}
    rows = []
    for label, sim_w, sim_c, ort_w, ort_c in (
            ("compute per image, 1 thread", per_image("j1", 0), per_image("j1", 1), med["ort1"][0], med["ort1"][1]),
            ("compute per image, all cores", per_image("jN", 0), per_image("jN", 1), med["ortN"][0], med["ortN"][1]),
            ("whole process, 1 image (all cores)", med["jNb1"][0], med["jNb1"][1],
             med["ortproc"][0], med["ortproc"][1])):
        rows.append(f"| {name} | {label} | {sim_w * 1e3:.0f} ms | {ort_w * 1e3:.0f} ms | {sim_w / ort_w:.1f}x "
                    f"| {sim_c * 1e3:.0f} ms | {ort_c * 1e3:.0f} ms | {sim_c / ort_c:.1f}x |")
    rows.append(f"| {name} | whole process, 1 image, -j 1 | {med['j1b1'][0] * 1e3:.0f} ms | "
                f"{med['ortproc'][0] * 1e3:.0f} ms | {med['j1b1'][0] / med['ortproc'][0]:.1f}x | "
                f"{med['j1b1'][1] * 1e3:.0f} ms | {med['ortproc'][1] * 1e3:.0f} ms | "
                f"{med['j1b1'][1] / med['ortproc'][1]:.1f}x |")
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--models", nargs="+", default=["resnet18", "resnet50"])
    args = ap.parse_args()
    env = ort_env()
    if env is None:
        print("sim_vs_ort: onnxruntime-node not available; skipped")
        return
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    load = open("/proc/loadavg").read().split()[:3]
    print(f"rebocc-sim vs onnxruntime-node 1.30.0: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"commit {commit}, {cpu}, {os.cpu_count()} hardware threads, {platform.release()}, "
          f"load average {' '.join(load)} at start, median of {args.repeats} interleaved repeats")
    print()
    print("| model | what | rebocc-sim wall | onnxruntime wall | ratio | rebocc-sim CPU | onnxruntime CPU | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.models:
        for row in bench(args.build, name, args.repeats, env):
            print(row, flush=True)


if __name__ == "__main__":
    main()
