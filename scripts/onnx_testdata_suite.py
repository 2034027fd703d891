#!/usr/bin/python3
"""Run rebocc over every model in the ONNX backend test data (libonnx-testdata).

Enumerates every model.onnx under --data-dir (default the Debian package path,
all folders: node, pytorch-converted, pytorch-operator, simple, ...) and
classifies each one with python onnx, independently of what rebocc says:

  IN SCOPE   every node's op_type is in SUPPORTED_OPS (default ONNX domain),
             every graph input, output and initializer is a float32 tensor
             (except the integer parameter inputs of INTEGER_PARAMETER_OPS,
             e.g. reduction axes, which are frozen; in a model with a
             QUANTIZED_OPS node 8-bit and int32 inputs and outputs are data
             too), and the test has at least one test_data_set_*.
  OUT OF SCOPE   anything else, including models python onnx cannot load.

IN SCOPE: for each test_data_set_*,
  rebocc MODEL --run --input input_0.pb ... --output-dir DIR --float-reference
must exit 0 and every output_N.pb must match the expected one with
numpy.allclose(actual, expected, rtol=1e-4, atol=1e-5) (same shape required);
then the same run without --float-reference (16-bit fixed point) must exit 0
and satisfy, per output,
  max |actual - expected| <= FIXED_TOL * (max |expected| + 1),  FIXED_TOL = 2^-7,
over the finite expected elements; NaN and infinities must be exactly where the
expected output has them (Sqrt or Log of a negative input is NaN in ONNX too).
Rationale for 2^-7: 16-bit fixed point (sign + 15 bits) quantises each tensor to
a step of 2^-15 of its range; we allow 8 bits (a factor 256) of headroom for the
errors that accumulate over long dot products, several chained layers, the
requantisation between layers and table/polynomial approximations of
Sigmoid/Softmax. The "+ 1" keeps outputs whose range is near zero from demanding
an impossibly small absolute error (a unit-range budget for them). The bound is
relative to the whole output tensor's range, not per element: fixed point has
absolute, not relative, error.
An in-scope test that rebocc rejects or gets wrong is a FAIL unless its name is
in KNOWN_UNSUPPORTED (with the reason); a known-unsupported test must still be
rejected cleanly (exit 1 with "rebocc: error:"), and is reported as passing
("known unsupported") then. A test in KNOWN_MISMATCH (with the reason: the
test data disagrees with onnxruntime) must run and must differ from its
expected outputs ("known mismatch"). Every output must have the expected
file's element type; the boolean and integer outputs of TYPED_DATA_OPS
models must equal the expected ones exactly.

OUT OF SCOPE:
  rebocc MODEL --emit=circulant -o /dev/null      (60 s timeout)
must exit with code exactly 1 and print a stderr line containing
"rebocc: error:". A crash (signal / negative code), a hang, exit 0 or any
other code is a FAIL. Exception: a model whose ops and types ARE all supported
but that has no test data is out of scope only for lack of data; rebocc may
then legitimately compile it, so exit 0 or a clean exit 1 both pass.

Usage:
  onnx_testdata_suite.py --rebocc build/bin/rebocc [--data-dir DIR] [--filter REGEX]
                         [--jobs 2] [--verbose]
  onnx_testdata_suite.py --list-only            (classification only, no rebocc)
Final line: "N passed, M failed"; exit 1 if M > 0, 77 if the data dir is missing
(ctest SKIP_RETURN_CODE), 2 on usage errors.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

try:
    import onnx
    from onnx import numpy_helper
except ImportError:  # pragma: no cover
    print("onnx_testdata_suite: python onnx is required (use /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)

DEFAULT_DATA_DIR = "/usr/share/libonnx-testdata/data"

SUPPORTED_OPS = {
    # Issue 2: fully connected networks.
    "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Softmax", "Flatten", "Reshape",
    "Identity", "Constant", "Mul",
    # Issue 3: convolutional networks. (Shape/Gather/Unsqueeze are in scope
    # only as chains computing a static Reshape target, so models using them
    # on data are out of scope.)
    "Conv", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool",
    "Clip", "LeakyRelu", "HardSigmoid", "HardSwish", "PRelu", "Concat", "Pad",
    "Transpose", "DepthToSpace", "SpaceToDepth", "Slice", "Gather",
    # Issue 12: elementwise math, comparisons and logic (booleans are 0 / 1
    # floats in the program; their boolean and integer tensors are data:
    # TYPED_DATA_OPS).
    "Sqrt", "Erf", "Exp", "Log", "Neg", "Abs", "Tanh", "Pow", "Reciprocal", "Gelu",
    "Min", "Max", "Sum", "Mean",
    "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Not", "And",
    "Or", "Xor", "Where",
    # Issue 12: reductions over any axes, LogSoftmax, layer and instance
    # normalization.
    "ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean", "ReduceL2",
    "LogSoftmax", "LayerNormalization", "InstanceNormalization",
    # Issue 12: shape operators.
    "Expand", "Tile", "Split", "Size", "Range",
    # Issue 12: ConvTranspose (a crossbar Conv over a strided input) and
    # Resize.
    "ConvTranspose", "Resize",
    # Issue 12 (pretrained models, docs/RealModels.md): Div by a run-time
    # divisor.
    "Div",
    # Issue 12: recurrent cells (W and R crossbar layers, a loop over time).
    "LSTM", "GRU", "RNN",
    # Issue 12: quantized models (QDQ and QOperator).
    "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul",
    "ConvInteger", "MatMulInteger", "Round", "DynamicQuantizeLinear",
    # Issue 12 (torchvision zoo, docs/RealModels.md): Mod and ScatterND of
    # constants (Swin's padding and attention mask), Einsum as a batched
    # matrix product (MaxViT's attention).
    "Mod", "ScatterND", "Einsum",
    # Issue 12: Cast of run-time data to every integer type, FLOAT16 and
    # BFLOAT16 (graph outputs of those types are data: CAST_DATA_TYPES).
    "Cast",
    # Issue 12: gathers by run-time indices (INT32 / INT64 data:
    # TYPED_DATA_OPS).
    "GatherElements", "GatherND",
    # Shape of data with known dims and ConstantOfShape of a constant
    # (frozen) shape fold at compile time, their integer results data
    # (TYPED_DATA_OPS); Sub is an add of the negated operand.
    "Shape", "ConstantOfShape", "Sub",
    # Issue 12: elementwise functions of one tensor (a unary instruction);
    # IsNaN and IsInf give booleans (TYPED_DATA_OPS); CastLike is a Cast to
    # its second input's type.
    "Softplus", "Elu", "Selu", "Celu", "Softsign", "ThresholdedRelu", "Mish",
    "Shrink", "Floor", "Ceil", "Sin", "Cos", "Sign", "IsNaN", "IsInf",
    "CastLike",
    # Issue 12 (Caffe-era and older zoo models): LRN, GlobalMaxPool and the
    # remaining reductions.
    "LRN", "GlobalMaxPool", "ReduceSumSquare", "ReduceL1", "ReduceLogSum",
    "ReduceLogSumExp", "ReduceProd",
    # Issue 12 (face-embedding models): LpNormalization, and
    # MeanVarianceNormalization (reductions over fixed axes).
    "LpNormalization", "MeanVarianceNormalization",
    # Issue 12: positions along an axis (ArgMax / ArgMin INT64 results are
    # data: TYPED_DATA_OPS), Hardmax, CumSum and Trilu.
    "ArgMax", "ArgMin", "Hardmax", "CumSum", "Trilu",
    # Issue 12 (older zoo models): Upsample (Resize of opset 10) and TopK
    # with a constant k (its INT64 Indices are data: TYPED_DATA_OPS).
    "Upsample", "TopK",
    # Issue 12: LpPool and GlobalLpPool (the Debian test data has no test of
    # either).
    "LpPool", "GlobalLpPool",
    # Issue 12: audio front ends. The windows and MelWeightMatrix of
    # constant (frozen) parameters fold to constants; STFT is a crossbar
    # Conv and DFT a crossbar MatMul by the DFT basis.
    "HannWindow", "HammingWindow", "BlackmanWindow", "MelWeightMatrix",
    "STFT", "DFT",
}

# In a model with a Cast, outputs of the types a run-time Cast produces are
# data: rebocc writes them with their type. DOUBLE inputs are data there too
# (carried as float32: a value float32 does not hold stops the run).
CAST_DATA_TYPES = {onnx.TensorProto.INT8, onnx.TensorProto.UINT8,
                   onnx.TensorProto.INT16, onnx.TensorProto.UINT16,
                   onnx.TensorProto.INT32, onnx.TensorProto.UINT32,
                   onnx.TensorProto.INT64, onnx.TensorProto.UINT64,
                   onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16,
                   onnx.TensorProto.DOUBLE}

# Comparisons, logic, Where and Size: in a model made of them, boolean and
# integer inputs and outputs are data. rebocc carries them as exact float32
# values (booleans 0 / 1), takes input files of their type and writes the
# outputs with their type; the outputs must equal the expected ones exactly.
TYPED_DATA_OPS = {"Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual",
                  "Not", "And", "Or", "Xor", "Where", "Size",
                  # Their indices, and integer data they gather, are data.
                  "Gather", "GatherElements", "GatherND",
                  # Shape's int64 dims; ConstantOfShape's value of any type.
                  "Shape", "ConstantOfShape",
                  # Their boolean results.
                  "IsNaN", "IsInf",
                  # Their INT64 positions; Trilu selects (INT64 data).
                  "ArgMax", "ArgMin", "Trilu", "TopK"}
TYPED_DATA_TYPES = {onnx.TensorProto.BOOL,
                    onnx.TensorProto.INT8, onnx.TensorProto.UINT8,
                    onnx.TensorProto.INT16, onnx.TensorProto.UINT16,
                    onnx.TensorProto.INT32, onnx.TensorProto.UINT32,
                    onnx.TensorProto.INT64, onnx.TensorProto.UINT64}


def typed_data_model(graph):
    return bool(graph.node) and all(n.op_type in TYPED_DATA_OPS for n in graph.node)


# Operators on quantized data: in a model made of them, 8-bit integer
# inputs and outputs (and the int32 results of ConvInteger and
# MatMulInteger) are data, which rebocc carries as float32 values.
QUANTIZED_OPS = {"QuantizeLinear", "DequantizeLinear", "QLinearConv",
                 "QLinearMatMul", "ConvInteger", "MatMulInteger",
                 "DynamicQuantizeLinear"}
QUANTIZED_DATA_TYPES = {onnx.TensorProto.UINT8, onnx.TensorProto.INT8,
                        onnx.TensorProto.INT32}

FLOAT_RTOL = 1e-4
FLOAT_ATOL = 1e-5
FIXED_TOL = 2.0 ** -7

RUN_TIMEOUT = 300      # seconds per --run invocation
EMIT_TIMEOUT = 60      # seconds per --emit=circulant invocation

# In-scope tests (by directory name, e.g. "test_gemm_default_no_bias", or
# "folder/name") that rebocc legitimately rejects with exit 1, with the reason.
# Filled from real runs; keep a reason for every entry.
KNOWN_UNSUPPORTED = {
    # DOUBLE data is carried as float32: the run stops on an input value
    # float32 does not hold (docs/SupportedOps.md, Cast of run-time data),
    # and these inputs are random doubles.
    "test_cast_DOUBLE_to_FLOAT": "the DOUBLE input's values are not float32 "
                                 "values",
    "test_cast_DOUBLE_to_FLOAT16": "the DOUBLE input's values are not "
                                   "float32 values",
    "test_castlike_DOUBLE_to_FLOAT_expanded": "the DOUBLE input's values are "
                                              "not float32 values",
    "test_castlike_DOUBLE_to_FLOAT": "the DOUBLE input's values are not "
                                     "float32 values",
    "test_split_zero_size_splits": "empty tensors (a zero-size input split "
                                   "into zero-size pieces) are not supported",
    "test_tril_zero": "empty tensors (a zero-size input) are not supported",
    "test_triu_zero": "empty tensors (a zero-size input) are not supported",
    "test_resize_tf_crop_and_resize": "coordinate_transformation_mode "
                                      "tf_crop_and_resize (a region of "
                                      "interest) is not supported",
}


# In-scope tests whose expected outputs rebocc does not reproduce by
# design, with the reason: rebocc must run them (exit 0) and differ from the
# expected outputs (an entry that starts to match fails, so it is removed).
KNOWN_MISMATCH = {
    "test_cast_FLOAT_to_BFLOAT16": "the ONNX 1.12 test data truncates to "
                                   "bfloat16; rebocc rounds to nearest even "
                                   "as onnxruntime 1.30 does "
                                   "(docs/SupportedOps.md, Cast of run-time "
                                   "data)",
}
# The window tests of ONNX 1.12 compute their expected outputs with pi =
# 3.1415 (onnx/backend/test/case/node/hannwindow.py and its siblings);
# rebocc computes the windows with pi, as the operators' function bodies do
# (float32 2 pi): they differ by up to 7.4e-5 (docs/SupportedOps.md).
KNOWN_MISMATCH.update({
    f"test_{window}window{variant}": "the ONNX 1.12 test data uses pi = "
                                     "3.1415; rebocc uses pi"
    for window in ("hann", "hamming", "blackman")
    for variant in ("", "_symmetric")})


# Operators whose tests run a second time with no input frozen: MatMul of
# two run-time tensors (attention) is a matmul instruction of its own, and
# Gather by run-time indices a gather instruction.
RUNTIME_OPERAND_OPS = {"MatMul", "Gather"}


# Inputs that are parameters of the operator, not data: crossbar weights are
# programmed before the network runs, and window/clip/pad parameters are
# compiled into the program.
PARAMETER_INPUTS = {
    "Gemm": (1, 2), "MatMul": (1,), "Conv": (1, 2), "ConvTranspose": (1, 2),
    # Resize's roi, scales and sizes.
    "Resize": (1, 2, 3),
    # W, R, B, sequence_lens (and LSTM's peepholes P).
    "LSTM": (1, 2, 3, 4, 7), "GRU": (1, 2, 3, 4), "RNN": (1, 2, 3, 4),
    "BatchNormalization": (1, 2, 3, 4), "Clip": (1, 2), "Pad": (1, 2, 3),
    "Reshape": (1,),
    # Axes of the reductions (ReduceSum from opset 13, the others from 18).
    "ReduceSum": (1,), "ReduceMax": (1,), "ReduceMin": (1,),
    "ReduceMean": (1,), "ReduceL2": (1,),
    "ReduceSumSquare": (1,), "ReduceL1": (1,), "ReduceLogSum": (1,),
    "ReduceLogSumExp": (1,), "ReduceProd": (1,),
    # CumSum's axis and Trilu's k.
    "CumSum": (1,), "Trilu": (1,),
    # Upsample's scales (opset 9), TopK's K.
    "Upsample": (1,), "TopK": (1,),
    # The target shape, repeats and split sizes; Range's scalars (a Range
    # is evaluated at compile time).
    "Expand": (1,), "Tile": (1,), "Split": (1,), "Range": (0, 1, 2),
    # Slice's starts, ends, axes and steps (inputs from opset 10).
    "Slice": (1, 2, 3, 4),
    # Gather's indices.
    "Gather": (1,),
    # Scales, zero points and (constant) weights of the quantized operators.
    "QuantizeLinear": (1, 2), "DequantizeLinear": (1, 2),
    "QLinearConv": (1, 2, 3, 4, 5, 6, 7, 8),
    "QLinearMatMul": (1, 2, 3, 4, 5, 6, 7),
    "ConvInteger": (1, 2, 3), "MatMulInteger": (1, 2, 3),
    "DynamicQuantizeLinear": (),
    # Mod and ScatterND are evaluated at compile time: every input frozen.
    "Mod": (0, 1), "ScatterND": (0, 1, 2),
    # ConstantOfShape's shape (the result is a constant).
    "ConstantOfShape": (0,),
    # The windows' size, MelWeightMatrix's five scalars, STFT's frame_step,
    # window and frame_length, DFT's dft_length and (opset 20) axis.
    "HannWindow": (0,), "HammingWindow": (0,), "BlackmanWindow": (0,),
    "MelWeightMatrix": (0, 1, 2, 3, 4), "STFT": (1, 2, 3), "DFT": (1, 2),
}

# Operators whose integer parameter inputs (PARAMETER_INPUTS) do not take a
# test out of scope: the suite freezes them like weights, so only the data
# inputs need to be float32.
INTEGER_PARAMETER_OPS = {"ReduceSum", "ReduceMax", "ReduceMin", "ReduceMean",
                         "ReduceL2", "Expand", "Tile", "Split", "Range", "Slice",
                         "Gather", "Resize", "LSTM", "GRU", "RNN", "Mod",
                         "ScatterND", "ConstantOfShape",
                         "ReduceSumSquare", "ReduceL1", "ReduceLogSum",
                         "ReduceLogSumExp", "ReduceProd", "CumSum",
                         "Trilu", "TopK", "HannWindow",
                         "HammingWindow", "BlackmanWindow", "MelWeightMatrix",
                         "STFT", "DFT"} | QUANTIZED_OPS


def weight_inputs(model_path):
    """Graph inputs that feed a parameter position (PARAMETER_INPUTS). Node
    tests ship weights and parameters as graph inputs; the suite freezes them
    (rebocc --freeze-input) with the test set's values and feeds only the data
    inputs at run time."""
    model = onnx.load(model_path)
    initializers = {t.name for t in model.graph.initializer}
    graph_inputs = [i.name for i in model.graph.input if i.name not in initializers]
    weights = set()
    for node in model.graph.node:
        for index in PARAMETER_INPUTS.get(node.op_type, ()):
            if index < len(node.input) and node.input[index]:
                weights.add(node.input[index])
    return {index: name for index, name in enumerate(graph_inputs) if name in weights}

ERROR_MARK = "rebocc: error:"


# ---------------------------------------------------------------- classification

def _tensor_type_is_float(type_proto):
    return (type_proto.HasField("tensor_type")
            and type_proto.tensor_type.elem_type == onnx.TensorProto.FLOAT)


def classify(model_path):
    """Returns (in_scope: bool, reason: str, supported_but_no_data: bool)."""
    test_dir = os.path.dirname(model_path)
    data_sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
    try:
        model = onnx.load(model_path, load_external_data=False)
    except Exception as e:  # noqa: BLE001 - any load failure is out of scope
        return False, f"python onnx cannot load it: {type(e).__name__}: {str(e)[:100]}", False
    g = model.graph
    bad_ops = sorted({n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"
                      for n in g.node
                      if n.op_type not in SUPPORTED_OPS or n.domain not in ("", "ai.onnx")})
    reasons = []
    if bad_ops:
        reasons.append("unsupported ops: " + ",".join(bad_ops))
    if not g.node:
        # an empty graph has no op outside the set; nothing special
        pass
    bad_types = []
    integer_parameters = {node.input[i] for node in g.node
                          if node.op_type in INTEGER_PARAMETER_OPS
                          for i in PARAMETER_INPUTS[node.op_type]
                          if i < len(node.input)}
    quantized = any(n.op_type in QUANTIZED_OPS for n in g.node)
    casts = any(n.op_type in ("Cast", "CastLike") for n in g.node)
    typed = typed_data_model(g)
    for kind, vis in (("input", g.input), ("output", g.output)):
        for vi in vis:
            if kind == "input" and vi.name in integer_parameters:
                continue
            if (typed and vi.type.HasField("tensor_type")
                    and vi.type.tensor_type.elem_type in TYPED_DATA_TYPES):
                continue
            if (casts and vi.type.HasField("tensor_type")
                    and (vi.type.tensor_type.elem_type in CAST_DATA_TYPES
                         if kind == "output" else
                         vi.type.tensor_type.elem_type
                         == onnx.TensorProto.DOUBLE)):
                continue
            if (quantized and vi.type.HasField("tensor_type")
                    and vi.type.tensor_type.elem_type in QUANTIZED_DATA_TYPES):
                continue
            if not _tensor_type_is_float(vi.type):
                bad_types.append(f"{kind} {vi.name}")
    for init in g.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            bad_types.append(f"initializer {init.name}")
    for init in g.sparse_initializer:
        bad_types.append(f"sparse initializer {init.values.name}")
    if bad_types:
        reasons.append("non-float32 tensors: " + ",".join(bad_types[:3])
                       + (f",... ({len(bad_types)})" if len(bad_types) > 3 else ""))
    if not data_sets:
        reasons.append("no test_data_set")
    if reasons:
        only_no_data = reasons == ["no test_data_set"]
        return False, "; ".join(reasons), only_no_data
    return True, "", False


def test_name(model_path, data_dir):
    rel = os.path.relpath(os.path.dirname(model_path), data_dir)
    return rel.replace(os.sep, "/")


# Whole families rebocc rejects by design, matched on the test name.
KNOWN_UNSUPPORTED_PATTERNS = {
    r"(conv|pool)\w*?_?3d": "3-D convolution and pooling (N, C, D, H, W) are "
                           "not supported",
    r"training_mode": "BatchNormalization in training mode (batch statistics)",
}


def known_unsupported(name):
    for pattern, reason in KNOWN_UNSUPPORTED_PATTERNS.items():
        if re.search(pattern, name, re.IGNORECASE):
            return reason
    short = name.rsplit("/", 1)[-1]
    return KNOWN_UNSUPPORTED.get(name) or KNOWN_UNSUPPORTED.get(short)


# ---------------------------------------------------------------- running

def natural_key(path):
    return [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", os.path.basename(path))]


def load_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def load_bfloat16(path):
    """A BFLOAT16 output as the float32 values of its bits. ONNX 1.12's test
    data stores bfloat16 outputs as UINT16 tensors of the bits, and its
    numpy_helper has no bfloat16, so both sides read this way."""
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    if t.raw_data:
        bits = np.frombuffer(t.raw_data, dtype="<u2").astype(np.uint32)
    else:
        bits = np.array(t.int32_data, dtype=np.uint32)
    return (bits << 16).view(np.float32).reshape(tuple(t.dims))


def output_types(model_path):
    """The declared element type of each graph output, in order."""
    graph = onnx.load(model_path, load_external_data=False).graph
    return [o.type.tensor_type.elem_type for o in graph.output]


def run(cmd, timeout):
    """Returns (returncode or None on timeout, stderr text)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout} s"
    return p.returncode, p.stderr.decode("utf-8", "replace")


