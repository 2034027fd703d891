#!/usr/bin/python3
"""Export torchvision CNNs with RANDOM weights (never downloads) as rebocc test models.

  gen_torchvision_models.py OUT_DIR [--only NAME ...] [--skip-large] [--keep-bn]
                                    [--size NAME=PIXELS ...] [--opset N]

Writes OUT_DIR/<name>/model.onnx and OUT_DIR/<name>/test_data_set_0/{input_0.pb,
output_0.pb} (batch 1, input uniform in [0, 1) from a fixed seed, output computed by
torch in float32), and OUT_DIR/summary.json (input size, ONNX bytes, export seconds,
op types with counts, parameter count).

Models and default input sizes (3 x S x S):
  resnet18 64, mobilenet_v2 64, squeezenet1_1 64   small inputs; all end in a global
                                                   average pool.
  vgg11 224, alexnet 224                           torch 1.13 exports
      AdaptiveAvgPool2d((7, 7)) / ((6, 6)) only when the output size divides the
      feature map, and the smallest inputs that give 7x7 / 6x6 features are 224 and
      223 pixels; so these two are full-size (vgg11 ~ 530 MB, alexnet ~ 245 MB of
      ONNX, mostly the classifier). --skip-large leaves them out.
  vgg16 224                                        full-size too (~ 550 MB).
  resnet50 224                                     full-size (~ 102 MB of ONNX,
      25.6 M weights; ends in a global average pool, so any size works, but the
      default is the ImageNet resolution so that bench/ records the compile
      time and memory of a real deep network).
  The full-size models (vgg11, vgg16, alexnet, resnet50) are LARGE:
  --skip-large leaves them out.

Weights come from torchvision's default initialisation after torch.manual_seed;
BatchNorm gets random running stats and affine parameters (mean ~ N(0, 0.01),
variance and weight ~ U(0.5, 1.5), bias ~ N(0, 0.01)) so that folding it matters. The export is
opset 13 (--opset), batch 1, torch's default eval-mode export (Conv+BN fused,
constants folded); --keep-bn exports BatchNormalization nodes instead.
"""
import argparse
import collections
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision
import onnx
from onnx import numpy_helper

SEED = 20200311
DEFAULT_SIZES = {"resnet18": 64, "mobilenet_v2": 64, "squeezenet1_1": 64, "vgg11": 224, "vgg16": 224,
                 "alexnet": 224, "resnet50": 224}
LARGE = {"vgg11", "vgg16", "alexnet", "resnet50"}


def randomize_batchnorm(model):
    """Non-trivial BatchNorm statistics and affine parameters (the initial ones, mean 0,
    variance 1, weight 1, bias 0, make BN an identity and fold to all-zero biases,
    which torch's exporter then de-duplicates into Identity nodes)."""
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm):
                c = mod.num_features
                mod.running_mean.copy_(0.1 * torch.randn(c))
                mod.running_var.copy_(0.5 + torch.rand(c))
                mod.weight.copy_(0.5 + torch.rand(c))
                mod.bias.copy_(0.1 * torch.randn(c))


def write_pb(path, arr):
    t = numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32))
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--only", nargs="+", choices=sorted(DEFAULT_SIZES), help="export only these models")
    ap.add_argument("--skip-large", action="store_true", help="leave out the LARGE models: " + ", ".join(sorted(LARGE)) + " (224x224)")
    ap.add_argument("--keep-bn", action="store_true", help="keep BatchNormalization nodes (no Conv+BN fusion)")
    ap.add_argument("--size", action="append", default=[], metavar="NAME=PIXELS", help="override an input size")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)

    sizes = dict(DEFAULT_SIZES)
    for s in args.size:
        name, _, px = s.partition("=")
        if name not in sizes or not px.isdigit():
            ap.error(f"bad --size {s!r}")
        sizes[name] = int(px)
    names = args.only or list(DEFAULT_SIZES)
    if args.skip_large:
        names = [n for n in names if n not in LARGE]

    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    summary_path = os.path.join(args.out_dir, "summary.json")
    summary = {}
    if os.path.exists(summary_path):
        with open(summary_path) as f:
            summary = json.load(f)
    status = 0
    for i, name in enumerate(names):
        size = sizes[name]
        torch.manual_seed(SEED + i)
        t0 = time.time()
        model = getattr(torchvision.models, name)(weights=None).eval()
        randomize_batchnorm(model)
        x = torch.rand(1, 3, size, size)
        with torch.no_grad():
            y = model(x)
        mdir = os.path.join(args.out_dir, name)
        os.makedirs(os.path.join(mdir, "test_data_set_0"), exist_ok=True)
        path = os.path.join(mdir, "model.onnx")
        mode = torch.onnx.TrainingMode.PRESERVE if args.keep_bn else torch.onnx.TrainingMode.EVAL
        try:
            torch.onnx.export(model, x, path, opset_version=args.opset, input_names=["input"],
                              output_names=["logits"], do_constant_folding=not args.keep_bn,
                              training=mode)
        except Exception as e:  # noqa: BLE001 - report and go on with the others
            print(f"{name}: export FAILED at {size}x{size}: {e}", file=sys.stderr)
            status = 1
            continue
        t_export = time.time() - t0
        write_pb(os.path.join(mdir, "test_data_set_0", "input_0.pb"), x.numpy())
        write_pb(os.path.join(mdir, "test_data_set_0", "output_0.pb"), y.numpy())
        m = onnx.load(path, load_external_data=False)
        onnx.checker.check_model(path)  # by path: works for models > 2 GB too
        ops = dict(sorted(collections.Counter(n.op_type for n in m.graph.node).items()))
        params = sum(int(np.prod(t.dims)) for t in m.graph.initializer)
        summary[name] = {"input": [1, 3, size, size], "opset": args.opset, "onnx_bytes": os.path.getsize(path),
                         "initializer_elements": params, "export_seconds": round(t_export, 1),
                         "batchnorm_kept": args.keep_bn, "op_types": ops}
        print(f"{name}: 3x{size}x{size}, {os.path.getsize(path) / 1e6:.1f} MB, {params} weights, "
              f"{t_export:.1f} s, ops {ops}", flush=True)
        del model, m
    with open(summary_path, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
