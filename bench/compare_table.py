#!/usr/bin/python3
"""Markdown tables from the reports bench/compare.sh writes.

  compare_table.py JSON_DIR

JSON_DIR holds `rebocc --compare=reboc,dense --report` files named
MODEL__kK__VARIANT.json (K a number or 'auto'; VARIANT intra, inter, reprog,
chipdup-intra, chipdup-inter, gated-intra). Every figure is read from
the reports' "cost" objects; the only derived ones are per-inference values and

  steady-state energy per inference
      = (energy - static energy) / inferences + static_power_w / throughput,

i.e. the dynamic energy of one inference plus the static power over one
inference's share of a long stream. For the intra-layer pipeline this equals
energy / inferences (throughput = 1 / latency); for the inter-layer pipeline of
a one-image run it removes the pipeline fill, which a one-image run pays in full.

speedup = dense latency / ReBoc latency (or throughput ReBoc / dense);
energy ratio = dense energy / ReBoc energy. > 1 means ReBoc is better.
"""
import collections
import glob
import json
import os
import sys

MODELS = ["mlp", "lenet", "resnet18", "resnet50", "alexnet", "vgg16"]
NAMES = {"mlp": "MLP (Fashion, circulant)", "lenet": "LeNet (Fashion, circulant)",
         "resnet18": "ResNet-18", "resnet50": "ResNet-50", "alexnet": "AlexNet",
         "vgg16": "VGG-16"}
COMPUTE = ["adc", "dac", "crossbar", "sample_hold", "shift_add", "input_register",
           "output_register", "digital"]
MOVEMENT = ["buffer", "bus", "network"]


class Side:
    """One mapping's figures from one compare report, per inference."""

    def __init__(self, entry):
        c = entry["cost"]
        self.c = c
        self.t = entry["totals"]
        self.layers = entry["layers"]
        n = c["inferences"]
        self.n = n
        self.lat = c["latency_s"]
        self.thr = c["throughput_inferences_per_s"]
        e = c["energy_j"]
        self.e = {key: v / n for key, v in e.items()}
        self.energy = e["total"] / n
        self.static_ss = c["static_power_w"] / self.thr
        self.energy_ss = (e["total"] - e["static"]) / n + self.static_ss
        self.area = c["area_mm2"]
        self.chips = c["chips"]
        self.fits = c["fits"]
        self.loads = c["program_loads"]
        self.prog_s = c["programming_s"]
        self.xbars = c["utilization"]["crossbars"]
        self.u_uniq = c["utilization"]["u_uniq"]
        self.u_occ = c["utilization"]["u_occ"]

    def groups(self, steady=False):
        """Energy per inference grouped: static, inter_chip (links: chips and host), programming,
        movement, rotator, compute."""
        g = collections.OrderedDict()
        g["static"] = self.static_ss if steady else self.e["static"]
        g["inter_chip"] = self.e.get("inter_chip", 0.0) + self.e.get("host_io", 0.0)
        g["programming"] = self.e.get("programming", 0.0)
        g["movement"] = sum(self.e.get(k, 0.0) for k in MOVEMENT)
        g["rotator"] = self.e.get("rotator", 0.0)
        g["compute"] = sum(self.e.get(k, 0.0) for k in COMPUTE)
        return g

    def time_split(self):
        """Share of one inference's latency by the bottleneck of each layer
        (plus reprogramming)."""
        by = collections.Counter()
        for layer in self.c["layers"]:
            by[layer["bottleneck"]] += layer["latency_s"]
        if self.prog_s:
            by["programming"] += self.prog_s
        total = sum(by.values()) or 1.0
        return {k: v / total for k, v in by.items()}

    def mean_steps(self):
        """Rotation steps per input vector, weighted by crossbar activations."""
        act = sum(l["xbar_activations"] for l in self.layers)
        if not act:
            return 1.0
        return sum(l["steps"] * l["xbar_activations"] for l in self.layers) / act


def load(directory):
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        model, k, variant = os.path.basename(path)[:-5].split("__")
        with open(path) as f:
            d = json.load(f)
        labels = [e["cost"]["mapping"] for e in d["compare"]]
        sides = {lab: Side(e) for lab, e in zip(labels, d["compare"])}
        runs[(model, k[1:], variant)] = (sides["reboc"], sides["dense"])
    return runs


def order(runs, variant):
    def key(item):
        model, k, _ = item
        return (MODELS.index(model) if model in MODELS else 99,
                0 if k == "auto" else int(k))
    return sorted((key_ for key_ in runs if key_[2] == variant), key=key)