def describe_rc(rc):
    if rc is None:
        return "hang (timeout)"
    if rc < 0:
        return f"crash (signal {-rc})"
    return f"exit code {rc}"


def first_error_line(stderr):
    for line in stderr.splitlines():
        if ERROR_MARK in line:
            return line.strip()[:200]
    lines = [l for l in stderr.splitlines() if l.strip()]
    return (lines[0].strip()[:200] if lines else "(empty stderr)")


def compare_float(exp, act):
    if exp.shape != act.shape:
        return f"shape {act.shape} != expected {exp.shape}"
    e, a = exp.astype(np.float64), act.astype(np.float64)
    if not np.allclose(a, e, rtol=FLOAT_RTOL, atol=FLOAT_ATOL, equal_nan=True):
        err = float(np.max(np.abs(a - e))) if e.size else 0.0
        return f"not allclose(rtol={FLOAT_RTOL:g}, atol={FLOAT_ATOL:g}): max abs err {err:.3g}"
    return None


def compare_exact(exp, act):
    """Booleans and integers of TYPED_DATA_OPS models: equal, in both modes."""
    if exp.shape != act.shape:
        return f"shape {act.shape} != expected {exp.shape}"
    if not np.array_equal(exp, act):
        return f"{int(np.sum(exp != act))} of {exp.size} elements differ"
    return None


