#!/usr/bin/python3
"""Markdown tables from the reports bench/compare.sh writes.

  compare_table.py JSON_DIR [HW_JSON]

JSON_DIR holds `rebocc --compare=reboc,dense --report` files named
MODEL__kK__VARIANT.json (K a number or 'auto'; VARIANT intra, inter, reprog,
noreplicas, chipdup-intra, chipdup-inter, ungated-intra, ungated-inter). Each
report's own hardware description (its "hardware" member) gives the static power
of a tile without its IMAs, of a vector functional unit and of the links, which
the steady-state energy below needs. HW_JSON, if given, is the description the
runs were meant to use: a report whose hardware differs from it is an error.

Every figure is read from the reports' "cost" and "attribution" objects. The only
derived figures are per-inference values and, for the inter-layer pipeline, the
steady-state energy per inference (a stream of inferences rather than the one-image
run the ImageNet reports cost, which pays the whole pipeline fill in static energy):

  dynamic energy / inferences                              (every event is per inference)
  + IMA leakage / inferences                               (gated: imas x stage x inferences)
  + (used tiles x tile static power + VFU tiles x VFU leakage
     + links' static power) / throughput

(docs/CostModel.md section 4: gated, an IMA leaks for its layer's stage time x
inferences, every used tile and every vector functional unit (the report's
vfu_tiles) for the whole run; not gated, every tile of every chip leaks for the
whole run, so the static part is static power / throughput). The per-layer static
energy is split the same way: a layer's share of the tiles' and VFUs' leakage is
its busy time (stage_s) over the sum of all layers' busy times. For the intra-layer
pipeline and reprogrammed runs the steady state is the run's energy / inferences.

speedup = dense latency / ReBoc latency, or ReBoc throughput / dense throughput;
energy ratio = dense energy / ReBoc energy per inference. > 1 means ReBoc is better.
Sources of the energy difference: the report's per-layer attribution (dense minus
ReBoc), summed over layers, as a share of the dense energy per inference; the shares
add up to 1 - 1/(energy ratio).

The reports' parts are checked against their totals (energy components, layers
and links against the run, the tiles' and VFUs' share of each layer's leakage, the
attribution's parts); a report that does not add up is an error naming the file
and the part.
"""
import collections
import glob
import json
import math
import os
import sys

MODELS = ["mlp", "lenet", "resnet18", "resnet50", "alexnet", "vgg16"]
IMAGENET = ("resnet18", "resnet50", "alexnet", "vgg16")
NAMES = {"mlp": "MLP (Fashion)", "lenet": "LeNet (Fashion)",
         "resnet18": "ResNet-18", "resnet50": "ResNet-50", "alexnet": "AlexNet",
         "vgg16": "VGG-16"}
VARIANTS = ["noreplicas", "intra", "chipdup-intra", "reprog", "ungated-intra", "inter",
            "chipdup-inter", "ungated-inter"]
PARTS = [("crossbars_and_conversions", "compute"), ("rotation", "rotation"),
         ("buffer_traffic", "traffic"), ("programming", "programming"),
         ("static", "static"), ("digital", "digital")]


# The tile's leakage by report component, without its IMAs (lib/Model/Components.cpp,
# tileStaticMw; docs/CostModel.md section 4). IMAs leak none of these components.
TILE_ONLY = ("buffer", "bus", "network", "digital")


def tile_static_mw(hw):
    """Static power of one tile without its IMAs, by component (mW)."""
    return {
        "buffer": hw["edram_power_mw"] * hw["edram_static_fraction"],
        "bus": hw["bus_power_mw"] * hw["bus_static_fraction"],
        "network": hw["router_power_mw"] / hw["tiles_per_router"] * hw["router_static_fraction"],
        "shift_add": hw["tile_shift_add_power_mw"] * hw["tile_shift_add_static_fraction"],
        "output_register": (hw["tile_output_register_power_mw"]
                            * hw["tile_output_register_static_fraction"]),
        "digital": (hw["sigmoid_power_mw"] * hw["sigmoid_static_fraction"]
                    + hw["max_pool_power_mw"] * hw["max_pool_static_fraction"]),
    }


