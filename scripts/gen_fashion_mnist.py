#!/usr/bin/python3
"""Generate the Fashion-MNIST MLP example models for rebocc.

Deterministic (fixed seeds, single thread). Writes, under examples/fashion_mnist/:

  mlp_dense/       784-128-64-10 MLP with ReLU, plain nn.Linear layers (Gemm).
  mlp_circulant/   same shape; the two hidden layers are trained block-circulant
                   (k=16 for 784->128, k=8 for 128->64, final 64->10 dense) and
                   exported with the EXPANDED dense weights, so the compiler has to
                   detect the block size itself.
  mlp_matmul/      the mlp_dense weights rebuilt by hand with onnx.helper as
                   Flatten -> (MatMul -> Add -> Relu) x2 -> MatMul -> Add -> Softmax
                   on a [N,1,28,28] input (outputs are probabilities).

Each model directory follows the ONNX model-zoo layout:
  <model>/model.onnx, <model>/test_data_set_0/input_0.pb, output_0.pb
(first 200 test images; outputs computed by torch, float32).

Also writes info.json (accuracies, top-1 of the reference outputs on the 200
images, labels of those images) and expected_block_sizes.json.

Block-circulant convention (design doc REBOC.md): W (m outputs x n inputs) is cut into
k x k blocks; block (i, j) is W_ij[r][c] = w_ij[(c - r) mod k].

Usage:  /usr/bin/python3 scripts/gen_fashion_mnist.py [--data-dir DIR] [--out DIR]
"""
import argparse
import gzip
import json
import os
import random
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import onnx
from onnx import helper, numpy_helper, TensorProto

SEED = 20200309
EPOCHS = 6
BATCH = 128
LR = 1e-3
N_TEST_DATA = 200
# Inputs are pixel / 255 in [0, 1], no mean/std normalisation: the simplest
# contract for users, and the fixed-point path sees inputs in [0, 1].


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dtype_code = (magic >> 8) & 0xFF
    ndim = magic & 0xFF
    assert dtype_code == 0x08, "expected unsigned byte idx data"
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    assert arr.size == int(np.prod(dims))
    return arr.reshape(dims)


def load_fashion_mnist(data_dir):
    def p(name):
        return os.path.join(data_dir, name)
    xtr = load_idx(p("train-images-idx3-ubyte.gz")).reshape(-1, 784)
    ytr = load_idx(p("train-labels-idx1-ubyte.gz"))
    xte = load_idx(p("t10k-images-idx3-ubyte.gz")).reshape(-1, 784)
    yte = load_idx(p("t10k-labels-idx1-ubyte.gz"))
    f = lambda x: torch.from_numpy(x.astype(np.float32) / np.float32(255.0))
    return f(xtr), torch.from_numpy(ytr.astype(np.int64)), f(xte), torch.from_numpy(yte.astype(np.int64))


class BlockCirculantLinear(nn.Module):
    """y = x W^T + b with W (out x in) block-circulant, k x k blocks.

    Parameters: defining vectors w of shape (p, q, k), p = out/k, q = in/k.
    Block (i, j) of W is W_ij[r][c] = w[i, j, (c - r) mod k].
    The dense weight is built by pure indexing (gather), so every copy of a
    defining entry is bit-identical to it.
    """

    def __init__(self, in_features, out_features, k):
        super().__init__()
        assert in_features % k == 0 and out_features % k == 0
        self.in_features, self.out_features, self.k = in_features, out_features, k
        self.p, self.q = out_features // k, in_features // k
        # Same fan-in scaling as nn.Linear's default init.
        bound = 1.0 / (in_features ** 0.5)
        self.w = nn.Parameter(torch.empty(self.p, self.q, k).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound))
        r = torch.arange(k).view(k, 1)
        c = torch.arange(k).view(1, k)
        self.register_buffer("idx", (c - r) % k, persistent=False)  # (k, k)

    def dense_weight(self):
        k, p, q = self.k, self.p, self.q
        blocks = self.w[:, :, self.idx]            # (p, q, k, k): [i, j, r, c]
        return blocks.permute(0, 2, 1, 3).reshape(p * k, q * k)  # [i*k+r, j*k+c]

    def forward(self, x):
        return F.linear(x, self.dense_weight(), self.bias)


