//===- ElementwiseKernels.cpp - Elementwise math, comparisons, logic ------===//
//
// The kernels of the ONNX elementwise operators Sqrt ... Where, the fused
// multiply-add (fma), and the unary instruction (Softplus ... IsInf:
// support::UnaryFunction). Each
// computes in float32 with the std:: function onnxruntime's reference uses
// (Erf is std::erf), so results match it to the last bit where the library
// functions agree. Booleans are 0.0 / 1.0 floats; an operand is true when
// it is non-zero (NaN included, as a C++ bool conversion of a float is).
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/UnaryFunction.h"

#include <cmath>
#include <cstdio>

namespace rebocc::sim {

using namespace program;

namespace {

float truth(bool b) { return b ? 1.0f : 0.0f; }

float gelu(float x) {
  return 0.5f * x * (1.0f + std::erf(x * static_cast<float>(M_SQRT1_2)));
}

/// ONNX Gelu with approximate = "tanh".
float geluTanh(float x) {
  const float kAlpha = static_cast<float>(M_2_SQRTPI * M_SQRT1_2); // sqrt(2/pi)
  const float kGamma = 0.044715f;
  return 0.5f * x * (1.0f + std::tanh(kAlpha * (x + kGamma * x * x * x)));
}

/// The function of a one-operand opcode; nullptr for any other.
float (*unaryFn(OpCode op))(float) {
  switch (op) {
  case OpCode::Sqrt: return [](float x) { return std::sqrt(x); };
  case OpCode::Erf: return [](float x) { return std::erf(x); };
  case OpCode::Exp: return [](float x) { return std::exp(x); };
  case OpCode::Log: return [](float x) { return std::log(x); };
  case OpCode::Neg: return [](float x) { return -x; };
  case OpCode::Abs: return [](float x) { return std::fabs(x); };
  case OpCode::Tanh: return [](float x) { return std::tanh(x); };
  // The default floating-point environment rounds ties to even.
  case OpCode::Round: return [](float x) { return std::nearbyint(x); };
  case OpCode::Gelu: return gelu;
  case OpCode::GeluTanh: return geluTanh;
  case OpCode::Not: return [](float x) { return truth(x == 0.0f); };
  default: return nullptr;
  }
}

/// The function of a two-operand broadcasting opcode; nullptr otherwise.
/// Min and Max propagate NaN as onnxruntime does (a NaN operand wins).
float (*binaryFn(OpCode op))(float, float) {
  switch (op) {
  case OpCode::Pow: return [](float a, float b) { return std::pow(a, b); };
  case OpCode::Div: return [](float a, float b) { return a / b; };
  case OpCode::Min:
    return [](float a, float b) { return std::isnan(a) || a < b ? a : b; };
  case OpCode::Max:
    return [](float a, float b) { return std::isnan(a) || a > b ? a : b; };
  case OpCode::Equal: return [](float a, float b) { return truth(a == b); };
  case OpCode::Greater: return [](float a, float b) { return truth(a > b); };
  case OpCode::GreaterOrEqual:
    return [](float a, float b) { return truth(a >= b); };
  case OpCode::And:
    return [](float a, float b) { return truth(a != 0.0f && b != 0.0f); };
  case OpCode::Or:
    return [](float a, float b) { return truth(a != 0.0f || b != 0.0f); };
  case OpCode::Xor:
    return [](float a, float b) { return truth((a != 0.0f) != (b != 0.0f)); };
  default: return nullptr;
  }
}

/// The function of a three-operand broadcasting opcode; nullptr otherwise.
float (*ternaryFn(OpCode op))(float, float, float) {
  switch (op) {
  case OpCode::Where:
    return [](float c, float x, float y) { return c != 0.0f ? x : y; };
  // One rounding of the exact a * b + c (a mul and an add round twice).
  case OpCode::Fma:
    return [](float a, float b, float c) { return std::fma(a, b, c); };
  default: return nullptr;
  }
}

/// fn(c, x, y) of the three operands broadcast together (Where, Fma).
bool ternary(const Tensor &C, const Tensor &X, const Tensor &Y, Tensor &out,
             float (*fn)(float, float, float), std::string &error) {
  std::optional<std::vector<int64_t>> shape =
      support::broadcastShapes(C.shape, X.shape);
  if (shape)
    shape = support::broadcastShapes(*shape, Y.shape);
  if (!shape) {
    error = "shapes " + shapeToString(C.shape) + ", " +
            shapeToString(X.shape) + " and " + shapeToString(Y.shape) +
            " do not broadcast";
    return false;
  }
  out.shape = *shape;
  out.data.resize(product(out.shape, 0, out.shape.size()));
  std::vector<int64_t> s[3] = {broadcastStrides(C.shape, out.shape),
                               broadcastStrides(X.shape, out.shape),
                               broadcastStrides(Y.shape, out.shape)};
  std::vector<int64_t> index(out.shape.size(), 0);
  int64_t at[3] = {0, 0, 0};
  for (float &value : out.data) {
    value = fn(C.data[at[0]], X.data[at[1]], Y.data[at[2]]);
    // Odometer increment over the output index, as in binary().
    for (size_t d = out.shape.size(); d-- > 0;) {
      for (int k = 0; k < 3; ++k)
        at[k] += s[k][d];
      if (++index[d] < out.shape[d])
        break;
      for (int k = 0; k < 3; ++k)
        at[k] -= s[k][d] * out.shape[d];
      index[d] = 0;
    }
  }
  return true;
}

} // namespace

bool castElements(const Tensor &x, const Instruction &I, Tensor &out,
                  std::string &error) {
  std::optional<support::CastType> type = support::castTypeNamed(I.mode);
  if (!type) {
    error = "cast to unknown type '" + I.mode + "'";
    return false;
  }
  out = x;
  for (size_t e = 0; e < out.data.size(); ++e) {
    support::CastResult r = support::castFloat(out.data[e], *type);
    // Values are float32: an integer result with more than 24 significant
    // bits (a negative number cast to uint32, say) has no float32 to carry
    // it, and rounding it would be a silently wrong value.
    if (!r.exact) {
      char input[32];
      std::snprintf(input, sizeof input, "%.9g", out.data[e]);
      error = "element " + std::to_string(e) + ": " + input + " cast to " +
              I.mode + " is " + r.text +
              ", which float32 values cannot hold exactly (integers of "
              "more than 24 significant bits)";
      return false;
    }
    out.data[e] = r.value;
  }
  return true;
}

bool elementwise(const Instruction &I, const std::vector<const Tensor *> &ins,
                 Tensor &out, std::string &error) {
  if (auto fn = unaryFn(I.op)) {
    out = *ins[0];
    for (float &v : out.data)
      v = fn(v);
    return true;
  }
  if (I.op == OpCode::Unary) {
    const support::UnaryFunction *f = support::findUnaryFunction(I.mode);
    if (!f) {
      error = "unknown unary function '" + I.mode + "'";
      return false;
    }
    out = *ins[0];
    for (float &v : out.data)
      v = support::applyUnaryFunction(f->kind, I.alpha, I.beta, v);
    return true;
  }
  if (auto fn = binaryFn(I.op))
    return binary(*ins[0], *ins[1], out, fn, error);
  if (auto fn = ternaryFn(I.op))
    return ternary(*ins[0], *ins[1], *ins[2], out, fn, error);
  error = std::string("internal error: ") + opcodeName(I.op) +
          " is not an elementwise opcode";
  return false;
}

} // namespace rebocc::sim
