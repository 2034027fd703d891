#!/usr/bin/python3
"""Checks that rebocc's block-size detection finds, for every layer of every
model listed in EXAMPLES/expected_block_sizes.json, the k the generator
trained it with:  check-block-sizes.py EXAMPLES_DIR [EXAMPLES_DIR ...]
Prints one line per model ("ok MODEL: name=k ...") and "N models ok";
exits 1 on the first mismatch."""
import json
import os
import re
import subprocess
import sys

LAYER = re.compile(r'circulant\.(?:fc|conv) .*?block_size = (\d+) : i64.*?name = "([^"]+)"')

count = 0
for examples in sys.argv[1:]:
    expected = json.load(open(os.path.join(examples, "expected_block_sizes.json")))
    for model, layers in sorted(expected.items()):
        path = os.path.join(examples, model, "model.onnx")
        if not os.path.isfile(path):
            continue
        ir = subprocess.run(["rebocc", path, "--emit=circulant"], capture_output=True,
                            text=True, check=True).stdout
        found = {name: int(k) for k, name in LAYER.findall(ir)}
        for name, k in layers.items():
            if found.get(name) != k:
                print(f"MISMATCH {model}: layer {name} expected k = {k}, found {found.get(name)}")
                sys.exit(1)
        print(f"ok {model}: " + " ".join(f"{n}={k}" for n, k in layers.items()))
        count += 1
print(f"{count} models ok")
