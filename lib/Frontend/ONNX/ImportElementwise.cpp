//===- ImportElementwise.cpp - ONNX elementwise math, comparisons, logic --===//
//
// Sqrt, Erf, Exp, Log, Neg, Abs, Tanh, Round, Pow, Reciprocal, Gelu; Min,
// Max, Sum, Mean;
// Equal, Greater, GreaterOrEqual, Less, LessOrEqual, Not, And, Or, Xor, Where.
// Each is a digital op with numpy broadcasting, folded when every input is a
// constant (shape subgraphs compare and select). At run time booleans are
// 0 / 1 floats, so a boolean or integer constant operand becomes a float
// constant; Less and LessOrEqual are Greater and GreaterOrEqual with the
// operands swapped.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

namespace {

using FoldFn = double (*)(const double *);
using BuildFn = Value (*)(OpBuilder &, Location, Type, ValueRange);

/// One elementwise ONNX operator: its operand count, how it folds and the
/// circulant op it becomes (none: Reciprocal, built by importElementwise).
struct ElementwiseOp {
  const char *type;
  int arity;
  bool swapOperands; // Less, LessOrEqual
  bool boolResult;
  FoldFn fold;
  BuildFn build;
};

template <typename OpTy>
Value unary(OpBuilder &b, Location loc, Type, ValueRange v) {
  return OpTy::create(b, loc, v[0]);
}
template <typename OpTy>
Value binary(OpBuilder &b, Location loc, Type type, ValueRange v) {
  return OpTy::create(b, loc, type, v[0], v[1]);
}
Value where(OpBuilder &b, Location loc, Type type, ValueRange v) {
  return WhereOp::create(b, loc, type, v[0], v[1], v[2]);
}

/// Float32 math, as the kernels compute it.
template <float (*Fn)(float)> double f32(const double *x) {
  return Fn(static_cast<float>(x[0]));
}
float sqrtF(float x) { return std::sqrt(x); }
float erfF(float x) { return std::erf(x); }
float expF(float x) { return std::exp(x); }
float logF(float x) { return std::log(x); }
float tanhF(float x) { return std::tanh(x); }
float reciprocalF(float x) { return 1.0f / x; }

const ElementwiseOp kElementwiseOps[] = {
    {"Sqrt", 1, false, false, f32<sqrtF>, unary<SqrtOp>},
    {"Erf", 1, false, false, f32<erfF>, unary<ErfOp>},
    {"Exp", 1, false, false, f32<expF>, unary<ExpOp>},
    {"Log", 1, false, false, f32<logF>, unary<LogOp>},
    {"Tanh", 1, false, false, f32<tanhF>, unary<TanhOp>},
    {"Round", 1, false, false,
     [](const double *x) { return std::nearbyint(x[0]); }, unary<RoundOp>},
    {"Neg", 1, false, false, [](const double *x) { return -x[0]; },
     unary<NegOp>},
    {"Abs", 1, false, false, [](const double *x) { return std::fabs(x[0]); },
     unary<AbsOp>},
    {"Reciprocal", 1, false, false, f32<reciprocalF>, nullptr},
    {"Not", 1, false, true, [](const double *x) { return double(x[0] == 0); },
     unary<NotOp>},
    {"Pow", 2, false, false,
     [](const double *x) {
       return (double)std::pow(static_cast<float>(x[0]),
                               static_cast<float>(x[1]));
     },
     binary<PowOp>},
    {"Equal", 2, false, true,
     [](const double *x) { return double(x[0] == x[1]); }, binary<EqualOp>},
    {"Greater", 2, false, true,
     [](const double *x) { return double(x[0] > x[1]); }, binary<GreaterOp>},
    {"GreaterOrEqual", 2, false, true,
     [](const double *x) { return double(x[0] >= x[1]); },
     binary<GreaterOrEqualOp>},
    {"Less", 2, true, true, [](const double *x) { return double(x[0] < x[1]); },
     binary<GreaterOp>},
    {"LessOrEqual", 2, true, true,
     [](const double *x) { return double(x[0] <= x[1]); },
     binary<GreaterOrEqualOp>},
    {"And", 2, false, true,
     [](const double *x) { return double(x[0] != 0 && x[1] != 0); },
     binary<AndOp>},
    {"Or", 2, false, true,
     [](const double *x) { return double(x[0] != 0 || x[1] != 0); },
     binary<OrOp>},
    {"Xor", 2, false, true,
     [](const double *x) { return double((x[0] != 0) != (x[1] != 0)); },
     binary<XorOp>},
    {"Where", 3, false, false,
     [](const double *x) { return x[0] != 0 ? x[1] : x[2]; }, where},
};

/// The operators Min, Max, Sum and Mean chain pairwise.
struct VariadicOp {
  const char *type;
  FoldFn fold;
  BuildFn build;
};

/// NaN propagates, as in the kernels.
double minOf(const double *x) {
  return std::isnan(x[0]) || x[0] < x[1] ? x[0] : x[1];
}
double maxOf(const double *x) {
  return std::isnan(x[0]) || x[0] > x[1] ? x[0] : x[1];
}

const VariadicOp kVariadicOps[] = {
    {"Min", minOf, binary<MinOp>},
    {"Max", maxOf, binary<MaxOp>},
    {"Sum", [](const double *x) { return x[0] + x[1]; }, binary<AddOp>},
    {"Mean", [](const double *x) { return x[0] + x[1]; }, binary<AddOp>},
};

/// Applies `fold` to the constants `ins`, broadcast to `shape`.
ConstTensor foldConstants(ArrayRef<const ConstTensor *> ins,
                          const std::vector<int64_t> &shape, FoldFn fold) {
  ConstTensor out;
  out.shape = shape;
  out.data.resize(out.numElements());
  size_t rank = shape.size();
  SmallVector<double, 3> args(ins.size());
  for (int64_t flat = 0; flat < (int64_t)out.data.size(); ++flat) {
    for (size_t i = 0; i < ins.size(); ++i) {
      const ConstTensor &t = *ins[i];
      // Row-major index into t, its dimensions aligned to the right.
      int64_t index = 0, stride = 1, rest = flat;
      for (size_t d = rank; d-- > 0;) {
        int64_t coord = rest % shape[d];
        rest /= shape[d];
        if (d + t.shape.size() < rank)
          continue;
        int64_t dim = t.shape[d + t.shape.size() - rank];
        index += (dim == 1 ? 0 : coord) * stride;
        stride *= dim;
      }
      args[i] = t.data[index];
    }
    out.data[flat] = fold(args.data());
  }
  return out;
}

} // namespace

