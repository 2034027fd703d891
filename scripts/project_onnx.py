#!/usr/bin/python3
"""Project an ONNX model's weights onto block-circulant matrices (numpy only).

  project_onnx.py IN.onnx OUT.onnx --k K [--json ERRORS.json] [--quiet]

An independent reference for `rebocc IN.onnx --block-size=K --projection`:
every Conv weight (initializer or Constant W [Cout, Cin/group, *kernel]) and
every Gemm / MatMul weight (Gemm B is [K, N], or [N, K] with transB = 1;
MatMul B is [K, N]) is replaced by its least-squares block-circulant
approximation with block size K, expanded back to a dense tensor of the same
shape, so that any ONNX runtime computes what the projected network computes.

Conventions (/work/shared/design/REBOC.md, docs/Design.md):
  * W is m x n (outputs x inputs), cut into k x k blocks,
    W_ij[r][c] = w_ij[(c - r) mod k].
  * Convolutions are block-circulant along channels for every kernel position:
    each position's Cout x Cin slice is projected on its own.
  * Projection = the mean of each circulant diagonal; ragged m or n are padded
    with zeros and the padding positions are left out of the mean (a diagonal
    made only of padding stays 0 and is cropped away again).
  * The forced k applies only where it fits: group == 1, k <= in features and
    k <= out features. Other layers (and every layer when K == 1) are copied
    unchanged.

Prints one line per layer: the relative Frobenius error ||W - P(W)||_F / ||W||_F
(over all kernel positions), or why the layer stays dense. --json writes
{"k": K, "layers": [{"node", "op", "weight", "m", "n", "positions", "projected",
"error"}...]}.

Notes: rebocc folds an inference BatchNormalization that follows a Conv into
the Conv before projecting, and projection does not commute with that per-
channel scaling; so a model with Conv -> BatchNormalization is reported (and
the projection here is then NOT rebocc's reference). torchvision exports in
eval mode have BN fused already. Gemm's alpha scales all of B and commutes
with the (linear) projection.
"""
import argparse
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def project_slices(w, k):
    """w: (P, m, n) float array (P kernel positions). Returns (projected (P, m, n)
    float32, sum of squared differences, sum of squares), both in float64."""
    P, m, n = w.shape
    p, q = -(-m // k), -(-n // k)
    a = np.zeros((P, p * k, q * k), np.float64)
    a[:, :m, :n] = w
    a = a.reshape(P, p, k, q, k)              # [pos, i, r, j, c]
    mask = np.zeros((p * k, q * k), np.float64)
    mask[:m, :n] = 1.0
    mask = mask.reshape(p, k, q, k)
    # Entry (r, c) of a block lies on circulant diagonal t = (c - r) mod k, so
    # row r's diagonal t is column (r + t) mod k.
    sums = np.zeros((P, p, q, k), np.float64)  # [pos, i, j, t]
    counts = np.zeros((p, q, k), np.float64)
    for r in range(k):
        cols = (r + np.arange(k)) % k
        sums += a[:, :, r, :, :][..., cols]
        counts += mask[:, r, :, :][..., cols]
    del a
    vec = sums / np.maximum(counts, 1)        # padding-only diagonals stay 0
    vec = vec.astype(np.float32)              # rebocc stores float32 defining vectors
    del sums
    # Expand: E[i, r, j, c] = w_ij[(c - r) mod k].
    tt = (np.arange(k)[None, :] - np.arange(k)[:, None]) % k   # [r, c]
    e = vec[:, :, :, tt]                      # [pos, i, j, r, c]
    e = np.ascontiguousarray(np.transpose(e, (0, 1, 3, 2, 4)).reshape(P, p * k, q * k)[:, :m, :n])
    w64 = w.astype(np.float64)
    norm = float(np.vdot(w64, w64))
    w64 -= e
    diff = float(np.vdot(w64, w64))
    return e, diff, norm


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--k", type=int, required=True, help="block size (1 = copy unchanged)")
    ap.add_argument("--json", help="write the per-layer errors here")
    ap.add_argument("--quiet", action="store_true", help="no per-layer lines")
    args = ap.parse_args()
    if args.k < 1:
        ap.error("--k must be positive")
    k = args.k

    model = onnx.load(args.input)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    constants = {}  # output name -> Constant node (attribute 'value')
    for node in graph.node:
        if node.op_type == "Constant" and len(node.output) == 1:
            for att in node.attribute:
                if att.name == "value":
                    constants[node.output[0]] = (node, att)
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1

    def get_const(name):
        if name in inits:
            return numpy_helper.to_array(inits[name])
        if name in constants:
            return numpy_helper.to_array(constants[name][1].t)
        return None

    new_inits = []
    # (name, role) -> projected name, so a weight shared by identical uses is
    # projected once and one shared by different uses gets its own copies.
    done = {}

    def set_const(node, index, array, role):
        name = node.input[index]
        key = (name, role)
        if key in done:
            node.input[index] = done[key]
            return
        if consumers.get(name, 0) == 1 and name in inits:
            inits[name].CopyFrom(numpy_helper.from_array(array, name))
            done[key] = name
            return
        if consumers.get(name, 0) == 1 and name in constants:
            constants[name][1].t.CopyFrom(numpy_helper.from_array(array, name))
            done[key] = name
            return
        new_name = f"{name}__circulant_k{k}_{len(done)}"
        new_inits.append(numpy_helper.from_array(array, new_name))
        node.input[index] = new_name
        done[key] = new_name

    def attr(node, name, default):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    # Conv -> BatchNormalization (only reader) is folded by rebocc first.
    producer = {o: n for n in graph.node for o in n.output}
    bn_after_conv = set()
    for node in graph.node:
        if node.op_type == "BatchNormalization" and node.input[0] in producer:
            prev = producer[node.input[0]]
            if prev.op_type in ("Conv", "Gemm", "MatMul") and consumers.get(node.input[0], 0) == 1:
                bn_after_conv.add(prev.name or prev.output[0])

    report = []
    for index, node in enumerate(graph.node):
        if node.op_type not in ("Conv", "Gemm", "MatMul"):
            continue
        label = node.name or f"{node.op_type}_{index}"
        windex = 1
        w = get_const(node.input[windex]) if len(node.input) > windex else None
        entry = {"node": label, "op": node.op_type, "weight": node.input[windex] if len(node.input) > windex else "",
                 "projected": False, "error": 0.0}
        if w is None or w.dtype != np.float32:
            print(f"{label}: {node.op_type} weight is not a float32 constant: left unchanged")
            entry["reason"] = "weight not a float32 constant"
            report.append(entry)
            continue
        if node.op_type == "Conv":
            group = attr(node, "group", 1)
            m, n = w.shape[0], w.shape[1] * group
            kernel = w.shape[2:]
            positions = int(np.prod(kernel)) if len(kernel) else 1
            # (Cout, Cin, *kernel) -> (positions, Cout, Cin)
            slices = np.moveaxis(w.reshape(m, w.shape[1], positions), 2, 0)
            role = "conv"
        else:
            if w.ndim != 2:
                print(f"{label}: {node.op_type} weight is not 2-D: left unchanged")
                entry["reason"] = "weight not 2-D"
                report.append(entry)
                continue
            group = 1
            trans_b = node.op_type == "Gemm" and attr(node, "transB", 0) != 0
            # W[o][i]: outputs x inputs.
            mat = w if trans_b else w.T
            m, n = mat.shape
            positions = 1
            slices = mat[None]
            role = "transB" if trans_b else "B"
        entry.update({"m": int(m), "n": int(n), "positions": positions, "group": int(group)})
        fits = group == 1 and k <= m and k <= n
        if k == 1 or not fits:
            why = "k = 1" if k == 1 else f"k = {k} does not fit ({group} group(s) of {n} -> {m} channels)"
            if not args.quiet:
                print(f"{label}: {node.op_type} {n} -> {m} stays dense: {why}")
            entry["reason"] = why
            report.append(entry)
            continue
        if label in bn_after_conv or (node.output[0] in bn_after_conv):
            print(f"{label}: warning: followed by BatchNormalization, which rebocc folds "
                  f"in before projecting; this projection is not rebocc's", file=sys.stderr)
        projected, diff, norm = project_slices(slices, k)
        err = float(np.sqrt(diff / norm)) if norm > 0 else 0.0
        if node.op_type == "Conv":
            out = np.moveaxis(projected, 0, 2).reshape(w.shape)
        else:
            out = projected[0] if trans_b else projected[0].T
        set_const(node, windex, np.ascontiguousarray(out, dtype=np.float32), role)
        entry.update({"projected": True, "error": err})
        report.append(entry)
        if not args.quiet:
            pos = f" x {positions} positions" if node.op_type == "Conv" else ""
            print(f"{label}: {node.op_type} {n} -> {m}{pos} projected onto k = {k}, "
                  f"relative Frobenius error {err:.6g}")
    graph.initializer.extend(new_inits)
    onnx.save(model, args.output)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"k": k, "layers": report}, f, indent=1)


if __name__ == "__main__":
    main()