def inter_tiles_static_j(hw, c):
    """Gated inter-layer pipeline: the used tiles and the vector functional units
    (one in each of the report's vfu_tiles, in the digital component) leak for the
    whole run (docs/CostModel.md section 4), by component (J)."""
    j = {k: v * 1e-3 * c["tiles_used"] * c["run_s"] for k, v in tile_static_mw(hw).items()}
    j["digital"] += hw["vfu_leak_power_mw"] * 1e-3 * c["vfu_tiles"] * c["run_s"]
    return j


def links_static_j(hw, c):
    """The links leak on every chip for the whole run (lib/Model/StaticEnergy.cpp)."""
    if hw["ht_links"] <= 0:
        return 0.0
    return hw["ht_static_fraction"] * hw["ht_power_w"] * c["chips"] * c["run_s"]


class CheckError(Exception):
    """A report whose parts do not add up to its totals."""


def require(ok, what):
    if not ok:
        raise CheckError(what)


def close(a, b, scale, rel=1e-5):
    """Equal but for rounding (rel of scale): sums in another order, 6-digit numbers."""
    return abs(a - b) <= rel * abs(scale) + 1e-18


class Side:
    """One mapping's figures from one compare report, per inference."""

    def __init__(self, entry, hw):
        c = entry["cost"]
        self.c = c
        self.layers = entry["layers"]  # the run report's per-layer counts
        self.n = n = c["inferences"]
        self.lat = c["latency_s"]
        self.thr = c["throughput_inferences_per_s"]
        e = c["energy_j"]
        self.dyn = {k: v / n for k, v in e["dynamic_by_component"].items()}
        self.energy = e["total"] / n
        self.static_run = e["static"] / n
        self.inter = c["pipeline"] == "inter" and not c["reprogrammed"]
        self.gated = c["gate_idle_tiles"]
        run_s = c["run_s"]
        self.check_totals(hw)
        # Steady-state static energy per inference, per layer (by position: names
        # need not be unique) and run level.
        self.static_ss = []
        layers_static = sum(l["energy_j"]["static"] for l in c["layers"])
        if self.inter:
            busy = [l["stage_s"] * n for l in c["layers"]]
            busy_total = sum(busy) or 1.0
            tiles_j = inter_tiles_static_j(hw, c)
            tiles_total = sum(tiles_j.values())
            for l, b in zip(c["layers"], busy):
                s = l["energy_j"]["static"]
                if self.gated:
                    share = b / busy_total
                    by = l["energy_j"]["static_by_component"]
                    for comp in TILE_ONLY:
                        require(close(by[comp], tiles_j[comp] * share, tiles_j[comp] * share + s),
                                f"layer {l['name']}: static {comp} {by[comp]:.6g} J is not its "
                                f"share {share:.6g} of the used tiles' and VFUs' "
                                f"{tiles_j[comp]:.6g} J")
                    tile = tiles_total * share
                    ima = s - tile
                    require(ima > -1e-5 * s - 1e-15,
                            f"layer {l['name']}: static {s:.6g} J is less than its share "
                            f"of the tiles' and VFUs' leakage {tile:.6g} J")
                    ima = max(ima, 0.0)
                    self.static_ss.append(ima / n + tile / (run_s * self.thr))
                else:
                    self.static_ss.append(s / (run_s * self.thr))
            self.links_static_ss = (e["static"] - layers_static) / (run_s * self.thr)
        else:
            for l in c["layers"]:
                self.static_ss.append(l["energy_j"]["static"] / n)
            self.links_static_ss = (e["static"] - layers_static) / n
        self.static = sum(self.static_ss) + self.links_static_ss
        self.energy_ss = e["dynamic"] / n + self.static
        self.area = c["area_mm2"]
        self.chips = c["chips"]
        self.fits = c["fits"]
        self.loads = c["program_loads"]
        self.prog_s = c["programming_s"]
        self.xbars = c["crossbars_needed"]
        self.imas = c["imas_needed"]
        self.tiles = c["tiles_used"]
        self.tiles_powered = c["tiles_powered"]
        self.u_uniq = c["utilization"]["u_uniq"]
        self.u_occ = c["utilization"]["u_occ"]
        self.static_share = self.static / self.energy_ss if self.energy_ss else 0.0
        xl = [l for l in c["layers"] if l["kind"] == "crossbar"]
        self.replicas = sum(l["replication"] - 1 for l in xl)
        self.max_repl = max((l["replication"] for l in xl), default=1)
        self.xpi = hw["xbars_per_ima"]
        self.imas_active = sum(self.replica_imas(l) for l in xl)
        slow = max(c["layers"], key=lambda l: l["stage_s"]) if c["layers"] else None
        self.slowest = slow

    def check_totals(self, hw):
        """The report's parts add up: components to the dynamic and static energy,
        dynamic and static to the total, the layers and the links to the run's
        static energy."""
        c, e = self.c, self.c["energy_j"]
        m = c["mapping"]
        for part in ("dynamic", "static"):
            by = sum(e[part + "_by_component"].values())
            require(close(by, e[part], e["total"]),
                    f"{m}: {part} energy {e[part]:.6g} J is not the sum of its components "
                    f"{by:.6g} J")
        require(close(e["dynamic"] + e["static"], e["total"], e["total"]),
                f"{m}: dynamic + static energy is not the total {e['total']:.6g} J")
        layers = sum(l["energy_j"]["static"] for l in c["layers"])
        links = links_static_j(hw, c)
        require(close(layers + links, e["static"], e["total"]),
                f"{m}: the layers' static energy {layers:.6g} J and the links' {links:.6g} J "
                f"are not the run's {e['static']:.6g} J")

    def replica_imas(self, l):
        """IMAs of a layer's copies: copies of a layer smaller than an IMA share
        IMAs array by array (lib/Model/LayerCost.cpp, replicaImas)."""
        r = l["replication"]
        if r <= 1:
            return l["imas"]
        if l["crossbars"] < self.xpi:
            return math.ceil(l["crossbars"] * r / self.xpi)
        return l["imas"] * r

    def e_pi(self, steady):
        return self.energy_ss if steady else self.energy

    def time_split(self):
        """Share of one inference's latency by the bottleneck of each layer
        (plus reprogramming and host I/O)."""
        by = collections.Counter()
        for layer in self.c["layers"]:
            by[layer["bottleneck"]] += layer["latency_s"]
        if self.prog_s:
            by["programming"] += self.prog_s
        by["host I/O"] += self.c["host_io_s"]
        total = sum(by.values()) or 1.0
        return {k: v / total for k, v in by.items()}

    def mean_steps(self):
        """Rotation steps per input vector, weighted by crossbar activations."""
        act = sum(l["xbar_activations"] for l in self.layers)
        if not act:
            return 1.0
        return sum(l["steps"] * l["xbar_activations"] for l in self.layers) / act


