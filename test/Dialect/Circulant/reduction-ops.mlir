// RUN: rebocc-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same IR.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<?x3x4xf32>) -> (tensor<?x1x4xf32>, tensor<?x3x1xf32>, tensor<?x1x1xf32>) {
  // CHECK: circulant.reduce_max %{{.*}} {axes = array<i64: 1>} : (tensor<?x3x4xf32>) -> tensor<?x1x4xf32>
  %0 = circulant.reduce_max %x {axes = array<i64: 1>} : (tensor<?x3x4xf32>) -> tensor<?x1x4xf32>
  // CHECK: circulant.reduce_min %{{.*}} {axes = array<i64: 2>} : (tensor<?x3x4xf32>) -> tensor<?x3x1xf32>
  %1 = circulant.reduce_min %x {axes = array<i64: 2>} : (tensor<?x3x4xf32>) -> tensor<?x3x1xf32>
  // CHECK: circulant.reduce_sum %{{.*}} {axes = array<i64: 1, 2>} : (tensor<?x3x4xf32>) -> tensor<?x1x1xf32>
  %2 = circulant.reduce_sum %x {axes = array<i64: 1, 2>} : (tensor<?x3x4xf32>) -> tensor<?x1x1xf32>
  return %0, %1, %2 : tensor<?x1x4xf32>, tensor<?x3x1xf32>, tensor<?x1x1xf32>
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
  // CHECK: circulant.log_softmax %{{.*}} {axis = 1 : i64} : tensor<?x3x4xf32>
  %0 = circulant.log_softmax %x {axis = 1 : i64} : tensor<?x3x4xf32>
  // CHECK: circulant.normalize %{{.*}} {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : tensor<?x3x4xf32>
  %1 = circulant.normalize %0 {axis = 1 : i64, epsilon = 1.0e-5 : f32} : tensor<?x3x4xf32>
  return %1 : tensor<?x3x4xf32>
}
