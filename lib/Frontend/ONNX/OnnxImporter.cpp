//===- OnnxImporter.cpp - ONNX to the circulant dialect -------------------===//
//
// Walks the ONNX graph once, in a topological order (NodeOrder.cpp). Every tensor name maps
// either to an SSA value (run-time data) or to a constant known at compile
// time (initializers, Constant nodes and anything computed only from them,
// including shapes of run-time tensors), because crossbar weights and
// reshape targets must be known before the accelerator runs. Layers come out
// dense (block_size = 1); block partitioning is a pass.
//
// This file holds the bindings, the operator table and the graph walk; the
// operators themselves are in Import*.cpp (see Importer.h).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/TensorIO.h"
#include "rebocc/Target/ProgramEmitter/ProgramEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

namespace {
/// One row of the operator table: the ONNX op type, its importer and a
/// one-line note for the generated documentation (`rebocc --list-onnx-ops`,
/// docs/SupportedOps.md): which attributes and opsets it takes, and limits.
struct OpEntry {
  const char *type;
  bool (Importer::*import)(const onnx::NodeProto &);
  const char *notes;
};
} // namespace

/// Every supported operator of the default ONNX domain. The
/// dispatch, the unsupported-operator listing and the documentation all
/// read this table, so they cannot disagree.
static const OpEntry kOps[] = {
    // Crossbar layers and what folds into them.
    {"Gemm", &Importer::importGemm,
     "Constant B (crossbar weights); alpha, beta, transA, transB; a run-time "
     "batch only in A's rows. A constant C folds into the bias, any other C "
     "is added digitally."},
    {"Einsum", &Importer::importEinsum,
     "Two operands in the form of a batched matrix product: the same "
     "leading labels in both and the output, then ik,kj->ij with either "
     "operand's last two labels swapped (a Transpose and a MatMul, as "
     "MatMul below). No ellipsis, repeated labels, sums or one operand."},
    {"MatMul", &Importer::importMatMul,
     "Data of rank >= 2 times a constant 2-D weight: one crossbar layer over "
     "the rows of the last dim; a following Add of a per-output constant "
     "folds into its bias. Any other MatMul (two run-time operands, as in "
     "attention; 1-D operands; broadcast batch dims) is a matmul on the "
     "digital units, or with --attention=reprogram its right operand is "
     "written into crossbar cells per inference."},
    {"Conv", &Importer::importConv,
     "1-D (N, C, L; lifted to H = 1) and 2-D (N, C, H, W); constant W and B; "
     "group, strides, dilations, pads, auto_pad (NOTSET, VALID, SAME_UPPER, "
     "SAME_LOWER). No 3-D, no negative pads."},
    {"ConvTranspose", &Importer::importConvTranspose,
     "1-D and 2-D; constant W and B; group, strides, dilations, pads, "
     "output_padding, output_shape, auto_pad. A Conv (crossbar layer) with "
     "the flipped kernel over the input with stride - 1 zeros inserted (a "
     "pad) and padded. No 3-D."},
    {"LSTM", &Importer::importRecurrent,
     "W, R crossbar layers, R run by a time-step loop; any direction, initial "
     "states, P, clip, layout; default activations; static T and batch."},
    {"GRU", &Importer::importRecurrent, "As LSTM; linear_before_reset 0, 1."},
    {"RNN", &Importer::importRecurrent,
     "As LSTM, R run by a time-step loop; every activation (Tanh, Relu, "
     "Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, "
     "Elu, Softsign, Softplus) with activation_alpha / beta; Affine, "
     "ThresholdedRelu and ScaledTanh need theirs given."},
    {"BatchNormalization", &Importer::importBatchNorm,
     "Inference only (is_test = 1 before opset 7, training_mode = 0 from "
     "opset 14); folds into a preceding Gemm, MatMul or Conv that nothing "
     "else reads, otherwise a digital scale and shift. Per-element "
     "statistics (spatial = 0, opset < 9) too."},
    // Quantized models (QDQ and QOperator).
    {"QuantizeLinear", &Importer::importQuantizeLinear,
     "uint8, int8, uint16, int16, uint4 and int4; per tensor or per axis: "
     "clip(round(x / scale) + zero point, the type's range), round half to "
     "even, NaN data to the type's low end as onnxruntime (the clip's "
     "nan=min, no extra instruction); folded on constants. The scale and "
     "zero point constants (a "
     "scale positive and finite) or run-time data (graph inputs, or "
     "computed from x as DynamicQuantizeLinear's function does: a `div` by "
     "the scale, a NaN quotient saturating to the type's low end as in "
     "onnxruntime; the zero point's type known from an integer graph "
     "input, Cast, the quantize operators and data movement of them, or "
     "`output_dtype`). No float8 (only DequantizeLinear of constant "
     "float8), no block_size."},
    {"DequantizeLinear", &Importer::importDequantizeLinear,
     "As QuantizeLinear, and int32: (x - zero point) * scale. Of a "
     "constant 8-, 4- or 16-bit integer weight feeding a Conv, MatMul or "
     "Gemm (QDQ): the layer's cells hold the integers as they are, in the "
     "type's bits (one more for int4's -8, int8's -128, int16's -32768), and "
     "the scale (per tensor or per output channel) follows it digitally; "
     "otherwise it folds into a float weight. Of a constant float8 tensor "
     "(E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ; zero point 0): folded to the float "
     "weight x * scale. Blocked (block_size, opset 21) of a constant "
     "integer tensor: folded to a float weight. With a run-time FLOAT scale "
     "or zero point (per tensor or per axis): an add of the negated zero "
     "point and a mul on the digital units, onnxruntime's float32 values."},
    {"DynamicQuantizeLinear", &Importer::importDynamicQuantizeLinear,
     "Of run-time float data with every dimension known: uint8 with the "
     "scale and zero point of the whole tensor's range (including 0; "
     "scale 1 for an all-zero tensor, as onnxruntime), round half to even; "
     "digital reductions and arithmetic."},
    {"QLinearConv", &Importer::importQLinearLayer,
     "Constant weight and quantization parameters; a Conv (crossbar layer) "
     "between a DequantizeLinear of x and a QuantizeLinear, as the "
     "specification defines it; the 8-bit weights go on the cells as they "
     "are (w - w_zero_point, in the bits they need), w_scale per tensor or "
     "per output channel and the int32 bias (scaled by x_scale * w_scale) "
     "are digital after the layer."},
    {"QLinearMatMul", &Importer::importQLinearLayer,
     "As QLinearConv, with a MatMul: a constant 2-D weight is a crossbar "
     "layer of its 8-bit codes; a batched (3-D or higher) weight is "
     "dequantized to float and multiplied as MatMul's other forms are."},
    {"ConvInteger", &Importer::importIntegerLayer,
     "Constant weight and w_zero_point, x_zero_point constant or a run-time "
     "scalar (DynamicQuantizeLinear's): a Conv of x - x_zero_point whose "
     "cells hold w - w_zero_point as they are, rounded to the integer "
     "result."},
    {"MatMulInteger", &Importer::importIntegerLayer,
     "As ConvInteger, with a MatMul (2-D data times a constant 2-D weight)."},
    // Digital operators.
    {"Add", &Importer::importBinary,
     "Numpy broadcasting; folded when both operands are constants."},
    {"Sub", &Importer::importBinary,
     "Numpy broadcasting; an Add of the negated operand; folded on "
     "constants."},
    {"Mul", &Importer::importBinary,
     "Numpy broadcasting; folded when both operands are constants."},
    {"Div", &Importer::importBinary,
     "Numpy broadcasting; a `div` instruction, bit for bit onnxruntime's "
     "`a / b`; by a float constant whose elements are all powers of two, "
     "an exact Mul by the reciprocal; folded on constants (integer "
     "division truncates)."},
    {"Relu", &Importer::importActivation, "-"},
    {"Sigmoid", &Importer::importActivation, "-"},
    {"LeakyRelu", &Importer::importActivation, "alpha."},
    {"HardSigmoid", &Importer::importActivation, "alpha, beta."},
    {"HardSwish", &Importer::importActivation, "ONNX opset 14 and later."},
    {"Clip", &Importer::importClip,
     "min and max as attributes (opset < 11) or inputs (opset 11 and "
     "later): constant, or a scalar run-time value (a digital Max / Min); a "
     "missing bound is -FLT_MAX or FLT_MAX."},
    {"PRelu", &Importer::importPRelu,
     "The slope broadcasts to X (opset 7 and later; a [C] slope is per "
     "channel before); constant or run-time slope."},
    {"Softmax", &Importer::importSoftmax,
     "Any axis; before opset 13 over every dimension from axis on (the "
     "flatten-to-2-D semantics), which must not include the batch."},
    {"MaxPool", &Importer::importPool,
     "1-D (N, C, L; lifted to H = 1) and 2-D (N, C, H, W); kernel_shape, "
     "strides, pads, auto_pad, dilations, ceil_mode. The Indices output must "
     "be unused; storage_order = 0 only. No 3-D."},
    {"AveragePool", &Importer::importPool,
     "1-D (N, C, L; lifted to H = 1) and 2-D (N, C, H, W); kernel_shape, "
     "strides, pads, auto_pad, ceil_mode, count_include_pad. No dilations, "
     "no 3-D."},
    {"GlobalAveragePool", &Importer::importGlobalAveragePool,
     "(N, C, L) and (N, C, H, W) inputs."},
    {"LogSoftmax", &Importer::importSoftmax, "As Softmax."},
    {"ReduceMax", &Importer::importReduce,
     "Any axes but the batch; keepdims; axes an attribute, or an input with "
     "noop_with_empty_axes (opset 18; ReduceSum 13). NaN propagates."},
    {"ReduceMin", &Importer::importReduce, "As ReduceMax."},
    {"ReduceSum", &Importer::importReduce, "As ReduceMax."},
    {"ReduceMean", &Importer::importReduce,
     "As ReduceMax: sum / count (over the NCHW spatial axes: a global pool)."},
    {"ReduceL2", &Importer::importReduce,
     "As ReduceMax: sqrt(sum(x * x)); over no axes |x|, as onnxruntime."},
    {"ReduceSumSquare", &Importer::importReduce,
     "As ReduceMax: sum(x * x); over no axes (noop_with_empty_axes) x * x, "
     "as onnxruntime."},
    {"ReduceL1", &Importer::importReduce,
     "As ReduceMax: sum(|x|); over no axes |x|, as onnxruntime."},
    {"ReduceLogSum", &Importer::importReduce,
     "As ReduceMax: log(sum(x)); over no axes log(x), as onnxruntime."},
    {"ReduceLogSumExp", &Importer::importReduce,
     "As ReduceMax: log(sum(exp(x - m))) + m, m the maximum (0 where it is "
     "infinite), as onnxruntime."},
    {"ReduceProd", &Importer::importReduce,
     "As ReduceMax: pairwise products of halves along each axis (about "
     "log2(n) multiplications per axis)."},
    {"LpNormalization", &Importer::importLpNormalization,
     "axis (not the run-time batch), p = 1 or 2: x / sum(|x|) or x / "
     "sqrt(sum(x * x)) along it; 0 where the norm is 0, as onnxruntime."},
    {"MeanVarianceNormalization", &Importer::importMeanVarianceNormalization,
     "Opset 9 and later; axes (default [0, 2, 3]; the batch axis 0 only when "
     "it is fixed, --input-shape): y = x - mean, y / sqrt(mean(y * y)) as "
     "onnxruntime (no epsilon)."},
    {"LayerNormalization", &Importer::importLayerNorm,
     "Opset 17; axis, epsilon, optional B; Scale and B broadcast to the "
     "normalized dims; the Mean and InvStdDev outputs (float32); stash_type "
     "1 (float32) only. A last dimension of fewer than 8 elements: "
     "onnxruntime's float32 running mean, bit for bit (below, "
     "\"LayerNormalization against onnxruntime\")."},
    {"InstanceNormalization", &Importer::importInstanceNorm,
     "(N, C, ...) data; per-channel scale and B."},
    {"GlobalMaxPool", &Importer::importGlobalMaxPool,
     "(N, C, D1, ...) inputs: a ReduceMax over the spatial dimensions; NaN "
     "propagates."},
    {"LRN", &Importer::importLRN,
     "(N, C, D1, ...) data; size, alpha, beta, bias. onnxruntime's running "
     "sum along the channels bit for bit, its power in the last bit "
     "(below, \"LRN against onnxruntime\")."},
    {"LpPool", &Importer::importLpPool,
     "1-D (N, C, L) and 2-D (N, C, H, W); kernel_shape, strides, pads, "
     "auto_pad, ceil_mode, dilations; p a positive integer (FLOAT in opset "
     "1). (sum of |x|^p over the window's real elements)^(1/p) as "
     "onnxruntime (below, \"LpPool against onnxruntime\"). No 3-D."},
    {"GlobalLpPool", &Importer::importLpPool,
     "(N, C, D1, ...) inputs; p as LpPool: (reduce_sum of |x|^p over the "
     "spatial dimensions)^(1/p)."},
    {"ArgMax", &Importer::importArgExtreme,
     "Any axis but the run-time batch; keepdims, select_last_index (opset "
     "12): the extreme, Equal, and the least (greatest) position holding "
     "it. The INT64 result is exact float32 data (as a Cast's). NaN as "
     "onnxruntime: skipped, unless it is the first element (position 0)."},
    {"ArgMin", &Importer::importArgExtreme, "As ArgMax."},
    {"Hardmax", &Importer::importHardmax,
     "1 at the first maximum: along axis (opset 13), before it over the "
     "dimensions from axis on; not over the run-time batch. NaN as "
     "onnxruntime's running maximum (zeros where the first element is NaN, "
     "other NaN skipped); its SIMD maximum of rows of 4 or more differs."},
    {"CumSum", &Importer::importCumSum,
     "Constant axis, not the run-time batch, at most 4096 long; exclusive, "
     "reverse: one add per slice, in onnxruntime's order (bit for bit)."},
    {"Trilu", &Importer::importTrilu,
     "upper, constant k: a Where of a constant mask over the last two "
     "dimensions (static)."},
    {"TopK", &Importer::importTopK,
     "Constant k (at most 1024), any axis but the run-time batch, largest: "
     "k rounds of selection, equal values in increasing position as "
     "onnxruntime; sorted = 0 gives the sorted order too. INT64 Indices "
     "are exact float32 data. NaN: each round is onnxruntime's k = 1 scan "
     "over the elements left (a NaN only when first), so k = 1 as "
     "onnxruntime; every index in range, once."},
    {"Expand", &Importer::importExpand,
     "Constant shape; copies (concat) along the dims that are not the "
     "run-time batch; folded."},
    {"Tile", &Importer::importTile,
     "Constant repeats; copies (concat), not of the run-time batch (a fixed "
     "batch tiles); folded."},
    {"Split", &Importer::importSplit,
     "Any axis but the run-time batch (a fixed batch splits); split "
     "attribute or input, num_outputs (opset 18) or equal parts; no empty "
     "pieces; folded on constants."},
    {"Size", &Importer::importSize,
     "A constant (written as INT64 when a graph output); not of data with a "
     "run-time batch."},
    {"Range", &Importer::importRange,
     "Constant start, limit and delta only: the result is a constant."},
    {"Mod", &Importer::importMod,
     "Constant inputs only (shape arithmetic): the result is a constant; "
     "fmod = 0 (the divisor's sign, integers) and 1 (C fmod); numpy "
     "broadcasting."},
    {"ScatterND", &Importer::importScatterND,
     "Constant data, indices and updates only (masks built at compile "
     "time): the result is a constant; every reduction (none, add, mul, "
     "max, min); negative indices count from the end."},
    {"Sqrt", &Importer::importElementwise, "Float32; folded on constants."},
    {"Erf", &Importer::importElementwise, "Float32; folded on constants."},
    {"Exp", &Importer::importElementwise, "Float32; folded on constants."},
    {"Log", &Importer::importElementwise, "Float32; folded on constants."},
    {"Tanh", &Importer::importElementwise, "Float32; folded on constants."},
    {"Round", &Importer::importElementwise,
     "Half to even; folded on constants."},
    {"Neg", &Importer::importElementwise,
     "Float32 data; folded on constants (any type)."},
    {"Abs", &Importer::importElementwise,
     "Float32 data; folded on constants (any type)."},
    {"Reciprocal", &Importer::importElementwise,
     "Float32 data, one division (1 / x) as onnxruntime rounds it; folded "
     "on constants."},
    {"Pow", &Importer::importElementwise,
     "Numpy broadcasting; float32 base; an integer exponent constant is "
     "converted to float32; folded on constants."},
    {"Gelu", &Importer::importGelu,
     "Opset 20; approximate = \"none\" (erf) or \"tanh\"."},
    {"Min", &Importer::importVariadic,
     "One or more inputs, numpy broadcasting; NaN propagates; folded on "
     "constants."},
    {"Max", &Importer::importVariadic,
     "One or more inputs, numpy broadcasting; NaN propagates; folded on "
     "constants."},
    {"Sum", &Importer::importVariadic,
     "One or more inputs, numpy broadcasting (a chain of adds); folded on "
     "constants."},
    {"Mean", &Importer::importVariadic,
     "One or more inputs, numpy broadcasting: the sum times 1 / count; "
     "folded on constants."},
    {"Equal", &Importer::importElementwise,
     "Numpy broadcasting; the boolean result is a 0 / 1 float at run time "
     "(written as BOOL when a graph output); reads float32, boolean and "
     "integer data (exact up to 2^24); folded on constants (any type)."},
    {"Greater", &Importer::importElementwise,
     "As Equal."},
    {"GreaterOrEqual", &Importer::importElementwise, "As Equal."},
    {"Less", &Importer::importElementwise,
     "As Equal (Greater with the operands swapped)."},
    {"LessOrEqual", &Importer::importElementwise,
     "As Equal (GreaterOrEqual with the operands swapped)."},
    {"Not", &Importer::importElementwise,
     "Booleans are 0 / 1 floats at run time (non-zero is true; BOOL graph "
     "inputs and outputs are typed); folded on constants."},
    {"And", &Importer::importElementwise, "As Not; numpy broadcasting."},
    {"Or", &Importer::importElementwise, "As Not; numpy broadcasting."},
    {"Xor", &Importer::importElementwise, "As Not; numpy broadcasting."},
    {"Where", &Importer::importElementwise,
     "Numpy broadcasting of condition, X and Y; the condition is a 0 / 1 "
     "float at run time; X and Y may be integer data (exact up to 2^24, the "
     "result typed); folded on constants."},
    {"Resize", &Importer::importResize,
     "nearest, linear and cubic; coordinate modes half_pixel, "
     "pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn, "
     "half_pixel_symmetric (19); every nearest_mode; cubic_coeff_a, "
     "exclude_outside; constant scales or sizes, axes and "
     "keep_aspect_ratio_policy (18). Not tf_crop_and_resize, not antialias "
     "when downsampling, not the batch. Opset 10: asymmetric, nearest rounds "
     "down."},
    {"Upsample", &Importer::importUpsample,
     "Opsets 7 to 9 (deprecated in 10): Resize of opset 10 (asymmetric, "
     "nearest rounds down, or linear); scales an attribute before opset 9, "
     "a constant input from it on."},
    {"Identity", &Importer::importIdentity, "-"},
    {"Dropout", &Importer::importIdentity,
     "An identity: inference, or training_mode with a constant ratio of 0 "
     "(opset 12 and later); the mask output must be unused."},
    // Control flow.
    {"If", &Importer::importIf,
     "A condition known at compile time (a constant, computed from shapes "
     "fixed by --input-shape / --dim, or from a --freeze-input): the taken "
     "branch is inlined, outer-scope names included, and the other one "
     "dropped (its operators need not be supported). A run-time condition "
     "(one element) compiles both branches, and each inference runs the "
     "one it picks (the program's if and phi instructions); the branches' "
     "outputs must then match in shape. A branch that does not compile for "
     "the fixed input shapes while the other does is a warning, and an "
     "inference that takes it stops with its error."},
    // Shapes and data movement.
    {"Flatten", &Importer::importFlatten,
     "Any axis except 0 on run-time data (which would merge the batch into "
     "the features)."},
    {"Reshape", &Importer::importReshape,
     "Constant target shape (shape chains such as Shape-Gather-Concat are "
     "evaluated); 0, -1 and allowzero; a run-time batch may move or merge "
     "with static dims (batch * heads), never vanish or appear twice."},
    {"Constant", &Importer::importConstant,
     "value, value_float(s) and value_int(s); float32 or integer tensors."},
    {"ConstantOfShape", &Importer::importConstantOfShape,
     "Constant shape; the result is a compile-time constant."},
    {"Shape", &Importer::importShape,
     "start and end (opset 15); a compile-time constant (the run-time batch "
     "size, times a static factor, is carried symbolically and may be "
     "multiplied or exactly divided by constants)."},
    {"Gather", &Importer::importGather,
     "Any axis. Constants and shapes fold; run-time data by constant indices "
     "(at most 4096) is slices and a concat; run-time indices (INT32 or "
     "INT64, e.g. token ids into a constant embedding table) or more "
     "constant indices are one gather instruction, which checks each index "
     "when it runs. Along the batch only when it is fixed (--input-shape)."},
    {"GatherElements", &Importer::importGatherElements,
     "Any axis; constant or run-time data and indices (INT32 or INT64), one "
     "gather instruction that checks each index when it runs; the gathered "
     "axis not the run-time batch."},
    {"GatherND", &Importer::importGatherND,
     "batch_dims; constant or run-time data and indices (INT32 or INT64), "
     "one gather instruction that checks each index tuple when it runs; the "
     "indexed dims not the run-time batch."},
    {"Unsqueeze", &Importer::importUnsqueezeSqueeze,
     "axes as an attribute (opset < 13) or a constant input (opset 13 and "
     "later); the run-time batch may move."},
    {"Squeeze", &Importer::importUnsqueezeSqueeze,
     "axes as an attribute (opset < 13) or a constant input (opset 13 and "
     "later); without axes every static 1 goes; the run-time batch may "
     "move."},
    {"Slice", &Importer::importSlice,
     "starts, ends and axes as attributes (opset < 10) or constant inputs "
     "with steps (opset 10 and later), clamped as ONNX defines; any step "
     "(a negative one reverses) on constants and on run-time data (the "
     "batch dimension whole): the step-1 axes are one slice, an axis of "
     "another step first picks its indices (at most 4096) as Gather does. "
     "An empty result is an empty constant (every dimension known)."},
    {"Cast", &Importer::importCast,
     "Between float, integer and boolean constants (to FLOAT16 and "
     "BFLOAT16 rounded to nearest even; to every integer type as "
     "onnxruntime: integers wrap around, float32 and DOUBLE convert as the "
     "run-time cast does; an integer of magnitude 2^53 or more whose cast "
     "needs its exact value is an error); run-time data to float32 (the "
     "identity), to BOOL (x != 0) and to every integer type, FLOAT16 and "
     "BFLOAT16 with onnxruntime's values (a cast instruction: truncation, "
     "its out-of-range results, round to nearest even; docs/SupportedOps.md, "
     "Cast of run-time data), "
     "carried as float32: a result float32 cannot hold stops the run. To "
     "DOUBLE (the identity: a double holds every float) of run-time data "
     "that only Cast, data movement and graph outputs (written as DOUBLE) "
     "read; an operator computing on it is an error, as is a DOUBLE input "
     "value float32 does not hold at run time. Not to STRING. FLOAT16 and "
     "BFLOAT16 initializers are widened to float exactly."},
    {"Concat", &Importer::importConcat,
     "Any axis; along the batch only when it is fixed (--input-shape); "
     "folded when every input is a constant."},
    {"Pad", &Importer::importPad,
     "constant, reflect and edge modes; pads as an attribute (opset < 11) or "
     "a constant input, axes (opset 18); no negative pads, no padding of the "
     "batch."},
    {"Transpose", &Importer::importTranspose,
     "Any permutation, the run-time batch included; folded on constants."},
    {"DepthToSpace", &Importer::importDepthToSpace,
     "DCR and CRD modes on run-time NCHW data: a reshape, a transpose and a "
     "reshape, as the specification defines it."},
    {"SpaceToDepth", &Importer::importSpaceToDepth,
     "On run-time NCHW data: a reshape, a transpose and a reshape."},
    // Elementwise functions of one tensor (ImportUnary.cpp): float32 in
    // onnxruntime's order; folded on constants.
    {"Softplus", &Importer::importUnaryFunction,
     "Float32 as onnxruntime: x + log1p(exp(-x)) for x > 0, else "
     "log1p(exp(x)); folded on constants."},
    {"Elu", &Importer::importUnaryFunction,
     "alpha; float32 as onnxruntime; folded on constants."},
    {"Selu", &Importer::importUnaryFunction,
     "alpha, gamma; float32 as onnxruntime; folded on constants."},
    {"Celu", &Importer::importUnaryFunction,
     "alpha (not 0); float32 as onnxruntime; folded on constants."},
    {"Softsign", &Importer::importUnaryFunction,
     "(1 / (1 + |x|)) * x, bit for bit onnxruntime's; folded on constants."},
    {"ThresholdedRelu", &Importer::importUnaryFunction,
     "alpha; exact; folded on constants."},
    {"Mish", &Importer::importUnaryFunction,
     "Opset 18; x * tanh(softplus(x)) in float32; folded on constants."},
    {"Shrink", &Importer::importUnaryFunction,
     "lambd, bias; float data; exact; folded on constants."},
    {"Floor", &Importer::importUnaryFunction, "Exact; folded on constants."},
    {"Ceil", &Importer::importUnaryFunction, "Exact; folded on constants."},
    {"Sin", &Importer::importUnaryFunction,
     "Float32; folded on constants."},
    {"Cos", &Importer::importUnaryFunction,
     "Float32; folded on constants."},
    {"Sign", &Importer::importUnaryFunction,
     "Float data (NaN stays NaN); exact; folded on constants (any type)."},
    {"IsNaN", &Importer::importUnaryFunction,
     "The boolean result is a 0 / 1 float at run time; folded on "
     "constants."},
    {"IsInf", &Importer::importUnaryFunction,
     "detect_positive, detect_negative (0 or 1); as IsNaN."},
    {"CastLike", &Importer::importCastLike,
     "As Cast, to the type of target_type: the type a constant was decoded "
     "from, or a run-time tensor's as the graph declares it (inputs, "
     "value_info, outputs) or its producer gives it (a comparison's BOOL, "
     "Shape's or ArgMax's INT64, a Cast's to, the data input's type through "
     "arithmetic and data movement); a type not known that way is an "
     "error."},
    // Audio front ends (ImportSignal.cpp): constants folded at compile time.
    {"HannWindow", &Importer::importWindow,
     "Opset 17; constant size; periodic; output_datatype FLOAT or DOUBLE; "
     "folded to a constant (computed in double, rounded once)."},
    {"HammingWindow", &Importer::importWindow,
     "As HannWindow (a0 = 25/46)."},
    {"BlackmanWindow", &Importer::importWindow, "As HannWindow."},
    {"MelWeightMatrix", &Importer::importMelWeightMatrix,
     "Opset 17; constant inputs; folded to a constant as ONNX's reference "
     "defines it (mel edges in float32, num_mel_bins + 2 points, integer "
     "bins floor((dft_length + 1) f / sample_rate)); output_datatype FLOAT "
     "or DOUBLE."},
    {"STFT", &Importer::importSTFT,
     "Opset 17; a real run-time signal [batch, length, 1] of static length; "
     "constant frame_step and window and / or frame_length; onesided. One "
     "crossbar Conv layer (kernel frame_length, stride frame_step, the "
     "windowed DFT basis as 2 * bins output channels), reshaped to [batch, "
     "frames, bins, 2]. Complex signals are not supported."},
    {"DFT", &Importer::importDFT,
     "Opsets 17 and 20 (axis an attribute, then a constant input); real or "
     "complex run-time data [batch, ..., 1 or 2] along a static axis other "
     "than the batch; onesided (real input), inverse, constant dft_length "
     "(truncates or zero-pads). One crossbar MatMul by the DFT basis."},
};