class Run:
    def __init__(self, d, hw):
        labels = [e["cost"]["mapping"] for e in d["compare"]]
        require(labels == ["reboc", "dense"], f"mappings {labels}, not reboc and dense")
        self.r = Side(d["compare"][0], hw)
        self.d = Side(d["compare"][1], hw)
        self.attribution = d["attribution"]["dense/reboc"]
        names = [[l["name"] for l in s.c["layers"]] for s in (self.r, self.d)]
        require(names[0] == names[1] == [a["name"] for a in self.attribution],
                "the mappings' layers and the attribution's rows differ")

    def sources(self, steady):
        """(dense - ReBoc) energy per inference by source, from the attribution;
        'host I/O, links' is the run-level rest (host I/O energy, links' leakage)."""
        r, d = self.r, self.d
        n = r.n
        out = collections.OrderedDict((label, 0.0) for _, label in PARTS)
        for i, row in enumerate(self.attribution):
            for key, label in PARTS:
                if key == "static":
                    continue
                out[label] += row["energy_j"][key] / n
            out["static"] += d.static_ss[i] - r.static_ss[i]
        total = d.e_pi(steady) - r.e_pi(steady)
        out["host I/O, links"] = total - sum(out.values())
        return out, total

    def check(self):
        """The attribution adds up (per layer, and to the run's difference but for
        the run-level host I/O and link leakage); its static part is the layers'
        difference (intra: equal to ours)."""
        r, d = self.r, self.d
        scale = d.energy * d.n
        for i, row in enumerate(self.attribution):
            e = row["energy_j"]
            parts = sum(e[k] for k, _ in PARTS)
            require(close(parts, e["total"], abs(e["total"]) + scale, 1e-6),
                    f"attribution {row['name']}: parts {parts:.6g} J are not its total "
                    f"{e['total']:.6g} J")
            static = (d.c["layers"][i]["energy_j"]["static"]
                      - r.c["layers"][i]["energy_j"]["static"])
            require(close(static, e["static"], scale),
                    f"attribution {row['name']}: static {e['static']:.6g} J is not the "
                    f"layers' difference {static:.6g} J")
            if not r.inter:
                mine = (d.static_ss[i] - r.static_ss[i]) * r.n
                require(close(mine, e["static"], scale),
                        f"attribution {row['name']}: static {e['static']:.6g} J is not "
                        f"the steady state's {mine:.6g} J")
        rest = ((d.dyn["host_io"] - r.dyn["host_io"]) + (d.links_static_ss - r.links_static_ss))
        srcs, total = self.sources(r.inter)
        require(close(srcs["host I/O, links"], rest, d.e_pi(r.inter)),
                f"the layers' attribution and the run level ({rest:.6g} J) are not the "
                f"run's difference ({srcs['host I/O, links']:.6g} J left)")


