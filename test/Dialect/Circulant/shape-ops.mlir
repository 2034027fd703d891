// RUN: rebocc-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same IR.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// CHECK-LABEL: func.func @slices
func.func @slices(%x: tensor<?x6x4xf32>) -> (tensor<?x2x4xf32>, tensor<?x4x1xf32>) {
  // CHECK: circulant.slice %{{.*}} {axes = array<i64: 1>, ends = array<i64: 2>, starts = array<i64: 0>} : (tensor<?x6x4xf32>) -> tensor<?x2x4xf32>
  %0 = circulant.slice %x {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 2>} : (tensor<?x6x4xf32>) -> tensor<?x2x4xf32>
  // CHECK: circulant.slice %{{.*}} {axes = array<i64: 1, 2>, ends = array<i64: 6, 4>, starts = array<i64: 2, 3>} : (tensor<?x6x4xf32>) -> tensor<?x4x1xf32>
  %1 = circulant.slice %x {axes = array<i64: 1, 2>, starts = array<i64: 2, 3>, ends = array<i64: 6, 4>} : (tensor<?x6x4xf32>) -> tensor<?x4x1xf32>
  return %0, %1 : tensor<?x2x4xf32>, tensor<?x4x1xf32>
}

// A resize keeps its tables through a round trip.
// CHECK-LABEL: func.func @resize
// CHECK: circulant.resize %arg0 {axes = array<i64: 2>, sources = array<i64: 0, 0, 0, 1>, taps = array<i64: 2>, weights = array<f32: 1.000000e+00, 0.000000e+00, 2.500000e-01, 7.500000e-01>} : (tensor<?x1x2x3xf32>) -> tensor<?x1x2x3xf32>
func.func @resize(%x: tensor<?x1x2x3xf32>) -> tensor<?x1x2x3xf32> {
  %y = circulant.resize %x {axes = array<i64: 2>, taps = array<i64: 2>, sources = array<i64: 0, 0, 0, 1>, weights = array<f32: 1.0, 0.0, 0.25, 0.75>} : (tensor<?x1x2x3xf32>) -> tensor<?x1x2x3xf32>
  return %y : tensor<?x1x2x3xf32>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<?x2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<?x2x3x5xf32> {
  // CHECK: circulant.matmul %{{.*}}, %{{.*}} : (tensor<?x2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<?x2x3x5xf32>
  %y = circulant.matmul %a, %b : (tensor<?x2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<?x2x3x5xf32>
  return %y : tensor<?x2x3x5xf32>
}

// The run-time batch at any position: a transpose moves it, a reshape merges
// it with static dims (the dynamic dim is then a multiple of the batch the
// type does not carry: (3, N, 4) -> (3, 2N, 2) -> (6N, 2)).
// CHECK-LABEL: func.func @batch_anywhere
// CHECK: circulant.transpose %{{.*}} {perm = array<i64: 1, 0, 2>} : (tensor<?x3x4xf32>) -> tensor<3x?x4xf32>
// CHECK: circulant.reshape %{{.*}} : (tensor<3x?x4xf32>) -> tensor<3x?x2xf32>
// CHECK: circulant.reshape %{{.*}} : (tensor<3x?x2xf32>) -> tensor<?x2xf32>
func.func @batch_anywhere(%x: tensor<?x3x4xf32>) -> tensor<?x2xf32> {
  %t = circulant.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<?x3x4xf32>) -> tensor<3x?x4xf32>
  %h = circulant.reshape %t : (tensor<3x?x4xf32>) -> tensor<3x?x2xf32>
  %r = circulant.reshape %h : (tensor<3x?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
