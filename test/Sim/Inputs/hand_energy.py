#!/usr/bin/env python3
"""The hand derivation of docs/CostCrossCheck.md, step by step.

One inference (batch 1) of examples/fashion_mnist/mlp_dense/model.onnx
(Gemm 784->128, Relu, Gemm 128->64, Relu, Gemm 64->10) compiled with
--block-size=1 (dense, k = 1, mapping A, shared input buffers) on ISAAC-CE,
default options (intra-layer pipeline, idle units power-gated).

Every constant below is a literal number from ISAAC's Table I (A. Shafiee et
al., ISCA 2016, ISAAC-CE, 32 nm) or a static fraction from PUMAsim's
include/constants.py (A. Ankit et al., PUMA, ASPLOS 2019). This script reads
no file of the tool (not hw/isaac-ce.json) and imports nothing of it, so the
tool cannot agree with it by sharing a mistake.

  hand_energy.py                  print the hand figures
  hand_energy.py --json           the same as JSON
  hand_energy.py --check R.json   compare a `rebocc --run --report` report
                                  with the hand figures; exit 1 when any
                                  figure is off by more than --tolerance
"""

import argparse
import json
import math
import sys

# ---------------------------------------------------------------------------
# Constants. "T1" = ISAAC Table I; "PUMA" = PUMAsim include/constants.py,
# leak / (dyn + leak), rounded to three decimals.
# ---------------------------------------------------------------------------
XBAR_ROWS, XBAR_COLS = 128, 128  # T1: memristor array 128 x 128
WEIGHT_BITS, CELL_BITS = 16, 2   # T1 / Sec. V: 16-bit weights, 2-bit cells
INPUT_BITS = 16                  # Sec. V: 16-bit inputs, 1 bit per read cycle
READ_NS = 100.0                  # Sec. VI: 100 ns crossbar read cycle
XBARS_PER_IMA = 8                # T1
IMAS_PER_TILE = 12               # T1
TILES_PER_ROUTER = 4             # T1: one router per 4 tiles
TILE_GHZ = 1.2                   # T1 header: the tile runs at 1.2 GHz

# IMA components (T1: all units of the kind in one IMA).
ADCS_PER_IMA, ADC_GSPS, ADC_MW = 8, 1.28, 16.0  # 8 ADCs, 1.28 GS/s, 16 mW
DACS_PER_IMA, DAC_MW = 8 * 128, 4.0             # 8x128 1-bit DACs, 4 mW
SH_PER_IMA, SH_MW = 8 * 128, 0.01               # 8x128 S+H, 10 uW
XBAR_MW = 2.4                                   # 8 arrays, 2.4 mW
IMA_SA_MW = 0.2                                 # IMA shift-and-add, 0.2 mW
IR_MW = 1.24                                    # input register 2 KB, 1.24 mW
IMA_OR_MW = 0.23                                # output register 256 B, 0.23 mW

# Tile components (T1).
EDRAM_MW, EDRAM_BITS = 20.7, 256  # eDRAM 64 KB, 20.7 mW, 256-bit bus
BUS_MW, BUS_WIRES = 7.0, 384      # eDRAM-to-IMA bus, 384 wires, 7 mW
ROUTER_MW, ROUTER_PORTS, FLIT_BITS = 42.0, 8, 32  # shared by 4 tiles
SIGMOID_UNITS, SIGMOID_MW = 2, 0.52  # 2 sigmoid units, 0.52 mW
TILE_SA_MW = 0.05                 # tile shift-and-add, 0.05 mW
MAXPOOL_MW = 0.4                  # max-pool unit, 0.4 mW
TILE_OR_MW = 1.68                 # tile output register 3 KB, 1.68 mW

# Chip links (T1): HyperTransport, 4 links, 10.4 W in all, 6.4 GB/s each.
HT_LINKS, HT_W, HT_GBPS = 4, 10.4, 6.4

