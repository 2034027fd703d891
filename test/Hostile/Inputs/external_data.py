"""Writes ONNX models whose weights are in external data files.

external_data.py SRC.onnx OUTDIR writes OUTDIR/good/model.onnx (every
initializer in OUTDIR/good/w.bin) and, each in its own folder with a copy of
w.bin, models whose first external tensor is corrupted: `parent` (location
../w.bin), `absolute` (/etc/hostname), `missing` (no such file), `offset`
(an offset past the file's end) and `length` (a range running past it).
"""
import os
import shutil
import sys

import onnx
from onnx.external_data_helper import convert_model_to_external_data

src, out = sys.argv[1:]


def save(model, folder):
    os.makedirs(folder, exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))


model = onnx.load(src)
convert_model_to_external_data(model, all_tensors_to_one_file=True,
                               location="w.bin", size_threshold=0)
good = os.path.join(out, "good")
os.makedirs(good, exist_ok=True)
onnx.save(model, os.path.join(good, "model.onnx"))
size = os.path.getsize(os.path.join(good, "w.bin"))


def corrupt(name, key, value):
    m = onnx.load(os.path.join(good, "model.onnx"), load_external_data=False)
    first = next(t for t in m.graph.initializer
                 if t.data_location == onnx.TensorProto.EXTERNAL)
    entries = {e.key: e for e in first.external_data}
    if key not in entries:
        e = first.external_data.add()
        e.key = key
        entries[key] = e
    entries[key].value = value
    folder = os.path.join(out, name)
    save(m, folder)
    shutil.copy(os.path.join(good, "w.bin"), folder)


corrupt("parent", "location", "../good/w.bin")
corrupt("absolute", "location", "/etc/hostname")
corrupt("missing", "location", "nothing.bin")
corrupt("offset", "offset", str(size + 1))
corrupt("length", "length", str(size + 1))
