"""Validates rebocc JSON reports against docs/report.schema.json with the
jsonschema package (Debian's python3-jsonschema, Draft 2020-12).

  validate_report.py SCHEMA REPORT...        each must validate
  validate_report.py SCHEMA --broken REPORT  each breakage of REPORT
                                             (below) must be rejected

Prints one line per report or breakage; exits 1 on the first unexpected
result.
"""
import copy
import json
import sys

import jsonschema


def breakages(report):
    """Copies of `report`, each with one thing the schema must reject."""
    def without(path):
        r = copy.deepcopy(report)
        node = r
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        return r

    def with_value(path, value):
        r = copy.deepcopy(report)
        node = r
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return r

    yield "no schema_version", without(["schema_version"])
    yield "schema_version 2", with_value(["schema_version"], 2)
    yield "no tool.git", without(["tool", "git"])
    yield "short sha256", with_value(["model", "sha256"], "99ebf962")
    yield "no hardware.adc_bits", without(["hardware", "adc_bits"])
    yield "unknown hardware key", with_value(["hardware", "adc_bitz"], 8)
    yield "adc_bits as text", with_value(["hardware", "adc_bits"], "8")
    yield "energy total as text", with_value(
        ["cost", "energy_j", "total"], "1e-6")
    yield "no cost.layers", without(["cost", "layers"])
    yield "no totals", without(["totals"])


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    if sys.argv[2] == "--broken":
        report = json.load(open(sys.argv[3], encoding="utf-8"))
        for what, broken in breakages(report):
            if validator.is_valid(broken):
                print("FAIL: accepted with %s" % what)
                sys.exit(1)
            print("rejected: %s" % what)
        return
    for path in sys.argv[2:]:
        report = json.load(open(path, encoding="utf-8"))
        errors = sorted(validator.iter_errors(report),
                        key=lambda e: list(e.absolute_path))
        if errors:
            e = errors[0]
            print("FAIL: %s: %s: %s" % (path, "/".join(map(str, e.absolute_path)),
                                        e.message))
            sys.exit(1)
        print("valid: %s" % path.rsplit("/", 1)[-1])


main()