/// ONNX Runtime's contrib operators (domain com.microsoft) that rebocc
/// imports: the QOperator ops onnxruntime's quantizer writes.
static const OpEntry kMicrosoftOps[] = {
    {"QLinearAdd", &Importer::importQLinearBinary,
     "uint8 or int8 with constant per-tensor scales and zero points; "
     "numpy broadcasting. onnxruntime's codes bit for bit: two fused "
     "multiply-adds (fma instructions) of the codes by the scale ratios, "
     "round half to even, clip."},
    {"QLinearMul", &Importer::importQLinearBinary,
     "As QLinearAdd: (A - A_zero_point) * (B - B_zero_point) times "
     "A_scale * B_scale / C_scale plus C_zero_point, in onnxruntime's "
     "float32 order; round half to even, clip."},
    {"QLinearConcat", &Importer::importQLinearConcat,
     "Constant per-tensor scales and zero points; each input whose own "
     "differ from Y's is dequantized and quantized to Y's (onnxruntime's "
     "codes), then a Concat."},
    {"QLinearAveragePool", &Importer::importQLinearAveragePool,
     "Constant per-tensor scales and zero points, uint8 or int8; 1-D and "
     "2-D, channels_last 0; pads, strides, ceil_mode, count_include_pad, "
     "auto_pad. onnxruntime's float32 steps: dequantize, each window summed "
     "in row-major order (a slice and an add per kernel element, then a "
     "gather of the strided positions), divided by its count, then "
     "round(mean / y_scale + y_zero_point)."},
    {"QLinearGlobalAveragePool", &Importer::importQLinearGlobalAveragePool,
     "Constant per-tensor scales and zero points, uint8 or int8; "
     "channels_last 0 and 1. onnxruntime's round((sum - n * x_zero_point) * "
     "(x_scale / (y_scale * n))) + y_zero_point: a reduce_sum of the codes "
     "and digital add, mul, round, add, clip."},
    {"QLinearLeakyRelu", &Importer::importQLinearLookup,
     "Constant per-tensor scales and zero points, uint8 or int8; alpha. "
     "onnxruntime's 256-code table (dequantize, LeakyRelu, quantize in "
     "float32) folded at compile time: one gather by the codes."},
    {"QLinearSigmoid", &Importer::importQLinearLookup,
     "As QLinearLeakyRelu, with the logistic function rounded to float32 "
     "(onnxruntime's approximation of it can round a code next to a tie "
     "the other way)."},
};

