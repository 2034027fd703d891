//===- UnaryFunction.h - ONNX elementwise functions of one tensor -*- C++ -*-===//
//
// The ONNX operators Softplus, Elu, Selu, Celu, Softsign, ThresholdedRelu,
// Mish, Shrink, Floor, Ceil, Sin, Cos, Sign, IsNaN and IsInf: one function
// of each element with at most two float parameters. The importer reads
// their attributes and folds constants, the program verifier checks the
// parameters and the simulator applies them from this one table. Header
// only, so that the importer does not link the simulator or the other way
// round (as RnnActivation.h).
//
// Each computes in float32 in the order of onnxruntime's CPU kernel
// (onnxruntime 1.30, measured with onnxruntime-node: docs/SupportedOps.md,
// "Elementwise functions against onnxruntime"). The RNN activations of the
// same names (RnnActivation.h) compute in double and round once, which
// matches onnxruntime's standalone kernels less often (Softsign: 129,032 of
// the 400,022 measured outputs differ, here none: onnxruntime computes
// (1 / (1 + |x|)) * x), so they are not shared.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_UNARYFUNCTION_H
#define REBOCC_SUPPORT_UNARYFUNCTION_H

#include <algorithm>
#include <cmath>
#include <string_view>

namespace rebocc::support {

enum class UnaryKind {
  Softplus,
  Elu,
  Selu,
  Celu,
  Softsign,
  ThresholdedRelu,
  Mish,
  Shrink,
  Floor,
  Ceil,
  Sin,
  Cos,
  Sign,
  IsNaN,
  IsInf,
};

/// One function: its name in the IR and the program, the ONNX operator,
/// the ONNX attributes that set alpha and beta (nullptr: none) with their
/// defaults, whether the result is boolean (0 / 1), and whether it is a
/// transcendental function (the cost model's function units) rather than
/// comparisons and arithmetic (the VFU's ALU).
struct UnaryFunction {
  UnaryKind kind;
  const char *name;
  const char *onnxName;
  const char *alphaAttr, *betaAttr;
  float alpha, beta;
  bool boolResult;
  bool transcendental;
};

inline const UnaryFunction *unaryFunctions(size_t &count) {
  // Selu's defaults are ONNX's, the float32 values of 1.6732632423543772
  // and 1.0507009873554805. IsInf's detect_positive / detect_negative are
  // alpha / beta (0 or 1).
  static const UnaryFunction table[] = {
      {UnaryKind::Softplus, "softplus", "Softplus", nullptr, nullptr, 0, 0,
       false, true},
      {UnaryKind::Elu, "elu", "Elu", "alpha", nullptr, 1.0f, 0, false, true},
      {UnaryKind::Selu, "selu", "Selu", "alpha", "gamma",
       1.67326319217681884765625f, 1.05070102214813232421875f, false, true},
      {UnaryKind::Celu, "celu", "Celu", "alpha", nullptr, 1.0f, 0, false,
       true},
      {UnaryKind::Softsign, "softsign", "Softsign", nullptr, nullptr, 0, 0,
       false, false},
      {UnaryKind::ThresholdedRelu, "thresholded_relu", "ThresholdedRelu",
       "alpha", nullptr, 1.0f, 0, false, false},
      {UnaryKind::Mish, "mish", "Mish", nullptr, nullptr, 0, 0, false, true},
      {UnaryKind::Shrink, "shrink", "Shrink", "lambd", "bias", 0.5f, 0.0f,
       false, false},
      {UnaryKind::Floor, "floor", "Floor", nullptr, nullptr, 0, 0, false,
       false},
      {UnaryKind::Ceil, "ceil", "Ceil", nullptr, nullptr, 0, 0, false, false},
      {UnaryKind::Sin, "sin", "Sin", nullptr, nullptr, 0, 0, false, true},
      {UnaryKind::Cos, "cos", "Cos", nullptr, nullptr, 0, 0, false, true},
      {UnaryKind::Sign, "sign", "Sign", nullptr, nullptr, 0, 0, false, false},
      {UnaryKind::IsNaN, "is_nan", "IsNaN", nullptr, nullptr, 0, 0, true,
       false},
      {UnaryKind::IsInf, "is_inf", "IsInf", "detect_positive",
       "detect_negative", 1.0f, 1.0f, true, false},
  };
  count = sizeof table / sizeof table[0];
  return table;
}

/// The function named `name` (the IR / program name, or with `onnx` the
/// ONNX operator); nullptr if there is none.
inline const UnaryFunction *findUnaryFunction(std::string_view name,
                                              bool onnx = false) {
  size_t count;
  const UnaryFunction *table = unaryFunctions(count);
  for (size_t i = 0; i < count; ++i)
    if (name == (onnx ? table[i].onnxName : table[i].name))
      return &table[i];
  return nullptr;
}

/// Why `alpha`, `beta` are not valid parameters of `f` ("" if they are):
/// they are finite, Celu's alpha is not 0 (it divides by it) and IsInf's
/// flags are 0 or 1.
inline const char *unaryParameterError(const UnaryFunction &f, float alpha,
                                       float beta) {
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    return "must be finite";
  if (f.kind == UnaryKind::Celu && alpha == 0.0f)
    return "must not be 0 (Celu divides by alpha)";
  if (f.kind == UnaryKind::IsInf &&
      ((alpha != 0.0f && alpha != 1.0f) || (beta != 0.0f && beta != 1.0f)))
    return "must be 0 or 1";
  return "";
}

/// onnxruntime's Softplus: no overflow of exp for large x.
inline float softplus(float x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

/// f(x) with parameters alpha and beta, in float32.
inline float applyUnaryFunction(UnaryKind kind, float a, float b, float x) {
  switch (kind) {
  case UnaryKind::Softplus: return softplus(x);
  case UnaryKind::Elu: return x >= 0 ? x : a * (std::exp(x) - 1.0f);
  // beta is gamma; onnxruntime multiplies by the product gamma * alpha.
  case UnaryKind::Selu: return x > 0 ? b * x : (b * a) * (std::exp(x) - 1.0f);
  case UnaryKind::Celu:
    return std::max(x, 0.0f) + std::min(0.0f, a * (std::exp(x / a) - 1.0f));
  case UnaryKind::Softsign: return (1.0f / (1.0f + std::fabs(x))) * x;
  case UnaryKind::ThresholdedRelu: return x > a ? x : 0.0f;
  // ONNX's function body: x * tanh(softplus(x)).
  case UnaryKind::Mish: return x * std::tanh(softplus(x));
  // alpha is lambd, beta is bias.
  case UnaryKind::Shrink: return x < -a ? x + b : x > a ? x - b : 0.0f;
  case UnaryKind::Floor: return std::floor(x);
  case UnaryKind::Ceil: return std::ceil(x);
  case UnaryKind::Sin: return std::sin(x);
  case UnaryKind::Cos: return std::cos(x);
  // NaN stays NaN, -0 gives +0 (as onnxruntime).
  case UnaryKind::Sign: return x > 0 ? 1.0f : x < 0 ? -1.0f : x == 0 ? 0.0f : x;
  case UnaryKind::IsNaN: return std::isnan(x) ? 1.0f : 0.0f;
  case UnaryKind::IsInf:
    return std::isinf(x) && (x > 0 ? a != 0.0f : b != 0.0f) ? 1.0f : 0.0f;
  }
  return x;
}

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_UNARYFUNCTION_H
