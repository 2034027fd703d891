#!/usr/bin/python3
"""A stand-in for rebocc with hand-chosen figures, for pareto.test: the
report of `MODEL ... --hw-set adc_bits=V ... --report FILE` holds the
energy, latency, area and throughput of row V of the table below (model
b.onnx: energies times 0.1, so that b would dominate all of a were the fronts
not per model); adc_bits=7 fails as rebocc does. A model path that does not
exist gets rebocc's error, as the sweep's options check expects."""
import json
import os
import sys

# adc_bits: (energy J, latency s, area mm2, throughput inferences/s)
TABLE = {1: (1, 6, 10, 100), 2: (2, 4, 10, 100), 3: (2, 5, 12, 300),
         4: (3, 4, 12, 200), 5: (4, 1, 15, 300), 6: (4, 1, 9, 50)}

args = sys.argv[1:]
if args == ["--help"]:
    print("OVERVIEW: fake rebocc")
    sys.exit(0)
model = [a for a in args if a.endswith(".onnx")][0]
if not os.path.exists(model):
    sys.exit("rebocc: error: %s: No such file or directory" % model)
adc = int(args[args.index("--hw-set") + 1].split("=")[1])
if adc not in TABLE:
    sys.exit("rebocc: error: no figures for adc_bits=%d" % adc)
energy, latency, area, throughput = TABLE[adc]
if os.path.basename(model) == "b.onnx":
    energy *= 0.1
report = {"cost": {"energy_j": {"total": energy}, "inferences": 1,
                   "latency_s": latency, "area_mm2": area,
                   "throughput_inferences_per_s": throughput}}
with open(args[args.index("--report") + 1], "w") as f:
    json.dump(report, f)
