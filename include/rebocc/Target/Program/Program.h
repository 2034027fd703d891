//===- Program.h - The tile/crossbar program, in memory ---------*- C++ -*-===//
//
// The emitted program is the interface between the compiler and the
// interpreter. It has no MLIR dependency: the compiler fills a `Program` and
// writes it; `rebocc-sim` reads and validates one and runs it.
//
// See docs/ProgramFormat.md for the on-disk form and the exact semantics of a
// crossbar layer (logical rows, weight columns, rotation steps).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_TARGET_PROGRAM_PROGRAM_H
#define REBOCC_TARGET_PROGRAM_PROGRAM_H

#include "rebocc/Model/Hardware.h"
#include "rebocc/Support/FloatArray.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rebocc::program {

/// Current on-disk format version. Readers reject any other version.
constexpr int kFormatVersion = 12;

/// The largest dimension a declared input shape may have (the importer's
/// limit for a declared or --input-shape dimension).
constexpr int64_t kMaxDeclaredDim = int64_t(1) << 31;

/// A value produced or consumed by an instruction. Dimension -1 is a
/// dynamic size, fixed by the run-time input: the batch (leading dimension)
/// or, for convolutional networks, a spatial size, so one program runs any
/// batch and image resolution.
struct Value {
  std::string name;
  std::vector<int64_t> shape;
  /// "" for float32; else the support::CastType name (int8 ... uint64,
  /// float16, bfloat16) a program output is written as. The values are
  /// float32 either way; only the output file's element type differs.
  std::string dtype = "";
  /// A graph input only (version 10): its shape as the model declares it,
  /// or as --input-shape / --dim fixed it at compile time, -1 where it is
  /// still open (the run-time batch). `shape` leaves image sizes open so
  /// one program runs any resolution; this is what the model was made for,
  /// and what `rebocc-sim --cost-only` counts without --input. Absent: no
  /// more is known than `shape`.
  std::optional<std::vector<int64_t>> declared = std::nullopt;
};

/// A float constant tensor (operands of Add/Mul, Reshape-free constants).
struct Constant {
  std::string name;
  std::vector<int64_t> shape;
  support::FloatArray data; // a view into the file when read from one
};

/// Which mapping a crossbar layer uses (REBOC.md "Mappings"). C(d) places d
/// copies of the A layout block-diagonally, copy u in its own row range and
/// weight-column range; row range u is driven with rotation s0 + u.
enum class Mapping { A, B, C, E };

/// What a crossbar layer computes.
enum class LayerKind { FullyConnected, Convolution };

/// Where one array sits on the hardware: chip, chip load (the reprogramming
/// round, 0 unless the model is reprogrammed in loads), tile of the chip, IMA
/// of the tile and crossbar of the IMA. -1 until placed. The compiler's
/// crossbar-place-arrays pass decides it with model::placeArrays
/// (docs/CostModel.md, "Placement"); the cost model reads it back.
struct ArrayPlace {
  int64_t chip = -1, load = -1, tile = -1, ima = -1, xbar = -1;
  bool placed() const {
    return chip >= 0 && load >= 0 && tile >= 0 && ima >= 0 && xbar >= 0;
  }
};

/// One crossbar array of a layer and the part of the layer's logical
/// crossbar matrix it holds.
///
/// The logical matrix of one group has `logicalRows()` rows (`q*k` for a
/// fully connected layer), ordered (kernel row u, kernel column v, input block
/// j, offset t) so a k-slice never straddles two arrays, and `p*d` weight
/// columns ordered (block-row i, copy u); each weight column occupies
/// `cellsPerWeight` adjacent physical columns. Weight column (i, u) at logical
/// row (j, t) holds w_ij[(t - u) mod k]. Mapping C(d): d*logicalRows() rows and
/// weight columns ordered (copy u, i), block diagonal (see CrossbarLayer).
/// Arrays are group major; `rowBegin`/`weightColBegin` index the matrix of
/// their own `group`.
struct Array {
  int64_t group = 0; // convolution group (0 for fully connected layers)
  int64_t rowTile = 0, colTile = 0;
  int64_t rowBegin = 0, rowCount = 0;       // logical rows [begin, begin+count)
  int64_t weightColBegin = 0, weightColCount = 0; // weight columns
  ArrayPlace place;
};

