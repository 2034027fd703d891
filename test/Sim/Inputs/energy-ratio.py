"""Compares the energy of two JSON run reports (rebocc --report).

usage: energy-ratio.py BASE.json NEW.json COMPONENT RATIO

Passes when NEW's energy of COMPONENT (whole run and every layer) is RATIO
times BASE's, and every other dynamic component is unchanged (total and
static may change: static power is a share of each component's power).
"""
import json
import sys

base_path, new_path, component, ratio = sys.argv[1:5]
ratio = float(ratio)
base = json.load(open(base_path))["cost"]
new = json.load(open(new_path))["cost"]


def close(a, b):
    return abs(a - b) <= 1e-5 * max(abs(a), abs(b))


problems = []
pairs = [("run", base["energy_j"], new["energy_j"])]
pairs += [(b["name"], b["energy_j"], n["energy_j"])
          for b, n in zip(base["layers"], new["layers"])]
if len(base["layers"]) != len(new["layers"]):
    problems.append("different layers")
for where, b, n in pairs:
    for key in b:
        if key in ("total", "static"):
            continue
        want = b[key] * ratio if key == component else b[key]
        if not close(n[key], want):
            problems.append("%s %s: %g, expected %g" % (where, key, n[key], want))
if base["energy_j"][component] <= 0:
    problems.append("base %s energy is 0: the check is vacuous" % component)
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("ok: %s x %g" % (component, ratio))
