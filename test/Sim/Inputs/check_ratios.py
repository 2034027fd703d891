#!/usr/bin/python3
"""Checks that every ratio of a --compare report is within a tolerance of 1.

  check_ratios.py REPORT.json [--tolerance 0.01]

Prints one line per ratio and 'all ratios within T of 1' or exits 1 naming the
first ratio outside."""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("--tolerance", type=float, default=0.01)
args = ap.parse_args()
ratios = json.load(open(args.report))["ratios"]
bad = []
for key, figures in sorted(ratios.items()):
    for name, value in sorted(figures.items()):
        print(f"{key} {name} {value:.6f}")
        if value is None or abs(value - 1.0) > args.tolerance:
            bad.append(f"{key} {name} = {value}")
if not ratios or bad:
    print("ratios outside tolerance: " + ("; ".join(bad) or "no ratios"))
    sys.exit(1)
print(f"all ratios within {args.tolerance} of 1")