/// A block-circulant layer mapped onto crossbars.
///
/// Fully connected: y[b, o] = sum_i W[o, i] * x[b, i] + bias[o], o < m, i < n
/// with W cut into p x q circulant k x k blocks, W_ij[r][c] = w_ij[(c-r) mod k].
///
/// Convolution (NCHW): `groups` independent groups; per group m output and n
/// input channels (C_out = groups*m, C_in = groups*n). For every kernel
/// position (u, v) the m x n slice is block-circulant. After im2col the
/// group's matrix has kernelH*kernelW*q*k logical rows ordered (u, v, j, t)
/// (so a k-slice never straddles two arrays) and is mapped exactly like a
/// fully connected layer with q' = kernelH*kernelW*q input blocks. The
/// interpreter loops over output positions; nothing in the program depends on
/// the image size.
///
/// Mapping C(d) multiplies the logical rows and weight columns by d (one
/// block-diagonal copy each) and is only valid when one group fits in one
/// array (d * rows <= xbarRows, d * p * cellsPerWeight <= xbarCols).
struct CrossbarLayer {
  std::string name;
  LayerKind kind = LayerKind::FullyConnected;
  int64_t m = 0, n = 0;     // true output / input features (per group)
  int64_t k = 1;            // block size
  int64_t p = 0, q = 0;     // ceil(m/k), ceil(n/k)
  int64_t dup = 1;          // d: copies per block-row; divides k; E has d = k
  Mapping mapping = Mapping::A;
  // Convolution geometry (1 / 0 for fully connected layers).
  int64_t groups = 1;
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  bool sharedInput = false; // input tile sharing on
  int64_t rowsPerArray = 0;       // logical rows per array (multiple of k)
  int64_t weightColsPerArray = 0; // weight columns per array
  int64_t rowTiles = 0, colTiles = 0;
  float weightScale = 1.0f; // quantized weight = round(w / weightScale)
  /// 0: float weights, quantized to the chip's weight_bits with the derived
  /// weightScale. Otherwise the model's own integer weights (QDQ and
  /// QOperator models; the weight zero point already subtracted), programmed
  /// as they are in this many bits, so the layer has
  /// ceil(weightBits / cell_bits) cells per weight; weightScale is 1 and the
  /// model's scales are digital instructions after the layer.
  int64_t weightBits = 0;
  /// 0: the input is floats, quantized per vector (image) to the chip's
  /// input_bits with a dynamic scale. Otherwise the input is integers on the
  /// model's grid (QDQ and QOperator activation codes, zero point already
  /// subtracted), at most 2^(inputBits-1) - 1 in magnitude: driven as they
  /// are (input scale 1) over inputBits reads; the model's activation scale
  /// is a digital instruction after the layer.
  int64_t inputBits = 0;
  /// weight_scale_granularity = channel: groups*p scales, one per block-row
  /// (g, i) of outputs g*m + i*k ... + k-1 (per output channel at k = 1): a
  /// circulant block's defining vector feeds all k outputs of its block-row,
  /// so they share its scale. Each is max |w| over the block-row's weights /
  /// (2^(weight_bits-1) - 1), 1 for an all-zero block-row. Empty: weightScale
  /// for every weight.
  std::vector<float> channelScales;
  /// groups*p*(kernelH*kernelW*q)*k defining vectors, index
  /// ((g*p + i)*(kernelH*kernelW*q) + (u*kernelW + v)*q + j)*k + t
  /// (for fully connected layers: (i*q + j)*k + t).
  /// Read from a file, weights, bias and constants are views into it
  /// (support::FloatArray).
  support::FloatArray weights;
  support::FloatArray bias; // groups*m entries (zeros if the model has none)
  /// groups * rowTiles * colTiles entries: group major, then row-tile major.
  std::vector<Array> arrays;

