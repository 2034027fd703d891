#!/usr/bin/python3
"""Generate the Fashion-MNIST convolutional example models for rebocc.

Deterministic (fixed seeds, one thread). Writes, under examples/fashion_cnn/:

  lenet/              LeNet-5 style: conv5x5 pad2 (6) - ReLU - MaxPool2 - conv5x5 (16) -
                      ReLU - MaxPool2 - Flatten - FC 120 - ReLU - FC 84 - ReLU - FC 10.
                      Dense, opset 13.
  lenet_circulant/    same structure with conv1 8 channels so that k = 8 divides both
                      channel counts of conv2; conv2 (8->16, k = 8 at every kernel
                      position), fc1 (400->128, k = 16) and fc2 (128->64, k = 4) are
                      trained block-circulant, conv1 and fc3 (64->10) dense. Exported
                      with the EXPANDED dense weights (bit-identical copies made by
                      gather indexing), so the compiler has to detect k itself.
  minires/            small ResNet / MobileNet / SqueezeNet mix with BatchNormalization
                      kept in the graph (the compiler folds it), opset 13:
                      stem conv3x3 s2 + BN + ReLU6 (Clip); residual block conv-BN-ReLU-
                      conv-BN + identity Add + LeakyRelu; AveragePool 3x3 s2 pad1
                      ceil_mode count_include_pad=0 (14 -> 8, ceil_mode matters);
                      depthwise-separable block (depthwise conv3x3 groups=16 + BN +
                      HardSwish, pointwise 1x1 + BN); fire module (squeeze 1x1, expand
                      1x1 and 3x3, Concat on channels); PRelu; 1x1 conv + HardSigmoid;
                      GlobalAveragePool; Flatten; Gemm.
  minires_bnfolded/   minires exported with torch's eval-mode Conv+BN fusion (opset 13).
  minires_opset{9,11,13,17}/
                      minires exported by torch at those opsets (13 is byte-identical
                      to minires/). Between them: Clip with attributes (9) vs inputs
                      (11+), HardSwish as HardSigmoid+Mul (< 14) vs HardSwish (17),
                      the PRelu slope's Unsqueeze with axes attribute (9, 11) vs input
                      (13+). Opset 9 has no AveragePool ceil_mode: torch pads the end
                      instead, too much (pads [1,1,3,3] for a 3x3 kernel, which
                      onnxruntime rejects); the script shrinks those pads to [1,1,2,2]
                      (same output size and values with count_include_pad=0).
  minires_opset21/    minires_opset17 raised to opset 21 by scripts/upgrade_opset.py
                      (onnx 1.12 knows opsets up to 17 only; no op in minires changed
                      incompatibly in 18-21). Not checked by onnx.checker.
  handbuilt_opset21/  a small graph built with onnx.helper directly at opset 21 (IR 10):
                      Pad (pads and constant_value as inputs), Conv, Clip (min/max
                      inputs; one with min only), MaxPool, second Conv (block-circulant
                      k = 8), Transpose, Shape/Gather/Unsqueeze/Concat -> Reshape,
                      ReduceMean (axes as input, the opset-18 form), Concat, Gemm.
                      Weights trained with an equivalent torch module; the expected
                      outputs come from torch (onnxruntime agrees, see README).
                      Not checked by onnx.checker (onnx 1.12 does not know opset 21).
  resolution/r32, resolution/r64/
                      one fully-convolutional net (conv3x3 - ReLU - MaxPool, block-
                      circulant conv3x3 8->16 k = 8 - ReLU - MaxPool, block-circulant
                      conv3x3 16->32 k = 16 - ReLU, GlobalAveragePool, Flatten, Gemm),
                      trained on Fashion-MNIST zero-padded to 32x32, exported twice with
                      the same weights and static spatial sizes 32x32 and 64x64 (the
                      64x64 test inputs are the 32x32 ones upsampled 2x, nearest).

Every model directory has the ONNX model-zoo layout: model.onnx and
test_data_set_0/{input_0.pb, output_0.pb} (the first 16 test images, float32 outputs
computed by torch). Input name "input", output name "logits", dynamic batch "batch".
Also writes info.json and expected_block_sizes.json (Conv / Gemm node name -> k).

Block-circulant convention (/work/shared/design/REBOC.md): W (m x n) is cut into k x k
blocks, block (i, j) is W_ij[r][c] = w_ij[(c - r) mod k]; for a convolution every
kernel-position slice W[:, :, u, v] (C_out x C_in) has that form.

Usage:  /usr/bin/python3 scripts/gen_fashion_cnn.py [--data-dir DIR] [--out DIR]
"""
import argparse
import collections
import json
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import onnx
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_fashion_mnist import load_idx, check_circulant  # noqa: E402
import upgrade_opset  # noqa: E402

