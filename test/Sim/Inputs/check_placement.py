"""Checks that a program's placement and a report's placement are one and the
same, independently of rebocc's own code: reads the `array @L.A ...` lines of
the program's text form (rebocc --emit=program) and the "placement" member of
the JSON report (--report), and compares them array by array.

usage: check_placement.py PROGRAM.txt REPORT.json

Prints the overflow policy and how many arrays, tiles, chips and chip loads
the placement uses, for FileCheck; exits non-zero on any disagreement.
"""
import json
import re
import sys


def program_places(path):
    policy, places = None, []
    layer_names = {}
    for line in open(path):
        header = re.match(r"rebocc-program \d+ overflow=(\w+)$", line.rstrip("\n"))
        if header:
            policy = header.group(1)
        layer = re.match(r'layer @(\d+) name="([^"]*)"', line)
        if layer:
            layer_names[int(layer.group(1))] = layer.group(2)
        if not line.startswith("array "):
            continue
        ids = re.match(r"array @(\d+)\.(\d+) ", line)
        fields = dict(re.findall(r" (\w+)=(-?\d+)(?= |$)", line.rstrip("\n")))
        l, a = int(ids.group(1)), int(ids.group(2))
        places.append((l, layer_names[l], a) + tuple(
            int(fields[k]) for k in ("chip", "load", "tile", "ima", "xbar")))
    return policy, places


def report_places(path):
    placement = json.load(open(path))["cost"]["placement"]
    return placement["overflow"], [
        (p["layer"], p["layer_name"], p["array"], p["chip"], p["load"],
         p["tile"], p["ima"], p["xbar"]) for p in placement["arrays"]]


def main():
    program_policy, program = program_places(sys.argv[1])
    report_policy, report = report_places(sys.argv[2])
    if program_policy != report_policy:
        sys.exit("overflow: program %s, report %s" % (program_policy, report_policy))
    if not program or program != report:
        for p, r in zip(program, report):
            if p != r:
                sys.exit("first difference: program %s, report %s" % (p, r))
        sys.exit("program has %d arrays, report %d" % (len(program), len(report)))
    tiles = {(chip, load, tile) for (_, _, _, chip, load, tile, _, _) in program}
    chips = {p[3] for p in program}
    loads = {p[4] for p in program}
    print("placement agrees: overflow=%s arrays=%d tiles=%d chips=%d loads=%d"
          % (program_policy, len(program), len(tiles), len(chips), len(loads)))


if __name__ == "__main__":
    main()