  /// Logical rows of one group's matrix (before C(d) copies).
  int64_t logicalRows() const { return kernelH * kernelW * q * k; }
  /// The scale of unique weight `w` (its block-row's, or weightScale).
  float scaleOfWeight(size_t w) const {
    return channelScales.empty()
               ? weightScale
               : channelScales[w / static_cast<size_t>(logicalRows())];
  }
  /// The scale output `channel` (g*m + o) is rescaled by.
  float scaleOfOutput(int64_t channel) const {
    return channelScales.empty()
               ? weightScale
               : channelScales[channel / m * p + channel % m / k];
  }
};

/// The hardware as layer `L` uses it: `hw` with the layer's own weight bit
/// width (integer weights), which sets its cells per weight, the offset of
/// its weight encoding and the ADC resolution its columns need, and its own
/// input bit width (integer input), which sets its reads per vector.
inline model::HardwareDesc layerHardware(const CrossbarLayer &L,
                                         const model::HardwareDesc &hw) {
  model::HardwareDesc own = hw;
  if (L.weightBits > 0)
    own.weightBits = L.weightBits;
  if (L.inputBits > 0)
    own.inputBits = L.inputBits;
  return own;
}

/// The reads (input bits) one input vector of layer `L` takes.
inline int64_t layerInputBits(const CrossbarLayer &L,
                              const model::HardwareDesc &hw) {
  return L.inputBits > 0 ? L.inputBits : hw.inputBits;
}

/// ceil(weight bits / cell_bits) of layer `L` (layerHardware).
inline int64_t layerCellsPerWeight(const CrossbarLayer &L,
                                   const model::HardwareDesc &hw) {
  return support::ceilDiv(L.weightBits > 0 ? L.weightBits : hw.weightBits,
                          hw.cellBits);
}

