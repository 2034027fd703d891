//===- Program.cpp - The tile/crossbar program, in memory -----------------===//
//
// verify() is the single definition of a well-formed program: the writer
// refuses to write anything it rejects and the reader runs it last, so the
// interpreter may index without further checks.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Program.h"
#include "rebocc/Support/Circulant.h"

#include <algorithm>
#include <cmath>

namespace rebocc::program {

using circulant::ceilDiv;

const char *mappingName(Mapping mapping) {
  switch (mapping) {
  case Mapping::A: return "A";
  case Mapping::B: return "B";
  case Mapping::E: return "E";
  }
  return "?";
}

const char *opcodeName(OpCode op) {
  switch (op) {
  case OpCode::Crossbar: return "crossbar";
  case OpCode::Relu: return "relu";
  case OpCode::Sigmoid: return "sigmoid";
  case OpCode::Softmax: return "softmax";
  case OpCode::Add: return "add";
  case OpCode::Mul: return "mul";
  case OpCode::Reshape: return "reshape";
  case OpCode::Flatten: return "flatten";
  case OpCode::Constant: return "constant";
  case OpCode::Identity: return "identity";
  }
  return "?";
}

namespace {

std::string str(int64_t v) { return std::to_string(v); }

std::string layerPlace(const CrossbarLayer &layer, size_t index) {
  return "layer " + str(static_cast<int64_t>(index)) + " '" + layer.name + "'";
}

/// Product of dims with overflow check; -1 when it overflows 2^62.
int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count) ||
        count > (int64_t(1) << 62))
      return -1;
  return count;
}

std::string verifyLayer(const CrossbarLayer &L, const sim::HardwareDesc &hw) {
  auto expectEq = [](const char *what, int64_t got, int64_t want) {
    if (got == want)
      return std::string();
    return std::string(what) + " = " + str(got) + ", expected " + str(want);
  };
  // Bounding sizes by 2^40 keeps every product below int64 overflow.
  const int64_t limit = int64_t(1) << 40;
  if (L.m < 1 || L.n < 1 || L.m > limit || L.n > limit)
    return "m = " + str(L.m) + ", n = " + str(L.n) +
           " must be in [1, 2^40]";
  if (L.k < 1 || L.k > hw.xbarRows)
    return "block size k = " + str(L.k) + " must be in [1, xbar_rows = " +
           str(hw.xbarRows) + "]";
  std::string e;
  if (!(e = expectEq("p", L.p, ceilDiv(L.m, L.k))).empty() ||
      !(e = expectEq("q", L.q, ceilDiv(L.n, L.k))).empty())
    return e + " (ceil of m/k, n/k)";
  if (L.dup < 1 || L.k % L.dup != 0)
    return "duplication d = " + str(L.dup) + " must divide k = " + str(L.k);
  if (L.mapping == Mapping::A && L.dup != 1)
    return "mapping A requires d = 1, got " + str(L.dup);
  if (L.mapping == Mapping::E && L.dup != L.k)
    return "mapping E requires d = k = " + str(L.k) + ", got " + str(L.dup);
  if (!std::isfinite(L.weightScale) || !(L.weightScale > 0))
    return "weight scale must be finite and positive";

  int64_t pq, unique;
  if (__builtin_mul_overflow(L.p, L.q, &pq) ||
      __builtin_mul_overflow(pq, L.k, &unique) || unique > limit)
    return "p*q*k overflows";
  if (static_cast<int64_t>(L.weights.size()) != unique)
    return "has " + str(static_cast<int64_t>(L.weights.size())) +
           " weights, expected p*q*k = " + str(unique);
  if (static_cast<int64_t>(L.bias.size()) != L.m)
    return "has " + str(static_cast<int64_t>(L.bias.size())) +
           " bias entries, expected m = " + str(L.m);
  for (size_t w = 0; w < L.weights.size(); ++w)
    if (!std::isfinite(L.weights[w]))
      return "weight " + str(static_cast<int64_t>(w)) + " is not finite";

  int64_t cpw = hw.cellsPerWeight();
  if (cpw > hw.xbarCols)
    return "cells per weight exceed the crossbar columns";
  int64_t rpa = hw.xbarRows / L.k * L.k, wcpa = hw.xbarCols / cpw;
  int64_t rows = L.q * L.k, cols = L.p * L.dup;
  if (!(e = expectEq("rows_per_array", L.rowsPerArray, rpa)).empty() ||
      !(e = expectEq("weight_cols_per_array", L.weightColsPerArray, wcpa))
           .empty() ||
      !(e = expectEq("row_tiles", L.rowTiles, ceilDiv(rows, rpa))).empty() ||
      !(e = expectEq("col_tiles", L.colTiles, ceilDiv(cols, wcpa))).empty())
    return e + " (see planArrays)";
  int64_t arrays = L.rowTiles * L.colTiles; // both bounded by 2^40 / 1
  if (static_cast<int64_t>(L.arrays.size()) != arrays)
    return "has " + str(static_cast<int64_t>(L.arrays.size())) +
           " arrays, expected row_tiles*col_tiles = " + str(arrays);
  // Compare each array with what planArrays builds, without building it:
  // the arrays then cover the logical matrix exactly once.
  for (int64_t a = 0; a < arrays; ++a) {
    const Array &A = L.arrays[a];
    int64_t rt = a / L.colTiles, ct = a % L.colTiles;
    int64_t rb = rt * rpa, cb = ct * wcpa;
    if (A.rowTile != rt || A.colTile != ct || A.rowBegin != rb ||
        A.rowCount != std::min(rpa, rows - rb) || A.weightColBegin != cb ||
        A.weightColCount != std::min(wcpa, cols - cb))
      return "array " + str(a) + " does not match the planned layout (tile " +
             str(rt) + "," + str(ct) + ", rows " + str(rb) + "+" +
             str(std::min(rpa, rows - rb)) + ", weight columns " + str(cb) +
             "+" + str(std::min(wcpa, cols - cb)) + ")";
  }
  return "";
}

