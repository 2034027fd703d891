#!/usr/bin/python3
"""Compiles and runs example models (model-zoo layout) in fixed point and in
float reference and compares with their expected outputs:
  run-examples.py MODELS_DIR OUT_DIR name [name ...] [--fixed-tolerance RTOL ATOL]
Prints compare_outputs.py's lines per run, then "N runs matched"; exits 1 at
the first mismatch or failure."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
compare = os.path.join(here, "..", "..", "..", "scripts", "compare_outputs.py")

args = sys.argv[1:]
fixed_rtol, fixed_atol = "1e-2", "1e-2"
if "--fixed-tolerance" in args:
    at = args.index("--fixed-tolerance")
    fixed_rtol, fixed_atol = args[at + 1], args[at + 2]
    del args[at:at + 3]
models, out, names = args[0], args[1], args[2:]
runs = 0
for name in names:
    data = os.path.join(models, name, "test_data_set_0")
    # (mode flags, rtol, atol)
    for flags, rtol, atol in (([], fixed_rtol, fixed_atol),
                              (["--float-reference"], "1e-4", "1e-4")):
        target = os.path.join(out, name.replace("/", "_") + ("_float" if flags else "_fixed"))
        cmd = ["rebocc", os.path.join(models, name, "model.onnx"), "--run",
               "--input", os.path.join(data, "input_0.pb"), "--output-dir", target] + flags
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"{name} {flags}: rebocc failed: {result.stderr.strip()}")
            sys.exit(1)
        check = subprocess.run([sys.executable, compare, "--expected", data, "--actual", target,
                                "--rtol", rtol, "--atol", atol, "--top1"],
                               capture_output=True, text=True)
        print(f"== {name} {' '.join(flags) or 'fixed-point'}")
        print(check.stdout.strip())
        if check.returncode != 0:
            sys.exit(1)
        runs += 1
print(f"{runs} runs matched")