def same_hardware(expected, actual):
    """The keys of a hardware description (not its '_' comments) the report's
    differs in."""
    def differs(a, b):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return abs(a - b) > 1e-9 * max(abs(a), abs(b))
        return a != b
    return [k for k, v in expected.items()
            if not k.startswith("_") and (k not in actual or differs(v, actual[k]))]


def load(directory, hw):
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        try:
            model, k, variant = os.path.basename(path)[:-5].split("__")
            with open(path) as f:
                d = json.load(f)
            if hw is not None:
                diff = same_hardware(hw, d["hardware"])
                require(not diff, "hardware differs from HW_JSON in " + ", ".join(diff))
            run = Run(d, d["hardware"])
            run.check()
        except CheckError as err:
            sys.exit(f"compare_table.py: error: {path}: {err}")
        except (OSError, ValueError, KeyError) as err:
            sys.exit(f"compare_table.py: error: {path}: cannot read the report ({err!r})")
        runs[(model, k[1:], variant)] = run
    return runs


def order(runs, variant, imagenet=False):
    def key(item):
        model, k, _ = item
        return (MODELS.index(model) if model in MODELS else 99,
                0 if k == "auto" else int(k))
    keys = [k for k in runs if k[2] == variant and (not imagenet or k[0] in IMAGENET)]
    return sorted(keys, key=key)


def ms(s):
    return f"{s * 1e3:.3g}"


def mj(j):
    return f"{j * 1e3:.3g}"


def x(v):
    return f"**{v:.2f}x**"


def pct(v):
    return f"{v * 100:.0f}%"


def name(model):
    return NAMES.get(model, model)


def kname(model, k):
    if k == "auto":
        return {"mlp": "16/8/1", "lenet": "1/8/16/8/1"}.get(model, "auto")
    return k


def chips(s):
    if s.loads:
        return f"1 ({s.loads} loads)"
    return f"{s.chips}" + ("" if s.fits else "*")


def gmean(values):
    values = list(values)
    if not values:
        return float("nan")
    return math.exp(sum(math.log(v) for v in values) / len(values))


def span(values):
    return f"**{gmean(values):.2f}x** ({min(values):.2f} .. {max(values):.2f})"