/// The operator tables by domain; the default domain is spelled "" or
/// "ai.onnx" in models.
static ArrayRef<OpEntry> opsOfDomain(StringRef domain) {
  if (domain.empty() || domain == "ai.onnx")
    return kOps;
  if (domain == "com.microsoft")
    return kMicrosoftOps;
  return {};
}

static const OpEntry *findOp(const std::string &domain,
                             const std::string &opType) {
  for (const OpEntry &entry : opsOfDomain(domain))
    if (opType == entry.type)
      return &entry;
  return nullptr;
}

bool isSupportedOpType(const std::string &domain, const std::string &opType) {
  return findOp(domain, opType) != nullptr;
}

std::string supportedOpsMarkdown() {
  std::vector<std::pair<StringRef, const OpEntry *>> entries;
  for (StringRef domain : {"ai.onnx", "com.microsoft"})
    for (const OpEntry &entry : opsOfDomain(domain))
      entries.push_back({domain, &entry});
  llvm::sort(entries, [](const auto &a, const auto &b) {
    int byType = StringRef(a.second->type).compare_insensitive(b.second->type);
    return byType != 0 ? byType < 0 : a.first < b.first;
  });
  std::string table = "| Op | Domain | Notes |\n|----|--------|-------|\n";
  for (const auto &[domain, entry] : entries) {
    std::string notes;
    for (const char *c = entry->notes; *c; ++c)
      notes += *c == '|' ? std::string("\\|") : std::string(1, *c);
    table += std::string("| ") + entry->type + " | " + domain.str() + " | " +
             notes + " |\n";
  }
  return table;
}