enum class OpCode {
  Crossbar, // inputs: [x (batch, n)] or [x (batch, C, H, W)]; attr: layer index
  Relu,
  Sigmoid,
  Softmax,  // attr: axis (normalized, >= 0)
  Add,      // two operands, numpy broadcasting
  Mul,      // two operands, numpy broadcasting
  Reshape,  // attr: shape (may contain -1 for the batch dim only)
  Flatten,  // attr: axis
  Constant, // no inputs;                    attr: constant index
  Identity,
  MaxPool,           // NCHW; kernel, strides, pads, dilations, ceilMode
  AveragePool,       // NCHW; kernel, strides, pads, ceilMode, countIncludePad
  GlobalAveragePool, // NCHW -> N x C x 1 x 1
  Clip,              // alpha = min, beta = max
  LeakyRelu,         // alpha
  HardSigmoid,       // max(0, min(1, alpha*x + beta))
  HardSwish,         // x * max(0, min(1, x/6 + 1/2))
  PRelu,             // two operands: x, slope (broadcast to x)
  Concat,            // any number of operands; axis
  Pad,               // pads (begin..., end...), mode, alpha = constant value
  Transpose,         // perm
  // Elementwise math, comparisons and logic (float32; booleans are 0 / 1).
  Sqrt,
  Erf,
  Exp,
  Log,
  Neg,
  Abs,
  Tanh,
  Gelu,           // x / 2 * (1 + erf(x / sqrt(2)))
  GeluTanh,       // ONNX Gelu with approximate = "tanh"
  Not,            // 1 where x == 0, else 0
  Pow,            // two operands, numpy broadcasting (as are the next seven)
  Min,
  Max,
  Equal,
  Greater,
  GreaterOrEqual,
  And,            // 1 where both are non-zero
  Or,             // 1 where either is non-zero
  Where,          // three operands: condition (non-zero = true), x, y
  // Reductions over `axes` (sorted, distinct), which stay as dims of 1.
  ReduceMax,
  ReduceMin,
  ReduceSum,
  LogSoftmax, // axis, as Softmax
  Normalize,  // (x - mean) / sqrt(variance + alpha) over dims axis..rank-1
  Slice,      // dims axes[i] cut to [starts[i], ends[i]) (step 1)
  // Dims axes[i] resampled in turn: output o is the sum over t < taps[i] of
  // weights[e] * input[sources[e]], e = (axis i's table start) + o*taps[i] + t.
  Resize,
  // Two operands [..., M, K] x [..., K, N] -> [..., M, N], the batch dims
  // broadcast (ONNX MatMul of two run-time tensors, attention). `mode` is
  // "digital" (the digital units) or "reprogram" (the right operand written
  // into crossbar cells per inference); the values are the same.
  MatMul,
  // Recurrent cells: a loop over the time steps of x (T*B, G*H), the input
  // projection W x_t + Wb, that runs the crossbar layers `layers` (R h_{t-1}
  // + Rb) and the gates each step; the result is (T + 2, B, H) for lstm (Y,
  // then Y_h, then Y_c) and (T + 1, B, H) for gru (Y, then Y_h).
  Lstm, // x, h0, c0[, peepholes (3H)]; layers = {R}; reverse, alpha = clip
  Gru,  // x, h0; layers = {R} (linear_before_reset) or {R_zr, R_h}; with
        // mode "rnn" a simple RNN (ONNX RNN): x (T*B, H), layers = {R},
        // h = activation(x_t + R h + Rb)
  Round, // nearest integer, ties to even (ONNX QuantizeLinear)
  Div,   // two operands, numpy broadcasting (DynamicQuantizeLinear's x / scale)
  // A run-time condition (ONNX If): the `thenCount` instructions after it
  // run when its one-element operand is non-zero, else the `elseCount`
  // after those; the result is the condition. Each Phi after the branches
  // takes operands {the If's result, the then value, the else value} and
  // yields the value of the branch that ran. A branch with an error
  // (thenError, elseError) stops the run when taken.
  If,
  Phi,
  // ONNX Cast of run-time data: `mode` names the type (int8 ... uint64,
  // float16, bfloat16; support::CastType), the result is its value as a
  // float32 (support::castFloat). A result float32 cannot hold exactly
  // stops the run.
  Cast,
  // ONNX Gather, GatherElements and GatherND of run-time indices: operands
  // data and indices (integers carried as float32), `mode` "axis",
  // "elements" or "nd" (support::GatherKind), `axis` the axis (batch_dims
  // for nd). Negative indices count from the end; an index out of range
  // stops the run.
  Gather,
  Xor, // two operands, numpy broadcasting: 1 where exactly one is non-zero
  // An ONNX elementwise function (Softplus, Elu, ... IsInf): `mode` names
  // it (support::UnaryFunction), `alpha` and `beta` are its parameters.
  Unary,
  // Three operands a, b, c, numpy broadcasting: a * b + c rounded once to
  // float32 (std::fma), the fused multiply-add.
  Fma,
};

/// The last opcode, for loops over all of them.
constexpr OpCode kLastOpCode = OpCode::Fma;

