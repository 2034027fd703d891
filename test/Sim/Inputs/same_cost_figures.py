"""Compares the cost figures of JSON reports: prints, for each report, its
energy per run, latency and area exactly as written (the JSON's shortest
round-trip text, so equal text is equal bits) and exits 1 naming the first
figure in which a report differs from the first one.

usage: same_cost_figures.py REPORT.json REPORT.json [...]
"""
import json
import sys

FIGURES = (("energy_j", lambda c: c["energy_j"]["total"]),
           ("latency_s", lambda c: c["latency_s"]),
           ("area_mm2", lambda c: c["area_mm2"]),
           ("inferences", lambda c: c["inferences"]))


def figures(path):
    with open(path) as f:
        # Numbers as their text: no rounding through a Python float.
        cost = json.load(f, parse_float=str, parse_int=str)["cost"]
    return [(name, get(cost)) for name, get in FIGURES]


first = figures(sys.argv[1])
status = 0
for path in sys.argv[1:]:
    mine = figures(path)
    print(" ".join("%s=%s" % item for item in mine))
    for (name, want), (_, got) in zip(first, mine):
        if got != want and status == 0:
            print("%s: %s is %s, %s has %s" % (path, name, got, sys.argv[1],
                                             want))
            status = 1
if status == 0:
    print("same energy, latency and area in %d reports" % (len(sys.argv) - 1))
sys.exit(status)
