#!/usr/bin/python3
"""A small UNet with ConvTranspose and Resize, end to end against
onnxruntime-node.

  unet-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds a 2-level UNet with torch (random weights, seed 0): two encoder
stages (Conv, ReLU, MaxPool), a bottleneck, one decoder stage upsampled by
nn.ConvTranspose2d (stride 2) and one by nn.Upsample (bilinear,
align_corners=False), skip connections by Concat, and a side branch
upsampled by F.interpolate (nearest, x4) into the head. Exports it to ONNX
(opset 13, dynamic batch), checks that the export holds ConvTranspose and
Resize nodes, writes a seeded input (batches 1 and 3) and runs onnxruntime
and rebocc --run: float reference within rtol 1e-4 / atol 1e-4, fixed point
(16-bit) within 2e-2 of each output's largest magnitude.
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import cross_check, write_input  # noqa: E402

src, rebocc, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = block(3, 8), block(8, 16)
        self.bottom = block(16, 16)
        self.up1 = nn.ConvTranspose2d(16, 16, 2, stride=2)
        self.dec1 = block(32, 16)
        self.up2 = nn.Upsample(scale_factor=2, mode="bilinear",
                               align_corners=False)
        self.dec2 = block(16 + 8, 8)
        self.head = nn.Conv2d(8 + 16, 2, 1)

    def forward(self, x):
        e1 = self.enc1(x)                       # 8 x 16 x 16
        e2 = self.enc2(F.max_pool2d(e1, 2))     # 16 x 8 x 8
        b = self.bottom(F.max_pool2d(e2, 2))    # 16 x 4 x 4
        d1 = self.dec1(torch.cat([self.up1(b), e2], 1))   # 16 x 8 x 8
        d2 = self.dec2(torch.cat([self.up2(d1), e1], 1))  # 8 x 16 x 16
        side = F.interpolate(b, scale_factor=4, mode="nearest")
        return self.head(torch.cat([d2, side], 1))


torch.manual_seed(0)
model = UNet().eval()
path = os.path.join(out, "unet.onnx")
torch.onnx.export(model, torch.zeros(1, 3, 16, 16), path, opset_version=13,
                  input_names=["x"], output_names=["y"],
                  dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
ops = [n.op_type for n in onnx.load(path).graph.node]
print("ops:", " ".join(sorted(set(ops))))
print("ConvTranspose nodes:", ops.count("ConvTranspose"))
print("Resize nodes:", ops.count("Resize"))

status = 0
rng = np.random.default_rng(12)
for batch in (1, 3):
    d = os.path.join(out, f"batch{batch}")
    os.makedirs(d, exist_ok=True)
    x = rng.normal(0.0, 1.0, (batch, 3, 16, 16)).astype(np.float32)
    inputs = [write_input(os.path.join(d, "input_0.pb"), x, "x")]
    status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-4,
                          f"unet batch {batch}", fixed_range_tol=2e-2)
print("all outputs match" if status == 0 else "MISMATCH")
sys.exit(status)
