//===- ProgramReader.cpp - Program file reader ----------------------------===//
//
// readProgram(): the text section line by line, then the data section and
// its checksums, then verify(). ProgramFormat.h shows the layout of a file;
// ProgramFields.cpp holds the tokenizer and field accessors used here.
//
//===----------------------------------------------------------------------===//

#include "ProgramFormat.h"
#include "rebocc/Target/Program/ProgramIO.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/UnaryFunction.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/MemoryBudget.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdlib>

namespace rebocc::program {

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {

/// Order of sections; a line's keyword may not go back to an earlier one.
int keywordRank(const std::string &kw) {
  if (kw == "hw") return 1;
  if (kw == "value") return 2;
  if (kw == "inputs") return 3;
  if (kw == "outputs") return 4;
  if (kw == "constant") return 5;
  if (kw == "layer" || kw == "array") return 6;
  if (kw == "inst") return 7;
  if (kw == "data") return 8;
  return 0;
}

} // namespace

// Reader -------------------------------------------------------------------

bool Reader::parseHw() {
  if (F.positional.size() != 1)
    return fail("unexpected token '" + F.positional[1] + "'");
  // Unknown keys first: a misspelt key is reported as such (with the nearest
  // valid key), not as the valid key missing.
  for (const auto &kv : F.kv)
    if (!model::findHardwareField(kv.first))
      return fail("hardware: " + model::unknownHardwareKeyMessage(kv.first));
  model::HardwareDesc &hw = P.hw;
  for (const model::HardwareField *f = model::hardwareFieldsBegin();
       f != model::hardwareFieldsEnd(); ++f) {
    bool ok = true;
    switch (f->kind) {
    case model::HardwareField::String: ok = getString(f->key, hw.*(f->str)); break;
    case model::HardwareField::Int: ok = getIntOrAuto(*f, hw); break;
    case model::HardwareField::Real: ok = getDouble(f->key, hw.*(f->real)); break;
    }
    if (!ok)
      return false;
  }
  if (!finishFields())
    return false;
  std::string e = model::validate(hw);
  if (!e.empty())
    return fail("hardware: " + e);
  return true;
}

bool Reader::parseValue() {
  int64_t id;
  if (F.positional.size() != 2 || F.positional[1].empty() ||
      F.positional[1][0] != '%' || !parseInt64(F.positional[1].substr(1), id))
    return fail("expected 'value %<id> name=\"...\" shape=[...]'");
  if (id != static_cast<int64_t>(P.values.size()))
    return fail("value %" + std::to_string(id) + " out of order, expected %" +
                std::to_string(P.values.size()));
  Value v;
  if (!getString("name", v.name) || !getShape("shape", v.shape))
    return false;
  // Appended for inputs and outputs of a boolean, integer or half type
  // (version 8).
  if (hasField("dtype")) {
    const std::string *dtype = field("dtype");
    if (!support::valueTypeOnnx(*dtype))
      return fail("field 'dtype': expected bool, int8, uint8, int16, uint16, "
                  "int32, uint32, int64, uint64, float16, bfloat16 or "
                  "float64, got '" +
                  *dtype + "'");
    v.dtype = *dtype;
  }
  // A graph input's shape as declared at compile time (version 10);
  // verify() checks it against `shape` and the inputs line.
  if (hasField("declared") && !getShape("declared", v.declared.emplace()))
    return false;
  if (!finishFields())
    return false;
  P.values.push_back(std::move(v));
  return true;
}

bool Reader::parseValueList(std::vector<int> &ids, const char *what) {
  for (size_t i = 1; i < F.positional.size(); ++i) {
    const std::string &t = F.positional[i];
    int64_t id;
    if (t.empty() || t[0] != '%' || !parseInt64(t.substr(1), id) || id < 0 ||
        id >= static_cast<int64_t>(P.values.size()))
      return fail(std::string(what) + ": '" + t + "' is not a value id (%0..%" +
                  std::to_string(P.values.size()) + ")");
    ids.push_back(static_cast<int>(id));
  }
  return finishFields();
}

bool Reader::parseConstant() {
  int64_t id;
  if (F.positional.size() != 2 || F.positional[1].empty() ||
      F.positional[1][0] != '#' || !parseInt64(F.positional[1].substr(1), id))
    return fail("expected 'constant #<id> ...'");
  if (id != static_cast<int64_t>(P.constants.size()))
    return fail("constant #" + std::to_string(id) + " out of order, expected #" +
                std::to_string(P.constants.size()));
  Constant c;
  int64_t elements;
  uint64_t seal;
  if (!getString("name", c.name) || !getShape("shape", c.shape) ||
      !getInt("elements", elements) || !getHex("seal", seal))
    return false;
  uint64_t count = 1;
  for (int64_t dim : c.shape) {
    if (dim < 0 || (dim && count > (uint64_t(1) << 40) / uint64_t(dim)))
      return fail("constant shape " + fmtShape(c.shape) + " is invalid");
    count *= uint64_t(dim);
  }
  if (static_cast<uint64_t>(elements) != count)
    return fail("elements=" + std::to_string(elements) + " but shape " +
                fmtShape(c.shape) + " has " + std::to_string(count));
  // min/max are a summary for people; they must parse but are not data.
  float ignored;
  if (count > 0 && (!getFloat("min", ignored) || !getFloat("max", ignored)))
    return false;
  if (!getDataRef("data", count, RefKind::Constant, P.constants.size(), seal) ||
      !finishFields())
    return false;
  P.constants.push_back(std::move(c));
  return true;
}

bool Reader::checkArraysComplete() {
  if (P.layers.empty())
    return true;
  const CrossbarLayer &L = P.layers.back();
  if (static_cast<int64_t>(L.arrays.size()) != declaredArrays)
    return fail("layer @" + std::to_string(P.layers.size() - 1) + " declares " +
                std::to_string(declaredArrays) + " arrays but " +
                std::to_string(L.arrays.size()) + " follow it");
  return true;
}

bool Reader::parseLayer() {
  int64_t id;
  if (F.positional.size() != 2 || F.positional[1].empty() ||
      F.positional[1][0] != '@' || !parseInt64(F.positional[1].substr(1), id))
    return fail("expected 'layer @<id> ...'");
  if (id != static_cast<int64_t>(P.layers.size()))
    return fail("layer @" + std::to_string(id) + " out of order, expected @" +
                std::to_string(P.layers.size()));
  CrossbarLayer L;
  std::string mapping;
  int64_t shared;
  uint64_t weightsSeal, biasSeal;
  if (!getString("name", L.name) || !getInt("m", L.m) || !getInt("n", L.n) ||
      !getInt("k", L.k) || !getInt("p", L.p) || !getInt("q", L.q) ||
      !getInt("d", L.dup))
    return false;
  const std::string *m = field("mapping");
  if (!m)
    return false;
  if (*m == "A")
    L.mapping = Mapping::A;
  else if (*m == "B")
    L.mapping = Mapping::B;
  else if (*m == "C")
    L.mapping = Mapping::C;
  else if (*m == "E")
    L.mapping = Mapping::E;
  else
    return fail("field 'mapping': expected A, B, C or E, got '" + *m + "'");
  if (!getInt("shared", shared))
    return false;
  if (shared != 0 && shared != 1)
    return fail("field 'shared': expected 0 or 1");
  L.sharedInput = shared == 1;
  if (!getInt("rows_per_array", L.rowsPerArray) ||
      !getInt("weight_cols_per_array", L.weightColsPerArray) ||
      !getInt("row_tiles", L.rowTiles) || !getInt("col_tiles", L.colTiles) ||
      !getFloat("weight_scale", L.weightScale) ||
      !getInt("arrays", declaredArrays))
    return false;
  const std::string *kind = field("kind");
  if (!kind)
    return false;
  if (*kind == "fc")
    L.kind = LayerKind::FullyConnected;
  else if (*kind == "conv")
    L.kind = LayerKind::Convolution;
  else
    return fail("field 'kind': expected fc or conv, got '" + *kind + "'");
  std::vector<int64_t> pads;
  if (!getInt("groups", L.groups) || !getPair("kernel", L.kernelH, L.kernelW) ||
      !getPair("stride", L.strideH, L.strideW) ||
      !getPair("dilation", L.dilationH, L.dilationW) ||
      !getList("pads", ',', pads) || !getHex("weights_seal", weightsSeal) ||
      !getHex("bias_seal", biasSeal))
    return false;
  // Appended for integer weights (QDQ and QOperator models); absent is 0.
  if (hasField("weight_bits") && !getInt("weight_bits", L.weightBits))
    return false;
  // Appended for integer input (the model's activation codes); absent is 0.
  if (hasField("input_bits") && !getInt("input_bits", L.inputBits))
    return false;
  if (pads.size() != 4)
    return fail("field 'pads': expected TOP,LEFT,BOTTOM,RIGHT");
  L.padTop = pads[0];
  L.padLeft = pads[1];
  L.padBottom = pads[2];
  L.padRight = pads[3];
  // Element counts from the header fields, overflow-checked; the data
  // references must match them exactly.
  const int64_t limit = int64_t(1) << 40, geomLimit = int64_t(1) << 20;
  int64_t unique, biasCount;
  if (L.m < 1 || L.m > limit || L.n < 1 || L.n > limit || L.p < 1 ||
      L.p > limit || L.q < 1 || L.q > limit || L.k < 1 || L.k > limit ||
      L.groups < 1 || L.groups > limit || L.kernelH < 1 ||
      L.kernelH > geomLimit || L.kernelW < 1 || L.kernelW > geomLimit ||
      __builtin_mul_overflow(L.groups, L.p, &unique) ||
      __builtin_mul_overflow(unique, L.kernelH * L.kernelW, &unique) ||
      __builtin_mul_overflow(unique, L.q, &unique) ||
      __builtin_mul_overflow(unique, L.k, &unique) || unique > limit ||
      __builtin_mul_overflow(L.groups, L.m, &biasCount) || biasCount > limit)
    return fail("layer sizes m, n, k, p, q, groups must be in [1, 2^40], "
                "kernel sides in [1, 2^20], with groups*p*kernelH*kernelW*q*k "
                "and groups*m <= 2^40");
  if (declaredArrays < 0)
    return fail("field 'arrays' must not be negative");
  if (!getDataRef("weights", static_cast<uint64_t>(unique), RefKind::Weights,
                  P.layers.size(), weightsSeal) ||
      !getDataRef("bias", static_cast<uint64_t>(biasCount), RefKind::Bias,
                  P.layers.size(), biasSeal) ||
      (hasField("channel_scales") &&
       !getFloatList("channel_scales", L.channelScales)) ||
      !finishFields())
    return false;
  P.layers.push_back(std::move(L));
  return true;
}

bool Reader::parseArray() {
  if (P.layers.empty())
    return fail("'array' line before any 'layer' line");
  CrossbarLayer &L = P.layers.back();
  std::string expected = "@" + std::to_string(P.layers.size() - 1) + "." +
                         std::to_string(L.arrays.size());
  if (F.positional.size() != 2 || F.positional[1] != expected)
    return fail("expected 'array " + expected + " ...'");
  if (static_cast<int64_t>(L.arrays.size()) >= declaredArrays)
    return fail("more arrays than the layer's arrays=" +
                std::to_string(declaredArrays));
  Array A;
  auto range = [&](const char *key, int64_t &begin, int64_t &count) {
    const std::string *v = field(key);
    if (!v)
      return false;
    size_t plus = v->find('+');
    if (plus == std::string::npos || !parseInt64(v->substr(0, plus), begin) ||
        !parseInt64(v->substr(plus + 1), count))
      return fail(std::string("field '") + key +
                  "': expected BEGIN+COUNT, got '" + *v + "'");
    return true;
  };
  ArrayPlace &at = A.place;
  if (!getInt("row_tile", A.rowTile) || !getInt("col_tile", A.colTile) ||
      !range("rows", A.rowBegin, A.rowCount) ||
      !range("weight_cols", A.weightColBegin, A.weightColCount) ||
      !getInt("group", A.group) || !getInt("chip", at.chip) ||
      !getInt("load", at.load) || !getInt("tile", at.tile) ||
      !getInt("ima", at.ima) || !getInt("xbar", at.xbar) || !finishFields())
    return false;
  L.arrays.push_back(A);
  return true;
}

bool Reader::parseInst() {
  const std::vector<std::string> pos = F.positional;
  if (pos.size() < 4 || pos[2] != "=")
    return fail("expected 'inst %<result> = <op> <operands...> ...'");
  Instruction I;
  I.op = OpCode::Identity;
  bool known = false;
  for (int op = 0; op <= static_cast<int>(kLastOpCode); ++op)
    if (pos[3] == opcodeName(static_cast<OpCode>(op))) {
      I.op = static_cast<OpCode>(op);
      known = true;
    }
  if (!known)
    return fail("unknown instruction '" + pos[3] + "'");
  std::vector<int> ids;
  Fields saved = F;
  // Result and operands share the value-id syntax.
  F.positional = {pos[0], pos[1]};
  for (size_t i = 4; i < saved.positional.size(); ++i)
    F.positional.push_back(saved.positional[i]);
  F.kv.clear();
  F.used.clear();
  if (!parseValueList(ids, "inst"))
    return false;
  F = saved;
  I.result = ids[0];
  I.operands.assign(ids.begin() + 1, ids.end());
  switch (I.op) {
  case OpCode::Crossbar:
    if (!getRef("layer", '@', I.index))
      return false;
    break;
  case OpCode::Constant:
    if (!getRef("constant", '#', I.index))
      return false;
    break;
  case OpCode::Softmax:
  case OpCode::LogSoftmax:
  case OpCode::Flatten:
    if (!getInt("axis", I.axis))
      return false;
    break;
  case OpCode::Normalize:
    if (!getInt("axis", I.axis) || !getFloat("epsilon", I.alpha))
      return false;
    break;
  case OpCode::ReduceMax:
  case OpCode::ReduceMin:
  case OpCode::ReduceSum:
    if (!getList("axes", ',', I.axes))
      return false;
    break;
  case OpCode::Resize:
    if (!getList("axes", ',', I.axes) || !getList("from", ',', I.from) ||
        !getList("to", ',', I.to) || !getList("taps", ',', I.taps) ||
        !getList("sources", ',', I.sources) ||
        !getFloatList("weights", I.weights))
      return false;
    break;
  case OpCode::Lstm:
  case OpCode::Gru:
    if (!getList("layers", ',', I.layers) || !getBool("reverse", I.reverse) ||
        !getFloat("clip", I.alpha) ||
        (I.op == OpCode::Gru &&
         !getBool("linear_before_reset", I.linearBeforeReset)))
      return false;
    if (I.op == OpCode::Gru && hasField("cell")) {
      const std::string *cell = field("cell"), *activation;
      if (!cell || !(activation = field("activation")) ||
          !getFloat("activation_alpha", I.activationAlpha) ||
          !getFloat("activation_beta", I.activationBeta))
        return false;
      if (*cell != "rnn")
        return fail("field 'cell': expected rnn, got '" + *cell + "'");
      I.mode = *cell;
      I.activation = *activation;
    }
    break;
  case OpCode::If:
    if (!getInt("then", I.thenCount) || !getInt("else", I.elseCount) ||
        (hasField("then_error") && !getString("then_error", I.thenError)) ||
        (hasField("else_error") && !getString("else_error", I.elseError)))
      return false;
    break;
  case OpCode::Slice:
    if (!getList("axes", ',', I.axes) || !getList("starts", ',', I.starts) ||
        !getList("ends", ',', I.ends))
      return false;
    break;
  case OpCode::Reshape:
    if (!getShape("shape", I.shape))
      return false;
    break;
  case OpCode::Concat:
    if (!getInt("axis", I.axis))
      return false;
    break;
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    if (!getList("kernel", 'x', I.kernel) ||
        !getList("strides", 'x', I.strides) || !getList("pads", ',', I.pads) ||
        !getList("dilations", 'x', I.dilations) ||
        !getBool("ceil", I.ceilMode) ||
        (I.op == OpCode::AveragePool &&
         !getBool("count_include_pad", I.countIncludePad)))
      return false;
    break;
  case OpCode::Clip:
    if (!getFloat("min", I.alpha) || !getFloat("max", I.beta))
      return false;
    if (hasField("nan")) {
      const std::string *nan = field("nan");
      if (!nan)
        return false;
      if (*nan != "min")
        return fail("field 'nan': expected min, got '" + *nan + "'");
      I.mode = "nan_to_min";
    }
    break;
  case OpCode::LeakyRelu:
    if (!getFloat("alpha", I.alpha))
      return false;
    break;
  case OpCode::HardSigmoid:
    if (!getFloat("alpha", I.alpha) || !getFloat("beta", I.beta))
      return false;
    break;
  case OpCode::Pad: {
    const std::string *mode;
    if (!getList("pads", ',', I.pads) || !(mode = field("mode")) ||
        !getFloat("value", I.alpha))
      return false;
    if (*mode != "constant" && *mode != "reflect" && *mode != "edge")
      return fail("field 'mode': expected constant, reflect or edge, got '" +
                  *mode + "'");
    I.mode = *mode;
    break;
  }
  case OpCode::Transpose:
    if (!getList("perm", ',', I.perm))
      return false;
    break;
  case OpCode::Cast: {
    const std::string *to = field("to");
    if (!to)
      return false;
    if (!support::castTypeNamed(*to))
      return fail("field 'to': expected int8, uint8, int16, uint16, int32, "
                  "uint32, int64, uint64, float16 or bfloat16, got '" +
                  *to + "'");
    I.mode = *to;
    break;
  }
  case OpCode::Gather: {
    const std::string *mode = field("mode");
    if (!mode || !getInt("axis", I.axis))
      return false;
    if (!support::gatherKindNamed(*mode))
      return fail("field 'mode': expected axis, elements or nd, got '" +
                  *mode + "'");
    I.mode = *mode;
    break;
  }
  case OpCode::Unary: {
    const std::string *function = field("function");
    if (!function || !getFloat("alpha", I.alpha) || !getFloat("beta", I.beta))
      return false;
    if (!support::findUnaryFunction(*function))
      return fail("field 'function': expected softplus, elu, selu, celu, "
                  "softsign, thresholded_relu, mish, shrink, floor, ceil, "
                  "sin, cos, sign, is_nan or is_inf, got '" + *function + "'");
    I.mode = *function;
    break;
  }
  case OpCode::MatMul: {
    const std::string *mode = field("mode");
    if (!mode)
      return false;
    if (*mode != "digital" && *mode != "reprogram")
      return fail("field 'mode': expected digital or reprogram, got '" +
                  *mode + "'");
    I.mode = *mode;
    break;
  }
  default:
    break;
  }
  if (!getString("name", I.name) || !finishFields())
    return false;
  P.instructions.push_back(std::move(I));
  return true;
}

bool Reader::parseLine(const std::string &text) {
  if (!tokenize(text))
    return false;
  if (F.positional.empty())
    return fail("expected a keyword");
  const std::string &kw = F.positional[0];
  int rank = keywordRank(kw);
  if (rank == 0)
    return fail("unknown line keyword '" + kw + "'");
  if (rank < phase || (rank == phase && (kw == "hw" || kw == "inputs" ||
                                         kw == "outputs")))
    return fail("'" + kw + "' line out of order (sections are hw, value, "
                "inputs, outputs, constant, layer/array, inst, data)");
  if (rank > 1 && !haveHw)
    return fail("missing 'hw' line before '" + kw + "'");
  if (rank > 3 && !haveInputs)
    return fail("missing 'inputs' line before '" + kw + "'");
  if (rank > 4 && !haveOutputs)
    return fail("missing 'outputs' line before '" + kw + "'");
  if ((kw == "layer" || rank > 6) && !checkArraysComplete())
    return false;
  phase = rank;
  if (kw == "data")
    return true; // the caller reads the data section
  if (kw == "hw")
    return haveHw = true, parseHw();
  if (kw == "value")
    return parseValue();
  if (kw == "inputs")
    return haveInputs = true, parseValueList(P.inputs, "inputs");
  if (kw == "outputs")
    return haveOutputs = true, parseValueList(P.outputs, "outputs");
  if (kw == "constant")
    return parseConstant();
  if (kw == "layer")
    return parseLayer();
  if (kw == "array")
    return parseArray();
  return parseInst();
}

support::FloatArray Reader::decodeRef(const char *at, size_t count) const {
  if (keepBytes && hostIsLittleEndian())
    return support::FloatArray::viewOf(at, count, keepBytes);
  std::vector<float> values(count);
  decodeFloatsLE(at, count, values.data());
  return values;
}

uint64_t Reader::sealData(const char *data, uint64_t size,
                          std::vector<uint64_t> &refSeals) const {
  // The writer lays the references end to end over the whole section, in
  // the order of the text. Then each piece is sealed for its reference and
  // for the section while it is in the cache: one pass over the data instead
  // of two. Any other layout is sealed as a whole, and each reference later.
  uint64_t end = 0;
  for (const PendingRef &ref : refs) {
    if (ref.offset != end)
      return seal64(data, size);
    end += ref.size;
  }
  if (end != size)
    return seal64(data, size);
  constexpr uint64_t kPiece = uint64_t(1) << 16;
  Seal64 whole;
  for (const PendingRef &ref : refs) {
    Seal64 one;
    for (uint64_t at = ref.offset, stop = ref.offset + ref.size; at < stop;
         at += kPiece) {
      const size_t n = static_cast<size_t>(std::min(kPiece, stop - at));
      one.update(data + at, n);
      whole.update(data + at, n);
    }
    refSeals.push_back(one.digest());
  }
  return whole.digest();
}

bool Reader::readData(uint64_t dataStart) {
  int64_t n;
  if (F.positional.size() != 2 || !F.kv.empty() ||
      !parseInt64(F.positional[1], n) || n < 0)
    return fail("expected 'data <nbytes>'");
  uint64_t size = static_cast<uint64_t>(n);
  uint64_t available = bytes.size() - dataStart;
  if (available < 8 || size > available - 8)
    return failAt(bytes.size(),
                  "file truncated: the data section needs " +
                      std::to_string(size) +
                      " bytes plus an 8-byte checksum, " +
                      std::to_string(available) + " bytes follow 'data'");
  if (size < available - 8)
    return failAt(dataStart + size + 8,
                  std::to_string(available - 8 - size) +
                      " unexpected bytes after the checksum");
  const char *data = bytes.data() + dataStart;
  uint64_t stored = 0;
  for (int b = 0; b < 8; ++b)
    stored |= uint64_t(static_cast<unsigned char>(data[size + b])) << (8 * b);
  std::vector<uint64_t> refSeals;
  if (stored != sealData(data, size, refSeals))
    return failAt(dataStart + size,
                  "data section checksum mismatch (file is corrupt)");

  for (const PendingRef &ref : refs) {
    lineNo = ref.line;
    if (ref.offset > size || ref.size > size - ref.offset)
      return fail(std::string("field '") + ref.key + "': bytes " +
                  fmtRange(ref.offset, ref.size) + " lie outside the " +
                  std::to_string(size) + "-byte data section");
    support::FloatArray *target;
    switch (ref.kind) {
    case RefKind::Constant: target = &P.constants[ref.index].data; break;
    case RefKind::Weights: target = &P.layers[ref.index].weights; break;
    default: target = &P.layers[ref.index].bias; break;
    }
    // The seal is over the stored little-endian bytes, so it is checked
    // before anything reads them as values.
    if ((refSeals.empty() ? seal64(data + ref.offset, ref.size)
                          : refSeals[&ref - refs.data()]) != ref.seal)
      return fail(std::string("field '") + ref.key +
                  "': checksum of the referenced data does not match");
    *target = decodeRef(data + ref.offset, ref.size / 4);
  }
  return true;
}

/// Line 1: magic, version, the overflow policy the arrays are placed for,
/// and the checksum of every byte after the line. Only the canonical
/// spelling is accepted, so no changed byte of the line goes unnoticed.
bool Reader::parseHeader(const std::string &text, size_t bodyStart) {
  std::string magic = std::string(kMagic) + " ";
  std::string rest = text.substr(magic.size());
  int64_t version;
  if (!parseInt64(rest.substr(0, rest.find(' ')), version))
    return fail("malformed header line '" + text + "'");
  if (version != kFormatVersion)
    return fail("format version " + std::to_string(version) +
                " is not supported (this reader reads version " +
                std::to_string(kFormatVersion) + ")");
  P.version = kFormatVersion;
  const std::string overflowKey = " overflow=", checksumKey = " checksum=";
  size_t o = text.find(overflowKey), c = text.find(checksumKey);
  uint64_t stored = 0;
  bool ok = o != std::string::npos && c != std::string::npos && o < c &&
            model::parseOverflowPolicy(
                text.substr(o + overflowKey.size(),
                            c - o - overflowKey.size()),
                P.overflow);
  std::string hex = ok ? text.substr(c + checksumKey.size()) : "";
  ok = ok && hex.size() == 18 && hex.compare(0, 2, "0x") == 0 &&
       hex.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
  if (ok)
    stored = std::strtoull(hex.c_str() + 2, nullptr, 16);
  if (!ok || text != fmtHeader(P) + checksumKey + fmtHex(stored))
    return fail("malformed header line '" + text + "' (expected '" + magic +
                std::to_string(kFormatVersion) +
                " overflow=chips|reprogram checksum=0x<16 hex digits>')");
  if (stored != seal64(bytes.data() + bodyStart, bytes.size() - bodyStart))
    return fail("checksum mismatch: the bytes after line 1 are not the ones "
                "it was written with (the file is corrupt or truncated, or "
                "was edited; emit it again with rebocc)");
  return true;
}

bool Reader::read() {
  P = Program();
  // Magic first, so an unrelated file gets a plain answer.
  std::string magic = std::string(kMagic) + " ";
  lineNo = 1;
  if (!bytes.starts_with(magic))
    return fail("not a rebocc program (expected '" + magic + "<version>')");
  size_t pos = 0;
  while (true) {
    size_t eol = bytes.find('\n', pos);
    if (eol == llvm::StringRef::npos)
      return fail(pos == bytes.size()
                      ? "file ends before the 'data' line (truncated?)"
                      : "unterminated line (file truncated?)");
    for (size_t i = pos; i < eol; ++i) {
      unsigned char c = static_cast<unsigned char>(bytes[i]);
      if (c < 0x20 || c >= 0x7f)
        return fail("byte " + std::to_string(c) + " at offset " +
                    std::to_string(i) +
                    " is not printable ASCII (text section)");
    }
    std::string text = bytes.substr(pos, eol - pos).str();
    pos = eol + 1;
    if (lineNo == 1) {
      if (!parseHeader(text, pos))
        return false;
    } else if (!text.empty() && text[0] != '#') {
      if (!parseLine(text))
        return false;
      if (F.positional[0] == "data") {
        if (!readData(pos))
          return false;
        break;
      }
    }
    ++lineNo;
  }
  std::string e = verify(P);
  if (!e.empty()) {
    error = file + ": invalid program: " + e;
    return false;
  }
  e = verifyPlacement(P);
  if (!e.empty()) {
    error = file + ": invalid placement: " + e;
    return false;
  }
  return true;
}

bool readProgram(llvm::StringRef bytes, const std::string &fileName,
                 Program &program, std::string &error) {
  Reader reader(bytes, fileName, program, error, /*keepBytes=*/nullptr);
  if (reader.read())
    return true;
  program = Program();
  return false;
}

bool readProgramFile(const std::string &path, Program &program,
                     std::string &error) {
  // Its floats are decoded into memory.
  if (!checkFileFitsMemory(path, error))
    return false;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file) {
    error = path + ": cannot open: " + file.getError().message();
    return false;
  }
  // The program's weights, biases and constants stay in the buffer (a
  // mapping of the file's page-cache pages), which they keep alive.
  std::shared_ptr<const llvm::MemoryBuffer> buffer = std::move(*file);
  Reader reader(buffer->getBuffer(), path, program, error, buffer);
  if (reader.read())
    return true;
  program = Program();
  return false;
}

} // namespace rebocc::program