def table_summary(runs, out):
    out.append("### Summary: geometric means over AlexNet, VGG-16, ResNet-18 and ResNet-50 "
               "at k = 4, 8, 16\n")
    out.append("Ratios above 1 mean ReBoc is better. Latency = one inference (one image) through the "
               "chip; throughput = steady state (= 1 / latency in the intra-layer pipeline); "
               "energy per inference, steady state (a stream) for the inter-layer pipeline. "
               "Gated = idle units power-gated (the default).\n")
    out.append("| pipeline | ReBoc duplication budget | variant | runs | latency dense / ReBoc | "
               "throughput ReBoc / dense | energy dense / ReBoc |")
    out.append("|---|---|---|---|---|---|---|")
    rows = [("intra", "idle", "gated, overflow=chips, **no replicas**", "noreplicas"),
            ("intra", "**idle** (the default)", "gated, overflow=chips", "intra"),
            ("intra", "chip", "gated, overflow=chips", "chipdup-intra"),
            ("intra", "idle", "gated, overflow=reprogram (AlexNet, VGG-16)", "reprog"),
            ("intra", "idle", "not gated (k = 8)", "ungated-intra"),
            ("inter", "**idle** (the default)", "gated, overflow=chips", "inter"),
            ("inter", "chip", "gated, overflow=chips", "chipdup-inter"),
            ("inter", "idle", "not gated (k = 8)", "ungated-inter")]
    for pipe, budget, label, variant in rows:
        keys = order(runs, variant, imagenet=True)
        if not keys:
            continue
        lat = [runs[k].d.lat / runs[k].r.lat for k in keys]
        thr = [runs[k].r.thr / runs[k].d.thr for k in keys]
        steady = variant.endswith("inter")
        en = [runs[k].d.e_pi(steady) / runs[k].r.e_pi(steady) for k in keys]
        out.append(f"| {pipe} | {budget} | {label} | {len(keys)} | {span(lat)} | "
                   f"{span(thr)} | {span(en)} |")
    # The paper's pairing, crossed: ReBoc intra (the default idle budget, then the
    # chip budget) against dense inter.
    for variant, budget in (("intra", "idle"), ("chipdup-intra", "chip")):
        keys = [k for k in order(runs, variant, imagenet=True)
                if (k[0], k[1], "inter") in runs]
        if not keys:
            continue
        thr = [runs[k].r.thr / runs[(k[0], k[1], "inter")].d.thr for k in keys]
        lat = [runs[(k[0], k[1], "inter")].d.lat / runs[k].r.lat for k in keys]
        en = [runs[(k[0], k[1], "inter")].d.energy_ss / runs[k].r.energy for k in keys]
        out.append(f"| ReBoc intra, dense inter | {budget} / - | gated, crossed from two "
                   f"runs | {len(keys)} | {span(lat)} | {span(thr)} | {span(en)} |")
    out.append("")


