// RUN: rebocc-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same IR.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// An LSTM (T = 3, B = 1, H = 2) with peepholes: R is a circulant.fc on
// initial_h that the cell runs each step.
// CHECK-LABEL: func.func @lstm
// CHECK: %[[R:.*]] = circulant.fc %arg1
// CHECK: circulant.lstm %arg0, %arg1, %arg2, %[[R]], %arg3 {clip = 2.500000e+00 : f32, reverse = true} : (tensor<3x8xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x8xf32>, tensor<6xf32>) -> tensor<5x1x2xf32>
func.func @lstm(%xw: tensor<3x8xf32>, %h0: tensor<1x2xf32>, %c0: tensor<1x2xf32>, %p: tensor<6xf32>) -> tensor<5x1x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<8x2x1xf32>, bias = dense<0.0> : tensor<8xf32>} : (tensor<1x2xf32>) -> tensor<1x8xf32>
  %y = circulant.lstm %xw, %h0, %c0, %r, %p {reverse = true, clip = 2.5 : f32} : (tensor<3x8xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x8xf32>, tensor<6xf32>) -> tensor<5x1x2xf32>
  return %y : tensor<5x1x2xf32>
}

// A GRU without linear_before_reset: two recurrent layers, z and r, then h.
// CHECK-LABEL: func.func @gru
// CHECK: circulant.gru %arg0, %arg1, %{{.*}}, %{{.*}} {clip = 0.000000e+00 : f32, linear_before_reset = false, reverse = false} : (tensor<6x6xf32>, tensor<2x2xf32>, tensor<2x4xf32>, tensor<2x2xf32>) -> tensor<4x2x2xf32>
func.func @gru(%xw: tensor<6x6xf32>, %h0: tensor<2x2xf32>) -> tensor<4x2x2xf32> {
  %rzr = circulant.fc %h0 {name = "rzr", block_size = 1 : i64, weight = dense<1.0> : tensor<4x2x1xf32>, bias = dense<0.0> : tensor<4xf32>} : (tensor<2x2xf32>) -> tensor<2x4xf32>
  %rh = circulant.fc %h0 {name = "rh", block_size = 1 : i64, weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = circulant.gru %xw, %h0, %rzr, %rh {reverse = false, clip = 0.0 : f32, linear_before_reset = false} : (tensor<6x6xf32>, tensor<2x2xf32>, tensor<2x4xf32>, tensor<2x2xf32>) -> tensor<4x2x2xf32>
  return %y : tensor<4x2x2xf32>
}
