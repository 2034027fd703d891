#!/usr/bin/env python3
"""Run-level cost totals derived independently of rebocc.

Reads a hardware description (hw/isaac-ce.json) and an ONNX model, derives
the cost report's run-level figures with the formulas of docs/CostModel.md
(sections 3, 5, 7, 8, 9 and 10) and compares them with a `rebocc --run
--report` JSON report. It imports nothing of the tool and reads nothing the
tool wrote except the report under test: the geometry comes from the ONNX
file (shape inference by the onnx package), the constants from the hardware
JSON, the counts from the rules of docs/CostModel.md section 7.

Scope, checked on entry: Conv (one group) and Gemm layers compiled with
--block-size=1 (k = 1: mapping A, d = 1, one step, shared input buffers),
Relu, MaxPool and Flatten between them; one chip; the intra-layer pipeline,
idle units gated (the defaults); no copies of layers (`--no-replicas`, or a
batch of one fully connected row per layer, where the copy cap
vectors / groups is 1); adc_bits at the reference resolution (the ADC law's
ratios are 1).

Besides the derivation it checks that the report's totals are the sums of
their parts: energy = dynamic + static, each the sum of its components, each
run-level component the sum of the layers' (plus host I/O and the links),
latency the sum of the layers' latencies plus host I/O, and so on.

  independent_cost.py --hw HW.json --model M.onnx --batch N [--no-replicas]
                      --check REPORT.json [--tolerance T]

Prints one line per figure (`ok` or `MISMATCH`); exits 1 on any mismatch.
"""

import argparse
import json
import math
import sys

import onnx
from onnx import numpy_helper, shape_inference

PJ, NS = 1e-12, 1e-9
COMPONENTS = ["adc", "dac", "crossbar", "sample_hold", "shift_add",
              "input_register", "output_register", "rotator", "buffer", "bus",
              "network", "inter_chip", "host_io", "digital", "programming"]
ACTIVATIONS = {"Relu"}   # on the sigmoid units, output elements
POOLING = {"MaxPool"}    # on the max-pool unit, input elements
LAYOUT = {"Flatten"}     # cost nothing


def fail(message):
    sys.exit("independent_cost.py: " + message)


# ---------------------------------------------------------------------------
# The network: crossbar layers and digital instructions in program order.
# ---------------------------------------------------------------------------
def read_network(path, batch):
    model = onnx.load(path)
    graph = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for value in graph.input:
        if value.name in inits:
            continue
        dims = value.type.tensor_type.shape.dim
        dims[0].Clear()
        dims[0].dim_value = batch
    graph = shape_inference.infer_shapes(model).graph
    shapes = {}
    for value in list(graph.input) + list(graph.value_info) + list(graph.output):
        shapes[value.name] = [d.dim_value for d in value.type.tensor_type.shape.dim]
    words = lambda name: math.prod(shapes[name])
    inputs = [v.name for v in graph.input if v.name not in inits]
    ops = []
    for node in graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        x, y = node.input[0], node.output[0]
        if node.op_type == "Gemm":
            if attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0:
                fail("Gemm %s: only alpha = 1, transA = 0" % node.name)
            w = inits[node.input[1]]
            m, n = w.shape if attrs.get("transB", 0) else w.shape[::-1]
            ops.append(dict(kind="fc", name=node.name, n=n, m=m, kh=1, kw=1,
                            vectors=batch, in_words=words(x), window_words=n))
        elif node.op_type == "Conv":
            if attrs.get("group", 1) != 1:
                fail("Conv %s: only one group" % node.name)
            w = inits[node.input[1]]
            m, n, kh, kw = w.shape
            _, c, h, wd = shapes[x]
            _, _, ho, wo = shapes[y]
            dil = attrs.get("dilations", [1, 1])[0]
            ops.append(dict(kind="conv", name=node.name, n=n, m=m, kh=kh, kw=kw,
                            vectors=batch * ho * wo, in_words=words(x),
                            # The line buffer: kernel-height rows of the input.
                            window_words=c * wd * min(h, dil * (kh - 1) + 1)))
        elif node.op_type in ACTIVATIONS:
            ops.append(dict(kind="digital", name=y, op=node.op_type,
                            events=words(y), units="sigmoid"))
        elif node.op_type in POOLING:
            ops.append(dict(kind="digital", name=y, op=node.op_type,
                            events=words(x), units="max_pool"))
        elif node.op_type in LAYOUT:
            ops.append(dict(kind="digital", name=y, op=node.op_type, events=0,
                            units=None))
        else:
            fail("operator %s is outside this script's scope" % node.op_type)
    io_words = sum(words(i) for i in inputs) + sum(words(o.name) for o in graph.output)
    return ops, io_words


