"""Writes the first N entries (along the batch, dimension 0) of a TensorProto
file as a new TensorProto file of the same name and type.

usage: first_images.py IN.pb N OUT.pb
"""
import sys

import onnx
from onnx import numpy_helper

tensor = onnx.load_tensor(sys.argv[1])
count = int(sys.argv[2])
array = numpy_helper.to_array(tensor)
if array.shape[0] < count:
    sys.exit("%s has %d entries, %d asked for" % (sys.argv[1], array.shape[0],
                                                 count))
with open(sys.argv[3], "wb") as f:
    f.write(numpy_helper.from_array(array[:count], tensor.name)
            .SerializeToString())