//===----------------------------------------------------------------------===//
// Bindings
//===----------------------------------------------------------------------===//

/// "node 'name' (Op)"; unnamed nodes (common in exported models) are named
/// by their output.
std::string describeNode(const onnx::NodeProto &node) {
  std::string where =
      !node.name().empty() ? "node '" + node.name() + "'"
      : node.output_size() ? "node producing '" + node.output(0) + "'"
                           : std::string("unnamed node");
  return where + " (" + node.op_type() + ")";
}

bool Importer::fail(const onnx::NodeProto &node, const Twine &message) {
  if (!error.empty())
    return false;
  error =
      (fileName + ": " + describeNode(node) + scope + ": " + message).str();
  return false;
}

bool Importer::fail(const Twine &message) {
  if (error.empty())
    error = (fileName + ": " + message).str();
  return false;
}

Location Importer::locFor(const onnx::NodeProto &node) {
  StringRef name = node.output_size() ? StringRef(node.output(0))
                                      : StringRef(node.name());
  return NameLoc::get(builder.getStringAttr(name),
                      FileLineColLoc::get(&context, fileName, 0, 0));
}

/// Node names name layers in reports; unnamed nodes take their output name.
std::string Importer::layerName(const onnx::NodeProto &node) {
  std::string base = !node.name().empty() ? node.name()
                     : node.output_size() ? node.output(0)
                                          : node.op_type();
  std::string name = base;
  for (int suffix = 1; !usedLayerNames.insert(name).second; ++suffix)
    name = base + "_" + std::to_string(suffix);
  return name;
}