def table_intra(runs, out, variant, title, note):
    keys = order(runs, variant)
    if not keys:
        return
    out.append(f"### {title}\n")
    out.append(note + "\n")
    out.append("| model | k | crossbars R / D | IMAs R / D (+ replicas) | chips R / D | "
               "steps/vector R | U_uniq R / D | latency R / D (ms) | speedup | "
               "energy R / D (mJ) | energy ratio | static share R / D | area R / D (mm²) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in keys:
        run = runs[key]
        r, d = run.r, run.d
        out.append(f"| {name(key[0])} | {kname(key[0], key[1])} | {r.xbars} / {d.xbars} | "
                   f"{r.imas} / {d.imas} (+{r.imas_active - r.imas} / "
                   f"+{d.imas_active - d.imas}) | {chips(r)} / {chips(d)} | "
                   f"{r.mean_steps():.2f} | {r.u_uniq:.3f} / {d.u_uniq:.3f} | "
                   f"{ms(r.lat)} / {ms(d.lat)} | {x(d.lat / r.lat)} | "
                   f"{mj(r.energy)} / {mj(d.energy)} | {x(d.energy / r.energy)} | "
                   f"{pct(r.static_share)} / {pct(d.static_share)} | "
                   f"{r.area:.1f} / {d.area:.1f} |")
    out.append("")


def table_inter(runs, out, variant, title, note):
    keys = order(runs, variant)
    if not keys:
        return
    out.append(f"### {title}\n")
    out.append(note + "\n")
    out.append("| model | k | crossbars R / D | IMAs used R / D (with replicas) | chips R / D | "
               "latency R / D (ms) | latency speedup | throughput R / D (inf/s) | "
               "throughput speedup | slowest stage R / D | energy ratio (run as made) | "
               "steady-state energy R / D (mJ) | steady-state energy ratio | "
               "static share R / D |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in keys:
        run = runs[key]
        r, d = run.r, run.d
        out.append(f"| {name(key[0])} | {kname(key[0], key[1])} | {r.xbars} / {d.xbars} | "
                   f"{r.imas_active} / {d.imas_active} | {chips(r)} / {chips(d)} | "
                   f"{ms(r.lat)} / {ms(d.lat)} | {x(d.lat / r.lat)} | "
                   f"{r.thr:.4g} / {d.thr:.4g} | {x(r.thr / d.thr)} | "
                   f"{slowest(r)} / {slowest(d)} | {d.energy / r.energy:.2f}x | "
                   f"{mj(r.energy_ss)} / {mj(d.energy_ss)} | {x(d.energy_ss / r.energy_ss)} | "
                   f"{pct(r.static_share)} / {pct(d.static_share)} |")
    out.append("")


def slowest(s):
    l = s.slowest
    if l is None:
        return "-"
    if s.c["host_io_s"] >= l["stage_s"]:
        return "host I/O"
    name = l["name"].strip("/").split("/")[-1] if l["kind"] == "crossbar" else l["name"]
    name = name.replace("_output_0", "")
    return f"{name} x{l['replication']} ({l['bottleneck']}, {l['stage_s'] * 1e6:.3g} µs)"


def table_reprog(runs, out):
    keys = order(runs, "reprog")
    if not keys:
        return
    out.append("### Models the dense mapping cannot hold on one chip: `--overflow=reprogram` "
               "(intra) against `--overflow=chips`\n")
    out.append("With `reprogram` every inference rewrites every chip load (write-and-verify "
               "energy and time, weights brought in over the links); with `chips` the model "
               "is spread over several chips (area of each, inter-chip traffic). ReBoc "
               "reprograms only where it does not fit either (VGG-16 at k = 4 if so).\n")
    out.append("| model | k | loads R / D | programming R / D (ms) | latency R / D (ms) | "
               "speedup | energy R / D (mJ) | energy ratio | programming + weight-transfer "
               "energy D (mJ) | same model with `chips`: speedup, energy ratio |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for key in keys:
        run = runs[key]
        r, d = run.r, run.d
        other = ""
        chipsrun = runs.get((key[0], key[1], "intra"))
        if chipsrun:
            other = (f"{chipsrun.d.lat / chipsrun.r.lat:.2f}x, "
                     f"{chipsrun.d.energy / chipsrun.r.energy:.2f}x")
        prog_d = d.dyn["programming"] + d.dyn["inter_chip"]
        out.append(f"| {name(key[0])} | {kname(key[0], key[1])} | {r.loads} / {d.loads} | "
                   f"{ms(r.prog_s)} / {ms(d.prog_s)} | {ms(r.lat)} / {ms(d.lat)} | "
                   f"{x(d.lat / r.lat)} | {mj(r.energy)} / {mj(d.energy)} | "
                   f"{x(d.energy / r.energy)} | {mj(prog_d)} | {other} |")
    out.append("")


def table_ungated(runs, out):
    keys = order(runs, "ungated-intra") + order(runs, "ungated-inter")
    if not keys:
        return
    out.append("### Sensitivity: no power gating (`--no-gate-idle-tiles`, ISAAC-style)\n")
    out.append("Every tile of every provisioned chip leaks for the whole run; idle-only "
               "duplication. Compared with the same model, k and pipeline gated (the "
               "default). Energy per inference (steady state for inter).\n")
    out.append("| model | k | pipeline | tiles powered R / D | static share R / D | speedup "
               "(latency; throughput for inter) | energy ratio gated -> not gated |")
    out.append("|---|---|---|---|---|---|---|")
    for key in keys:
        model, k, variant = key
        run = runs[key]
        r, d = run.r, run.d
        inter = variant.endswith("inter")
        gated = runs.get((model, k, "inter" if inter else "intra"))
        sp = r.thr / d.thr if inter else d.lat / r.lat
        g = f"{gated.d.e_pi(inter) / gated.r.e_pi(inter):.2f}x" if gated else "-"
        out.append(f"| {name(model)} | {kname(model, k)} | {'inter' if inter else 'intra'} | "
                   f"{r.tiles_powered} / {d.tiles_powered} | {pct(r.static_share)} / "
                   f"{pct(d.static_share)} | {sp:.2f}x | {g} -> "
                   f"**{d.e_pi(inter) / r.e_pi(inter):.2f}x** |")
    out.append("")


def table_sources(runs, out):
    out.append("### Where the energy difference comes from (the reports' attribution)\n")
    out.append("(dense - ReBoc) energy per inference, summed over layers from the "
               "`attribution` of each report, as a share of the dense energy per inference "
               "(steady state for inter). Positive = ReBoc saves. compute = ADC, DAC, arrays, "
               "S+H, shift-and-add, registers; rotation = ReBoc's input rotator; traffic = "
               "eDRAM, bus, routers, inter-chip links; programming = ReRAM writes (reprog); "
               "static = leakage of the powered IMAs, tiles and vector functional units; "
               "digital = the dynamic energy of the digital units (sigmoid, max-pool, VFU); host I/O, links = run-level (equal inputs and outputs, so ~0). The "
               "shares add up to 1 - 1/(energy ratio). Replicas = extra copies of layers, "
               "summed over layers (R / D); IMAs = IMAs in use with the replicas. Latency: the "
               "per-layer latency differences of the attribution, summed over the layers "
               "where ReBoc is faster and where it is slower.\n")
    cols = [label for _, label in PARTS] + ["host I/O, links"]
    out.append("| model | k | run | energy ratio | " + " | ".join(cols) +
               " | latency: layers faster / slower with ReBoc (ms) | replicas R / D | "
               "IMAs R / D | static share R / D | time split R | time split D |")
    out.append("|---|---|---|---|" + "---|" * len(cols) + "---|---|---|---|---|---|")
    for variant in VARIANTS:
        for key in order(runs, variant):
            run = runs[key]
            r, d = run.r, run.d
            steady = r.inter
            srcs, total = run.sources(steady)
            base = d.e_pi(steady)
            gain = sum(a["latency_s"] for a in run.attribution if a["latency_s"] > 0)
            loss = -sum(a["latency_s"] for a in run.attribution if a["latency_s"] < 0)
            cells = " | ".join(f"{srcs[c] / base * 100:+.1f}%" for c in cols)
            out.append(f"| {name(key[0])} | {kname(key[0], key[1])} | {variant} | "
                       f"{d.e_pi(steady) / r.e_pi(steady):.2f}x | {cells} | "
                       f"{ms(gain)} / {ms(loss)} | {r.replicas} / {d.replicas} | {r.imas_active} / {d.imas_active} | "
                       f"{pct(r.static_share)} / {pct(d.static_share)} | {split(r)} | "
                       f"{split(d)} |")
    out.append("")


def table_source_summary(runs, out):
    """Geometric-mean-free summary: the mean share of each source over the ImageNet
    runs of each variant."""
    out.append("### Sources in brief: mean share of the dense energy per source over the "
               "ImageNet runs of each variant (how many in brackets)\n")
    cols = [label for _, label in PARTS] + ["host I/O, links"]
    out.append("| run | energy ratio (geomean) | " + " | ".join(cols) + " |")
    out.append("|---|---|" + "---|" * len(cols))
    for variant in VARIANTS:
        keys = order(runs, variant, imagenet=True)
        if not keys:
            continue
        acc = collections.Counter()
        ratios = []
        for key in keys:
            run = runs[key]
            steady = run.r.inter
            srcs, _ = run.sources(steady)
            base = run.d.e_pi(steady)
            for c in cols:
                acc[c] += srcs[c] / base / len(keys)
            ratios.append(base / run.r.e_pi(steady))
        out.append(f"| {variant} ({len(keys)}) | {gmean(ratios):.2f}x | " +
                   " | ".join(f"{acc[c] * 100:+.1f}%" for c in cols) + " |")
    out.append("")


def table_pairing(runs, out):
    if not any((k[0], k[1], "inter") in runs
               for k in order(runs, "intra") + order(runs, "chipdup-intra")):
        return
    out.append("### The paper's pairing: ReBoc with its intra-layer pipeline against the "
               "dense baseline with ISAAC's inter-layer pipeline\n")
    out.append("Crossed from two runs: ReBoc from an intra run (budget `idle`, the default, "
               "or `chip`), dense from the inter run (idle budget, which does not apply to "
               "dense). Throughput speedup = R / D; energy ratio = D steady-state / R per "
               "inference.\n")
    out.append("| model | k | ReBoc budget | latency R / D (ms) | throughput R / D (inf/s) | "
               "latency speedup | throughput speedup | energy R / D (mJ) | energy ratio |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for variant, budget in (("intra", "idle"), ("chipdup-intra", "chip")):
        for key in order(runs, variant):
            if (key[0], key[1], "inter") not in runs:
                continue
            r = runs[key].r
            d = runs[(key[0], key[1], "inter")].d
            out.append(f"| {name(key[0])} | {kname(key[0], key[1])} | {budget} | "
                       f"{ms(r.lat)} / {ms(d.lat)} | {r.thr:.4g} / {d.thr:.4g} | "
                       f"{d.lat / r.lat:.2f}x | {r.thr / d.thr:.3g}x | "
                       f"{mj(r.energy)} / {mj(d.energy_ss)} | {d.energy_ss / r.energy:.3g}x |")
    out.append("")


def split(side):
    parts = sorted(side.time_split().items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v * 100:.0f}%" for k, v in parts if v >= 0.01)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    hw = None
    if len(sys.argv) == 3:
        try:
            with open(sys.argv[2]) as f:
                hw = json.load(f)
        except (OSError, ValueError) as err:
            sys.exit(f"compare_table.py: error: {sys.argv[2]}: {err}")
    runs = load(sys.argv[1], hw)
    if not runs:
        sys.exit(f"compare_table.py: no reports in {sys.argv[1]}")
    out = []
    table_summary(runs, out)
    table_source_summary(runs, out)
    table_intra(runs, out, "intra",
                "Intra-layer pipeline (`--pipeline=intra`), idle-only duplication (the default)",
                "Per inference. R = ReBoc mapping (`--duplication-budget=idle`: duplicate "
                "only into idle columns), D = dense baseline (mapping E). `*` = needs several "
                "chips (`--overflow=chips`). IMAs: one copy of the model (+ the IMAs the "
                "cost model's replicas add). speedup = D latency / R latency (= throughput "
                "ratio here); energy ratio = D energy / R energy.")
    table_intra(runs, out, "noreplicas",
                "Intra-layer pipeline without replicas (`--no-replicas`), idle-only duplication",
                "As above, but the spare IMAs stay idle: each mapping runs on its own "
                "footprint. This isolates what compression does by itself.")
    table_intra(runs, out, "chipdup-intra",
                "Intra-layer pipeline, ReBoc with `--duplication-budget=chip`",
                "As above, but ReBoc spends the chip's spare crossbars on duplication d "
                "(objective latency, the default) before the cost model places replicas.")
    table_inter(runs, out, "inter",
                "Inter-layer pipeline (`--pipeline=inter`), idle-only duplication (the default)",
                "Latency = one image through the filled pipeline; throughput = steady state. "
                "Energy ratio (run as made) is for one image (200 / 16 for the MLP / LeNet) "
                "and pays the pipeline fill in static energy; steady-state energy = dynamic "
                "energy + IMA leakage per inference + the used tiles' and their vector "
                "functional units' leakage / throughput. "
                "Slowest stage: the layer and its copies that set the throughput.")
    table_inter(runs, out, "chipdup-inter",
                "Inter-layer pipeline, ReBoc with `--duplication-budget=chip`",
                "As above; duplication takes the spare IMAs before replication does.")
    table_reprog(runs, out)
    table_pairing(runs, out)
    table_ungated(runs, out)
    table_sources(runs, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
