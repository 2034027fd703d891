//===- ImportRecurrent.cpp - ONNX LSTM, GRU and RNN -----------------------===//
//
// Per direction, the input projection W x_t + Wb of every time step is one
// crossbar layer over the whole sequence (T*B rows), and the recurrent
// weights R (bias Rb) are crossbar layers that a circulant.lstm,
// circulant.gru or circulant.rnn runs once per time step in a loop: the
// program does not grow with the sequence length. Both are ordinary
// circulant.fc ops, so block-circulant weights (C-LSTM) are detected and
// mapped like any other.
// The cell's packed result (Y, Y_h[, Y_c]) is sliced into ONNX's outputs.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Support/RnnActivation.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

namespace {
/// An RNN activation of one direction, its parameters filled in.
struct Activation {
  std::string name;
  float alpha = 0, beta = 0;
};

/// What one LSTM, GRU or RNN node asks for, read and checked once.
struct Recurrent {
  bool lstm = true;
  bool simple = false; // ONNX RNN: one gate, activations per direction
  SmallVector<Activation, 2> activations;
  int64_t gates = 4, steps = 0, batch = 0, inputSize = 0, hidden = 0;
  int64_t directions = 1;
  bool bidirectional = false, reverse = false, linearBeforeReset = false;
  bool batchFirst = false; // layout = 1: X, Y, the states batch first
  float clip = 0;
  const ConstTensor *w = nullptr, *r = nullptr, *b = nullptr, *p = nullptr;
};

/// Rows [begin, begin + rows) of direction d of a (D, G*H, cols) weight.
std::vector<float> weightRows(const ConstTensor &t, int64_t d, int64_t begin,
                              int64_t rows) {
  int64_t cols = t.shape[2];
  int64_t first = (d * t.shape[1] + begin) * cols;
  std::vector<float> out(rows * cols);
  for (int64_t e = 0; e < rows * cols; ++e)
    out[e] = static_cast<float>(t.data[first + e]);
  return out;
}

/// Entries [begin, begin + count) of row d of a (D, width) tensor (zeros
/// when it is absent).
std::vector<float> rowPart(const ConstTensor *t, int64_t d, int64_t begin,
                           int64_t count) {
  std::vector<float> out(count, 0.0f);
  if (t)
    for (int64_t e = 0; e < count; ++e)
      out[e] = static_cast<float>(t->data[d * t->shape[1] + begin + e]);
  return out;
}
} // namespace

/// RNN's `activations` (one per direction, default Tanh) with their alpha
/// and beta: each function that takes a parameter consumes the next value
/// of activation_alpha / activation_beta (as onnxruntime does), else its
/// default; a disputed default (RnnActivation::settled) must be given.
static bool readActivations(const onnx::NodeProto &node, Recurrent &rnn,
                            std::string &problem) {
  std::vector<std::string> names(rnn.directions, "Tanh");
  if (auto *acts = findAttr(node, "activations")) {
    if (acts->strings_size() != rnn.directions)
      return problem = "activations must name " +
                       std::to_string(rnn.directions) +
                       " function(s), one per direction, not " +
                       std::to_string(acts->strings_size()), false;
    for (int i = 0; i < acts->strings_size(); ++i)
      names[i] = acts->strings(i);
  }
  auto floats = [&](const char *name) {
    std::vector<float> out;
    if (auto *a = findAttr(node, name))
      out.assign(a->floats().begin(), a->floats().end());
    return out;
  };
  std::vector<float> alphas = floats("activation_alpha"),
                     betas = floats("activation_beta");
  size_t nextAlpha = 0, nextBeta = 0;
  for (const std::string &name : names) {
    const support::RnnActivation *f = support::findRnnActivation(name);
    if (!f)
      return problem = "activation '" + name + "' is not one of Tanh, Relu, "
                       "Sigmoid, Affine, LeakyRelu, ThresholdedRelu, "
                       "ScaledTanh, HardSigmoid, Elu, Softsign, Softplus",
             false;
    Activation a{name, f->alpha, f->beta};
    bool missing = false;
    if (f->takesAlpha) {
      if (nextAlpha < alphas.size())
        a.alpha = alphas[nextAlpha++];
      else
        missing = true;
    }
    if (f->takesBeta) {
      if (nextBeta < betas.size())
        a.beta = betas[nextBeta++];
      else
        missing = true;
    }
    if (missing && !f->settled)
      return problem = "activation " + name + " needs its activation_alpha" +
                       (f->takesBeta ? " and activation_beta" : "") +
                       " (ONNX's and onnxruntime's defaults differ)",
             false;
    rnn.activations.push_back(a);
  }
  if (nextAlpha < alphas.size() || nextBeta < betas.size())
    return problem = "activation_alpha / activation_beta have more values "
                     "than the activations take",
           false;
  return true;
}