/// Optional inputs are either absent or named by the empty string.
bool Importer::hasInput(const onnx::NodeProto &node, int index) const {
  return index < node.input_size() && !node.input(index).empty();
}

const Binding *Importer::lookup(const onnx::NodeProto &node, int index) {
  if (!hasInput(node, index)) {
    fail(node, "missing input " + Twine(index));
    return nullptr;
  }
  if (!decodePending(node.input(index)))
    return nullptr;
  auto it = env.find(node.input(index));
  if (it == env.end()) {
    fail(node, "input '" + node.input(index) +
                   "' is not produced by any node, initializer or graph "
                   "input");
    return nullptr;
  }
  return &it->second;
}

const ConstTensor *Importer::constantInput(const onnx::NodeProto &node,
                                           int index, const Twine &what,
                                           bool allowBatch) {
  const Binding *binding = lookup(node, index);
  if (!binding)
    return nullptr;
  if (!binding->known) {
    // A graph input (a block argument) can be frozen; data computed at run
    // time cannot be made static by any flag.
    std::string hint =
        mlir::isa_and_nonnull<mlir::BlockArgument>(binding->value)
            ? "; '" + node.input(index) +
                  "' is a graph input: --freeze-input " + node.input(index) +
                  "=FILE.pb fixes its value at compile time"
            : "";
    fail(node, what + " must be a constant (an initializer, a Constant or "
                      "computed from them)" + hint);
    return nullptr;
  }
  if (!allowBatch && binding->known->hasBatchSentinel()) {
    fail(node, dependsOnBatch(what));
    return nullptr;
  }
  return &*binding->known;
}

bool Importer::intsInput(const onnx::NodeProto &node, int index,
                         const Twine &what, std::vector<int64_t> &out) {
  const ConstTensor *tensor = constantInput(node, index, what);
  if (!tensor)
    return false;
  if (tensor->shape.size() > 1)
    return fail(node, what + " must be a 1-D tensor");
  out.clear();
  for (double value : tensor->data)
    out.push_back(toInt(value));
  return true;
}

bool Importer::rejectUsedOutput(const onnx::NodeProto &node, int index,
                                const Twine &what) {
  if (index < node.output_size() && !node.output(index).empty() &&
      consumers.lookup(node.output(index)) > 0)
    return fail(node, what + " (output " + Twine(index) + ", '" +
                          node.output(index) + "') is used, which is not "
                          "supported");
  return true;
}

