"""Grids, the points of their cross product and each point's rebocc command."""

import difflib
import hashlib
import itertools
import json
import os
import re

# Grid keys that are compiler options rather than hardware keys, and the
# rebocc flag each goes to. Every other key goes to `--hw-set KEY=V`.
COMPILER_FLAGS = {
    "block_size": "--block-size",
    "mapping": "--mapping",
    "pipeline": "--pipeline",
    "objective": "--objective",
    "duplication_budget": "--duplication-budget",
    "duplication": "--duplication",
    "duplication_layout": "--duplication-layout",
    "overflow": "--overflow",
    "tolerance": "--tolerance",
    "projection": "--projection",
}

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_VALUE = re.compile(r"[A-Za-z0-9_.+\-]+\Z")


class GridError(Exception):
    pass


def parse_grid(text):
    """'KEY=V1,V2,...' -> (KEY, [V1, V2, ...])."""
    key, sep, values = text.partition("=")
    if not sep:
        raise GridError("--grid '%s': expected KEY=V1,V2,..." % text)
    if not _KEY.match(key):
        raise GridError("--grid '%s': '%s' is not a key (letters, digits, _)"
                        % (text, key))
    items = values.split(",")
    for item in items:
        # Values end up on a command line and in CSV cells: keep them to
        # characters that need no quoting in either.
        if not item:
            raise GridError("--grid '%s': empty value" % text)
        if not _VALUE.match(item):
            raise GridError("--grid '%s': value '%s' has characters other than "
                            "letters, digits and _ . + -" % (text, item))
    seen = set()
    for item in items:
        if item in seen:
            raise GridError("--grid '%s': value '%s' given twice" % (text, item))
        seen.add(item)
    return key, items


def parse_grids(texts):
    grids = []
    for text in texts:
        key, values = parse_grid(text)
        if any(key == k for k, _ in grids):
            raise GridError("--grid '%s': key '%s' already has a grid"
                            % (text, key))
        grids.append((key, values))
    return grids


def compiler_key_suggestion(key):
    """The compiler option a misspelled grid key probably meant, or None."""
    close = difflib.get_close_matches(key, list(COMPILER_FLAGS), n=1)
    return close[0] if close else None


def option_args(params):
    """rebocc arguments for the (key, value) pairs, in grid order."""
    args = []
    for key, value in params:
        if key in COMPILER_FLAGS:
            args.append("%s=%s" % (COMPILER_FLAGS[key], value))
        else:
            args.extend(["--hw-set", "%s=%s" % (key, value)])
    return args


def points(models, grids):
    """Every (model, params) of the cross product: models outermost, then the
    grids in the order given, the last varying fastest."""
    keys = [k for k, _ in grids]
    for model in models:
        for values in itertools.product(*[v for _, v in grids]):
            yield model, list(zip(keys, values))


def _label(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    # The bundled examples are all 'model.onnx': name them by their folder.
    if stem == "model":
        stem = os.path.basename(os.path.dirname(os.path.abspath(path))) or stem
    return re.sub(r"[^A-Za-z0-9_.-]", "_", stem)


def point_id(model, params, mode_args):
    """A stable name for a point: the model's label and a hash of everything
    that makes its report (the model's absolute path, the parameters in
    order, the mode and passthrough arguments)."""
    canonical = json.dumps({"model": os.path.abspath(model),
                            "params": params, "args": mode_args},
                           sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    return "%s-%s" % (_label(model), digest)


def rebocc_command(rebocc, model, params, mode_args):
    """The point's rebocc command line. It runs in the point's directory and
    writes report.json there (and outputs/ with --run)."""
    return ([rebocc, os.path.abspath(model)] + mode_args + option_args(params)
            + ["--report", "report.json"])