SEED = 20200310
BATCH = 128
LR = 2e-3
N_TEST_DATA = 16
EPOCHS = {"lenet": 3, "lenet_circulant": 4, "minires": 3, "handbuilt": 2, "resolution": 3}
OPSETS = (9, 11, 13, 17)


# ---------------------------------------------------------------- data
def load_fashion_mnist(data_dir):
    def p(name):
        return os.path.join(data_dir, name)
    f = lambda x: torch.from_numpy(x.astype(np.float32) / np.float32(255.0)).reshape(-1, 1, 28, 28)
    xtr = f(load_idx(p("train-images-idx3-ubyte.gz")))
    ytr = torch.from_numpy(load_idx(p("train-labels-idx1-ubyte.gz")).astype(np.int64))
    xte = f(load_idx(p("t10k-images-idx3-ubyte.gz")))
    yte = torch.from_numpy(load_idx(p("t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    return xtr, ytr, xte, yte


def pad32(x):
    return F.pad(x, (2, 2, 2, 2))


def up64(x32):
    return x32.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)


# ---------------------------------------------------------------- circulant layers
def circ_index(k):
    r = torch.arange(k).view(k, 1)
    c = torch.arange(k).view(1, k)
    return (c - r) % k  # (k, k): [r, c] -> (c - r) mod k


class BlockCirculantLinear(nn.Module):
    """y = x W^T + b, W (out x in) block-circulant with k x k blocks.

    Defining vectors w (p, q, k); W[i*k + r, j*k + c] = w[i, j, (c - r) mod k], built by
    pure indexing so every copy is bit-identical to its defining entry.
    """

    def __init__(self, cin, cout, k):
        super().__init__()
        assert cin % k == 0 and cout % k == 0
        self.k, self.p, self.q = k, cout // k, cin // k
        bound = 1.0 / cin ** 0.5
        self.w = nn.Parameter(torch.empty(self.p, self.q, k).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(cout).uniform_(-bound, bound))
        self.register_buffer("idx", circ_index(k), persistent=False)

    def dense_weight(self):
        k, p, q = self.k, self.p, self.q
        return self.w[:, :, self.idx].permute(0, 2, 1, 3).reshape(p * k, q * k)

    def forward(self, x):
        return F.linear(x, self.dense_weight(), self.bias)


class BlockCirculantConv2d(nn.Module):
    """Conv2d whose C_out x C_in slice at every kernel position (u, v) is block-circulant.

    Defining vectors w (p, q, k, kh, kw);
    W[i*k + r, j*k + c, u, v] = w[i, j, (c - r) mod k, u, v].
    """

    def __init__(self, cin, cout, ksize, k, stride=1, padding=0):
        super().__init__()
        assert cin % k == 0 and cout % k == 0
        self.k, self.p, self.q = k, cout // k, cin // k
        self.stride, self.padding = stride, padding
        bound = 1.0 / (cin * ksize * ksize) ** 0.5  # nn.Conv2d's default bound
        self.w = nn.Parameter(torch.empty(self.p, self.q, k, ksize, ksize).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(cout).uniform_(-bound, bound))
        self.register_buffer("idx", circ_index(k), persistent=False)

    def dense_weight(self):
        k, p, q = self.k, self.p, self.q
        blocks = self.w[:, :, self.idx]                 # (p, q, k, k, kh, kw): [i, j, r, c, u, v]
        kh, kw = blocks.shape[-2:]
        return blocks.permute(0, 2, 1, 3, 4, 5).reshape(p * k, q * k, kh, kw)

    def forward(self, x):
        return F.conv2d(x, self.dense_weight(), self.bias, self.stride, self.padding)


def expand_into(dst, src):
    """Copy src's (dense or expanded circulant) weight and bias into the plain layer dst."""
    with torch.no_grad():
        w = src.dense_weight() if hasattr(src, "dense_weight") else src.weight
        dst.weight.copy_(w)
        dst.bias.copy_(src.bias)


# ---------------------------------------------------------------- models
class LeNet(nn.Module):
    def __init__(self, circulant=False):
        super().__init__()
        if circulant:
            self.conv1 = nn.Conv2d(1, 8, 5, padding=2)
            self.conv2 = BlockCirculantConv2d(8, 16, 5, k=8)
            self.fc1 = BlockCirculantLinear(400, 128, k=16)
            self.fc2 = BlockCirculantLinear(128, 64, k=4)
            self.fc3 = nn.Linear(64, 10)
        else:
            self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(400, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def plain_lenet(trained):
    """nn.Conv2d / nn.Linear LeNet holding trained's (expanded) weights, for export."""
    c1, f1, f2 = (8, 128, 64) if isinstance(trained.conv2, BlockCirculantConv2d) else (6, 120, 84)
    m = LeNet(False)
    m.conv1, m.conv2 = nn.Conv2d(1, c1, 5, padding=2), nn.Conv2d(c1, 16, 5)
    m.fc1, m.fc2, m.fc3 = nn.Linear(400, f1), nn.Linear(f1, f2), nn.Linear(f2, 10)
    for name in ("conv1", "conv2", "fc1", "fc2", "fc3"):
        expand_into(getattr(m, name), getattr(trained, name))
    return m.eval()


class MiniRes(nn.Module):
    def __init__(self):
        super().__init__()
        bn = nn.BatchNorm2d
        # stem: 1x28x28 -> 16x14x14
        self.stem = nn.Conv2d(1, 16, 3, stride=2, padding=1, bias=False)
        self.stem_bn = bn(16)
        self.relu6 = nn.ReLU6()
        # residual block
        self.res_conv1 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.res_bn1 = bn(16)
        self.res_conv2 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.res_bn2 = bn(16)
        self.res_act = nn.LeakyReLU(0.1)
        # 14x14 -> 8x8: ceil_mode adds the 8th output, count_include_pad=False divides
        # the border windows by their in-image element count
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        # depthwise-separable block
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False)
        self.dw_bn = bn(16)
        self.dw_act = nn.Hardswish()
        self.pw = nn.Conv2d(16, 32, 1, bias=False)
        self.pw_bn = bn(32)
        # fire module
        self.squeeze = nn.Conv2d(32, 8, 1)
        self.expand1 = nn.Conv2d(8, 16, 1)
        self.expand3 = nn.Conv2d(8, 16, 3, padding=1)
        self.prelu = nn.PReLU(32, init=0.2)
        # head
        self.head = nn.Conv2d(32, 64, 1)
        self.head_act = nn.Hardsigmoid()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.relu6(self.stem_bn(self.stem(x)))
        y = F.relu(self.res_bn1(self.res_conv1(x)))
        y = self.res_bn2(self.res_conv2(y))
        x = self.res_act(x + y)
        x = self.pool(x)
        x = self.dw_act(self.dw_bn(self.dw(x)))
        x = self.pw_bn(self.pw(x))
        s = F.relu(self.squeeze(x))
        x = torch.cat([F.relu(self.expand1(s)), F.relu(self.expand3(s))], dim=1)
        x = self.prelu(x)
        x = self.head_act(self.head(x))
        x = torch.flatten(self.gap(x), 1)
        return self.fc(x)


class HandBuilt(nn.Module):
    """torch twin of the onnx.helper graph of handbuilt_opset21 (same arithmetic)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3)
        self.conv2 = BlockCirculantConv2d(8, 16, 3, k=8, padding=1)
        self.fc = nn.Linear(16 * 8 * 8 + 16, 10)

    def features(self, x):
        x = F.pad(x, (2, 2, 2, 2))                       # Pad: 28 -> 32
        x = torch.clamp(self.conv1(x), 0.0, 6.0)         # Conv (30x30), Clip(min, max)
        x = F.max_pool2d(x, 2)                           # MaxPool 2: 15x15
        x = torch.clamp(self.conv2(x), min=0.0)          # Conv pad 1, Clip(min)
        x = F.max_pool2d(x, 3, stride=2, padding=1)      # MaxPool 3 s2 p1: 8x8
        a = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # Transpose NHWC, Reshape [N, -1]
        b = x.mean(dim=(2, 3))                           # ReduceMean axes [2, 3], keepdims 0
        return torch.cat([a, b], dim=1)                  # Concat axis 1

    def forward(self, x):
        return self.fc(self.features(x))


class ResNetFC(nn.Module):
    """Fully convolutional, so it runs at any resolution (GlobalAveragePool before FC)."""

    def __init__(self, circulant=True):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        if circulant:
            self.conv2 = BlockCirculantConv2d(8, 16, 3, k=8, padding=1)
            self.conv3 = BlockCirculantConv2d(16, 32, 3, k=16, padding=1)
        else:
            self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
            self.conv3 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def plain_resolution(trained):
    m = ResNetFC(circulant=False)
    for name in ("conv1", "conv2", "conv3", "fc"):
        expand_into(getattr(m, name), getattr(trained, name))
    return m.eval()


# ---------------------------------------------------------------- training
def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(model, xtr, ytr, epochs, seed, tag):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    n = xtr.shape[0]
    steps = epochs * ((n + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps)
    model.train()
    for ep in range(epochs):
        t = time.time()
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for s in range(0, n, BATCH):
            idx = perm[s:s + BATCH]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * idx.numel()
        print(f"  {tag} epoch {ep + 1}/{epochs}: train loss {tot / n:.4f} ({time.time() - t:.0f} s)", flush=True)
    model.eval()


@torch.no_grad()
def predict(model, x):
    return torch.cat([model(x[s:s + 1000]) for s in range(0, x.shape[0], 1000)])


# ---------------------------------------------------------------- export and checks
def export(model, path, dummy, opset=13, keep_bn=False, dynamic=True):
    """torch.onnx.export; with keep_bn, BatchNormalization stays in the graph.

    In torch 1.13 training=EVAL always runs the eval peephole that fuses Conv+BN
    (do_constant_folding=False does not stop it); PRESERVE on a model in eval mode
    exports BatchNormalization in inference form.
    """
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    model.eval()
    kw = {}
    if dynamic:
        kw["dynamic_axes"] = {"input": {0: "batch"}, "logits": {0: "batch"}}
    torch.onnx.export(model, dummy, path, opset_version=opset, input_names=["input"],
                      output_names=["logits"], do_constant_folding=not keep_bn,
                      training=mode, **kw)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    return m


def shrink_avgpool_ceil_pads(m, in_hw):
    """torch 1.13's opset-9 export of AvgPool2d(ceil_mode=True) (AveragePool-7 has no
    ceil_mode) adds end padding until the floor-mode size equals the ceil-mode size,
    but overshoots: 14x14, kernel 3, stride 2, pad 1 gets pads [1, 1, 3, 3], and
    onnxruntime rejects pads >= kernel ("Pad should be smaller than kernel"). With
    count_include_pad=0 padded cells count neither in the sum nor in the divisor, so
    the smallest end padding giving the same output size computes the same values.
    in_hw: {node name: (H, W) of its input}."""
    for node in m.graph.node:
        if node.op_type != "AveragePool" or node.name not in in_hw:
            continue
        a = {x.name: x for x in node.attribute}
        if "count_include_pad" in a and a["count_include_pad"].i:
            continue
        ks, st, pads = list(a["kernel_shape"].ints), list(a["strides"].ints), list(a["pads"].ints)
        nd = len(ks)
        for d in range(nd):
            size, b, e = in_hw[node.name][d], pads[d], pads[d + nd]
            out = (size + b + e - ks[d]) // st[d] + 1
            while e > 0 and (size + b + e - 1 - ks[d]) // st[d] + 1 == out:
                e -= 1
            pads[d + nd] = e
        a["pads"].ClearField("ints")
        a["pads"].ints.extend(pads)
    return m


def write_test_data(model_dir, x, y):
    d = os.path.join(model_dir, "test_data_set_0")
    os.makedirs(d, exist_ok=True)
    for name, arr in (("input_0.pb", x), ("output_0.pb", y)):
        t = numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32))
        with open(os.path.join(d, name), "wb") as f:
            f.write(t.SerializeToString())


def op_types(m):
    c = collections.Counter(n.op_type for n in m.graph.node)
    return dict(sorted(c.items()))


def check_layer_k(w, k, what):
    """w: ONNX weight (Gemm: m x n after transB; Conv: Cout x Cin x kh x kw)."""
    slices = [w] if w.ndim == 2 else [w[:, :, u, v] for u in range(w.shape[2]) for v in range(w.shape[3])]
    m, n = slices[0].shape
    if k > 1:
        assert all(check_circulant(s, k) for s in slices), f"{what}: not exactly circulant at k={k}"
    # k is the maximal block size: no larger k2 that divides both dims also fits
    for k2 in range(2 * k, min(m, n) + 1, k):
        if m % k2 == 0 and n % k2 == 0:
            assert not all(check_circulant(s, k2) for s in slices), f"{what}: also circulant at k={k2}"


def block_sizes_of(m, ks, what):
    """ks: list of k for the Conv/Gemm nodes in graph order (None: depthwise/grouped, k=1)."""
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    nodes = [n for n in m.graph.node if n.op_type in ("Conv", "Gemm")]
    assert len(nodes) == len(ks), (what, [n.name for n in nodes], ks)
    out = {}
    for node, k in zip(nodes, ks):
        w = inits[node.input[1]]
        if node.op_type == "Gemm" and not next((a.i for a in node.attribute if a.name == "transB"), 0):
            w = w.T
        group = next((a.i for a in node.attribute if a.name == "group"), 1)
        if group == 1:
            check_layer_k(w, k, f"{what}/{node.name}")
        out[node.name] = k
    return out


# ---------------------------------------------------------------- hand-built opset-21 graph
def build_handbuilt(model, path):
    """The HandBuilt module's arithmetic as an opset-21 graph written with onnx.helper."""
    f32 = lambda t: np.ascontiguousarray(t.detach().numpy().astype(np.float32))
    i64 = lambda v: np.array(v, dtype=np.int64)
    inits = [
        numpy_helper.from_array(i64([0, 0, 2, 2, 0, 0, 2, 2]), "pads"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "pad_value"),
        numpy_helper.from_array(f32(model.conv1.weight), "conv1.weight"),
        numpy_helper.from_array(f32(model.conv1.bias), "conv1.bias"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "clip_min"),
        numpy_helper.from_array(np.array(6.0, dtype=np.float32), "clip_max"),
        numpy_helper.from_array(f32(model.conv2.dense_weight()), "conv2.weight"),
        numpy_helper.from_array(f32(model.conv2.bias), "conv2.bias"),
        numpy_helper.from_array(np.array(0, dtype=np.int64), "zero_index"),
        numpy_helper.from_array(i64([0]), "unsqueeze_axes"),
        numpy_helper.from_array(i64([-1]), "minus_one"),
        numpy_helper.from_array(i64([2, 3]), "mean_axes"),
        numpy_helper.from_array(f32(model.fc.weight), "fc.weight"),
        numpy_helper.from_array(f32(model.fc.bias), "fc.bias"),
    ]
    N = helper.make_node
    nodes = [
        N("Pad", ["input", "pads", "pad_value"], ["padded"], name="pad", mode="constant"),
        N("Conv", ["padded", "conv1.weight", "conv1.bias"], ["c1"], name="conv1",
          kernel_shape=[3, 3], strides=[1, 1], pads=[0, 0, 0, 0]),
        N("Clip", ["c1", "clip_min", "clip_max"], ["a1"], name="clip1"),
        N("MaxPool", ["a1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        N("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"], name="conv2",
          kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        N("Clip", ["c2", "clip_min"], ["a2"], name="clip2"),
        N("MaxPool", ["a2"], ["p2"], name="pool2", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        N("Transpose", ["p2"], ["nhwc"], name="transpose", perm=[0, 2, 3, 1]),
        N("Shape", ["nhwc"], ["shape"], name="shape"),
        N("Gather", ["shape", "zero_index"], ["batch"], name="gather", axis=0),
        N("Unsqueeze", ["batch", "unsqueeze_axes"], ["batch1"], name="unsqueeze"),
        N("Concat", ["batch1", "minus_one"], ["flat_shape"], name="concat_shape", axis=0),
        N("Reshape", ["nhwc", "flat_shape"], ["flat"], name="reshape"),
        N("ReduceMean", ["p2", "mean_axes"], ["mean"], name="reduce_mean", keepdims=0),
        N("Concat", ["flat", "mean"], ["feat"], name="concat", axis=1),
        N("Gemm", ["feat", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "handbuilt_opset21",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1, 28, 28])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10])],
        inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)],
                          producer_name="rebocc/scripts/gen_fashion_cnn.py")
    m.ir_version = upgrade_opset.IR_VERSION_FOR_OPSET[21]
    # onnx 1.12 knows opsets up to 17: no onnx.checker here (onnxruntime runs it).
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.save(m, path)
    return m


