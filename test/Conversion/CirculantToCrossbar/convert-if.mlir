// A run-time circulant.if becomes a crossbar.if holding the same regions,
// their ops converted in place: each branch's layer gets its crossbar.layer
// and arrays at module level (both are placed), and its schedule inside the
// branch. The two layers share the input %x with the same k, so they read
// one shared buffer, staged where %x is defined, outside both branches.
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | FileCheck %s
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | rebocc-opt -o /dev/null

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // CHECK: crossbar.layer @fa
  // CHECK: crossbar.array @fa_r0_c0
  // CHECK: crossbar.layer @fb
  // CHECK: crossbar.array @fb_r0_c0
  // CHECK-LABEL: func.func @main
  // CHECK-NEXT: %[[BUF:.*]] = crossbar.input_buffer %arg0 {shared, slice_size = 2 : i64}
  // CHECK-NEXT: %[[R:.*]] = crossbar.if %arg1 : tensor<1xf32> -> tensor<?x2xf32> {
  // CHECK-NEXT: %[[A:.*]] = crossbar.mvm %[[BUF]] {{{.*}}layer = @fa
  // CHECK-NEXT: %[[AS:.*]] = crossbar.reduce %[[A]]
  // CHECK-NEXT: %[[AB:.*]] = crossbar.bias_add %[[AS]] {layer = @fa}
  // CHECK-NEXT: crossbar.yield %[[AB]] : tensor<?x2xf32>
  // CHECK-NEXT: } else {
  // CHECK-NEXT: %[[B:.*]] = crossbar.mvm %[[BUF]] {{{.*}}layer = @fb
  // CHECK-NEXT: %[[BS:.*]] = crossbar.reduce %[[B]]
  // CHECK-NEXT: %[[BB:.*]] = crossbar.bias_add %[[BS]] {layer = @fb}
  // CHECK-NEXT: %[[BR:.*]] = crossbar.digital "relu"(%[[BB]])
  // CHECK-NEXT: crossbar.yield %[[BR]] : tensor<?x2xf32>
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[R]]
  func.func @main(%x: tensor<?x4xf32>, %c: tensor<1xf32>) -> tensor<?x2xf32> {
    %r = circulant.if %c : tensor<1xf32> -> tensor<?x2xf32> {
      %a = circulant.fc %x {name = "fa", block_size = 2 : i64, mapping = #circulant.mapping<A>,
             duplication = 1 : i64, crossbars = 1 : i64, shared_input,
             weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}
           : (tensor<?x4xf32>) -> tensor<?x2xf32>
      circulant.yield %a : tensor<?x2xf32>
    } else {
      %b = circulant.fc %x {name = "fb", block_size = 2 : i64, mapping = #circulant.mapping<A>,
             duplication = 1 : i64, crossbars = 1 : i64, shared_input,
             weight = dense<2.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}
           : (tensor<?x4xf32>) -> tensor<?x2xf32>
      %e = circulant.relu %b : tensor<?x2xf32>
      circulant.yield %e : tensor<?x2xf32>
    }
    return %r : tensor<?x2xf32>
  }
}
