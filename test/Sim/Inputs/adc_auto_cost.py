#!/usr/bin/env python3
"""adc_bits = auto against a fixed resolution, derived independently.

  adc_auto_cost.py --hw HW.json --fixed R8.json --auto RAUTO.json

R8 is a `--report` of a run at the hardware's adc_bits (the reference
resolution, ADC law ratio 1), RAUTO the same run with adc_bits = auto, both
gated and with --no-replicas. The script writes the Murmann-survey fit out
from docs/CostModel.md section 6 (the Accelergy ADC plug-in's coefficients)
and ISAAC's Table I values from the hardware JSON; it imports nothing of the
tool and reads only the two reports:

* each crossbar layer's ADC bits (`adc_bits_needed[].adc_bits` and the cost's
  `layers[].adc_bits`) are the report's `adc_bits_needed` maximum, and the
  fixed run's are adc_bits;
* its ADC dynamic energy is samples x (1 - f) x P_adc / (ADCs x rate) x
  rho_E(bits), samples = adc_conversions x input_bits of the run's counts;
* its ADC static energy is rho_E(bits) times the fixed run's (the layer's
  busy time does not depend on the resolution);
* every other component of every layer, dynamic and static, equals the
  fixed run's;
* area = fixed area - sum over IMAs of adc_area x (1 - rho_A(bits)): each
  layer's IMAs at its bits, the others at the largest layer's;
* the auto report's totals are the sums of their parts
  (independent_cost.check_sums).

Prints one line per figure; exits 1 on any mismatch.
"""

import argparse
import json
import math
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from independent_cost import COMPONENTS, Checker, check_sums  # noqa: E402


def survey_energy_pj(b, tech_nm, rate_hz):
    """E(b, T, f) of docs/CostModel.md section 6."""
    sndr = 6.0206 * b + 1.7609
    fom = min(213.78067 - 2.8719030 * math.log(rate_hz),
              128.30683 + 3.2205115 * math.ceil(b))
    schreier = 1 / (2 * 10 ** ((fom - sndr) / 10))
    return schreier * math.exp(26.049622 + 1.8800369 * math.log(tech_nm) -
                               2.8291256 * math.log(b) - 1.4702022)


def survey_area_um2(b, tech_nm, rate_hz):
    return math.exp(0.99327947 * math.log(tech_nm) + 0.18071538 * math.log(rate_hz) +
                    0.29912426 * math.log(survey_energy_pj(b, tech_nm, rate_hz)) +
                    1.3461916)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hw", required=True)
    ap.add_argument("--fixed", required=True)
    ap.add_argument("--auto", required=True)
    a = ap.parse_args()
    hw = json.load(open(a.hw))
    if hw["adc_bits"] != hw["adc_reference_bits"]:
        sys.exit("adc_auto_cost.py: the fixed run must be at adc_reference_bits")
    fixed, auto = json.load(open(a.fixed)), json.load(open(a.auto))
    rate = hw["adc_sample_rate_gsps"] * 1e9
    ref = hw["adc_reference_bits"]
    rho_e = lambda b: (survey_energy_pj(b, hw["adc_tech_nm"], rate) /
                       survey_energy_pj(ref, hw["adc_tech_nm"], rate))
    rho_a = lambda b: (survey_area_um2(b, hw["adc_tech_nm"], rate) /
                       survey_area_um2(ref, hw["adc_tech_nm"], rate))
    # pJ per conversion at the reference resolution: Table I's ADC power
    # (all ADCs of an IMA) less its static share over their sample rate.
    adc_pj = ((1 - hw["adc_static_fraction"]) * hw["adc_power_mw"] /
              (hw["adcs_per_ima"] * hw["adc_sample_rate_gsps"]))
    ck = Checker(1e-5)  # the JSON has 6 significant digits
    need = {n["name"]: n["need"]["max"] for n in auto["adc_bits_needed"]}
    for n in auto["adc_bits_needed"]:
        ck.cmp("%s runs at its need" % n["name"], n["need"]["max"],
               n["adc_bits"], exact=True)
    for n in fixed["adc_bits_needed"]:
        ck.cmp("%s runs at adc_bits" % n["name"], hw["adc_bits"], n["adc_bits"],
               exact=True)
    counts = {L["name"]: L for L in auto["layers"]}
    fixed_layers = {L["name"]: L for L in fixed["cost"]["layers"]}
    imas_at = {}
    for L in auto["cost"]["layers"]:
        F = fixed_layers[L["name"]]
        if L["kind"] == "crossbar":
            bits = L["adc_bits"]
            ck.cmp("%s adc_bits = the need" % L["name"], need[L["name"]], bits,
                   exact=True)
            imas_at[bits] = imas_at.get(bits, 0) + L["imas"]
            samples = counts[L["name"]]["adc_conversions"] * hw["input_bits"]
            ck.cmp("%s %d bits adc dynamic" % (L["name"], bits),
                   samples * adc_pj * rho_e(bits) * 1e-12,
                   L["energy_j"]["dynamic_by_component"]["adc"])
            ck.cmp("%s adc static" % L["name"],
                   F["energy_j"]["static_by_component"]["adc"] * rho_e(bits),
                   L["energy_j"]["static_by_component"]["adc"])
        for part in ("dynamic", "static"):
            other = [c for c in COMPONENTS if c != "adc"]
            ck.cmp("%s %s other than adc" % (L["name"], part),
                   sum(F["energy_j"][part + "_by_component"][c] for c in other),
                   sum(L["energy_j"][part + "_by_component"][c] for c in other))
    cost = auto["cost"]
    idle = cost["chips"] * cost["imas_per_chip"] - sum(imas_at.values())
    top = max(imas_at)
    imas_at[top] += idle
    reported = {int(b): n for b, n in cost["adc_imas_by_bits"].items()}
    ok = reported == imas_at
    ck.bad += not ok
    print("%-8s IMAs by bits expected %s report %s" %
          ("ok" if ok else "MISMATCH", sorted(imas_at.items()),
           sorted(reported.items())))
    saved = sum(n * hw["adc_area_mm2"] * (1 - rho_a(b)) for b, n in imas_at.items())
    ck.cmp("area saved mm^2", saved, fixed["cost"]["area_mm2"] - cost["area_mm2"])
    check_sums(cost, ck)
    if ck.bad:
        print("%d figures differ" % ck.bad)
        return 1
    print("adc_bits = auto agrees with the independent derivation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
