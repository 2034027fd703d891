#!/usr/bin/python3
"""Helpers for compare-table.test (bench/compare_table.py).

  compare_table_check.py share REPORT
      the ReBoc side's steady-state static share, from the run-level figures
      only (not compare_table.py's per-layer split): gated inter-layer, the IMAs
      leak per inference and the used tiles and their vector functional units
      for the whole run (docs/CostModel.md section 4), so per inference
        static = (static - P x run_s) / inferences + P / throughput,
        P = tiles_used x tile leakage + vfu_tiles x vfu_leak_power_mw
  compare_table_check.py tamper REPORT OUT WHAT
      writes REPORT to OUT with one figure broken: WHAT is 'vfu' (vfu_tiles 0,
      the VFUs' leakage left in the layers) or 'layer' (one layer's static
      energy 1 % higher than the run's sum)
"""
import json
import sys


def tile_leak_w(hw):
    mw = (hw["edram_power_mw"] * hw["edram_static_fraction"]
          + hw["bus_power_mw"] * hw["bus_static_fraction"]
          + hw["router_power_mw"] / hw["tiles_per_router"] * hw["router_static_fraction"]
          + hw["tile_shift_add_power_mw"] * hw["tile_shift_add_static_fraction"]
          + hw["tile_output_register_power_mw"] * hw["tile_output_register_static_fraction"]
          + hw["sigmoid_power_mw"] * hw["sigmoid_static_fraction"]
          + hw["max_pool_power_mw"] * hw["max_pool_static_fraction"])
    return mw * 1e-3


def share(path):
    d = json.load(open(path))
    hw, c = d["hardware"], d["compare"][0]["cost"]
    e, n = c["energy_j"], c["inferences"]
    p = c["tiles_used"] * tile_leak_w(hw) + c["vfu_tiles"] * hw["vfu_leak_power_mw"] * 1e-3
    static = (e["static"] - p * c["run_s"]) / n + p / c["throughput_inferences_per_s"]
    print(f"vfu_tiles {c['vfu_tiles']} steady-state static share "
          f"{static / (e['dynamic'] / n + static) * 100:.0f}%")


def tamper(path, out, what):
    d = json.load(open(path))
    if what == "vfu":
        for entry in d["compare"]:
            entry["cost"]["vfu_tiles"] = 0
    else:
        d["compare"][0]["cost"]["layers"][0]["energy_j"]["static"] *= 1.01
    json.dump(d, open(out, "w"))


if __name__ == "__main__":
    if sys.argv[1:2] == ["share"] and len(sys.argv) == 3:
        share(sys.argv[2])
    elif sys.argv[1:2] == ["tamper"] and len(sys.argv) == 5:
        tamper(*sys.argv[2:])
    else:
        sys.exit(__doc__)