bool Importer::broadcastInputs(const onnx::NodeProto &node, int count,
                               SmallVectorImpl<const Binding *> &inputs,
                               std::vector<int64_t> &shape) {
  if (node.input_size() < count)
    return fail(node, "needs " + Twine(count) + " inputs, has " +
                          Twine(node.input_size()));
  std::optional<std::vector<int64_t>> broadcast;
  for (int i = 0; i < count; ++i) {
    const Binding *input = lookup(node, i);
    if (!input)
      return false;
    if (input->known && input->known->hasBatchSentinel())
      return fail(node, dependsOnBatch("the result"));
    inputs.push_back(input);
    broadcast = i ? support::broadcastShapes(*broadcast, shapeOfInput(*input))
                  : std::optional(shapeOfInput(*input));
    if (!broadcast)
      return fail(node, "input shapes do not broadcast");
  }
  shape = *broadcast;
  return true;
}

bool Importer::floatInput(const onnx::NodeProto &node, int index,
                          Value &value) {
  const Binding *binding = lookup(node, index);
  if (!binding)
    return false;
  if (binding->value || binding->known->isFloat)
    return runtimeInput(node, index, value);
  ConstTensor asFloat = *binding->known;
  asFloat.isFloat = true;
  value = materialize(asFloat, locFor(node), node.input(index));
  return true;
}

