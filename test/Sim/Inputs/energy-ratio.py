"""Compares the energy of two JSON run reports (rebocc --report).

usage: energy-ratio.py BASE.json NEW.json COMPONENT RATIO

Passes when NEW's energy of COMPONENT (whole run and every layer, dynamic
and static apart) is RATIO times BASE's, and every other component is
unchanged: a component's static power is a fraction of its own power.
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
    for part in ("dynamic_by_component", "static_by_component"):
        for key in b[part]:
            want = b[part][key] * ratio if key == component else b[part][key]
            if not close(n[part][key], want):
                problems.append("%s %s %s: %g, expected %g"
                                % (where, part, key, n[part][key], want))
if base["energy_j"]["dynamic_by_component"][component] <= 0:
    problems.append("base %s energy is 0: the check is vacuous" % component)
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("ok: %s x %g" % (component, ratio))
