//===- RnnActivation.h - the activation functions of ONNX RNN ---*- C++ -*-===//
//
// ONNX RNN names its activation f (per direction) from a fixed list, some
// with parameters alpha and beta. The importer checks the names and fills in
// the parameters, the program verifier checks them again and the simulator
// applies them: one table keeps the three in agreement. Header only, so that
// the importer does not link the simulator or the other way round.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_RNNACTIVATION_H
#define REBOCC_SUPPORT_RNNACTIVATION_H

#include <algorithm>
#include <cmath>
#include <string>

namespace rebocc::support {

/// One ONNX RNN activation: whether it reads alpha / beta and their
/// defaults. `settled` is false where the default is disputed: ONNX says
/// "the same as the corresponding operator" (Affine 1 and 0,
/// ThresholdedRelu 1, ScaledTanh none), onnxruntime uses 0; such a
/// parameter must then be given.
struct RnnActivation {
  const char *name;
  bool takesAlpha, takesBeta;
  float alpha, beta;
  bool settled;
};

inline const RnnActivation *findRnnActivation(const std::string &name) {
  static const RnnActivation table[] = {
      {"Tanh", false, false, 0, 0, true},
      {"Relu", false, false, 0, 0, true},
      {"Sigmoid", false, false, 0, 0, true},
      {"Affine", true, true, 0, 0, false},
      {"LeakyRelu", true, false, 0.01f, 0, true},
      {"ThresholdedRelu", true, false, 0, 0, false},
      {"ScaledTanh", true, true, 0, 0, false},
      {"HardSigmoid", true, true, 0.2f, 0.5f, true},
      {"Elu", true, false, 1.0f, 0, true},
      {"Softsign", false, false, 0, 0, true},
      {"Softplus", false, false, 0, 0, true},
  };
  for (const RnnActivation &a : table)
    if (name == a.name)
      return &a;
  return nullptr;
}

/// f(v) for the activation `name` (one findRnnActivation knows), in double
/// precision and rounded once to float like the other digital functions.
inline float applyRnnActivation(const std::string &name, float alpha,
                                float beta, float v) {
  const double x = v, a = alpha, b = beta;
  double y = x;
  if (name == "Tanh")
    y = std::tanh(x);
  else if (name == "Relu")
    y = std::max(x, 0.0);
  else if (name == "Sigmoid")
    y = 1.0 / (1.0 + std::exp(-x));
  else if (name == "Affine")
    y = a * x + b;
  else if (name == "LeakyRelu")
    y = x >= 0 ? x : a * x;
  else if (name == "ThresholdedRelu")
    y = x > a ? x : 0.0;
  else if (name == "ScaledTanh")
    y = a * std::tanh(b * x);
  else if (name == "HardSigmoid")
    y = std::min(1.0, std::max(0.0, a * x + b));
  else if (name == "Elu")
    y = x >= 0 ? x : a * (std::exp(x) - 1.0);
  else if (name == "Softsign")
    y = x / (1.0 + std::fabs(x));
  else if (name == "Softplus")
    y = x > 30 ? x : std::log1p(std::exp(x));
  return static_cast<float>(y);
}

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_RNNACTIVATION_H
