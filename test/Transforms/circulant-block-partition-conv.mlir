// Block partitioning of convolutions: every kernel position's C_out x C_in
// slice must be block-circulant with the same k; the defining vectors are
// stored as groups x p x kh x kw x q x k. Grouped convolutions stay dense.
// RUN: rebocc-opt %s -split-input-file --circulant-block-partition | FileCheck %s
// RUN: rebocc-opt %s -split-input-file --circulant-block-partition='block-size=2' -verify-diagnostics -o /dev/null

// Two kernel positions (2x1), each slice 4x4 with circulant 2x2 blocks.
// CHECK-LABEL: func.func @conv
// CHECK: circulant.conv %arg0 {{{.*}}block_size = 2 : i64{{.*}}name = "conv"
// CHECK-SAME: weight = dense<{{\[\[\[\[\[\[}}4.000000e+00, 5.000000e+00], [7.000000e+00, 8.000000e+00]]], {{\[\[\[}}2.000000e+00, 3.000000e+00], [7.000000e+00, 4.000000e+00]]]], {{\[\[\[\[}}1.000000e+00, 2.000000e+00], [7.000000e+00, 8.000000e+00]]], {{\[\[\[}}3.000000e+00, 7.000000e+00], [3.000000e+00, 4.000000e+00]]]]]]> : tensor<1x2x2x1x2x2xf32>
func.func @conv(%x: tensor<?x4x5x5xf32>) -> tensor<?x4x4x5xf32> {
  %y = circulant.conv %x {name = "conv", block_size = 1 : i64, groups = 1 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
     weight = dense<[[[[[[4.0],[5.0],[7.0],[8.0]]],[[[2.0],[3.0],[7.0],[4.0]]]],[[[[5.0],[4.0],[8.0],[7.0]]],[[[3.0],[2.0],[4.0],[7.0]]]],[[[[1.0],[2.0],[7.0],[8.0]]],[[[3.0],[7.0],[3.0],[4.0]]]],[[[[2.0],[1.0],[8.0],[7.0]]],[[[7.0],[3.0],[4.0],[3.0]]]]]]> : tensor<1x4x2x1x4x1xf32>,
     bias = dense<0.0> : tensor<4xf32>} : (tensor<?x4x5x5xf32>) -> tensor<?x4x4x5xf32>
  return %y : tensor<?x4x4x5xf32>
}

// -----

// The first kernel position is circulant, the second is not: the layer
// stays dense (every position must share k), and forcing k = 2 is an error.
// CHECK-LABEL: func.func @mixed
// CHECK: circulant.conv %arg0 {{{.*}}block_size = 1 : i64{{.*}}name = "mixed"
func.func @mixed(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x2x3xf32> {
  // expected-error @+1 {{layer 'mixed' is not block-circulant with k = 2}}
  %y = circulant.conv %x {name = "mixed", block_size = 1 : i64, groups = 1 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
     weight = dense<[[[[[[1.0],[2.0]]],[[[1.0],[2.0]]]],[[[[2.0],[1.0]]],[[[3.0],[4.0]]]]]]> : tensor<1x2x2x1x2x1xf32>,
     bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2x3x3xf32>) -> tensor<?x2x2x3xf32>
  return %y : tensor<?x2x2x3xf32>
}

// -----

// Depthwise (groups = channels): stays k = 1 under auto detection, and a
// globally forced k leaves it dense with a remark (it does not fit).
// CHECK-LABEL: func.func @depthwise
// CHECK: circulant.conv %arg0 {{{.*}}block_size = 1 : i64{{.*}}groups = 2 : i64
func.func @depthwise(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  // expected-remark @+1 {{layer 'dw' stays dense: k = 2 does not fit its 2 group(s) of 1 -> 1 channels}}
  %y = circulant.conv %x {name = "dw", block_size = 1 : i64, groups = 2 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<2x1x3x3x1x1xf32>,
     bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  return %y : tensor<?x2x3x3xf32>
}

