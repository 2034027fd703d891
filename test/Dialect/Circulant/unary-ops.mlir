// circulant.unary: round trip, lowering to crossbar.digital "unary" (its
// attributes carried over), and the verifiers of both.
// RUN: rebocc-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --mlir-print-op-generic | rebocc-opt -split-input-file | FileCheck %s
// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --convert-circulant-to-crossbar | FileCheck %s --check-prefix=LOWER

// CHECK-LABEL: func.func @unary
// LOWER-LABEL: func.func @unary
func.func @unary(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // CHECK: circulant.unary %{{.*}} {alpha = 1.000000e+00 : f32, beta = 0.000000e+00 : f32, function = "elu"} : tensor<?x4xf32>
  // LOWER: crossbar.digital "unary"(%{{.*}}) {alpha = 1.000000e+00 : f32, beta = 0.000000e+00 : f32, function = "elu"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %0 = circulant.unary %x {function = "elu", alpha = 1.0 : f32, beta = 0.0 : f32} : tensor<?x4xf32>
  // CHECK: function = "is_inf"
  // LOWER: function = "is_inf"
  %1 = circulant.unary %0 {function = "is_inf", alpha = 0.0 : f32, beta = 1.0 : f32} : tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

func.func @unknown_function(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.unary' op unknown function "tan"}}
  %0 = circulant.unary %x {function = "tan", alpha = 0.0 : f32, beta = 0.0 : f32} : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @celu_alpha_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.unary' op alpha and beta of "celu" must not be 0 (Celu divides by alpha)}}
  %0 = circulant.unary %x {function = "celu", alpha = 0.0 : f32, beta = 0.0 : f32} : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @crossbar_unary_without_function(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op "unary" takes a `function` attribute naming a support::UnaryFunction and float `alpha`, `beta`}}
  %0 = crossbar.digital "unary"(%x) {alpha = 0.0 : f32} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