std::vector<int64_t> Importer::shapeOfInput(const Binding &binding) {
  return binding.known ? binding.known->shape
                       : std::vector<int64_t>(shapeOf(binding.value));
}

/// Integer data runs as float32 values, exact up to 2^24; a constant
/// integer beyond that would be written rounded (16777217 as 16777216).
bool Importer::integersFitFloat32(const ConstTensor &tensor, StringRef name) {
  for (auto [index, v] : llvm::enumerate(tensor.data))
    if (static_cast<double>(static_cast<float>(v)) != v)
      return fail("constant '" + name + "' element " + Twine(index) + " (" +
                  Twine(static_cast<int64_t>(v)) +
                  ") is not a float32 value; rebocc carries integer data as "
                  "float32, exact up to 2^24 in magnitude");
  return true;
}

Value Importer::materialize(const ConstTensor &tensor, Location loc,
                            StringRef name) {
  auto type = tensorType(tensor.shape, builder);
  ElementsAttr value = makeFloatAttr(type, toFloats(tensor), name);
  return ConstantOp::create(builder, loc, type, value);
}

/// The run-time value of input `index`; constants are materialized.
bool Importer::runtimeInput(const onnx::NodeProto &node, int index,
                            Value &value) {
  const Binding *binding = lookup(node, index);
  if (!binding)
    return false;
  if (binding->value) {
    value = binding->value;
    return true;
  }
  if (!binding->known->isFloat)
    return fail(node, "input '" + node.input(index) +
                          "' is an integer tensor; only float32 data is "
                          "supported");
  value = materialize(*binding->known, locFor(node), node.input(index));
  env[node.input(index)].value = value;
  return true;
}

std::string dependsOnBatch(const Twine &what) {
  return (what + " depends on the run-time batch size, which is only known "
                 "when the network runs (fix the batch with --input-shape or "
                 "--dim)")
      .str();
}

std::string dimsToString(ArrayRef<int64_t> shape) {
  std::string out = "[";
  for (auto [d, dim] : llvm::enumerate(shape))
    out += (d ? "," : "") +
           (ShapedType::isDynamic(dim) ? "?" : std::to_string(dim));
  return out + "]";
}

bool Importer::checkShape(const onnx::NodeProto &node, ArrayRef<int64_t> shape,
                          const Twine &what, int64_t elementBytes) {
  SmallVector<int64_t> dims;
  for (int64_t dim : shape)
    if (!ShapedType::isDynamic(dim))
      dims.push_back(dim);
  std::optional<int64_t> bytes = support::checkedByteSize(dims, elementBytes);
  if (!bytes)
    return fail(node, what + " " + dimsToString(shape) +
                          " has more elements than a 64-bit count holds");
  std::string overBudget = support::checkMemory(
      *bytes, (what + " " + dimsToString(shape)).str());
  if (!overBudget.empty())
    return fail(node, overBudget);
  return true;
}

bool Importer::bind(const onnx::NodeProto &node, Value value) {
  if (node.output_size() < 1 || node.output(0).empty())
    return fail(node, "has no output");
  if (!checkShape(node, shapeOf(value), "the result shape"))
    return false;
  env[node.output(0)] = Binding{value, std::nullopt};
  return true;
}

bool Importer::bindConstant(const onnx::NodeProto &node, ConstTensor tensor) {
  if (node.output_size() < 1 || node.output(0).empty())
    return fail(node, "has no output");
  if (!checkShape(node, tensor.shape, "the result shape", sizeof(double)))
    return false;
  env[node.output(0)] = Binding{Value(), std::move(tensor)};
  return true;
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

/// The operators whose importers take the run-time batch at any position
/// of their run-time inputs (a (seq, batch, features) tensor, or attention's
/// (batch * heads, seq, d)): each checks the axes it works along. The others
/// (convolutions, pooling, per-channel and recurrent operators, ...) read
/// dimension 1 as channels or features and take the batch only in front.
static bool takesBatchAnywhere(StringRef type) {
  static const llvm::StringSet<> kTypes = {
      "MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Relu", "Sigmoid",
      "LeakyRelu", "HardSigmoid", "HardSwish", "Clip", "Softmax",
      "LogSoftmax", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean",
      "ReduceL2", "ReduceSumSquare", "ReduceL1", "ReduceLogSum",
      "ReduceLogSumExp", "ReduceProd", "LpNormalization", "ArgMax", "ArgMin", "Hardmax",
      "CumSum", "Trilu", "TopK", "LayerNormalization", "Tile", "Split", "Size", "Sqrt",
      "Erf", "Exp", "Log", "Tanh", "Round", "Neg", "Abs", "Pow", "Reciprocal",
      "Gelu",
      "Softplus", "Elu", "Selu", "Celu", "Softsign", "ThresholdedRelu",
      "Mish", "Shrink", "Floor", "Ceil", "Sin", "Cos", "Sign", "IsNaN",
      "IsInf", "CastLike",
      "Min", "Max", "Sum", "Mean", "Equal", "Greater", "GreaterOrEqual",
      "Less", "LessOrEqual", "Not", "And", "Or", "Xor", "Where", "Identity",
      "Dropout", "If", "Flatten", "Reshape", "Shape", "Gather",
      "GatherElements", "GatherND", "Unsqueeze",
      "Squeeze", "Slice", "Cast", "Concat", "Pad", "Transpose"};
  return kTypes.contains(type);
}

bool Importer::importNode(const onnx::NodeProto &node) {
  const OpEntry *entry = findOp(node.domain(), node.op_type());
  if (!entry)
    return fail(node, "unsupported operator");
  if (!takesBatchAnywhere(node.op_type()))
    for (int i = 0; i < node.input_size(); ++i) {
      auto it = env.find(node.input(i));
      if (node.input(i).empty() || it == env.end() || !it->second.value)
        continue;
      ArrayRef<int64_t> shape = shapeOf(it->second.value);
      for (size_t d = 1; d < shape.size(); ++d)
        if (ShapedType::isDynamic(shape[d]))
          return fail(node, "input " + Twine(i) + " " + dimsToString(shape) +
                                " has the run-time batch at dimension " +
                                Twine(d) + "; " + node.op_type() +
                                " takes it only as the leading dimension "
                                "(fix the batch with --input-shape or --dim)");
    }
  // Every supported operator names its result output(0) (the importers read
  // it before binding it), except the recurrent cells, whose Y is optional.
  bool recurrent = node.op_type() == "LSTM" || node.op_type() == "GRU" ||
                   node.op_type() == "RNN";
  if (node.output_size() < 1 || (node.output(0).empty() && !recurrent))
    return fail(node, "has no output");
  if (!checkCastIntegerUses(node) || !checkDoubleUses(node))
    return false;
  checkCastHalfUses(node);
  recordRuntimeTypes(node);
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty())
      continue;
    Producer &producer = producers[node.output(i)];
    producer.op = node.op_type();
    for (int j = 0; j < 2 && j < node.input_size(); ++j)
      producer.inputs[j] = node.input(j);
    producer.output = i;
    producer.to = getInt(node, "to", 0);
    producer.outputDtype = findAttr(node, "output_dtype") != nullptr;
  }
  if (std::optional<bool> legacy = importLegacyBroadcast(node))
    return *legacy;
  if (std::optional<bool> onCodes = importOnCodes(node))
    return *onCodes;
  return (this->*entry->import)(node);
}