# Static fractions (PUMA).
F_ADC = 0.1        # 0.2 / (1.8 + 0.2)
F_DAC = 0.1        # 0.000390625 / (0.00350625 + 0.000390625) = 0.1002
F_SH = 0.1         # 9.7e-7 of 9.7e-6
F_XBAR = 0.0       # xbar_pow_leak = 0
F_IMA_SA = 0.1     # 0.005 of 0.05
F_IR = 0.023       # 0.04 / (1.7 + 0.04) = 0.02299
F_IMA_OR = 0.2     # 0.04 / (0.16 + 0.04)
F_EDRAM = 0.051    # 0.46 / (8.6 + 0.46) = 0.05077
F_BUS = 0.143      # 0.5 / (3 + 0.5) = 0.14286
F_ROUTER = 0.02    # 1.04 / (51.48 + 1.04) = 0.0198
F_SIGMOID = 0.1    # 0.026 of 0.26
F_TILE_SA = 0.1    # 0.005 of 0.05
F_MAXPOOL = 0.1    # 0.192 / (1.707 + 0.192) = 0.1011
F_TILE_OR = 0.2    # 0.04 / (0.16 + 0.04)
F_HT = 0.0         # noc_inter_pow_leak = 0

# ---------------------------------------------------------------------------
# The network (from the ONNX model): fully connected n -> m, in order, and the
# activations after the first two.
# ---------------------------------------------------------------------------
FC = [("/fc1/Gemm", 784, 128), ("/fc2/Gemm", 128, 64), ("/fc3/Gemm", 64, 10)]
RELU = [("/Relu_output_0", 128), ("/Relu_1_output_0", 64)]
BATCH = 1
WORD_BYTES = INPUT_BITS / 8  # a 16-bit word is 2 bytes

PJ = 1e-12
COMPONENTS = ["adc", "dac", "crossbar", "sample_hold", "shift_add",
              "input_register", "output_register", "rotator", "buffer", "bus",
              "network", "inter_chip", "host_io", "digital", "programming"]


# The pipeline rule (docs/CostModel.md): a layer takes its slowest stage for
# the run, the other stages once for the first vector, and one read cycle to
# drain the last vector through conversion, shift-and-add and write back.
FILL_CYCLES = 1