def compact_json(obj):
    """json.dumps(indent=1) with lists of scalars kept on one line."""
    text = json.dumps(obj, indent=1)
    return re.sub(r"\[\n\s+([^\[\]{}]*?)\n\s*\]",
                  lambda mt: "[" + ", ".join(x.strip() for x in mt.group(1).split(",\n")) + "]", text)


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "examples", "fashion_cnn"))
    args = ap.parse_args()
    out = os.path.abspath(args.out)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()
    xtr, ytr, xte, yte = load_fashion_mnist(args.data_dir)
    print(f"loaded Fashion-MNIST: train {tuple(xtr.shape)}, test {tuple(xte.shape)}")
    xs, ys = xte[:N_TEST_DATA], yte[:N_TEST_DATA]
    info = {"dataset": "Fashion-MNIST (Debian dataset-fashion-mnist), pixels scaled to [0,1], no mean/std",
            "test_data": f"first {N_TEST_DATA} test images (t10k), outputs computed by torch in float32",
            f"labels_first_{N_TEST_DATA}": ys.tolist(), "models": {}}
    block_sizes = {}
    dummy = torch.zeros(1, 1, 28, 28)

    def record(name, m, acc, logits, ks_desc, extra=None):
        top1 = int((np.asarray(logits).argmax(1) == ys.numpy()).sum())
        opset = next(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))
        entry = {"onnx": f"{name}/model.onnx", "opset": opset, "ir_version": m.ir_version,
                 "input": [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim],
                 "output": [d.dim_param or d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim],
                 "test_accuracy_10000": None if acc is None else round(acc, 4),
                 f"top1_correct_first_{N_TEST_DATA}": top1,
                 "block_sizes": ks_desc, "op_types": op_types(m),
                 "onnx_bytes": os.path.getsize(os.path.join(out, name, "model.onnx"))}
        if extra:
            entry.update(extra)
        info["models"][name] = entry
        print(f"{name}: opset {opset}, test accuracy {acc}, top-1 on first {N_TEST_DATA}: {top1}/{N_TEST_DATA}, "
              f"ops {entry['op_types']}", flush=True)

    # --- lenet and lenet_circulant -------------------------------------------
    for name, circ, ks in (("lenet", False, [1, 1, 1, 1, 1]),
                           ("lenet_circulant", True, [1, 8, 16, 4, 1])):
        seed_all(SEED + (10 if circ else 0))
        model = LeNet(circulant=circ)
        train(model, xtr, ytr, EPOCHS[name], SEED + (11 if circ else 1), name)
        plain = plain_lenet(model)
        mdir = os.path.join(out, name)
        m = export(plain, os.path.join(mdir, "model.onnx"), dummy)
        block_sizes[name] = block_sizes_of(m, ks, name)
        y = predict(plain, xs).numpy()
        if circ:
            np.testing.assert_allclose(y, predict(model, xs).numpy(), rtol=1e-5, atol=1e-5)
        write_test_data(mdir, xs.numpy(), y)
        acc = float((predict(plain, xte).argmax(1) == yte).float().mean())
        uniq = sum(p.numel() for p in model.parameters())
        record(name, m, acc, y, ks, {"unique_parameters": uniq,
                                     "dense_parameters": sum(p.numel() for p in plain.parameters())})

    # --- minires -------------------------------------------------------------
    seed_all(SEED + 20)
    mr = MiniRes()
    train(mr, xtr, ytr, EPOCHS["minires"], SEED + 21, "minires")
    y = predict(mr, xs).numpy()
    acc = float((predict(mr, xte).argmax(1) == yte).float().mean())
    mr_ks = [1] * 10  # stem, res1, res2, dw (group 16), pw, squeeze, expand1, expand3, head, fc
    for name, opset, keep_bn in ([("minires", 13, True), ("minires_bnfolded", 13, False)]
                                 + [(f"minires_opset{o}", o, True) for o in OPSETS]):
        mdir = os.path.join(out, name)
        path = os.path.join(mdir, "model.onnx")
        m = export(mr, path, dummy, opset=opset, keep_bn=keep_bn)
        if opset < 10:
            m = shrink_avgpool_ceil_pads(m, {"/pool/AveragePool": (14, 14)})
            onnx.checker.check_model(m, full_check=True)
            onnx.save(m, path)
        block_sizes[name] = block_sizes_of(m, mr_ks, name)
        write_test_data(mdir, xs.numpy(), y)
        record(name, m, acc, y, mr_ks, {"batchnorm_in_graph": keep_bn})
    # opset 21 by raising the torch opset-17 export (onnx 1.12's converter stops at 17)
    name = "minires_opset21"
    mdir = os.path.join(out, name)
    os.makedirs(mdir, exist_ok=True)
    m = upgrade_opset.upgrade(onnx.load(os.path.join(out, "minires_opset17", "model.onnx")), 21)
    onnx.save(m, os.path.join(mdir, "model.onnx"))
    block_sizes[name] = block_sizes_of(m, mr_ks, name)
    write_test_data(mdir, xs.numpy(), y)
    record(name, m, acc, y, mr_ks, {"batchnorm_in_graph": True,
                                    "made_by": "scripts/upgrade_opset.py from minires_opset17 (no onnx.checker)"})

    # --- handbuilt_opset21 ---------------------------------------------------
    seed_all(SEED + 30)
    hb = HandBuilt()
    train(hb, xtr, ytr, EPOCHS["handbuilt"], SEED + 31, "handbuilt")
    name = "handbuilt_opset21"
    mdir = os.path.join(out, name)
    m = build_handbuilt(hb, os.path.join(mdir, "model.onnx"))
    block_sizes[name] = block_sizes_of(m, [1, 8, 1], name)
    y = predict(hb, xs).numpy()
    write_test_data(mdir, xs.numpy(), y)
    acc = float((predict(hb, xte).argmax(1) == yte).float().mean())
    record(name, m, acc, y, [1, 8, 1], {"made_by": "onnx.helper (no onnx.checker: onnx 1.12 knows opsets <= 17)"})

    # --- resolution ----------------------------------------------------------
    seed_all(SEED + 40)
    rs = ResNetFC(circulant=True)
    train(rs, pad32(xtr), ytr, EPOCHS["resolution"], SEED + 41, "resolution")
    plain = plain_resolution(rs)
    res_ks = [1, 8, 16, 1]
    xte32 = pad32(xte)
    for res, xin, xall in ((32, pad32(xs), xte32), (64, up64(pad32(xs)), None)):
        name = f"resolution/r{res}"
        mdir = os.path.join(out, name)
        m = export(plain, os.path.join(mdir, "model.onnx"), torch.zeros(1, 1, res, res))
        block_sizes[name] = block_sizes_of(m, res_ks, name)
        y = predict(plain, xin).numpy()
        write_test_data(mdir, xin.numpy(), y)
        if xall is None:  # 64x64: all 10,000 test images upsampled, in chunks
            acc = float(torch.cat([predict(plain, up64(xte32[s:s + 1000])).argmax(1)
                                   for s in range(0, 10000, 1000)]).eq(yte).float().mean())
        else:
            acc = float((predict(plain, xall).argmax(1) == yte).float().mean())
        record(name, m, acc, y, res_ks,
               {"test_inputs": f"first {N_TEST_DATA} test images zero-padded to 32x32"
                               + (", upsampled 2x (nearest)" if res == 64 else ""),
                "unique_parameters": sum(p.numel() for p in rs.parameters())})

    with open(os.path.join(out, "info.json"), "w") as f:
        f.write(compact_json(info) + "\n")
    with open(os.path.join(out, "expected_block_sizes.json"), "w") as f:
        json.dump(block_sizes, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {out} in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
