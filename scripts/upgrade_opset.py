#!/usr/bin/python3
"""Raise the default-domain opset of an ONNX model.

  upgrade_opset.py IN.onnx OUT.onnx --opset N

Up to the newest opset the installed onnx knows (onnx.defs.onnx_opset_version(),
17 for onnx 1.12) this is onnx.version_converter.convert_version followed by
onnx.checker. Beyond that (opsets 18-21) the model is first converted to that
newest known opset, then raised by hand:

  * ReduceMean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare (18): the `axes`
    attribute becomes the second input (an int64 initializer);
  * every other operator changed in 18-21 only gained optional inputs, attributes
    or element types with the old behaviour as default (Pad 18/19/21, Split 18,
    Resize 18/19, LpPool 18, AveragePool 19 dilations, Cast 19/21, Reshape, Shape,
    Flatten, Transpose, Squeeze, Unsqueeze, Constant, Identity 19/21 ...), so its
    node is kept as is;
  * operators whose meaning changed (DFT 20, GridSample 20, GroupNormalization 21)
    and anything in a non-default domain are refused;
  * the IR version is raised to the one the target opset came with (18: 8,
    19/20: 9, 21: 10).

onnx 1.12 cannot check opsets above 17, so the result is not passed to
onnx.checker; run it with onnxruntime (scripts/ort_reference.sh) instead.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper, version_converter

IR_VERSION_FOR_OPSET = {13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10}
REDUCE_AXES_TO_INPUT = {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                        "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}
# Default-domain operators whose semantics changed incompatibly in opsets 18-21.
REFUSED = {"DFT": 20, "GridSample": 20, "GroupNormalization": 21}
MAX_HAND_OPSET = 21


def default_opset(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    raise ValueError("model has no default-domain opset import")


def _graphs(graph):
    yield graph
    for node in graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from _graphs(a.g)
            elif a.type == onnx.AttributeProto.GRAPHS:
                for g in a.graphs:
                    yield from _graphs(g)


def _raise_by_hand(model, src, dst):
    if dst > MAX_HAND_OPSET:
        raise ValueError(f"opset {dst} is beyond what this script knows ({MAX_HAND_OPSET})")
    for o in model.opset_import:
        if o.domain not in ("", "ai.onnx"):
            raise ValueError(f"non-default domain {o.domain!r} is not handled")
    for g in _graphs(model.graph):
        new_inits = []
        for node in g.node:
            if node.domain not in ("", "ai.onnx"):
                raise ValueError(f"node {node.name!r}: domain {node.domain!r} is not handled")
            since = REFUSED.get(node.op_type)
            if since is not None and src < since <= dst:
                raise ValueError(f"node {node.name!r}: {node.op_type} changed meaning at opset {since}")
            if node.op_type in REDUCE_AXES_TO_INPUT and src < 18 <= dst:
                axes = [a for a in node.attribute if a.name == "axes"]
                if axes:
                    name = f"{node.name or node.output[0]}_axes"
                    new_inits.append(numpy_helper.from_array(np.array(axes[0].ints, dtype=np.int64), name))
                    node.attribute.remove(axes[0])
                    del node.input[1:]
                    node.input.append(name)
        g.initializer.extend(new_inits)
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = dst
    model.ir_version = max(model.ir_version, IR_VERSION_FOR_OPSET[dst])
    return model


def upgrade(model, opset):
    """Returns the model at default-domain opset `opset` (see the module docstring)."""
    src = default_opset(model)
    if opset < src:
        raise ValueError(f"model is already at opset {src} > {opset}")
    known = onnx.defs.onnx_opset_version()
    if opset <= known:
        if opset != src:
            model = version_converter.convert_version(model, opset)
            model.ir_version = max(model.ir_version, IR_VERSION_FOR_OPSET.get(opset, 0))
        onnx.checker.check_model(model, full_check=True)
        return model
    if src < known:
        model = version_converter.convert_version(model, known)
        onnx.checker.check_model(model, full_check=True)
        src = known
    return _raise_by_hand(model, src, opset)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--opset", type=int, required=True)
    args = ap.parse_args(argv)
    model = onnx.load(args.input)
    src = default_opset(model)
    try:
        model = upgrade(model, args.opset)
    except Exception as e:  # noqa: BLE001 - one clear message
        print(f"upgrade_opset: error: {e}", file=sys.stderr)
        return 1
    onnx.save(model, args.output)
    checked = "checked with onnx.checker" if args.opset <= onnx.defs.onnx_opset_version() else \
        f"NOT checked (onnx {onnx.__version__} knows opsets <= {onnx.defs.onnx_opset_version()})"
    print(f"{args.input}: opset {src} -> {args.opset}, IR {model.ir_version}, {checked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