def derive(fill_cycles=FILL_CYCLES):
    # Step 1: mapping. A 16-bit weight takes 16/2 = 8 cells, so an array row
    # holds 128/8 = 16 weights; an array takes 128 inputs (rows).
    cpw = WEIGHT_BITS // CELL_BITS
    weights_per_row = XBAR_COLS // cpw
    layers = []
    next_ima = 0
    for name, n, m in FC:
        row_tiles = math.ceil(n / XBAR_ROWS)
        col_tiles = math.ceil(m / weights_per_row)
        arrays = row_tiles * col_tiles
        imas = math.ceil(arrays / XBARS_PER_IMA)
        first_tile = next_ima // IMAS_PER_TILE
        last_tile = (next_ima + imas - 1) // IMAS_PER_TILE
        next_ima += imas
        # Step 2: events of one input vector (one per batch row). Every array
        # reads once (16 bit-serial cycles), converting its used columns once
        # per input bit; every row of every array is driven once per bit.
        vectors = BATCH
        act = vectors * arrays
        # Used columns: m weights of 8 cells in every row tile's arrays.
        used_cols = row_tiles * m * cpw
        conv = vectors * used_cols
        drive_rows = col_tiles * n  # each column tile sees all n inputs
        L = dict(name=name, n=n, m=m, row_tiles=row_tiles,
                 col_tiles=col_tiles, crossbars=arrays, imas=imas,
                 tiles=last_tile - first_tile + 1, first_tile=first_tile,
                 vectors=vectors, xbar_activations=act, adc_conversions=conv,
                 # Shared input: each input word written once into the
                 # tile's eDRAM, read once and broadcast on the bus.
                 buffer_reads=vectors * n, buffer_writes=vectors * n,
                 input_words=vectors * n,
                 reduction_adds=vectors * (row_tiles - 1) * m)
        L["samples"] = conv * INPUT_BITS
        L["drives"] = vectors * drive_rows * INPUT_BITS
        L["array_cycles"] = act * INPUT_BITS
        L["edram_bytes"] = (L["buffer_reads"] + L["buffer_writes"]) * WORD_BYTES
        L["bus_bytes"] = (L["buffer_reads"] + vectors * m) * WORD_BYTES
        L["outputs"] = vectors * m
        L["noc_bytes"] = L["input_words"] * WORD_BYTES
        layers.append(L)

    # Router mesh: 168 tiles / 4 = 42 routers in a 7-wide grid; every layer
    # here sits in tile 0 (9 IMAs of its 12). The first layer's input comes
    # from the host through the chip port, router 0: one router. The others
    # get theirs from a producer in the same tile, through its eDRAM: none.
    for i, L in enumerate(layers):
        assert L["first_tile"] == 0 and L["tiles"] == 1
        L["hops"] = 1 if i == 0 else 0

    # Step 3: per-event energies, pJ: (1 - f) * P / (events per ns at full
    # activity); mW / (1/ns) = pJ.
    adc_rate = ADCS_PER_IMA * ADC_GSPS              # 10.24 samples/ns
    dac_rate = DACS_PER_IMA / READ_NS               # 10.24 drives/ns
    tile_rate = (IMAS_PER_TILE * XBARS_PER_IMA * weights_per_row
                 / (INPUT_BITS * READ_NS))          # 0.96 values/ns
    edram_bpns = EDRAM_BITS / 8 * TILE_GHZ          # 38.4 B/ns
    bus_bpns = BUS_WIRES / 8 * TILE_GHZ             # 57.6 B/ns
    port_bpns = FLIT_BITS / 8 * TILE_GHZ            # 4.8 B/ns
    router_bpns = ROUTER_PORTS * port_bpns          # 38.4 B/ns
    e = dict(
        adc=(1 - F_ADC) * ADC_MW / adc_rate,
        dac=(1 - F_DAC) * DAC_MW / dac_rate,
        xbar=(1 - F_XBAR) * XBAR_MW / (XBARS_PER_IMA / READ_NS),
        sh=(1 - F_SH) * SH_MW / (SH_PER_IMA / READ_NS),
        ima_sa=(1 - F_IMA_SA) * IMA_SA_MW / adc_rate,
        ima_or=(1 - F_IMA_OR) * IMA_OR_MW / adc_rate,
        ir=(1 - F_IR) * IR_MW / dac_rate,
        edram=(1 - F_EDRAM) * EDRAM_MW / edram_bpns,
        bus=(1 - F_BUS) * BUS_MW / bus_bpns,
        router=(1 - F_ROUTER) * ROUTER_MW / router_bpns,
        ht=(1 - F_HT) * (HT_W * 1e3 / HT_LINKS) / HT_GBPS,
        # The tile's shift-and-add and the sigmoid units take one element
        # per unit per 1.2 GHz clock; the output register takes every value
        # the arrays produce.
        tile_sa=(1 - F_TILE_SA) * TILE_SA_MW / TILE_GHZ,
        tile_or=(1 - F_TILE_OR) * TILE_OR_MW / tile_rate,
        sigmoid=(1 - F_SIGMOID) * SIGMOID_MW / (SIGMOID_UNITS * TILE_GHZ),
    )

    # Step 4: dynamic energy per layer and component, J.
    for L in layers:
        d = dict.fromkeys(COMPONENTS, 0.0)
        d["adc"] = L["samples"] * e["adc"] * PJ
        d["dac"] = L["drives"] * e["dac"] * PJ
        d["crossbar"] = L["array_cycles"] * e["xbar"] * PJ
        d["sample_hold"] = L["samples"] * e["sh"] * PJ
        d["shift_add"] = (L["samples"] * e["ima_sa"]
                          + L["reduction_adds"] * e["tile_sa"]) * PJ
        d["input_register"] = L["drives"] * e["ir"] * PJ
        d["output_register"] = (L["samples"] * e["ima_or"]
                                + L["outputs"] * e["tile_or"]) * PJ
        d["buffer"] = L["edram_bytes"] * e["edram"] * PJ
        d["bus"] = L["bus_bytes"] * e["bus"] * PJ
        d["network"] = L["noc_bytes"] * L["hops"] * e["router"] * PJ
        L["dynamic"] = d
    relus = []
    for name, elements in RELU:
        d = dict.fromkeys(COMPONENTS, 0.0)
        d["digital"] = elements * BATCH * e["sigmoid"] * PJ
        relus.append(dict(name=name, elements=elements * BATCH, dynamic=d))
    host_bytes = (FC[0][1] + FC[-1][2]) * BATCH * WORD_BYTES
    host_io_j = host_bytes * e["ht"] * PJ

    # Step 5: stage times (whole run, ns) and latency. A layer takes its
    # slowest stage plus a fill of 16 + 1 read cycles.
    for L in layers:
        tiles = L["tiles"]
        L["stages_ns"] = dict(
            crossbar=L["xbar_activations"] / L["crossbars"] * INPUT_BITS * READ_NS,
            adc=L["samples"] / (L["imas"] * adc_rate),
            buffer=L["edram_bytes"] / (tiles * edram_bpns),
            bus=L["bus_bytes"] / (tiles * bus_bpns),
            reduction=L["reduction_adds"] / (tiles * TILE_GHZ),
            network=L["noc_bytes"] / (tiles * port_bpns))
        # The stages are a pipeline over the layer's vectors: V times the
        # slowest, the others once (the first vector), one read cycle to
        # drain. The crossbar read and the ADCs overlap bit by bit: one stage.
        st = {k: t / L["vectors"] for k, t in L["stages_ns"].items()}
        per_vector = [max(st.pop("crossbar"), st.pop("adc"))] + list(st.values())
        fill = sum(per_vector) - max(per_vector) + fill_cycles * READ_NS
        L["latency_s"] = (max(L["stages_ns"].values()) + fill) * 1e-9 / BATCH
    for R in relus:
        # On the two sigmoid units of the producer's tile (one tile).
        R["latency_s"] = R["elements"] / (1 * SIGMOID_UNITS * TILE_GHZ) * 1e-9 / BATCH
    host_io_s = host_bytes / BATCH / (HT_LINKS * HT_GBPS) * 1e-9
    latency = sum(L["latency_s"] for L in layers) + \
        sum(R["latency_s"] for R in relus) + host_io_s
    run_s = BATCH * latency

    # Step 6: static power, mW, and energy: (gated) a layer's IMAs and tiles
    # leak while the layer is busy; a relu leaks its producer's tile.
    ima_static = dict.fromkeys(COMPONENTS, 0.0)
    ima_static.update(adc=F_ADC * ADC_MW, dac=F_DAC * DAC_MW,
                      crossbar=F_XBAR * XBAR_MW, sample_hold=F_SH * SH_MW,
                      shift_add=F_IMA_SA * IMA_SA_MW, input_register=F_IR * IR_MW,
                      output_register=F_IMA_OR * IMA_OR_MW)
    tile_static = dict.fromkeys(COMPONENTS, 0.0)
    tile_static.update(buffer=F_EDRAM * EDRAM_MW, bus=F_BUS * BUS_MW,
                       network=F_ROUTER * ROUTER_MW / TILES_PER_ROUTER,
                       shift_add=F_TILE_SA * TILE_SA_MW,
                       output_register=F_TILE_OR * TILE_OR_MW,
                       digital=F_SIGMOID * SIGMOID_MW + F_MAXPOOL * MAXPOOL_MW)
    for X, imas, tiles in ([(L, L["imas"], L["tiles"]) for L in layers]
                           + [(R, 0, 1) for R in relus]):
        busy = X["latency_s"] * BATCH
        X["static"] = {c: (imas * ima_static[c] + tiles * tile_static[c])
                       * 1e-3 * busy for c in COMPONENTS}
    # The links leak F_HT = 0 of 10.4 W for the whole run.
    links_static_j = F_HT * HT_W * run_s

    # Step 7: totals.
    everything = layers + relus
    dyn = {c: sum(X["dynamic"][c] for X in everything) for c in COMPONENTS}
    dyn["host_io"] = host_io_j
    sta = {c: sum(X["static"][c] for X in everything) for c in COMPONENTS}
    sta["inter_chip"] += links_static_j
    total_dyn, total_sta = sum(dyn.values()), sum(sta.values())
    return dict(
        per_event_pj=e,
        layers=[dict(name=X["name"], latency_s=X["latency_s"],
                     energy_j=sum(X["dynamic"].values()) + sum(X["static"].values()),
                     **{k: X[k] for k in ("crossbars", "imas", "tiles",
                                          "xbar_activations", "adc_conversions",
                                          "buffer_reads", "buffer_writes",
                                          "input_words", "reduction_adds",
                                          "stages_ns") if k in X})
                for X in everything],
        host_io_bytes=host_bytes, host_io_s=host_io_s,
        latency_s=latency, run_s=run_s,
        dynamic_by_component=dyn, static_by_component=sta,
        dynamic_j=total_dyn, static_j=total_sta,
        total_j=total_dyn + total_sta)


