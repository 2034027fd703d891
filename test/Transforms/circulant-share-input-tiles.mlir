// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --circulant-share-input-tiles | FileCheck %s
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights --circulant-share-input-tiles | FileCheck %s --check-prefix=PIPE

// Sharing only adds shared_input; the mapping, duplication and crossbar
// count stay as the mapping pass set them.
// CHECK-LABEL: func.func @mapped
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<8xf32>, block_size = 4 : i64, crossbars = 2 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "a", shared_input, weight = dense<1.000000e+00> : tensor<2x3x4xf32>}
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<8xf32>, block_size = 4 : i64, crossbars = 3 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "b", shared_input, weight = dense<1.000000e+00> : tensor<2x3x4xf32>}
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<8xf32>, block_size = 4 : i64, crossbars = 5 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "e", shared_input, weight = dense<1.000000e+00> : tensor<2x3x4xf32>}
// Already shared: unchanged.
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<8xf32>, block_size = 4 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "s", shared_input, weight = dense<1.000000e+00> : tensor<2x3x4xf32>}
// PIPE-LABEL: func.func @mapped
// On 8 x 8 arrays with 2 cells per weight (4 weight columns): every layer is
// m = 8, n = 12, k = 4; auto duplication picks d = 2 (2 crossbars, as A).
// PIPE-COUNT-4: block_size = 4 : i64, crossbars = 2 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "{{[abes]}}", shared_input,
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @mapped(%x: tensor<?x12xf32>) {
    %a = circulant.fc %x {name = "a", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64, crossbars = 2 : i64,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    %b = circulant.fc %x {name = "b", block_size = 4 : i64, mapping = #circulant.mapping<B>,
           duplication = 2 : i64, crossbars = 3 : i64,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    %e = circulant.fc %x {name = "e", block_size = 4 : i64, mapping = #circulant.mapping<E>,
           duplication = 4 : i64, crossbars = 5 : i64,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    %s = circulant.fc %x {name = "s", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64, shared_input,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    return
  }
}

// -----

// Without a mapping there is nothing to share (first RUN only; the second
// maps the layer first).
// PIPE-LABEL: func.func @unmapped
// PIPE: crossbars = 1 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "plain", shared_input
func.func @unmapped(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{layer 'plain' has no mapping; run a mapping pass first}}
  %y = circulant.fc %x {name = "plain", block_size = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