class MLP(nn.Module):
    def __init__(self, circulant=False):
        super().__init__()
        if circulant:
            self.fc1 = BlockCirculantLinear(784, 128, 16)
            self.fc2 = BlockCirculantLinear(128, 64, 8)
        else:
            self.fc1 = nn.Linear(784, 128)
            self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class ExpandedMLP(nn.Module):
    """Plain nn.Linear MLP holding given (expanded) weights, for export."""

    def __init__(self, weights):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 128), nn.Linear(128, 64), nn.Linear(64, 10)
        with torch.no_grad():
            for lin, (w, b) in zip((self.fc1, self.fc2, self.fc3), weights):
                lin.weight.copy_(w)
                lin.bias.copy_(b)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(model, xtr, ytr, seed):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    n = xtr.shape[0]
    model.train()
    for ep in range(EPOCHS):
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for s in range(0, n, BATCH):
            idx = perm[s:s + BATCH]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * idx.numel()
        print(f"  epoch {ep + 1}/{EPOCHS}: train loss {tot / n:.4f}", flush=True)
    model.eval()


@torch.no_grad()
def accuracy(model, x, y):
    return float((model(x).argmax(1) == y).float().mean())


def export_gemm(model, path):
    dummy = torch.zeros(1, 784)
    torch.onnx.export(model, dummy, path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    return m


def build_matmul_model(weights, path):
    """Flatten -> MatMul -> Add -> Relu -> MatMul -> Add -> Relu -> MatMul -> Add -> Softmax."""
    inits, nodes = [], []
    nodes.append(helper.make_node("Flatten", ["input"], ["flat"], name="flatten", axis=1))
    cur = "flat"
    for li, (w, b) in enumerate(weights, start=1):
        wn, bn = f"fc{li}.weight_t", f"fc{li}.bias"
        # MatMul computes x @ B with B (in x out) = W^T.
        inits.append(numpy_helper.from_array(np.ascontiguousarray(w.numpy().T), wn))
        inits.append(numpy_helper.from_array(b.numpy().copy(), bn))
        mm, add = f"fc{li}_mm", f"fc{li}_add"
        nodes.append(helper.make_node("MatMul", [cur, wn], [mm], name=f"fc{li}/MatMul"))
        nodes.append(helper.make_node("Add", [mm, bn], [add], name=f"fc{li}/Add"))
        cur = add
        if li < len(weights):
            nodes.append(helper.make_node("Relu", [cur], [f"fc{li}_relu"], name=f"fc{li}/Relu"))
            cur = f"fc{li}_relu"
    nodes.append(helper.make_node("Softmax", [cur], ["probs"], name="softmax", axis=-1))
    graph = helper.make_graph(
        nodes, "mlp_matmul",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1, 28, 28])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", 10])],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="rebocc/scripts/gen_fashion_mnist.py")
    m.ir_version = 7
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)
    return m


def write_test_data(model_dir, x, y):
    d = os.path.join(model_dir, "test_data_set_0")
    os.makedirs(d, exist_ok=True)
    for name, arr in (("input_0.pb", x), ("output_0.pb", y)):
        t = numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32))
        with open(os.path.join(d, name), "wb") as f:
            f.write(t.SerializeToString())