def print_hand(h):
    print("per-event energies (pJ): " + ", ".join(
        "%s=%.6g" % kv for kv in h["per_event_pj"].items()))
    for L in h["layers"]:
        extra = ""
        if "crossbars" in L:
            extra = ("  xbars %d imas %d act %d conv %d reads %d writes %d"
                     " red_adds %d" % (L["crossbars"], L["imas"],
                                       L["xbar_activations"],
                                       L["adc_conversions"], L["buffer_reads"],
                                       L["buffer_writes"], L["reduction_adds"]))
        print("layer %-17s latency %.6g s  energy %.6g J%s" %
              (L["name"], L["latency_s"], L["energy_j"], extra))
    print("%-16s %14s %14s" % ("component", "dynamic J", "static J"))
    for c in COMPONENTS:
        print("%-16s %14.6g %14.6g" % (c, h["dynamic_by_component"][c],
                                       h["static_by_component"][c]))
    print("dynamic %.6g J, static %.6g J, total %.6g J" %
          (h["dynamic_j"], h["static_j"], h["total_j"]))
    print("latency %.6g s (host I/O %.6g s)" % (h["latency_s"], h["host_io_s"]))


def check(h, report_path, tol):
    """Prints one line per figure; returns the number of mismatches."""
    r = json.load(open(report_path))
    cost = r["cost"]
    bad = 0

    def cmp(label, hand, tool, exact=False):
        nonlocal bad
        if exact or hand == 0:
            ok = tool == hand
            dev = "exact"
        else:
            rel = (tool - hand) / hand
            ok = abs(rel) <= tol
            dev = "%+.3f%%" % (100 * rel)
        bad += not ok
        print("%-8s %-40s hand %-12.6g tool %-12.6g %s" %
              ("ok" if ok else "MISMATCH", label, hand, tool, dev))

    counts = {L["name"]: L for L in r["layers"]}
    costs = {L["name"]: L for L in cost["layers"]}
    for L in h["layers"]:
        name = L["name"]
        if name not in costs:
            print("MISMATCH layer %s missing from the report" % name)
            bad += 1
            continue
        if "crossbars" in L:
            for k in ("crossbars", "xbar_activations", "adc_conversions",
                      "buffer_reads", "buffer_writes", "input_words",
                      "reduction_adds"):
                cmp("%s %s" % (name, k), L[k], counts[name][k], exact=True)
            for k in ("imas", "tiles"):
                cmp("%s %s" % (name, k), L[k], costs[name][k], exact=True)
            for k, v in L["stages_ns"].items():
                cmp("%s stage %s" % (name, k), v * 1e-9,
                    costs[name]["stages"][k])
        cmp("%s latency_s" % name, L["latency_s"], costs[name]["latency_s"])
        cmp("%s energy_j" % name, L["energy_j"],
            costs[name]["energy_j"]["total"])
    en = cost["energy_j"]
    for c in COMPONENTS:
        cmp("dynamic %s" % c, h["dynamic_by_component"][c],
            en["dynamic_by_component"][c])
    for c in COMPONENTS:
        cmp("static %s" % c, h["static_by_component"][c],
            en["static_by_component"][c])
    cmp("energy dynamic", h["dynamic_j"], en["dynamic"])
    cmp("energy static", h["static_j"], en["static"])
    cmp("energy total", h["total_j"], en["total"])
    cmp("host_io_s", h["host_io_s"], cost["host_io_s"])
    cmp("latency_s", h["latency_s"], cost["latency_s"])
    cmp("run_s", h["run_s"], cost["run_s"])
    if bad:
        print("%d figures differ from the hand derivation by more than %g%%"
              % (bad, 100 * tol))
    else:
        print("all figures within %g%% of the hand derivation" % (100 * tol))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", metavar="REPORT")
    ap.add_argument("--tolerance", type=float, default=0.01)
    ap.add_argument("--fill-cycles", type=int, default=FILL_CYCLES,
                    help="drain read cycles per layer (what-if)")
    a = ap.parse_args()
    h = derive(a.fill_cycles)
    if a.check:
        return 1 if check(h, a.check, a.tolerance) else 0
    if a.json:
        json.dump(h, sys.stdout, indent=1)
        print()
    else:
        print_hand(h)
    return 0


if __name__ == "__main__":
    sys.exit(main())