# ---------------------------------------------------------------------------
# Per-event energies (pJ), rates and static powers (mW): sections 3 and 5.
# ---------------------------------------------------------------------------
def derive_constants(hw):
    if hw["adc_bits"] != hw["adc_reference_bits"]:
        fail("adc_bits must be the reference resolution (ADC law ratio 1)")
    f = lambda key: hw[key + "_static_fraction"]
    cpw = math.ceil(hw["weight_bits"] / hw["cell_bits"])
    adc_rate = hw["adcs_per_ima"] * hw["adc_sample_rate_gsps"]       # /ns
    dac_rate = hw["dacs_per_ima"] / hw["read_cycle_ns"]                # /ns
    clock = hw["tile_clock_ghz"]
    tile_rate = (hw["imas_per_tile"] * hw["xbars_per_ima"] *
                 (hw["xbar_cols"] // cpw) /
                 (hw["input_bits"] * hw["read_cycle_ns"]))             # values/ns
    k = dict(cpw=cpw, adc_rate=adc_rate, clock=clock,
             edram_bpns=hw["edram_width_bits"] / 8 * clock,
             bus_bpns=hw["bus_wires"] / 8 * clock,
             port_bpns=hw["router_flit_bits"] / 8 * clock,
             link_bpns=hw["ht_link_gbps"])
    k["e"] = dict(
        adc=(1 - f("adc")) * hw["adc_power_mw"] / adc_rate,
        dac=(1 - f("dac")) * hw["dac_power_mw"] / dac_rate,
        xbar=(1 - f("xbar")) * hw["xbar_power_mw"] /
        (hw["xbars_per_ima"] / hw["read_cycle_ns"]),
        sh=(1 - f("sample_hold")) * hw["sample_hold_power_mw"] /
        (hw["sample_holds_per_ima"] / hw["read_cycle_ns"]),
        ima_sa=(1 - f("ima_shift_add")) * hw["ima_shift_add_power_mw"] / adc_rate,
        ima_or=(1 - f("ima_output_register")) *
        hw["ima_output_register_power_mw"] / adc_rate,
        ir=(1 - f("input_register")) * hw["input_register_power_mw"] / dac_rate,
        edram=(1 - f("edram")) * hw["edram_power_mw"] / k["edram_bpns"],
        bus=(1 - f("bus")) * hw["bus_power_mw"] / k["bus_bpns"],
        router=(1 - f("router")) * hw["router_power_mw"] /
        (hw["router_ports"] * k["port_bpns"]),
        ht=(1 - f("ht")) * hw["ht_power_w"] * 1e3 / hw["ht_links"] /
        hw["ht_link_gbps"],
        tile_sa=(1 - f("tile_shift_add")) * hw["tile_shift_add_power_mw"] / clock,
        tile_or=(1 - f("tile_output_register")) *
        hw["tile_output_register_power_mw"] / tile_rate,
        sigmoid=(1 - f("sigmoid")) * hw["sigmoid_power_mw"] /
        (hw["sigmoid_units"] * clock),
        max_pool=(1 - f("max_pool")) * hw["max_pool_power_mw"] / clock)
    ima = dict.fromkeys(COMPONENTS, 0.0)
    ima.update(adc=f("adc") * hw["adc_power_mw"],
               dac=f("dac") * hw["dac_power_mw"],
               crossbar=f("xbar") * hw["xbar_power_mw"],
               sample_hold=f("sample_hold") * hw["sample_hold_power_mw"],
               shift_add=f("ima_shift_add") * hw["ima_shift_add_power_mw"],
               input_register=f("input_register") * hw["input_register_power_mw"],
               output_register=f("ima_output_register") *
               hw["ima_output_register_power_mw"])
    tile = dict.fromkeys(COMPONENTS, 0.0)
    tile.update(buffer=f("edram") * hw["edram_power_mw"],
                bus=f("bus") * hw["bus_power_mw"],
                network=f("router") * hw["router_power_mw"] / hw["tiles_per_router"],
                shift_add=f("tile_shift_add") * hw["tile_shift_add_power_mw"],
                output_register=f("tile_output_register") *
                hw["tile_output_register_power_mw"],
                digital=f("sigmoid") * hw["sigmoid_power_mw"] +
                f("max_pool") * hw["max_pool_power_mw"])
    k["ima_static_mw"], k["tile_static_mw"] = ima, tile
    # Full-activity powers (Table I sums) for the full-load static share.
    ima_mw = sum(hw[u + "_power_mw"] for u in (
        "adc", "dac", "sample_hold", "xbar", "ima_shift_add", "input_register",
        "ima_output_register"))
    tile_mw = (hw["imas_per_tile"] * ima_mw + hw["edram_power_mw"] +
               hw["bus_power_mw"] + hw["router_power_mw"] / hw["tiles_per_router"] +
               hw["sigmoid_power_mw"] + hw["tile_shift_add_power_mw"] +
               hw["max_pool_power_mw"] + hw["tile_output_register_power_mw"])
    chip_static_mw = (hw["tiles_per_chip"] * (hw["imas_per_tile"] * sum(ima.values()) +
                                              sum(tile.values())) +
                      f("ht") * hw["ht_power_w"] * 1e3)
    k["full_load_static_share"] = chip_static_mw / (
        hw["tiles_per_chip"] * tile_mw + hw["ht_power_w"] * 1e3)
    return k


def area_mm2(hw, chips, rotator_imas):
    """Section 10: whole chips plus one rotator per rotating IMA."""
    ima = sum(hw[u + "_area_mm2"] for u in (
        "adc", "dac", "sample_hold", "xbar", "ima_shift_add", "input_register",
        "ima_output_register"))
    tile = (hw["imas_per_tile"] * ima + hw["edram_area_mm2"] + hw["bus_area_mm2"] +
            hw["router_area_mm2"] / hw["tiles_per_router"] + hw["sigmoid_area_mm2"] +
            hw["tile_shift_add_area_mm2"] + hw["max_pool_area_mm2"] +
            hw["tile_output_register_area_mm2"])
    return (chips * (hw["tiles_per_chip"] * tile + hw["ht_area_mm2"]) +
            rotator_imas * hw["rotator_area_mm2"])


# ---------------------------------------------------------------------------
# Mapping, placement and router hops: sections 7, 8 and 11.
# ---------------------------------------------------------------------------
def router_xy(hw, tile):
    width = math.ceil(math.sqrt(math.ceil(hw["tiles_per_chip"] / hw["tiles_per_router"])))
    r = (tile % hw["tiles_per_chip"]) // hw["tiles_per_router"]
    return r % width, r // width


def routers_crossed(hw, a, b):
    """Routers a transfer from tile a to tile b of one chip crosses: the
    Manhattan distance of their routers + 1."""
    (xa, ya), (xb, yb) = router_xy(hw, a), router_xy(hw, b)
    return abs(xa - xb) + abs(ya - yb) + 1


def map_and_place(ops, hw, k):
    next_ima = 0
    producer_tile = None  # None: the chip's port, router 0
    for L in ops:
        if L["kind"] == "digital":
            continue
        # k = 1, mapping A: kh*kw*n logical rows, m weight columns; an array
        # takes xbar_rows rows and xbar_cols / cpw weight columns.
        rows = L["kh"] * L["kw"] * L["n"]
        row_tiles = math.ceil(rows / hw["xbar_rows"])
        col_tiles = math.ceil(L["m"] / (hw["xbar_cols"] // k["cpw"]))
        L.update(rows=rows, row_tiles=row_tiles, col_tiles=col_tiles,
                 arrays=row_tiles * col_tiles,
                 imas=math.ceil(row_tiles * col_tiles / hw["xbars_per_ima"]))
        first = next_ima // hw["imas_per_tile"]
        last = (next_ima + L["imas"] - 1) // hw["imas_per_tile"]
        next_ima += L["imas"]
        L.update(tiles=last - first + 1, middle_tile=(first + last) // 2)
        if producer_tile is None:
            # From the host through the chip's port, router 0 (tile 0's).
            L["hops"] = routers_crossed(hw, 0, L["middle_tile"])
        elif producer_tile == L["middle_tile"]:
            L["hops"] = 0  # handed over in the tile's eDRAM
        else:
            L["hops"] = routers_crossed(hw, producer_tile, L["middle_tile"])
        producer_tile = L["middle_tile"]
    imas_per_chip = hw["tiles_per_chip"] * hw["imas_per_tile"]
    if next_ima > imas_per_chip:
        fail("the model does not fit one chip")
    return next_ima


def events(L, hw, k):
    """Whole-run component events of a crossbar layer (section 7), k = 1."""
    B, V = hw["input_bits"], L["vectors"]
    word = B / 8
    ev = dict(
        xbar_activations=V * L["arrays"],
        adc_conversions=V * L["row_tiles"] * L["m"] * k["cpw"],
        reduction_adds=V * (L["row_tiles"] - 1) * L["m"],
        # Shared input: the window read once per vector, the input written once.
        buffer_reads=V * L["kh"] * L["kw"] * L["n"],
        buffer_writes=L["in_words"],
        input_words=L["in_words"])
    ev["samples"] = ev["adc_conversions"] * B
    ev["drives"] = V * L["col_tiles"] * L["rows"] * B
    ev["array_cycles"] = ev["xbar_activations"] * B
    ev["edram_bytes"] = (ev["buffer_reads"] + ev["buffer_writes"]) * word
    ev["bus_bytes"] = (ev["buffer_reads"] + V * L["m"]) * word
    ev["outputs"] = V * L["m"]
    ev["router_bytes"] = ev["input_words"] * word
    if L["window_words"] * word > L["tiles"] * hw["edram_bytes"]:
        fail("%s: the input buffer spills (out of scope)" % L["name"])
    return ev


# ---------------------------------------------------------------------------
# The derivation.
# ---------------------------------------------------------------------------
def derive(hw, ops, io_words, batch):
    k = derive_constants(hw)
    e = k["e"]
    imas_needed = map_and_place(ops, hw, k)
    N, read_ns, word = batch, hw["read_cycle_ns"], hw["input_bits"] / 8
    producer = None
    for L in ops:
        d = dict.fromkeys(COMPONENTS, 0.0)
        if L["kind"] == "digital":
            # One element per unit per tile clock on the producer's tiles.
            tiles = producer["tiles"] if producer else 1
            units = hw["sigmoid_units"] if L["units"] == "sigmoid" else 1
            time_ns = L["events"] / (tiles * units * k["clock"])
            if L["units"]:
                d["digital"] = L["events"] * e[L["units"]] * PJ
            L.update(dynamic=d, latency_s=time_ns * NS / N, busy_s=time_ns * NS,
                     imas_leaking=0, tiles_leaking=tiles)
            continue
        producer = L
        ev = events(L, hw, k)
        d["adc"] = ev["samples"] * e["adc"] * PJ
        d["dac"] = ev["drives"] * e["dac"] * PJ
        d["crossbar"] = ev["array_cycles"] * e["xbar"] * PJ
        d["sample_hold"] = ev["samples"] * e["sh"] * PJ
        d["shift_add"] = (ev["samples"] * e["ima_sa"] +
                          ev["reduction_adds"] * e["tile_sa"]) * PJ
        d["input_register"] = ev["drives"] * e["ir"] * PJ
        d["output_register"] = (ev["samples"] * e["ima_or"] +
                                ev["outputs"] * e["tile_or"]) * PJ
        d["buffer"] = ev["edram_bytes"] * e["edram"] * PJ
        d["bus"] = ev["bus_bytes"] * e["bus"] * PJ
        d["network"] = ev["router_bytes"] * L["hops"] * e["router"] * PJ
        # Stages for the whole run, ns; core = the slowest; fill = the other
        # stages once for one vector (crossbar and ADC as one) + a read cycle.
        t = L["tiles"]
        stages = dict(
            crossbar=ev["xbar_activations"] / L["arrays"] * hw["input_bits"] * read_ns,
            adc=ev["samples"] / (L["imas"] * k["adc_rate"]),
            buffer=ev["edram_bytes"] / (t * k["edram_bpns"]),
            bus=ev["bus_bytes"] / (t * k["bus_bpns"]),
            reduction=ev["reduction_adds"] / (t * k["clock"]),
            network=ev["router_bytes"] / (t * k["port_bpns"]))
        core = max(stages.values())
        per_vector = {s: v / L["vectors"] for s, v in stages.items()}
        terms = [max(per_vector.pop("crossbar"), per_vector.pop("adc"))]
        terms += per_vector.values()
        fill = sum(terms) - max(terms) + read_ns
        L.update(dynamic=d, stages=stages, busy_s=(core + fill) * NS,
                 latency_s=(core + fill) * NS / N, imas_leaking=L["imas"],
                 tiles_leaking=L["tiles"], events=ev)
    # Static (gated): a unit's IMAs and tiles leak while it is busy.
    for L in ops:
        L["static"] = {c: (L["imas_leaking"] * k["ima_static_mw"][c] +
                           L["tiles_leaking"] * k["tile_static_mw"][c]) * 1e-3 *
                      L["busy_s"] for c in COMPONENTS}
    host_bytes = io_words * word
    host_io_s = host_bytes / N / (hw["ht_links"] * k["link_bpns"]) * NS
    latency = sum(L["latency_s"] for L in ops) + host_io_s
    run_s = N * latency
    chips = 1
    dyn = {c: sum(L["dynamic"][c] for L in ops) for c in COMPONENTS}
    dyn["host_io"] += host_bytes * e["ht"] * PJ
    sta = {c: sum(L["static"][c] for L in ops) for c in COMPONENTS}
    sta["inter_chip"] += hw["ht_static_fraction"] * hw["ht_power_w"] * chips * run_s
    total_dyn, total_sta = sum(dyn.values()), sum(sta.values())
    total = total_dyn + total_sta
    area = area_mm2(hw, chips, rotator_imas=0)  # k = 1: nothing rotates
    dense_ops = sum(L["vectors"] * 2 * L["kh"] * L["kw"] * L["n"] * L["m"]
                    for L in ops if L["kind"] != "digital")
    throughput = 1 / latency
    return dict(
        layers=ops, chips=chips, imas_needed=imas_needed,
        tiles_used=math.ceil(imas_needed / hw["imas_per_tile"]),
        host_io_bytes=host_bytes, host_io_s=host_io_s, latency_s=latency,
        run_s=run_s, cycles=math.ceil(run_s / (read_ns * NS) - 1e-9),
        throughput=throughput, dynamic=dyn, static=sta, dynamic_j=total_dyn,
        static_j=total_sta, total_j=total, area_mm2=area, dense_ops=dense_ops,
        power_w=total / run_s, static_power_w=total_sta / run_s,
        gops_per_w=dense_ops / total / 1e9,
        gops_per_s_mm2=dense_ops / N * throughput / 1e9 / area,
        full_load_static_share=k["full_load_static_share"])


# ---------------------------------------------------------------------------
# Comparison.
# ---------------------------------------------------------------------------
class Checker:
    def __init__(self, tol):
        self.tol, self.bad = tol, 0

    def cmp(self, label, expected, got, exact=False):
        if exact or expected == 0:
            ok, dev = got == expected, "exact"
        else:
            rel = (got - expected) / expected
            ok, dev = abs(rel) <= self.tol, "%+.4f%%" % (100 * rel)
        self.bad += not ok
        print("%-8s %-44s expected %-12.6g report %-12.6g %s" %
              ("ok" if ok else "MISMATCH", label, expected, got, dev))


def check_derivation(h, cost, ck):
    en = cost["energy_j"]
    for c in COMPONENTS:
        ck.cmp("dynamic %s" % c, h["dynamic"][c], en["dynamic_by_component"][c])
    for c in COMPONENTS:
        ck.cmp("static %s" % c, h["static"][c], en["static_by_component"][c])
    ck.cmp("energy dynamic", h["dynamic_j"], en["dynamic"])
    ck.cmp("energy static", h["static_j"], en["static"])
    ck.cmp("energy total", h["total_j"], en["total"])
    costs = {L["name"]: L for L in cost["layers"]}
    for L in h["layers"]:
        if L["name"] not in costs:
            print("MISMATCH layer %s missing from the report" % L["name"])
            ck.bad += 1
            continue
        R = costs[L["name"]]
        if L["kind"] != "digital":
            for key in ("imas", "tiles"):
                ck.cmp("%s %s" % (L["name"], key), L[key], R[key], exact=True)
        ck.cmp("%s latency_s" % L["name"], L["latency_s"], R["latency_s"])
        ck.cmp("%s energy_j" % L["name"],
               sum(L["dynamic"].values()) + sum(L["static"].values()),
               R["energy_j"]["total"])
    for key, exact in (("chips", True), ("imas_needed", True), ("tiles_used", True),
                       ("host_io_bytes", True), ("dense_ops", True),
                       ("cycles", True), ("host_io_s", False), ("latency_s", False),
                       ("run_s", False), ("area_mm2", False), ("power_w", False),
                       ("static_power_w", False), ("gops_per_w", False),
                       ("gops_per_s_mm2", False), ("full_load_static_share", False)):
        ck.cmp(key, h[key], cost[key], exact=exact)
    ck.cmp("throughput_inferences_per_s", h["throughput"],
           cost["throughput_inferences_per_s"])


def check_sums(cost, ck):
    """The report's totals are the sums of their listed parts (intra-layer
    pipeline). JSON numbers carry 6 significant digits: sums agree to 1e-5."""
    sum_tol = Checker(1e-5)
    en = cost["energy_j"]
    sum_tol.cmp("sum: total = dynamic + static", en["dynamic"] + en["static"],
                en["total"])
    for part in ("dynamic", "static"):
        sum_tol.cmp("sum: %s = its components" % part,
                    sum(en[part + "_by_component"].values()), en[part])
    for part in ("dynamic", "static"):
        for c in COMPONENTS:
            layers = sum(L["energy_j"][part + "_by_component"][c]
                         for L in cost["layers"])
            run = en[part + "_by_component"][c]
            # Run-level only: host I/O (dynamic) and the links' leakage
            # (static inter-chip) belong to no layer.
            if (part, c) in (("dynamic", "host_io"), ("static", "inter_chip")):
                continue
            sum_tol.cmp("sum: %s %s = the layers'" % (part, c), layers, run)
    for L in cost["layers"]:
        le = L["energy_j"]
        sum_tol.cmp("sum: %s total = dynamic + static" % L["name"],
                    le["dynamic"] + le["static"], le["total"])
    sum_tol.cmp("sum: latency = layers + host I/O + programming",
                sum(L["latency_s"] for L in cost["layers"]) + cost["host_io_s"] +
                cost["programming_s"], cost["latency_s"])
    sum_tol.cmp("sum: run = inferences x latency",
                cost["inferences"] * cost["latency_s"], cost["run_s"])
    sum_tol.cmp("sum: power = energy / run", en["total"] / cost["run_s"],
                cost["power_w"])
    ck.bad += sum_tol.bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hw", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--no-replicas", action="store_true",
                    help="the report was made with --no-replicas")
    ap.add_argument("--check", required=True, metavar="REPORT")
    ap.add_argument("--tolerance", type=float, default=1e-4,
                    help="relative (default 1e-4; the JSON has 6 digits)")
    a = ap.parse_args()
    hw = {key: v for key, v in json.load(open(a.hw)).items() if not key.startswith("_")}
    ops, io_words = read_network(a.model, a.batch)
    if not a.no_replicas and any(L["kind"] == "conv" or L["vectors"] > 1
                                 for L in ops if L["kind"] != "digital"):
        fail("layers may be copied: give the report of a --no-replicas run")
    h = derive(hw, ops, io_words, a.batch)
    cost = json.load(open(a.check))["cost"]
    if (cost["pipeline"], cost["overflow"], cost["gate_idle_tiles"]) != \
            ("intra", "chips", True):
        fail("the report must use the default pipeline, overflow and gating")
    ck = Checker(a.tolerance)
    check_derivation(h, cost, ck)
    check_sums(cost, ck)
    if ck.bad:
        print("%d figures differ (derivation: tolerance %g)" % (ck.bad, a.tolerance))
        return 1
    print("all figures agree with the independent derivation and their sums")
    return 0


if __name__ == "__main__":
    sys.exit(main())