/// Frees the values of the constants `node` was the last to read (a large
/// model's weights are then held decoded only until their layer is built).
/// The binding stays, so the name still counts as defined.
void Importer::releaseReadInputs(const onnx::NodeProto &node) {
  for (const std::string &input : node.input()) {
    auto unread = unreadTopLevel.find(input);
    if (unread == unreadTopLevel.end() || --unread->second > 0)
      continue;
    auto it = env.find(input);
    if (it != env.end() && it->second.known)
      std::vector<double>().swap(it->second.known->data);
  }
}

/// Decodes the pending initializer `name`, if it is one, and releases its
/// bytes. It was checked when registered: only reading bytes left in the
/// file can fail.
bool Importer::decodePending(StringRef name) {
  auto pending = pendingInitializers.find(name);
  if (pending == pendingInitializers.end())
    return true;
  const int index = pending->second;
  if (const DeferredRawData::Range *inFile =
          deferredRawData ? deferredRawData->find(index) : nullptr) {
    // Into the proto (at its exact size) and decoded from there as any other.
    std::string &raw =
        *consumableInitializers->mutable_initializer(index)->mutable_raw_data();
    raw.resize(inFile->length);
    if (!readDeferred(index, raw.data()))
      return false;
  }
  pendingInitializers.erase(pending);
  ConstTensor &tensor = *env[name].known;
  std::string reason;
  bool decoded = decodeTensor(initializers->initializer(index), tensor, reason);
  assert(decoded && "initializers are checked when registered");
  (void)decoded;
  releaseInitializerBytes(index);
  return true;
}

/// Reads initializer `index`'s raw_data from the model file.
bool Importer::readDeferred(int index, char *out) {
  std::string reason;
  if (deferredRawData->read(index, out, reason))
    return true;
  return fail("initializer '" + initializers->initializer(index).name() +
              "': " + reason);
}

/// Once decoded, an initializer's bytes are not read again (only its name).
void Importer::releaseInitializerBytes(int index) {
  if (!consumableInitializers)
    return;
  onnx::TensorProto *bytes = consumableInitializers->mutable_initializer(index);
  std::string().swap(*bytes->mutable_raw_data());
  bytes->clear_float_data();
  bytes->clear_double_data();
  bytes->clear_int32_data();
  bytes->clear_int64_data();
}

/// The float32 values of input `index` straight from the file, without
/// the double copy, when it is a FLOAT initializer not decoded yet that no
/// later top-level node reads (a layer's weights): then its binding keeps
/// only its shape. The values equal the decoded doubles cast back to float.
bool Importer::takePendingFloats(const onnx::NodeProto &node, int index,
                                 std::vector<float> &values) {
  if (!hasInput(node, index))
    return false;
  const std::string &name = node.input(index);
  auto pending = pendingInitializers.find(name);
  if (pending == pendingInitializers.end() || unreadTopLevel.lookup(name) != 1)
    return false;
  const onnx::TensorProto &proto = initializers->initializer(pending->second);
  if (proto.data_type() != onnx::TensorProto::FLOAT)
    return false;
  if (const DeferredRawData::Range *inFile =
          deferredRawData ? deferredRawData->find(pending->second) : nullptr) {
    // Straight from the file into the values: the bytes are never held.
    values.resize(inFile->length / 4);
    if (!readDeferred(pending->second, reinterpret_cast<char *>(values.data())))
      return false; // left pending: the caller's fallback decode fails too
    if constexpr (llvm::endianness::native != llvm::endianness::little)
      for (float &value : values)
        value = llvm::bit_cast<float>(llvm::support::endian::read32le(&value));
  } else if (proto.has_raw_data()) {
    // Checked when registered: 4 bytes per element, little-endian.
    const std::string &raw = proto.raw_data();
    values.resize(raw.size() / 4);
    for (size_t e = 0; e < values.size(); ++e)
      values[e] = llvm::bit_cast<float>(
          llvm::support::endian::read32le(raw.data() + 4 * e));
  } else {
    values.assign(proto.float_data().begin(), proto.float_data().end());
  }
  releaseInitializerBytes(pending->second);
  pendingInitializers.erase(pending);
  return true;
}

/// A DOUBLE graph output is written as the doubles of its float32 values:
/// exact for run-time DOUBLE data (doubleData) and for constants whose
/// values are float32 values; any other DOUBLE output was computed in
/// float32 where onnxruntime computes in double.
bool Importer::doubleOutput(const std::string &name) {
  const Binding &binding = env.find(name)->second;
  if (binding.known)
    return checkDoubleConstant(nullptr, name, *binding.known);
  if (doubleData.contains(name))
    return true;
  return fail("graph output '" + name + "' is DOUBLE but not DOUBLE data " +
              "rebocc carries exactly (a Cast to DOUBLE, a DOUBLE input, or " +
              "data movement of them); rebocc computes in float32");
}

Value Importer::outputOfType(Value value, StringRef typeName,
                             DenseMap<Value, std::string> &typed) {
  auto [it, inserted] = typed.try_emplace(value, typeName.str());
  if (inserted || it->second == typeName)
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  Value copy = ReshapeOp::create(builder, value.getLoc(), type, value);
  if (!type.hasStaticShape())
    setBatchMultiple(copy, batchMultipleOf(value));
  typed[copy] = typeName.str();
  return copy;
}

bool Importer::importOutputs(const onnx::GraphProto &graph,
                             Operation *funcOp) {
  auto func = cast<func::FuncOp>(funcOp);
  SmallVector<Value> results;
  SmallVector<std::pair<size_t, const char *>> outputTypes;
  DenseMap<Value, std::string> typed;
  for (BlockArgument arg : func.getArguments()) {
    auto type = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                  kTensorTypeAttr);
    typed[arg] = type ? type.str() : "";
  }
  for (const onnx::ValueInfoProto &output : graph.output()) {
    if (!decodePending(output.name()))
      return false;
    auto it = env.find(output.name());
    if (it == env.end())
      return fail("graph output '" + output.name() + "' is never produced");
    // Operators compute in float32: a half-precision output holds
    // onnxruntime's values only where a Cast rounded it last.
    int elem = output.type().tensor_type().elem_type();
    Binding &binding = it->second;
    std::optional<support::CastType> type = support::castTypeOfOnnx(elem);
    const char *typeName = support::valueTypeNameOfOnnx(elem);
    if (type && !support::isIntegerCastType(*type)) {
      auto rounded = binding.value ? binding.value.getDefiningOp<CastOp>()
                                   : CastOp();
      if (!rounded || rounded.getTo() != support::castTypeName(*type))
        return fail("graph output '" + output.name() + "' is " +
                    (elem == onnx::TensorProto::FLOAT16 ? "FLOAT16"
                                                        : "BFLOAT16") +
                    " but not the result of a Cast to it; operators compute "
                    "in float32 (cast it to FLOAT in the model)");
    }
    if (elem == onnx::TensorProto::DOUBLE && !doubleOutput(output.name()))
      return false;
    if (typeName)
      outputTypes.push_back({results.size(), typeName});
    if (!binding.value) {
      // A constant integer or boolean output (Size of a known shape) is
      // written with its type.
      if (!binding.known->isFloat && !typeName)
        return fail("graph output '" + output.name() +
                    "' is an integer tensor; only float32 is supported");
      if (!binding.known->isFloat && !integersFitFloat32(*binding.known,
                                                         output.name()))
        return false;
      binding.value = materialize(*binding.known,
                                  NameLoc::get(builder.getStringAttr(output.name())),
                                  output.name());
    }
    results.push_back(
        outputOfType(binding.value, typeName ? typeName : "", typed));
  }
  if (results.empty())
    return fail("the graph has no outputs");
  func::ReturnOp::create(builder, func.getLoc(), results);
  func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, kTensorNameAttr,
                       builder.getStringAttr(output.name()));
  // Integer and half outputs are written with their type (integer values
  // come from Cast, the quantized operators and data movement of them;
  // half ones from a Cast, checked above).
  for (auto [index, name] : outputTypes)
    func.setResultAttr(index, kTensorTypeAttr, builder.getStringAttr(name));
  return true;
}