bool Importer::importElementwise(const onnx::NodeProto &node) {
  const ElementwiseOp *op = llvm::find_if(kElementwiseOps, [&](auto &entry) {
    return node.op_type() == entry.type;
  });
  SmallVector<const Binding *, 3> inputs;
  std::vector<int64_t> shape;
  if (!broadcastInputs(node, op->arity, inputs, shape))
    return false;
  if (llvm::all_of(inputs, [](const Binding *b) { return b->known; })) {
    SmallVector<const ConstTensor *, 3> known;
    for (const Binding *input : inputs)
      known.push_back(&*input->known);
    ConstTensor folded = foldConstants(known, shape, op->fold);
    // The result is float if the data is (Where: x or y; the condition is
    // boolean).
    folded.isFloat = !op->boolResult &&
                     llvm::any_of(ArrayRef(known).take_back(
                                      op->arity == 3 ? 2 : op->arity),
                                  [](auto *t) { return t->isFloat; });
    return bindConstant(node, std::move(folded));
  }
  SmallVector<Value, 3> values(op->arity);
  for (int i = 0; i < op->arity; ++i)
    if (!floatInput(node, i, values[i]))
      return false;
  if (op->swapOperands)
    std::swap(values[0], values[1]);
  Location loc = locFor(node);
  Type type = tensorType(shape, builder);
  if (!op->build) {
    // Reciprocal: 1 / x, one division rounded once, as onnxruntime's.
    Value one = materialize(ConstTensor{{}, {1.0}}, loc,
                            node.output(0) + "_one");
    return bind(node, DivOp::create(builder, loc, type, one, values[0]));
  }
  return bind(node, op->build(builder, loc, type, values));
}

/// Min, Max, Sum and Mean of one or more inputs, chained left to right;
/// Mean then multiplies by 1 / count.
bool Importer::importVariadic(const onnx::NodeProto &node) {
  const VariadicOp *op = llvm::find_if(kVariadicOps, [&](auto &entry) {
    return node.op_type() == entry.type;
  });
  int count = node.input_size();
  if (count < 1)
    return fail(node, "needs at least one input");
  SmallVector<const Binding *, 4> inputs;
  std::vector<int64_t> shape;
  if (!broadcastInputs(node, count, inputs, shape))
    return false;
  bool isMean = StringRef(op->type) == "Mean";
  Location loc = locFor(node);
  if (llvm::all_of(inputs, [](const Binding *b) { return b->known; })) {
    ConstTensor acc = *inputs[0]->known;
    for (int i = 1; i < count; ++i) {
      std::optional<std::vector<int64_t>> both =
          support::broadcastShapes(acc.shape, inputs[i]->known->shape);
      bool isFloat = acc.isFloat || inputs[i]->known->isFloat;
      acc = foldConstants({&acc, &*inputs[i]->known}, *both, op->fold);
      acc.isFloat = isFloat;
      // One float32 rounding per operand, as onnxruntime's kernel sums
      // (importBinary); DOUBLE constants stay double.
      if (isFloat && !doubleConstants.contains(node.output(0)))
        acc.roundToFloat32();
    }
    if (isMean && acc.isFloat && !doubleConstants.contains(node.output(0))) {
      // The run-time Mean's multiplication by 1 / count (below).
      float reciprocal = (float)(1.0 / count);
      for (double &v : acc.data)
        v = (double)((float)v * reciprocal);
    } else if (isMean) {
      for (double &v : acc.data)
        v = acc.isFloat ? v / count : std::trunc(v / count);
    }
    return bindConstant(node, std::move(acc));
  }
  Value acc;
  if (!floatInput(node, 0, acc))
    return false;
  for (int i = 1; i < count; ++i) {
    Value next;
    if (!floatInput(node, i, next))
      return false;
    std::optional<std::vector<int64_t>> both =
        support::broadcastShapes(shapeOf(acc), shapeOf(next));
    acc = op->build(builder, loc, tensorType(*both, builder), {acc, next});
  }
  if (isMean && count > 1) {
    // Not a division: onnxruntime (1.30, CPU) multiplies Mean's sum by
    // 1 / count, and so does this (checked with onnxruntime-node on sums
    // exact in float32 for 3, 5, 6 and 7 inputs: every output was S * (1 /
    // n), a third of them differed from S / n; test/e2e/div-ort.test).
    Value scale = materialize(ConstTensor{{}, {1.0 / count}}, loc,
                              node.output(0) + "_reciprocal_count");
    acc = MulOp::create(builder, loc, acc.getType(), acc, scale);
  }
  return bind(node, acc);
}

/// Gelu (opset 20): exact, or with approximate = "tanh".
bool Importer::importGelu(const onnx::NodeProto &node) {
  std::string approximate = getString(node, "approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return fail(node, "approximate = \"" + approximate +
                          "\" is neither \"none\" nor \"tanh\"");
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  if (approximate == "tanh")
    return bind(node, GeluTanhOp::create(builder, loc, x));
  return bind(node, GeluOp::create(builder, loc, x));
}

} // namespace rebocc::onnxfe
