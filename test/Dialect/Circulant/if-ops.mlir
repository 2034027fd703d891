// RUN: rebocc-opt %s | FileCheck %s
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// A run-time if: two regions, each ending in a yield of the results.
// CHECK-LABEL: func.func @branches
// CHECK: %[[R:.*]]:2 = circulant.if %arg1 : tensor<1xf32> -> tensor<?x4xf32>, tensor<?x4xf32> {
// CHECK-NEXT: %[[A:.*]] = circulant.
// CHECK-NEXT: circulant.yield %[[A]], %arg0 : tensor<?x4xf32>, tensor<?x4xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: circulant.yield %arg0, %arg0 : tensor<?x4xf32>, tensor<?x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1
func.func @branches(%x: tensor<?x4xf32>, %c: tensor<1xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %r:2 = circulant.if %c : tensor<1xf32> -> tensor<?x4xf32>, tensor<?x4xf32> {
    %a = circulant.relu %x : tensor<?x4xf32>
    circulant.yield %a, %x : tensor<?x4xf32>, tensor<?x4xf32>
  } else {
    circulant.yield %x, %x : tensor<?x4xf32>, tensor<?x4xf32>
  }
  return %r#0, %r#1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// No results: the yields are empty.
// CHECK-LABEL: func.func @no_results
// CHECK: circulant.if %arg0 : tensor<1x1xf32> {
// CHECK-NEXT: circulant.yield
// CHECK-NEXT: } else {
func.func @no_results(%c: tensor<1x1xf32>) {
  circulant.if %c : tensor<1x1xf32> {
    circulant.yield
  } else {
    circulant.yield
  }
  return
}

// A branch that cannot run for the compiled input shapes: an empty yield,
// and the error an inference taking it stops with.
// CHECK-LABEL: func.func @failing_branch
// CHECK: circulant.if %arg1 : tensor<1xf32> -> tensor<?x4xf32> {
// CHECK-NEXT: circulant.yield %arg0 : tensor<?x4xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: circulant.yield
// CHECK-NEXT: } {else_error = "X [1,8] cannot be squeezed"}
func.func @failing_branch(%x: tensor<?x4xf32>, %c: tensor<1xf32>) -> tensor<?x4xf32> {
  %r = circulant.if %c : tensor<1xf32> -> tensor<?x4xf32> {
    circulant.yield %x : tensor<?x4xf32>
  } else {
    circulant.yield
  } {else_error = "X [1,8] cannot be squeezed"}
  return %r : tensor<?x4xf32>
}