def compare_fixed(exp, act):
    if exp.shape != act.shape:
        return f"shape {act.shape} != expected {exp.shape}"
    if exp.size == 0:
        return None
    e, a = exp.astype(np.float64), act.astype(np.float64)
    # Non-finite values only where the expected output has the same ones
    # (e.g. Sqrt or Log of a negative number is NaN in ONNX too); the bound
    # applies to the finite rest.
    finite = np.isfinite(e)
    if not (np.array_equal(np.isnan(a), np.isnan(e))
            and np.array_equal(a[np.isinf(e)], e[np.isinf(e)])
            and np.all(np.isfinite(a[finite]))):
        return "non-finite values in fixed-point output where the expected ones are finite (or the reverse)"
    if not finite.any():
        return None
    e, a = e[finite], a[finite]
    err = float(np.max(np.abs(a - e)))
    bound = FIXED_TOL * (float(np.max(np.abs(e))) + 1.0)
    if not err <= bound:
        return f"max abs err {err:.3g} > {FIXED_TOL:g}*(max|expected|+1) = {bound:.3g}"
    return None


def freeze_variants(model_path):
    """The weight inputs to freeze, once per run: the parameters
    (weight_inputs), and for a model with an op of RUNTIME_OPERAND_OPS also
    nothing, so that the same test checks the run-time operand path
    (MatMul of two run-time tensors: attention)."""
    frozen = weight_inputs(model_path)
    variants = [("", frozen)]
    ops = {n.op_type for n in onnx.load(model_path, load_external_data=False).graph.node}
    if frozen and ops & RUNTIME_OPERAND_OPS:
        variants.append(("run-time operands ", {}))
    return variants


