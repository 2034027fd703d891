"""Recounts a report's vfu_tiles (test/Sim/vfu-tiles.test) by the rule of
docs/CostModel.md section 7: a VFU instruction runs on the tiles of the
crossbar layer that produces its input, copies included; copies are not
placed, so for this count each layer's further active_imas - imas IMAs
take the spare IMAs after imas_needed, layer after layer.

    vfu_tiles.py REPORT.json PRODUCER [PRODUCER ...]

PRODUCER names a crossbar layer that feeds a VFU instruction (read off the
model, not the report). Prints the recount and the report's figure.
"""
import json
import sys

whole = json.load(open(sys.argv[1]))
report = whole["cost"]
producers = set(sys.argv[2:])
per_tile = whole["hardware"]["imas_per_tile"]
crossbar = [l for l in report["layers"] if l["kind"] == "crossbar"]
spare = max([report["imas_needed"]] +
            [l["first_ima"] + l["imas"] for l in crossbar])
tiles = set()
for layer in crossbar:
    own = range(layer["first_ima"], layer["first_ima"] + max(layer["imas"], 1))
    copies = range(spare, spare + max(0, layer["active_imas"] - layer["imas"]))
    spare += len(copies)
    if layer["name"] in producers:
        tiles |= {ima // per_tile for ima in own}
        tiles |= {ima // per_tile for ima in copies}
print(f"recount {len(tiles)} report {report['vfu_tiles']}")