/// Reads the attributes and constant inputs of an LSTM, GRU or RNN node
/// into `rnn`, failing on the forms that are not supported.
static bool readRecurrent(const onnx::NodeProto &node,
                          ArrayRef<int64_t> x, Recurrent &rnn,
                          std::string &problem) {
  rnn.lstm = node.op_type() == "LSTM";
  rnn.simple = node.op_type() == "RNN";
  rnn.gates = rnn.lstm ? 4 : rnn.simple ? 1 : 3;
  std::string direction = getString(node, "direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return problem = "direction '" + direction + "' is not forward, reverse "
                     "or bidirectional", false;
  rnn.bidirectional = direction == "bidirectional";
  rnn.reverse = direction == "reverse";
  rnn.directions = rnn.bidirectional ? 2 : 1;
  rnn.batchFirst = getInt(node, "layout", 0) != 0;
  if (rnn.simple) {
    if (!readActivations(node, rnn, problem))
      return false;
  } else if (findAttr(node, "activation_alpha") ||
             findAttr(node, "activation_beta"))
    return problem = "activation_alpha / activation_beta are not supported "
                     "(only the default activations are)", false;
  if (auto *acts = findAttr(node, "activations"); acts && !rnn.simple) {
    std::vector<std::string> defaults = {"Sigmoid", "Tanh"};
    if (rnn.lstm)
      defaults.push_back("Tanh");
    for (int i = 0; i < acts->strings_size(); ++i)
      if (acts->strings_size() != (int)defaults.size() * rnn.directions ||
          acts->strings(i) != defaults[i % defaults.size()])
        return problem = "activations other than the defaults (Sigmoid, Tanh" +
                         std::string(rnn.lstm ? ", Tanh" : "") +
                         " per direction) are not supported", false;
  }
  if (rnn.lstm && getInt(node, "input_forget", 0) != 0)
    return problem = "input_forget = 1 (coupled input and forget gates) is "
                     "not supported", false;
  rnn.linearBeforeReset = !rnn.lstm && getInt(node, "linear_before_reset", 0);
  rnn.clip = getFloat(node, "clip", 0.0f);
  if (findAttr(node, "clip") && !(rnn.clip > 0))
    return problem = "clip must be positive", false;
  if (x.size() != 3 || ShapedType::isDynamic(x[0]) ||
      ShapedType::isDynamic(x[1]) || ShapedType::isDynamic(x[2]))
    return problem = "X " + dimsToString(x) + " must be a static " +
                     std::string(rnn.batchFirst
                                     ? "[batch, seq_length, input_size]"
                                     : "[seq_length, batch, input_size]") +
                     ": fix the sequence length and batch with --input-shape "
                     "NAME=" + (rnn.batchFirst ? "BxTxI" : "TxBxI") +
                     " or --dim SYMBOL=VALUE", false;
  rnn.steps = x[rnn.batchFirst];
  rnn.batch = x[!rnn.batchFirst];
  rnn.inputSize = x[2];
  return true;
}

bool Importer::importRecurrent(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Recurrent rnn;
  std::string problem;
  if (!readRecurrent(node, shapeOf(x), rnn, problem))
    return fail(node, problem);
  if (!(rnn.w = constantInput(node, 1, "W")) ||
      !(rnn.r = constantInput(node, 2, "R")))
    return false;
  const int64_t D = rnn.directions, G = rnn.gates;
  rnn.hidden = rnn.r->shape.size() == 3 ? rnn.r->shape[2] : 0;
  const int64_t H = rnn.hidden, B = rnn.batch, T = rnn.steps;
  if (getInt(node, "hidden_size", H) != H || H < 1)
    return fail(node, "hidden_size must be R's last dimension");
  if (rnn.w->shape != std::vector<int64_t>{D, G * H, rnn.inputSize} ||
      rnn.r->shape != std::vector<int64_t>{D, G * H, H})
    return fail(node, "W must be [" + std::to_string(D) + ", " +
                          std::to_string(G * H) + ", " +
                          std::to_string(rnn.inputSize) + "] and R [" +
                          std::to_string(D) + ", " + std::to_string(G * H) +
                          ", " + std::to_string(H) + "]");
  if (hasInput(node, 3)) {
    if (!(rnn.b = constantInput(node, 3, "B")))
      return false;
    if (rnn.b->shape != std::vector<int64_t>{D, 2 * G * H})
      return fail(node, "B must be [" + std::to_string(D) + ", " +
                            std::to_string(2 * G * H) + "]");
  }
  if (hasInput(node, 4)) {
    const ConstTensor *lens = constantInput(node, 4, "sequence_lens");
    if (!lens)
      return false;
    for (double len : lens->data)
      if (len != T)
        return fail(node, "sequence_lens other than the whole sequence (" +
                              std::to_string(T) +
                              " steps) are not supported");
  }
  if (rnn.lstm && hasInput(node, 7)) {
    if (!(rnn.p = constantInput(node, 7, "P")))
      return false;
    if (rnn.p->shape != std::vector<int64_t>{D, 3 * H})
      return fail(node, "P must be [" + std::to_string(D) + ", " +
                            std::to_string(3 * H) + "]");
  }
  // Y is optional: names come from the first output the node has.
  std::string outName;
  for (const std::string &name : node.output())
    if (outName.empty())
      outName = name;
  if (outName.empty())
    return fail(node, "has no output");
  onnx::NodeProto named;
  named.set_name(node.name().empty() ? outName : node.name());
  named.add_output(outName);
  Location loc = locFor(named);
  // layout = 1 swaps the first two dims of X, Y, Y_h and Y_c (and of the
  // initial states): transposed in and out of the sequence-first form.
  auto swap = [&](Value v, ArrayRef<int64_t> perm) -> Value {
    SmallVector<int64_t> shape;
    for (int64_t axis : perm)
      shape.push_back(shapeOf(v)[axis]);
    return TransposeOp::create(builder, loc, tensorType(shape, builder), v,
                               perm);
  };
  if (rnn.batchFirst)
    x = swap(x, {1, 0, 2});
  Value xs = reshapeTo(x, {T * B, rnn.inputSize}, loc);
  // initial_h / initial_c of direction d as B x H (zeros when absent).
  auto state = [&](int index, int64_t d, Value &out) {
    if (!hasInput(node, index)) {
      out = materialize(
          ConstTensor{{B, H}, std::vector<double>(B * H, 0.0), true}, loc,
          outName + (index == 5 ? "_h0" : "_c0"));
      return true;
    }
    Value all;
    if (!runtimeInput(node, index, all))
      return false;
    if (rnn.batchFirst && shapeOf(all).size() == 3)
      all = swap(all, {1, 0, 2});
    if (shapeOf(all) != ArrayRef<int64_t>{D, B, H})
      return fail(node, std::string(index == 5 ? "initial_h" : "initial_c") +
                            " must be " +
                            dimsToString(rnn.batchFirst
                                             ? ArrayRef<int64_t>{B, D, H}
                                             : ArrayRef<int64_t>{D, B, H}));
    if (D > 1)
      all = SliceOp::create(builder, loc, tensorType({1, B, H}, builder), all,
                            ArrayRef<int64_t>{0}, ArrayRef<int64_t>{d},
                            ArrayRef<int64_t>{d + 1});
    out = reshapeTo(all, {B, H}, loc);
    return true;
  };
  const std::string base = layerName(named);
  auto layer = [&](Value input, StringRef suffix, std::vector<float> weight,
                   std::vector<float> bias, int64_t m) -> Value {
    int64_t n = shapeOf(input)[1];
    std::string name = base + suffix.str();
    return FullyConnectedOp::create(
        builder, loc, tensorType({shapeOf(input)[0], m}, builder), input,
        name, /*block_size=*/1,
        makeFloatAttr(tensorType({m, n, 1}, builder), weight, name + "_w"),
        makeFloatAttr(tensorType({m}, builder), bias, name + "_b"),
        MappingAttr(), IntegerAttr(), /*shared_input=*/false, IntegerAttr(),
      /*weight_bits=*/IntegerAttr(), /*input_bits=*/IntegerAttr());
  };
  auto rows = [&](Value v, int64_t begin, int64_t count) -> Value {
    return SliceOp::create(builder, loc, tensorType({count, B, H}, builder),
                           v, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{begin},
                           ArrayRef<int64_t>{begin + count});
  };
  SmallVector<Value> ys, yhs, ycs;
  for (int64_t d = 0; d < D; ++d) {
    std::string dir = D > 1 ? (d ? "_reverse" : "_forward") : "";
    Value h0, c0;
    if (!state(5, d, h0) || (rnn.lstm && !state(6, d, c0)))
      return false;
    Value xw = layer(xs, dir + "_W", weightRows(*rnn.w, d, 0, G * H),
                     rowPart(rnn.b, d, 0, G * H), G * H);
    bool reverse = rnn.reverse || d == 1;
    Value cell;
    if (rnn.simple) {
      Value r = layer(h0, dir + "_R", weightRows(*rnn.r, d, 0, H),
                      rowPart(rnn.b, d, H, H), H);
      const Activation &f = rnn.activations[d];
      cell = RnnOp::create(builder, loc, tensorType({T + 1, B, H}, builder),
                           xw, h0, r, builder.getBoolAttr(reverse),
                           builder.getF32FloatAttr(rnn.clip),
                           builder.getStringAttr(f.name),
                           builder.getF32FloatAttr(f.alpha),
                           builder.getF32FloatAttr(f.beta));
    } else if (rnn.lstm) {
      Value r = layer(h0, dir + "_R", weightRows(*rnn.r, d, 0, 4 * H),
                      rowPart(rnn.b, d, 4 * H, 4 * H), 4 * H);
      Value p;
      if (rnn.p)
        p = materialize(ConstTensor{{3 * H},
                                    std::vector<double>(
                                        rnn.p->data.begin() + d * 3 * H,
                                        rnn.p->data.begin() + (d + 1) * 3 * H),
                                    true},
                        loc, outName + dir + "_P");
      cell = LstmOp::create(builder, loc, tensorType({T + 2, B, H}, builder),
                            xw, h0, c0, r, p, builder.getBoolAttr(reverse),
                            builder.getF32FloatAttr(rnn.clip));
    } else {
      SmallVector<Value> rs;
      if (rnn.linearBeforeReset) {
        rs.push_back(layer(h0, dir + "_R", weightRows(*rnn.r, d, 0, 3 * H),
                           rowPart(rnn.b, d, 3 * H, 3 * H), 3 * H));
      } else {
        rs.push_back(layer(h0, dir + "_Rzr", weightRows(*rnn.r, d, 0, 2 * H),
                           rowPart(rnn.b, d, 3 * H, 2 * H), 2 * H));
        rs.push_back(layer(h0, dir + "_Rh", weightRows(*rnn.r, d, 2 * H, H),
                           rowPart(rnn.b, d, 5 * H, H), H));
      }
      cell = GruOp::create(builder, loc, tensorType({T + 1, B, H}, builder),
                           xw, h0, rs, builder.getBoolAttr(reverse),
                           builder.getF32FloatAttr(rnn.clip),
                           builder.getBoolAttr(rnn.linearBeforeReset));
    }
    ys.push_back(reshapeTo(rows(cell, 0, T), {T, 1, B, H}, loc));
    yhs.push_back(rows(cell, T, 1));
    if (rnn.lstm)
      ycs.push_back(rows(cell, T + 1, 1));
  }
  auto join = [&](ArrayRef<Value> parts, int64_t axis) -> Value {
    if (parts.size() == 1)
      return parts[0];
    SmallVector<int64_t> shape(shapeOf(parts[0]));
    shape[axis] *= parts.size();
    return ConcatOp::create(builder, loc, tensorType(shape, builder), parts,
                            (uint64_t)axis);
  };
  Value y = join(ys, 1), yh = join(yhs, 0), yc = rnn.lstm ? join(ycs, 0) : y;
  if (rnn.batchFirst) {
    y = swap(y, {2, 0, 1, 3});
    yh = swap(yh, {1, 0, 2});
    yc = rnn.lstm ? swap(yc, {1, 0, 2}) : y;
  }
  return bindOutput(node, 0, y) && bindOutput(node, 1, yh) &&
         (!rnn.lstm || bindOutput(node, 2, yc));
}

} // namespace rebocc::onnxfe