def check_circulant(w, k):
    """Exact (bitwise) check that w (m x n) is block-circulant with block size k."""
    m, n = w.shape
    b = w.reshape(m // k, k, n // k, k).transpose(0, 2, 1, 3)  # [i, j, r, c]
    r = np.arange(k)[:, None]
    c = np.arange(k)[None, :]
    ref = b[:, :, 0, :][:, :, (c - r) % k]
    return np.array_equal(b.view(np.uint32), ref.view(np.uint32))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "examples", "fashion_mnist"))
    args = ap.parse_args()
    out = os.path.abspath(args.out)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()
    xtr, ytr, xte, yte = load_fashion_mnist(args.data_dir)
    print(f"loaded Fashion-MNIST: train {tuple(xtr.shape)}, test {tuple(xte.shape)}")
    x200, y200 = xte[:N_TEST_DATA], yte[:N_TEST_DATA]

    info = {"dataset": "Fashion-MNIST (Debian dataset-fashion-mnist), pixels scaled to [0,1], no mean/std",
            "test_data": f"first {N_TEST_DATA} test images (t10k), outputs computed by torch in float32",
            "labels_first_200": "@LABELS@", "models": {}}
    block_sizes = {}

    # --- mlp_dense -------------------------------------------------------
    print("training mlp_dense")
    seed_all(SEED)
    dense = MLP(circulant=False)
    train(dense, xtr, ytr, SEED + 1)
    dense_w = [(l.weight.detach().clone(), l.bias.detach().clone()) for l in (dense.fc1, dense.fc2, dense.fc3)]

    # --- mlp_circulant ---------------------------------------------------
    print("training mlp_circulant (k=16, k=8, dense)")
    seed_all(SEED + 2)
    circ = MLP(circulant=True)
    train(circ, xtr, ytr, SEED + 3)
    with torch.no_grad():
        circ_w = [(circ.fc1.dense_weight().detach().clone(), circ.fc1.bias.detach().clone()),
                  (circ.fc2.dense_weight().detach().clone(), circ.fc2.bias.detach().clone()),
                  (circ.fc3.weight.detach().clone(), circ.fc3.bias.detach().clone())]
    circ_export = ExpandedMLP(circ_w).eval()

    for name, model, export_model, ks in (
            ("mlp_dense", dense, dense, (1, 1, 1)),
            ("mlp_circulant", circ, circ_export, (16, 8, 1))):
        mdir = os.path.join(out, name)
        os.makedirs(mdir, exist_ok=True)
        path = os.path.join(mdir, "model.onnx")
        m = export_gemm(export_model, path)
        gemms = [n for n in m.graph.node if n.op_type == "Gemm"]
        assert len(gemms) == 3, [n.op_type for n in m.graph.node]
        inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
        block_sizes[name] = {}
        for node, k in zip(gemms, ks):
            block_sizes[name][node.name] = k
            w = inits[node.input[1]]
            trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
            if not trans_b:
                w = w.T
            if k > 1:
                assert check_circulant(w, k), f"{name}/{node.name}: exported weight not exactly circulant"
            # and no larger block size also fits (k is the true, maximal block size)
            for k2 in range(2 * k, min(w.shape) + 1, k):
                if w.shape[0] % k2 == 0 and w.shape[1] % k2 == 0:
                    assert not check_circulant(w, k2), f"{name}/{node.name}: also circulant at k={k2}"
        with torch.no_grad():
            y = model(x200).numpy()
            y_export = export_model(x200).numpy()
        if name == "mlp_circulant":
            # export module uses the same expanded tensors; should agree to float rounding
            assert np.allclose(y, y_export, rtol=1e-5, atol=1e-5)
        write_test_data(mdir, x200.numpy(), y_export)
        acc = accuracy(export_model, xte, yte)
        top1 = int((y_export.argmax(1) == y200.numpy()).sum())
        params = sum(int(np.prod(inits[n.input[1]].shape)) // k + int(np.prod(inits[n.input[2]].shape))
                     for n, k in zip(gemms, ks))
        info["models"][name] = {
            "onnx": f"{name}/model.onnx", "graph": "Gemm x3 (transB=1) + Relu x2",
            "input": "input [batch, 784] float32", "output": "logits [batch, 10] float32",
            "test_accuracy_10000": round(acc, 4),
            f"top1_correct_first_{N_TEST_DATA}": top1,
            "block_sizes": ks, "unique_parameters": params,
        }
        print(f"{name}: test accuracy {acc:.4f}, top-1 on first {N_TEST_DATA}: {top1}/{N_TEST_DATA}")

    # --- mlp_matmul (same weights as mlp_dense, different graph form) ----
    mdir = os.path.join(out, "mlp_matmul")
    os.makedirs(mdir, exist_ok=True)
    build_matmul_model(dense_w, os.path.join(mdir, "model.onnx"))
    with torch.no_grad():
        probs_all = F.softmax(dense(xte), dim=-1)
        probs = F.softmax(dense(x200), dim=-1).numpy()
    write_test_data(mdir, x200.numpy().reshape(-1, 1, 28, 28), probs)
    acc = float((probs_all.argmax(1) == yte).float().mean())
    top1 = int((probs.argmax(1) == y200.numpy()).sum())
    info["models"]["mlp_matmul"] = {
        "onnx": "mlp_matmul/model.onnx",
        "graph": "Flatten, (MatMul + Add + Relu) x2, MatMul + Add, Softmax; weights of mlp_dense",
        "input": "input [batch, 1, 28, 28] float32", "output": "probs [batch, 10] float32 (softmax)",
        "test_accuracy_10000": round(acc, 4), f"top1_correct_first_{N_TEST_DATA}": top1,
        "block_sizes": (1, 1, 1),
    }
    print(f"mlp_matmul: test accuracy {acc:.4f}, top-1 on first {N_TEST_DATA}: {top1}/{N_TEST_DATA}")

    with open(os.path.join(out, "info.json"), "w") as f:
        text = json.dumps(info, indent=1)
        # keep the 200 labels on one line
        text = text.replace('"@LABELS@"', json.dumps(y200.tolist()))
        f.write(text + "\n")
    with open(os.path.join(out, "expected_block_sizes.json"), "w") as f:
        block_sizes["mlp_matmul"] = {f"fc{i}/MatMul": 1 for i in (1, 2, 3)}
        json.dump(block_sizes, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {out} in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
