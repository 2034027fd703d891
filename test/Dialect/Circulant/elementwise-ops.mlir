// RUN: rebocc-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same IR.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<?x4xf32>, %c: tensor<4xf32>) -> tensor<?x4xf32> {
  // CHECK: circulant.sqrt %{{.*}} : tensor<?x4xf32>
  %0 = circulant.sqrt %x : tensor<?x4xf32>
  // CHECK: circulant.erf
  %1 = circulant.erf %0 : tensor<?x4xf32>
  // CHECK: circulant.exp
  %2 = circulant.exp %1 : tensor<?x4xf32>
  // CHECK: circulant.log
  %3 = circulant.log %2 : tensor<?x4xf32>
  // CHECK: circulant.neg
  %4 = circulant.neg %3 : tensor<?x4xf32>
  // CHECK: circulant.abs
  %5 = circulant.abs %4 : tensor<?x4xf32>
  // CHECK: circulant.tanh
  %6 = circulant.tanh %5 : tensor<?x4xf32>
  // CHECK: circulant.gelu %{{.*}} : tensor<?x4xf32>
  %7 = circulant.gelu %6 : tensor<?x4xf32>
  // CHECK: circulant.gelu_tanh
  %8 = circulant.gelu_tanh %7 : tensor<?x4xf32>
  // CHECK: circulant.not
  %9 = circulant.not %8 : tensor<?x4xf32>
  // CHECK: circulant.round %{{.*}} : tensor<?x4xf32>
  %rounded = circulant.round %9 : tensor<?x4xf32>
  // CHECK: circulant.pow %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %10 = circulant.pow %9, %c : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.min
  %11 = circulant.min %10, %c : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.max
  %12 = circulant.max %c, %11 : (tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.equal
  %13 = circulant.equal %12, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.greater
  %14 = circulant.greater %13, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.greater_or_equal
  %15 = circulant.greater_or_equal %14, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.and
  %16 = circulant.and %15, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.or
  %17 = circulant.or %16, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %18 = circulant.where %17, %c, %x : (tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: circulant.fma %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<?x4xf32>
  %s = circulant.constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %19 = circulant.fma %18, %c, %s : (tensor<?x4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<?x4xf32>
  return %19 : tensor<?x4xf32>
}
