"""Prints the static share of a run report's energy and whether idle units
were gated: 'static <share> gated <true|false>'."""
import json
import sys

cost = json.load(open(sys.argv[1]))["cost"]
energy = cost["energy_j"]
print("static %.4f gated %s" % (energy["static"] / energy["total"],
                                str(cost["gate_idle_tiles"]).lower()))
