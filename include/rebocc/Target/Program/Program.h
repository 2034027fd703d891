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

#include "rebocc/Sim/Hardware.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::program {

/// Current on-disk format version. Readers reject any other version.
constexpr int kFormatVersion = 1;

/// A value produced or consumed by an instruction. Dimension -1 is the
/// run-time batch size (only allowed as the leading dimension).
struct Value {
  std::string name;
  std::vector<int64_t> shape;
};

/// A float constant tensor (operands of Add/Mul, Reshape-free constants).
struct Constant {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Which mapping a crossbar layer uses (REBOC.md "Mappings").
enum class Mapping { A, B, E };

/// One crossbar array of a layer and the part of the layer's logical
/// crossbar matrix it holds.
///
/// The logical matrix of a layer has `q*k` rows, ordered (input block j,
/// offset t) so a k-slice never straddles two arrays, and `p*d` weight columns
/// ordered (block-row i, copy u); each weight column occupies
/// `cellsPerWeight` adjacent physical columns. Weight column (i, u) at logical
/// row (j, t) holds w_ij[(t - u) mod k].
struct Array {
  int64_t rowTile = 0, colTile = 0;
  int64_t rowBegin = 0, rowCount = 0;       // logical rows [begin, begin+count)
  int64_t weightColBegin = 0, weightColCount = 0; // weight columns
};

/// A block-circulant fully connected layer mapped onto crossbars.
///   y[b, o] = sum_i W[o, i] * x[b, i] + bias[o],  o < m, i < n
/// with W cut into p x q circulant k x k blocks, W_ij[r][c] = w_ij[(c-r) mod k].
struct CrossbarLayer {
  std::string name;
  int64_t m = 0, n = 0;     // true output / input features
  int64_t k = 1;            // block size
  int64_t p = 0, q = 0;     // ceil(m/k), ceil(n/k)
  int64_t dup = 1;          // d: copies per block-row; divides k; E has d = k
  Mapping mapping = Mapping::A;
  bool sharedInput = false; // input tile sharing on
  int64_t rowsPerArray = 0;       // logical rows per array (multiple of k)
  int64_t weightColsPerArray = 0; // weight columns per array
  int64_t rowTiles = 0, colTiles = 0;
  float weightScale = 1.0f; // quantized weight = round(w / weightScale)
  std::vector<float> weights; // p*q*k defining vectors, index (i*q + j)*k + t
  std::vector<float> bias;    // m entries (zeros if the model has none)
  std::vector<Array> arrays;  // rowTiles * colTiles entries, row-tile major
};

enum class OpCode {
  Crossbar, // inputs: [x (batch, n)]          attr: layer index
  Relu,
  Sigmoid,
  Softmax,  // attr: axis (normalized, >= 0)
  Add,      // two operands, numpy broadcasting
  Mul,      // two operands, numpy broadcasting
  Reshape,  // attr: shape (may contain -1 for the batch dim only)
  Flatten,  // attr: axis
  Constant, // no inputs;                    attr: constant index
  Identity,
};

struct Instruction {
  OpCode op;
  std::string name;            // source node / op name, for diagnostics
  std::vector<int> operands;   // value ids
  int result = -1;             // value id
  int64_t index = -1;          // Crossbar: layer index; Constant: constant id
  int64_t axis = 0;            // Softmax, Flatten
  std::vector<int64_t> shape;  // Reshape target
};

struct Program {
  int version = kFormatVersion;
  sim::HardwareDesc hw;
  std::vector<Value> values;
  std::vector<int> inputs;   // value ids, in model input order
  std::vector<int> outputs;  // value ids, in model output order
  std::vector<Constant> constants;
  std::vector<CrossbarLayer> layers;
  std::vector<Instruction> instructions; // in execution order
};

const char *mappingName(Mapping mapping);
const char *opcodeName(OpCode op);

/// Checks every internal reference and size of `program` (value ids,
/// layer geometry covering the logical matrix exactly once, weight counts).
/// Returns an empty string when valid, else one message naming the place.
std::string verify(const Program &program);

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_PROGRAM_H