struct Instruction {
  OpCode op;
  std::string name;            // source node / op name, for diagnostics
  std::vector<int> operands;   // value ids
  int result = -1;             // value id
  int64_t index = -1;          // Crossbar: layer index; Constant: constant id
  int64_t axis = 0;            // Softmax, LogSoftmax, Normalize, Flatten, Concat
  std::vector<int64_t> shape;  // Reshape target
  // Pooling: spatial kernel, strides, pads (top, left, bottom, right),
  // dilations.
  std::vector<int64_t> kernel, strides, pads, dilations;
  bool ceilMode = false;
  bool countIncludePad = false;
  float alpha = 0.0f, beta = 0.0f; // Clip, LeakyRelu, HardSigmoid, Pad value
  std::string mode; // Pad: "constant", "reflect" or "edge"; MatMul: "digital"
                    // or "reprogram"; Gru: "" or "rnn" (a simple RNN);
                    // Cast: the type; Gather: axis, elements or nd
  std::vector<int64_t> perm;       // Transpose; Pad uses `pads` (2 x rank)
  std::vector<int64_t> axes;       // ReduceMax, ReduceMin, ReduceSum, Slice
  std::vector<int64_t> starts, ends; // Slice
  // Resize (with `axes`): each axis's input and output size (the tables fix
  // them, while image values leave H and W open), taps and tables.
  std::vector<int64_t> from, to, taps, sources;
  std::vector<float> weights;
  // Lstm, Gru: the crossbar layers each time step runs, the direction
  // (`alpha` is the clip bound, 0 for none).
  std::vector<int64_t> layers;
  bool reverse = false;
  bool linearBeforeReset = false; // Gru
  // Gru with mode "rnn": the activation (an ONNX RNN activation name) and
  // its alpha and beta (0 where it takes none).
  std::string activation;
  float activationAlpha = 0.0f, activationBeta = 0.0f;
  // If: the instructions of each branch, which follow it in that order.
  int64_t thenCount = 0, elseCount = 0;
  // If: the error of a branch that cannot run for the compiled input
  // shapes (it has no instructions, and its phi operands are the other
  // branch's values); an inference that takes it stops with this error.
  std::string thenError, elseError;
};

struct Program {
  int version = kFormatVersion;
  model::HardwareDesc hw;
  /// The overflow policy the arrays were placed for (Array::place).
  model::OverflowPolicy overflow = model::OverflowPolicy::MultiChip;
  std::vector<Value> values;
  std::vector<int> inputs;   // value ids, in model input order
  std::vector<int> outputs;  // value ids, in model output order
  std::vector<Constant> constants;
  std::vector<CrossbarLayer> layers;
  std::vector<Instruction> instructions; // in execution order
};

const char *mappingName(Mapping mapping);
const char *opcodeName(OpCode op);

/// Operand count an opcode takes; -1 for "one or more" (concat).
int64_t operandCount(OpCode op);
/// "fc" or "conv" (the `kind=` field of a layer line).
const char *layerKindName(LayerKind kind);

/// Checks every internal reference and size of `program` (value ids,
/// layer geometry covering the logical matrix exactly once, weight counts).
/// Returns an empty string when valid, else one message naming the place.
std::string verify(const Program &program);

/// The scoping rules of If and Phi (verify() calls it after the
/// per-instruction checks): each If's branches lie inside the block holding
/// the If; a value defined in a branch is read only inside that branch, or
/// as the matching operand of a Phi of that If in the If's block; program
/// outputs are defined outside every branch. Returns "" or one message.
std::string verifyBranches(const Program &program);

/// Walks the instructions of one run: after an If, into the branch the
/// caller chose, past the other one.
class BranchCursor {
public:
  explicit BranchCursor(const Program &program) : program(program) {}
  /// The index of the instruction that runs after instruction `i`; an If at
  /// `i` continues into its then branch when `thenTaken`, else into its else
  /// branch. Returns the instruction count after the last one.
  size_t next(size_t i, bool thenTaken = true);

private:
  const Program &program;
  // For each then branch being run, innermost last: where it ends and where
  // its If's else branch (skipped) ends.
  std::vector<std::pair<size_t, size_t>> skips;
};

/// Checks the placement of every array against `program.hw` and
/// `program.overflow`: every array placed, in bounds (tile, IMA and crossbar
/// below the chip's counts; load 0 on chips, chip 0 when reprogrammed), no
/// two arrays of one load on the same crossbar, no IMA shared by two layers
/// (each layer owns whole IMAs, as the cost model assumes), and chips and
/// loads numbered densely from 0 (none left empty). Returns "" or one
/// message naming the layer and array. verify() does not call it: the
/// interpreter runs unplaced programs; the writer, the reader, the emitter
/// and the cost model do. The second form checks against `hw` instead of
/// program.hw (the cost model's description; its placement keys must agree).
std::string verifyPlacement(const Program &program);
std::string verifyPlacement(const Program &program,
                            const model::HardwareDesc &hw);

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_PROGRAM_H
