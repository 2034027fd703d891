// A circulant.if whose then branch cannot run (then_error) becomes a
// crossbar.if with the same error and the same empty then region.
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | FileCheck %s
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | rebocc-opt -o /dev/null

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // CHECK-LABEL: func.func @main
  // CHECK: %[[R:.*]] = crossbar.if %arg1 : tensor<1xf32> -> tensor<?x4xf32> {
  // CHECK-NEXT: crossbar.yield{{$}}
  // CHECK-NEXT: } else {
  // CHECK-NEXT: %[[E:.*]] = crossbar.digital "relu"(%arg0)
  // CHECK-NEXT: crossbar.yield %[[E]] : tensor<?x4xf32>
  // CHECK-NEXT: } {then_error = "node 'sq' (Squeeze): cannot squeeze"}
  // CHECK-NEXT: return %[[R]]
  func.func @main(%x: tensor<?x4xf32>, %c: tensor<1xf32>) -> tensor<?x4xf32> {
    %r = circulant.if %c : tensor<1xf32> -> tensor<?x4xf32> {
      circulant.yield
    } else {
      %e = circulant.relu %x : tensor<?x4xf32>
      circulant.yield %e : tensor<?x4xf32>
    } {then_error = "node 'sq' (Squeeze): cannot squeeze"}
    return %r : tensor<?x4xf32>
  }
}