def ms(s):
    return f"{s * 1e3:.3g}"


def mj(j):
    return f"{j * 1e3:.3g}"


def x(v):
    return f"**{v:.2f}x**"


def kname(model, k):
    if k == "auto":
        return {"mlp": "16/8/1 (trained)", "lenet": "1/8/16/8/1 (trained)"}.get(model, "auto")
    return k


def chips(s):
    if s.loads:
        return f"1 ({s.loads} loads)"
    return f"{s.chips}" + ("" if s.fits else "*")


def table_main(runs, out):
    out.append("### Intra-layer pipeline (`--pipeline=intra`, ReBoc's), `--overflow=chips`\n")
    out.append("Per inference. R = ReBoc mapping (auto duplication into idle columns), "
               "D = dense baseline (mapping E). `*` = needs several chips. "
               "speedup = D latency / R latency (= throughput ratio in this mode); "
               "energy ratio = D energy / R energy.\n")
    out.append("| model | k | crossbars R / D | chips R / D | U_uniq R / D | U_occ R / D | "
               "steps/vector R | latency R / D (ms) | speedup | energy R / D (mJ) | "
               "energy ratio | area R / D (mm²) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in order(runs, "intra"):
        r, d = runs[key]
        out.append(f"| {NAMES[key[0]]} | {kname(key[0], key[1])} | {r.xbars} / {d.xbars} | "
                   f"{chips(r)} / {chips(d)} | {r.u_uniq:.3f} / {d.u_uniq:.3f} | "
                   f"{r.u_occ:.3f} / {d.u_occ:.3f} | {r.mean_steps():.2f} | "
                   f"{ms(r.lat)} / {ms(d.lat)} | {x(d.lat / r.lat)} | "
                   f"{mj(r.energy)} / {mj(d.energy)} | {x(d.energy / r.energy)} | "
                   f"{r.area:.1f} / {d.area:.1f} |")
    out.append("")


def table_inter(runs, out):
    out.append("### Inter-layer pipeline (`--pipeline=inter`, ISAAC's: spare IMAs replicate layers)\n")
    out.append("Latency = one image through the filled pipeline; throughput = steady state. "
               "Energy ratio (this run) is for the run as made (one image for the torchvision "
               "models, 200 / 16 for the MLP / LeNet), which pays the pipeline fill in static "
               "energy; steady-state energy = dynamic energy per inference + static "
               "power / throughput.\n")
    out.append("| model | k | chips R / D | latency R / D (ms) | latency speedup | "
               "throughput R / D (inf/s) | throughput speedup | energy ratio (this run) | "
               "steady-state energy R / D (mJ) | steady-state energy ratio |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for key in order(runs, "inter"):
        r, d = runs[key]
        out.append(f"| {NAMES[key[0]]} | {kname(key[0], key[1])} | {chips(r)} / {chips(d)} | "
                   f"{ms(r.lat)} / {ms(d.lat)} | {x(d.lat / r.lat)} | "
                   f"{r.thr:.4g} / {d.thr:.4g} | {x(r.thr / d.thr)} | "
                   f"{d.energy / r.energy:.2f}x | {mj(r.energy_ss)} / {mj(d.energy_ss)} | "
                   f"{x(d.energy_ss / r.energy_ss)} |")
    out.append("")


def table_reprog(runs, out):
    keys = order(runs, "reprog")
    if not keys:
        return
    out.append("### Models the dense mapping cannot hold on one chip: `--overflow=reprogram` "
               "(intra) against `--overflow=chips`\n")
    out.append("With `reprogram` every inference rewrites every chip load (write-and-verify "
               "energy and time, weights brought in over the links); with `chips` the model "
               "is spread over several chips (static power and area of each, inter-chip "
               "traffic).\n")
    out.append("| model | k | loads R / D | programming R / D (ms) | latency R / D (ms) | "
               "speedup | energy R / D (mJ) | energy ratio | programming energy R / D (mJ) | "
               "vs `chips`: speedup, energy ratio |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for key in keys:
        r, d = runs[key]
        chipsrun = runs.get((key[0], key[1], "intra"))
        other = ""
        if chipsrun:
            rc, dc = chipsrun
            other = f"{dc.lat / rc.lat:.2f}x, {dc.energy / rc.energy:.2f}x"
        out.append(f"| {NAMES[key[0]]} | {kname(key[0], key[1])} | {r.loads} / {d.loads} | "
                   f"{ms(r.prog_s)} / {ms(d.prog_s)} | {ms(r.lat)} / {ms(d.lat)} | "
                   f"{x(d.lat / r.lat)} | {mj(r.energy)} / {mj(d.energy)} | "
                   f"{x(d.energy / r.energy)} | {mj(r.e.get('programming', 0))} / "
                   f"{mj(d.e.get('programming', 0))} | {other} |")
    out.append("")


def table_chipdup(runs, out):
    keys = order(runs, "chipdup-intra")
    if not keys:
        return
    out.append("### ReBoc spending the chip's spare crossbars on duplication "
               "(`--duplication-budget=chip`)\n")
    out.append("R_idle = `--duplication-budget=idle` (duplicate only into idle columns), "
               "R_chip = `--duplication-budget=chip` (the default with the intra-layer "
               "pipeline: spare IMAs spent where the cost model says they save the most "
               "latency); the dense run is unchanged. Ratios are dense / "
               "ReBoc (steady-state energy for inter).\n")
    out.append("| model | k | crossbars R_idle / R_chip / D | U_uniq R_chip | steps/vector "
               "R_idle / R_chip | intra speedup R_idle / R_chip | intra energy ratio "
               "R_idle / R_chip | inter throughput speedup R_idle / R_chip | inter energy "
               "ratio R_idle / R_chip |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for key in keys:
        model, k, _ = key
        ri, di = runs.get((model, k, "intra"), (None, None))
        rc, dc = runs[key]
        ni, _ = runs.get((model, k, "inter"), (None, None))
        nc, _ = runs.get((model, k, "chipdup-inter"), (None, None))
        dn = runs.get((model, k, "inter"), (None, None))[1]
        if ri is None:
            continue
        inter = "-"
        inter_e = "-"
        if ni and nc and dn:
            inter = f"{ni.thr / dn.thr:.2f}x / {nc.thr / dn.thr:.2f}x"
            inter_e = f"{dn.energy_ss / ni.energy_ss:.2f}x / {dn.energy_ss / nc.energy_ss:.2f}x"
        out.append(f"| {NAMES[model]} | {kname(model, k)} | {ri.xbars} / {rc.xbars} / "
                   f"{di.xbars} | {rc.u_uniq:.3f} | {ri.mean_steps():.2f} / "
                   f"{rc.mean_steps():.2f} | {di.lat / ri.lat:.2f}x / {dc.lat / rc.lat:.2f}x | "
                   f"{di.energy / ri.energy:.2f}x / {dc.energy / rc.energy:.2f}x | {inter} | "
                   f"{inter_e} |")
    out.append("")


def table_paper_pairing(runs, out):
    keys = order(runs, "intra")
    if not any((m, k, "inter") in runs for m, k, _ in keys):
        return
    out.append("### The paper's pairing: ReBoc with its intra-layer pipeline against the "
               "dense baseline with ISAAC's inter-layer pipeline\n")
    out.append("Same compare reports, crossed: ReBoc from the intra run (R_idle) and the "
               "chip-budget intra run (R_chip), dense from the inter run. Throughput "
               "speedup = R throughput / D throughput; energy ratio = D steady-state / R "
               "steady-state energy per inference.\n")
    out.append("| model | k | throughput R_idle / R_chip / D (inf/s) | throughput speedup "
               "R_idle / R_chip | energy ratio R_idle / R_chip |")
    out.append("|---|---|---|---|---|")
    for key in keys:
        model, k, _ = key
        if (model, k, "inter") not in runs:
            continue
        ri = runs[key][0]
        d = runs[(model, k, "inter")][1]
        rc = runs.get((model, k, "chipdup-intra"), (None, None))[0]
        thr = f"{ri.thr:.4g} / {rc.thr:.4g} / {d.thr:.4g}" if rc else f"{ri.thr:.4g} / - / {d.thr:.4g}"
        sp = f"{ri.thr / d.thr:.3g}x / {rc.thr / d.thr:.3g}x" if rc else f"{ri.thr / d.thr:.3g}x / -"
        en = (f"{d.energy_ss / ri.energy_ss:.3g}x / {d.energy_ss / rc.energy_ss:.3g}x" if rc
              else f"{d.energy_ss / ri.energy_ss:.3g}x / -")
        out.append(f"| {NAMES[model]} | {kname(model, k)} | {thr} | {sp} | {en} |")
    out.append("")


def table_gated(runs, out):
    keys = order(runs, "gated-intra")
    if not keys:
        return
    out.append("### Sensitivity: static power only for the tiles in use (`--gate-idle-tiles`)\n")
    out.append("Intra-layer pipeline, idle-only duplication (with `--pipeline=inter` the "
               "replicas fill nearly every tile, so gating changes little).\n")
    out.append("| model | k | tiles used R / D | static power R / D (W) | speedup | "
               "energy ratio ungated -> gated |")
    out.append("|---|---|---|---|---|---|")
    for key in keys:
        model, k, _ = key
        r, d = runs[key]
        ri, di = runs.get((model, k, "intra"), (r, d))
        out.append(f"| {NAMES[model]} | {kname(model, k)} | {r.c['tiles_used']} / "
                   f"{d.c['tiles_used']} | {r.c['static_power_w']:.3g} / "
                   f"{d.c['static_power_w']:.3g} | {d.lat / r.lat:.2f}x | "
                   f"{di.energy / ri.energy:.2f}x -> **{d.energy / r.energy:.2f}x** |")
    out.append("")


def table_sources(runs, out):
    out.append("### Where the energy difference comes from\n")
    out.append("(dense - ReBoc) energy per inference by component, as a share of the dense "
               "energy (steady state for inter); the shares add up to 1 - 1/(energy ratio). "
               "Positive = ReBoc saves. compute = ADC, DAC, arrays, S+H, shift-and-add, "
               "registers, digital units (identical counts in both mappings); movement = "
               "eDRAM + bus + NoC; rotator = ReBoc's input rotator (ReBoc only); links = "
               "inter-chip traffic plus host I/O (the latter equal in both mappings).\n")
    out.append("| model | k | run | energy ratio | static | links | programming | "
               "movement | rotator | compute | time split R | time split D |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for variant in ["intra", "inter", "reprog", "chipdup-intra"]:
        for key in order(runs, variant):
            r, d = runs[key]
            steady = variant.endswith("inter")
            gr, gd = r.groups(steady), d.groups(steady)
            total_d = sum(gd.values())
            total_r = sum(gr.values())
            cells = " | ".join(f"{(gd[g] - gr[g]) / total_d * 100:+.1f}%" for g in gd)
            out.append(f"| {NAMES[key[0]]} | {kname(key[0], key[1])} | {variant} | "
                       f"{total_d / total_r:.2f}x | {cells} | {split(r)} | {split(d)} |")
    out.append("")


def gmean(values):
    values = list(values)
    if not values:
        return float("nan")
    prod = 1.0
    for v in values:
        prod *= v
    return prod ** (1.0 / len(values))


def table_summary(runs, out):
    out.append("### Summary: geometric means over the ImageNet CNNs (AlexNet, VGG-16, "
               "ResNet-18, ResNet-50) and k = 4, 8, 16\n")
    out.append("> 1 means ReBoc is better. Latency speedup for the intra-layer pipeline "
               "(= throughput there), throughput speedup and steady-state energy for the "
               "inter-layer pipeline.\n")
    out.append("| configuration | runs | speedup (min .. max) | energy ratio (min .. max) |")
    out.append("|---|---|---|---|")
    rows = [("intra, overflow=chips, idle-only duplication", "intra", False),
            ("inter, overflow=chips", "inter", True),
            ("intra, overflow=reprogram (AlexNet, VGG-16)", "reprog", False),
            ("intra, ReBoc with --duplication-budget=chip (default)", "chipdup-intra", False),
            ("inter, ReBoc with --duplication-budget=chip", "chipdup-inter", True),
            ("intra, --gate-idle-tiles (ResNets, k = 8)", "gated-intra", False)]
    for label, variant, inter in rows:
        keys = [k for k in order(runs, variant) if k[0] not in ("mlp", "lenet")]
        if not keys:
            continue
        if inter:
            sp = [runs[k][0].thr / runs[k][1].thr for k in keys]
            en = [runs[k][1].energy_ss / runs[k][0].energy_ss for k in keys]
        else:
            sp = [runs[k][1].lat / runs[k][0].lat for k in keys]
            en = [runs[k][1].energy / runs[k][0].energy for k in keys]
        out.append(f"| {label} | {len(keys)} | **{gmean(sp):.2f}x** ({min(sp):.2f} .. "
                   f"{max(sp):.2f}) | **{gmean(en):.2f}x** ({min(en):.2f} .. {max(en):.2f}) |")
    out.append("")


def split(side):
    parts = sorted(side.time_split().items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v * 100:.0f}%" for k, v in parts if v >= 0.01)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    runs = load(sys.argv[1])
    if not runs:
        sys.exit(f"compare_table.py: no reports in {sys.argv[1]}")
    out = []
    table_summary(runs, out)
    table_main(runs, out)
    table_inter(runs, out)
    table_reprog(runs, out)
    table_chipdup(runs, out)
    table_paper_pairing(runs, out)
    table_gated(runs, out)
    table_sources(runs, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