def run_in_scope(rebocc, model_path, name, allow_known=True):
    """Returns (ok, message)."""
    for label, frozen in freeze_variants(model_path):
        ok, message = run_data_sets(rebocc, model_path, name, frozen, label,
                                    allow_known)
        if not ok or message != "ok":
            return ok, message
    return True, "ok"


def run_data_sets(rebocc, model_path, name, frozen, label, allow_known):
    """Runs every test data set with the inputs of `frozen` frozen."""
    known = known_unsupported(name) if allow_known else None
    mismatch = KNOWN_MISMATCH.get(name.rsplit("/", 1)[-1]) if allow_known else None
    differs = False
    data_sets = sorted(glob.glob(os.path.join(os.path.dirname(model_path), "test_data_set_*")),
                       key=natural_key)
    for ds in data_sets:
        inputs = sorted(glob.glob(os.path.join(ds, "input_*.pb")), key=natural_key)
        freeze = [f"--freeze-input={frozen[i]}={path}" for i, path in enumerate(inputs)
                  if i in frozen]
        inputs = [path for i, path in enumerate(inputs) if i not in frozen]
        outputs = sorted(glob.glob(os.path.join(ds, "output_*.pb")), key=natural_key)
        declared = output_types(model_path)
        exact = typed_data_model(onnx.load(model_path, load_external_data=False).graph)
        for mode, flag, cmp in (("float-reference", ["--float-reference"], compare_float),
                                ("fixed-point", [], compare_fixed)):
            out_dir = tempfile.mkdtemp(prefix="rebocc_suite_")
            try:
                cmd = [rebocc, model_path, "--run"] + freeze
                for i in inputs:
                    cmd += ["--input", i]
                cmd += ["--output-dir", out_dir] + flag
                rc, err = run(cmd, RUN_TIMEOUT)
                where = f"{label}{os.path.basename(ds)} {mode}"
                if known:
                    if rc == 1 and ERROR_MARK in err:
                        return True, f"known unsupported ({known})"
                    return False, (f"{where}: listed in KNOWN_UNSUPPORTED ({known}) but rebocc gave "
                                   f"{describe_rc(rc)} instead of a clean 'rebocc: error:' exit 1"
                                   + (f": {first_error_line(err)}" if rc else ""))
                if rc != 0:
                    return False, f"{where}: {describe_rc(rc)}: {first_error_line(err)}"
                for index, ef in enumerate(outputs):
                    af = os.path.join(out_dir, os.path.basename(ef))
                    if not os.path.isfile(af):
                        return False, f"{where}: missing {os.path.basename(ef)}"
                    bfloat16 = (index < len(declared)
                                and declared[index] == onnx.TensorProto.BFLOAT16)
                    load = load_bfloat16 if bfloat16 else load_pb
                    try:
                        act = load(af)
                    except Exception as e:  # noqa: BLE001
                        return False, f"{where}: unreadable {os.path.basename(ef)}: {e}"
                    exp = load(ef)
                    if act.dtype != exp.dtype:
                        return False, f"{where}: {os.path.basename(ef)} has dtype {act.dtype}, want {exp.dtype}"
                    msg = (compare_exact(exp, act) if exact and exp.dtype.kind in "biu"
                           else cmp(exp, act))
                    if msg and mismatch:
                        differs = True
                    elif msg:
                        return False, f"{where}: {os.path.basename(ef)}: {msg}"
            finally:
                shutil.rmtree(out_dir, ignore_errors=True)
    if mismatch:
        if differs:
            return True, f"known mismatch ({mismatch})"
        return False, f"listed in KNOWN_MISMATCH ({mismatch}) but every output matches"
    return True, "ok"


