"""Checks a --compare report's attribution (JSON numbers carry 6 significant
digits, so sums are compared to within that rounding): per layer the parts add up to the
layer's energy difference, and over the layers to the difference of the two
reports' energies (host I/O and the links' static power, charged to no layer,
are the same for both mappings). Layers are paired as rebocc pairs them: the
n-th layer of a name in one report with the n-th of that name in the other
(one ONNX node may lower to several layers of its name). Prints the layers
with a nonzero difference and the sources that explain it."""
import json
import sys

report = json.load(open(sys.argv[1]))
base, other = (c["cost"] for c in report["compare"][:2])
rows = next(iter(report["attribution"].values()))
parts = ["crossbars_and_conversions", "rotation", "buffer_traffic",
         "programming", "static", "digital"]
ok = True
layer_sum = 0.0


def by_occurrence(layers):
    """(name, n) -> the n-th layer of that name."""
    seen, keyed = {}, {}
    for layer in layers:
        n = seen.get(layer["name"], 0)
        seen[layer["name"]] = n + 1
        keyed[(layer["name"], n)] = layer
    return keyed


base_layers = by_occurrence(base["layers"])
other_layers = by_occurrence(other["layers"])
row_seen = {}
for r in rows:
    n = row_seen.get(r["name"], 0)
    row_seen[r["name"]] = n + 1
    key = (r["name"], n)
    e = r["energy_j"]
    total = sum(e[p] for p in parts)
    mine = base_layers[key]["energy_j"]["total"]
    want = other_layers[key]["energy_j"]["total"] - mine
    rounding = 1e-5 * (sum(abs(e[p]) for p in parts) + abs(mine) + abs(want + mine))
    if abs(total - e["total"]) > rounding or abs(e["total"] - want) > rounding:
        print("MISMATCH", r["name"], total, e["total"], want)
        ok = False
    layer_sum += e["total"]
    if e["total"] != 0:
        print(r["name"], " ".join(p for p in parts if e[p] != 0))
run_diff = other["energy_j"]["total"] - base["energy_j"]["total"]
if abs(layer_sum - run_diff) > 1e-5 * (abs(base["energy_j"]["total"]) +
                                       abs(other["energy_j"]["total"])):
    print("MISMATCH run", layer_sum, run_diff)
    ok = False
print("attribution adds up" if ok else "attribution does not add up")
sys.exit(0 if ok else 1)