/// Every tensor name has one producer: an initializer, a graph input or one
/// node output. A second writer would otherwise silently replace the first.
bool Importer::checkSingleWriters(const onnx::GraphProto &graph) {
  llvm::StringSet<> initializers, inputs;
  for (const onnx::TensorProto &init : graph.initializer())
    if (!initializers.insert(init.name()).second)
      return fail("initializer '" + init.name() + "' is defined twice");
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!inputs.insert(input.name()).second)
      return fail("graph input '" + input.name() + "' is declared twice");
  llvm::StringMap<int> writer;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      if (initializers.count(output))
        return fail(node, "writes tensor '" + output +
                              "', which is an initializer; every tensor "
                              "needs exactly one producer");
      if (inputs.count(output))
        return fail(node, "writes tensor '" + output +
                              "', which is a graph input; every tensor needs "
                              "exactly one producer");
      auto [it, inserted] = writer.try_emplace(output, (int)index);
      if (inserted)
        continue;
      const onnx::NodeProto &first = graph.node(it->second);
      if (it->second == (int)index)
        return fail(node, "writes tensor '" + output + "' twice");
      return fail(node, "writes tensor '" + output + "', which " +
                            describeNode(first) + " already writes (nodes #" +
                            Twine(it->second) + " and #" + Twine(index) +
                            " of the graph); every tensor needs exactly one "
                            "producer");
    }
  }
  return true;
}

OwningOpRef<ModuleOp>
Importer::import(const onnx::GraphProto &graph, const ImportOptions &options,
                 onnx::GraphProto *consumable,
                 const DeferredRawData *deferred) {
  assert((!deferred || consumable) && "deferred raw_data is read into it");
  deferredRawData = deferred;
  chipInputBits = options.chipInputBits;
  countConsumers(graph);
  for (const auto &entry : consumers)
    unreadTopLevel[entry.getKey()] = entry.getValue();
  // Unsupported operators in the top-level graph are an error whatever the
  // inputs; ones only inside If branches are checked when the branch is
  // taken, since freezing an input can discard them (ImportControlFlow.cpp).
  if (hasUnsupportedNodes(graph, /*nested=*/false)) {
    fail("unsupported ONNX operators: " + listUnsupported(graph) +
         unsupportedHints(graph, options));
    return nullptr;
  }
  if (!checkSingleWriters(graph))
    return nullptr;
  Location fileLoc = FileLineColLoc::get(&context, fileName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> inputTypes;
  if (!importInputs(graph, consumable, options, inputTypes))
    return nullptr;
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(inputTypes, {}));
  Block *entry = func.addEntryBlock();
  unsigned argIndex = 0;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (env.count(input.name()))
      continue;
    env[input.name()] = Binding{entry->getArgument(argIndex), std::nullopt};
    if (input.type().tensor_type().elem_type() == onnx::TensorProto::DOUBLE)
      doubleData.insert(input.name());
    if (int elem = input.type().tensor_type().elem_type();
        elem != onnx::TensorProto::FLOAT)
      runtimeTypes[input.name()] = elem;
    // Boolean and integer inputs carry their type: the program's reader
    // then takes files of that type only.
    if (const char *type = support::valueTypeNameOfOnnx(
            input.type().tensor_type().elem_type()))
      func.setArgAttr(argIndex, kTensorTypeAttr, builder.getStringAttr(type));
    func.setArgAttr(argIndex++, kTensorNameAttr,
                    builder.getStringAttr(input.name()));
  }
  for (const auto *infos : {&graph.input(), &graph.value_info(),
                            &graph.output()})
    for (const onnx::ValueInfoProto &info : *infos)
      if (int elem = info.type().tensor_type().elem_type())
        declaredTypes[info.name()] = elem;
  builder.setInsertionPointToStart(entry);
  std::vector<const onnx::NodeProto *> order;
  if (!sortNodes(graph, order) || !checkIntegerDataUses(graph, order))
    return nullptr;
  for (const onnx::NodeProto *node : order) {
    if (!importNode(*node))
      return nullptr;
    releaseReadInputs(*node);
  }
  if (!importOutputs(graph, func))
    return nullptr;
  dropUnreadScalings();
  if (failed(module->verify())) {
    fail("the imported module does not verify (see the diagnostics above)");
    return nullptr;
  }
  return module;
}

/// The default-domain opset the model imports (ONNX's default is 1).
static int64_t defaultOpset(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      return id.version();
  return 1;
}

/// importModel, releasing the initializers' bytes from `consumable` (when
/// given, `model` itself) as they are decoded.
static OwningOpRef<ModuleOp>
importModelImpl(const onnx::ModelProto &model, onnx::ModelProto *consumable,
                MLIRContext &context, const std::string &fileName,
                const ImportOptions &options, std::string &error,
                std::vector<std::string> *warnings,
                const DeferredRawData *deferred = nullptr) {
  context.loadDialect<CirculantDialect, func::FuncDialect>();
  int64_t opset = defaultOpset(model);
  // Operator semantics change between opsets: one newer than the importer
  // knows could mean anything, and opset 0 does not exist.
  if (opset < 1 || opset > kMaxOpset) {
    error = fileName + ": default-domain opset " + std::to_string(opset) +
            " is not supported (1 to " + std::to_string(kMaxOpset) +
            " are; the newest supported is " + std::to_string(kMaxOpset) +
            ", see docs/SupportedOps.md)";
    return nullptr;
  }
  error = checkCompileMemory(model);
  if (!error.empty()) {
    error = fileName + ": " + error;
    return nullptr;
  }
  Importer importer(context, fileName, opset);
  OwningOpRef<ModuleOp> module = importer.import(
      model.graph(), options,
      consumable ? consumable->mutable_graph() : nullptr, deferred);
  if (!module)
    error = importer.getError();
  if (warnings)
    llvm::append_range(*warnings, importer.getWarnings());
  return module;
}

OwningOpRef<ModuleOp>
importModel(const onnx::ModelProto &model, MLIRContext &context,
            const std::string &fileName, const ImportOptions &options,
            std::string &error, std::vector<std::string> *warnings) {
  return importModelImpl(model, nullptr, context, fileName, options, error,
                         warnings);
}

OwningOpRef<ModuleOp>
importModel(onnx::ModelProto &&model, MLIRContext &context,
            const std::string &fileName, const ImportOptions &options,
            std::string &error, std::vector<std::string> *warnings,
            const DeferredRawData *deferred) {
  return importModelImpl(model, &model, context, fileName, options, error,
                         warnings, deferred);
}

} // namespace rebocc::onnxfe