def run_out_of_scope(rebocc, model_path, name, supported_but_no_data):
    rc, err = run([rebocc, model_path, "--emit=circulant", "-o", os.devnull], EMIT_TIMEOUT)
    clean_reject = rc == 1 and ERROR_MARK in err
    if clean_reject:
        return True, "rejected cleanly"
    if supported_but_no_data and rc == 0:
        return True, "compiled (supported ops, no test data)"
    # rebocc also handles some operators beyond the issues' scope (Sub, Div,
    # Dropout, Unsqueeze on data, ...): whatever it accepts must compute the
    # expected outputs, exactly as an in-scope model must.
    if rc == 0:
        ok, message = run_in_scope(rebocc, model_path, name, allow_known=False)
        return ok, ("accepted beyond scope and matches" if ok
                    else "accepted beyond scope but " + message)
    if rc == 1:
        return False, f"exit code 1 but no '{ERROR_MARK}' line on stderr: {first_error_line(err)}"
    want = "exit 0 or a clean exit 1" if supported_but_no_data else "a clean exit 1"
    return False, f"{describe_rc(rc)} (want {want})" + (f": {first_error_line(err)}" if rc else "")


def job(rebocc, model_path, name, in_scope, supported_but_no_data):
    try:
        if in_scope:
            return run_in_scope(rebocc, model_path, name)
        return run_out_of_scope(rebocc, model_path, name, supported_but_no_data)
    except Exception as e:  # noqa: BLE001 - a harness error must not hide other results
        return False, f"harness error: {type(e).__name__}: {e}"


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rebocc", help="path to the rebocc executable")
    ap.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    ap.add_argument("--filter", help="only tests whose name (folder/test_x) matches this regex (re.search)")
    ap.add_argument("--list-only", action="store_true", help="only print the classification (no rebocc needed)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel rebocc processes (default 2)")
    ap.add_argument("--verbose", action="store_true", help="print a line for every test, not only FAILs")
    args = ap.parse_args(argv)

    if not os.path.isdir(args.data_dir):
        print(f"SKIP: ONNX test data directory not found: {args.data_dir} "
              f"(install libonnx-testdata or pass --data-dir)")
        print("0 passed, 0 failed")
        return 77

    models = sorted(glob.glob(os.path.join(args.data_dir, "**", "model.onnx"), recursive=True))
    tests = []
    for mp in models:
        name = test_name(mp, args.data_dir)
        if args.filter and not re.search(args.filter, name):
            continue
        in_scope, reason, no_data_only = classify(mp)
        tests.append((mp, name, in_scope, reason, no_data_only))

    in_scope = [t for t in tests if t[2]]
    out_scope = [t for t in tests if not t[2]]
    print(f"data dir: {args.data_dir}")
    print(f"models: {len(tests)}  in scope: {len(in_scope)}  out of scope: {len(out_scope)} "
          f"(of which {sum(1 for t in out_scope if t[4])} have supported ops/types but no test data)")
    print(f"in-scope tolerance: float-reference numpy.allclose(rtol={FLOAT_RTOL:g}, atol={FLOAT_ATOL:g}); "
          f"fixed-point max abs err <= {FIXED_TOL:g} * (max|expected| + 1)")

    if args.list_only:
        print("IN SCOPE:")
        for t in in_scope:
            ku = known_unsupported(t[1])
            print(f"  {t[1]}" + (f"   [KNOWN_UNSUPPORTED: {ku}]" if ku else ""))
        if args.verbose:
            print("OUT OF SCOPE:")
            for t in out_scope:
                print(f"  {t[1]}: {t[3]}")
        print("0 passed, 0 failed")
        return 0

    if not args.rebocc:
        ap.error("--rebocc PATH is required unless --list-only is given")
    rebocc = os.path.abspath(args.rebocc) if os.sep in args.rebocc else (shutil.which(args.rebocc) or args.rebocc)
    if not (os.path.isfile(rebocc) and os.access(rebocc, os.X_OK)):
        print(f"onnx_testdata_suite: error: rebocc not found or not executable: {args.rebocc}", file=sys.stderr)
        return 2

    passed = failed = 0
    fails = []
    counts = {"in": [0, 0], "out": [0, 0], "known": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(job, rebocc, mp, name, ins, nd): (name, ins, reason)
                for mp, name, ins, reason, nd in tests}
        for fut in concurrent.futures.as_completed(futs):
            name, ins, reason = futs[fut]
            ok, msg = fut.result()
            key = "in" if ins else "out"
            scope = "in scope" if ins else "out of scope"
            if ok:
                passed += 1
                counts[key][0] += 1
                if msg.startswith("known unsupported"):
                    counts["known"] += 1
                if args.verbose:
                    print(f"PASS {name} [{scope}]: {msg}", flush=True)
            else:
                failed += 1
                counts[key][1] += 1
                line = f"FAIL {name} [{scope}" + (f": {reason}" if reason and not ins else "") + f"]: {msg}"
                fails.append(line)
                print(line, flush=True)

    print("summary:")
    print(f"  in scope:     {counts['in'][0]} passed ({counts['known']} known unsupported), "
          f"{counts['in'][1]} failed")
    print(f"  out of scope: {counts['out'][0]} passed, {counts['out'][1]} failed")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