/// Operand count an opcode takes.
size_t arity(OpCode op) {
  switch (op) {
  case OpCode::Constant: return 0;
  case OpCode::Add:
  case OpCode::Mul: return 2;
  default: return 1;
  }
}

std::string verifyInstruction(const Program &P, const Instruction &I,
                              std::vector<char> &defined) {
  int64_t numValues = static_cast<int64_t>(P.values.size());
  if (I.operands.size() != arity(I.op))
    return "takes " + str(static_cast<int64_t>(arity(I.op))) +
           " operands, has " + str(static_cast<int64_t>(I.operands.size()));
  for (int v : I.operands) {
    if (v < 0 || v >= numValues)
      return "operand %" + str(v) + " out of range";
    if (!defined[v])
      return "operand %" + str(v) + " ('" + P.values[v].name +
             "') used before it is defined";
  }
  if (I.result < 0 || I.result >= numValues)
    return "result %" + str(I.result) + " out of range";
  if (defined[I.result])
    return "result %" + str(I.result) + " ('" + P.values[I.result].name +
           "') is defined twice";
  defined[I.result] = 1;

  switch (I.op) {
  case OpCode::Crossbar:
    if (I.index < 0 || I.index >= static_cast<int64_t>(P.layers.size()))
      return "layer index " + str(I.index) + " out of range";
    break;
  case OpCode::Constant:
    if (I.index < 0 || I.index >= static_cast<int64_t>(P.constants.size()))
      return "constant index " + str(I.index) + " out of range";
    break;
  case OpCode::Softmax:
  case OpCode::Flatten: {
    // Rank is static; only the batch size varies at run time.
    int64_t rank =
        static_cast<int64_t>(P.values[I.operands[0]].shape.size());
    int64_t maxAxis = I.op == OpCode::Softmax ? rank - 1 : rank;
    if (I.axis < 0 || I.axis > maxAxis)
      return "axis " + str(I.axis) + " out of range for rank " + str(rank);
    break;
  }
  case OpCode::Reshape: {
    int inferred = 0;
    for (int64_t dim : I.shape) {
      if (dim < -1)
        return "reshape target dimension " + str(dim) + " is invalid";
      inferred += dim == -1;
    }
    if (inferred > 1)
      return "reshape target has more than one -1";
    break;
  }
  default:
    break;
  }
  return "";
}

} // namespace

std::string verify(const Program &P) {
  if (P.version != kFormatVersion)
    return "version " + str(P.version) + " is not supported (expected " +
           str(kFormatVersion) + ")";
  std::string e = sim::validate(P.hw);
  if (!e.empty())
    return "hardware: " + e;

  int64_t numValues = static_cast<int64_t>(P.values.size());
  if (numValues > (int64_t(1) << 30))
    return "too many values";
  for (int64_t v = 0; v < numValues; ++v) {
    const Value &V = P.values[v];
    for (size_t d = 0; d < V.shape.size(); ++d)
      if (V.shape[d] < (d == 0 ? -1 : 0))
        return "value %" + str(v) + " ('" + V.name + "'): dimension " +
               str(V.shape[d]) + " at index " + str(static_cast<int64_t>(d)) +
               " is invalid (-1, the batch, is allowed first only)";
  }

  std::vector<char> defined(P.values.size(), 0);
  for (int v : P.inputs) {
    if (v < 0 || v >= numValues)
      return "input %" + str(v) + " out of range";
    if (defined[v])
      return "input %" + str(v) + " listed twice";
    defined[v] = 1;
  }
  for (int v : P.outputs)
    if (v < 0 || v >= numValues)
      return "output %" + str(v) + " out of range";

  for (size_t c = 0; c < P.constants.size(); ++c) {
    const Constant &C = P.constants[c];
    int64_t count = elementCount(C.shape);
    if (count < 0)
      return "constant #" + str(static_cast<int64_t>(c)) + " ('" + C.name +
             "'): invalid shape";
    if (count != static_cast<int64_t>(C.data.size()))
      return "constant #" + str(static_cast<int64_t>(c)) + " ('" + C.name +
             "'): shape has " + str(count) + " elements, data has " +
             str(static_cast<int64_t>(C.data.size()));
  }

  for (size_t l = 0; l < P.layers.size(); ++l) {
    e = verifyLayer(P.layers[l], P.hw);
    if (!e.empty())
      return layerPlace(P.layers[l], l) + ": " + e;
  }

  for (size_t i = 0; i < P.instructions.size(); ++i) {
    const Instruction &I = P.instructions[i];
    e = verifyInstruction(P, I, defined);
    if (!e.empty())
      return "instruction " + str(static_cast<int64_t>(i)) + " (" +
             opcodeName(I.op) + " '" + I.name + "'): " + e;
  }

  for (int v : P.outputs)
    if (!defined[v])
      return "output %" + str(v) + " ('" + P.values[v].name +
             "') is never defined";
  return "";
}

} // namespace rebocc::program
