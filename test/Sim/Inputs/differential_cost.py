#!/usr/bin/env python3
"""The differential encoding's second array, derived independently.

  differential_cost.py --hw HW.json --model M.onnx --batch N
                       --flipped RF.json --differential RD.json

RF and RD are `--report`s of the same run (--block-size=1, one chip, the
default pipeline and gating) with weight_encoding flipped and differential
at the same adc_bits (the reference resolution). Each crossbar placed on the
chip is then a pair of arrays (docs/CostModel.md, "Weight encodings"): both
are driven, read and digitized, so per layer the differential run costs,
beyond the flipped one,

  adc, sample_hold, IMA shift_add, IMA output_register: samples x their
      per-sample energy (samples = adc_conversions x input_bits);
  crossbar: array read cycles x the per-array-cycle energy;
  dac: row drives x the per-drive energy;

and nothing else dynamic (the input register feeds the pair once; eDRAM,
bus, NoC and digital units see the same words). Its crossbars double; the
area grows by every provisioned IMA's second set of arrays, DACs and
sample-and-holds. The counts and per-event energies come from
independent_cost.py (the ONNX geometry and the hardware JSON, nothing the
tool computed); the static energy follows the longer ADC stage and is
checked only through the report's sums.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from independent_cost import (COMPONENTS, Checker, PJ, check_sums,  # noqa: E402
                              derive_constants, events, map_and_place,
                              read_network)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hw", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--flipped", required=True)
    ap.add_argument("--differential", required=True)
    a = ap.parse_args()
    hw = {k: v for k, v in json.load(open(a.hw)).items() if not k.startswith("_")}
    ops, _ = read_network(a.model, a.batch)
    k = derive_constants(hw)
    e = k["e"]
    map_and_place(ops, hw, k)
    flipped = json.load(open(a.flipped))["cost"]
    diff = json.load(open(a.differential))["cost"]
    F = {L["name"]: L for L in flipped["layers"]}
    D = {L["name"]: L for L in diff["layers"]}
    ck = Checker(1e-5)  # the JSON has 6 significant digits
    extra_total = 0.0
    for L in ops:
        if L["kind"] == "digital":
            continue
        ev = events(L, hw, k)
        name = L["name"]
        ck.cmp("%s crossbars flipped" % name, L["arrays"], F[name]["crossbars"],
               exact=True)
        ck.cmp("%s crossbars differential" % name, 2 * L["arrays"],
               D[name]["crossbars"], exact=True)
        extra = dict.fromkeys(COMPONENTS, 0.0)
        extra.update(
            adc=ev["samples"] * e["adc"] * PJ,
            sample_hold=ev["samples"] * e["sh"] * PJ,
            shift_add=ev["samples"] * e["ima_sa"] * PJ,
            output_register=ev["samples"] * e["ima_or"] * PJ,
            crossbar=ev["array_cycles"] * e["xbar"] * PJ,
            dac=ev["drives"] * e["dac"] * PJ)
        for c in COMPONENTS:
            got = (D[name]["energy_j"]["dynamic_by_component"][c] -
                   F[name]["energy_j"]["dynamic_by_component"][c])
            if extra[c] == 0:
                ok = abs(got) <= 1e-5 * abs(F[name]["energy_j"]["dynamic"])
                ck.bad += not ok
                if not ok:
                    print("MISMATCH %s extra dynamic %s: %g, expected none" %
                          (name, c, got))
                continue
            ck.cmp("%s extra dynamic %s" % (name, c), extra[c], got)
        extra_total += sum(extra.values())
    ck.cmp("extra dynamic energy", extra_total,
           diff["energy_j"]["dynamic"] - flipped["energy_j"]["dynamic"])
    for key in ("crossbars_needed", "crossbars_per_chip"):
        ck.cmp(key + " doubles", 2 * flipped[key], diff[key], exact=True)
    ck.cmp("utilization crossbars doubles", 2 * flipped["utilization"]["crossbars"],
           diff["utilization"]["crossbars"], exact=True)
    pair_mm2 = hw["xbar_area_mm2"] + hw["dac_area_mm2"] + hw["sample_hold_area_mm2"]
    imas = flipped["chips"] * hw["tiles_per_chip"] * hw["imas_per_tile"]
    ck.cmp("extra area mm^2", imas * pair_mm2,
           diff["area_mm2"] - flipped["area_mm2"])
    check_sums(diff, ck)
    if ck.bad:
        print("%d figures differ" % ck.bad)
        return 1
    print("the differential pair costs what the independent derivation says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
