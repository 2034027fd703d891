// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --circulant-dense-mapping | FileCheck %s

// Mapping E stores the expanded matrix: d = k, p*k weight columns, q*k rows.
// 8 x 8 arrays, 2 cells per weight: 4 weight columns, floor(8/k)*k rows.
// CHECK-LABEL: func.func @small
// m = 8, n = 12, k = 4: 12 rows -> 2 row tiles; 8 cols -> 2 col tiles; 4.
// (Mapping A would need 2.)
// CHECK: crossbars = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "a"
// k = 3, m = 6, n = 9: 6 rows per array, 9 rows -> 2; 6 cols -> 2; 4.
// CHECK: crossbars = 4 : i64, duplication = 3 : i64, mapping = #circulant.mapping<E>, name = "b"
// Dense k = 1, m = 10, n = 20: d = 1; 20 rows -> 3; 10 cols -> 3; 9.
// CHECK: block_size = 1 : i64, crossbars = 9 : i64, duplication = 1 : i64, mapping = #circulant.mapping<E>, name = "c"
// Ragged m = 5, n = 7, k = 4 (p = q = 2): 8 rows -> 1; 8 cols -> 2; 2.
// CHECK: crossbars = 2 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "d"
// Already mapped A with shared input: remapped to E, sharing kept.
// CHECK: crossbars = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "remap", shared_input
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @small(%x12: tensor<?x12xf32>, %x9: tensor<?x9xf32>, %x20: tensor<?x20xf32>,
                   %x7: tensor<?x7xf32>) {
    %a = circulant.fc %x12 {name = "a", block_size = 4 : i64,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    %b = circulant.fc %x9 {name = "b", block_size = 3 : i64,
           weight = dense<1.0> : tensor<2x3x3xf32>, bias = dense<0.0> : tensor<6xf32>}
         : (tensor<?x9xf32>) -> tensor<?x6xf32>
    %c = circulant.fc %x20 {name = "c", block_size = 1 : i64,
           weight = dense<1.0> : tensor<10x20x1xf32>, bias = dense<0.0> : tensor<10xf32>}
         : (tensor<?x20xf32>) -> tensor<?x10xf32>
    %d = circulant.fc %x7 {name = "d", block_size = 4 : i64,
           weight = dense<1.0> : tensor<2x2x4xf32>, bias = dense<0.0> : tensor<5xf32>}
         : (tensor<?x7xf32>) -> tensor<?x5xf32>
    %r = circulant.fc %x12 {name = "remap", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64, crossbars = 2 : i64, shared_input,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    return
  }
}

// -----

// ISAAC-CE defaults: REBOC.md worked example, FC 1024 x 1024 with k = 16:
// 1024 rows -> 8; 1024 cols / 16 -> 64; 512 crossbars.
// CHECK-LABEL: func.func @isaac
// CHECK: crossbars = 512 : i64, duplication = 16 : i64, mapping = #circulant.mapping<E>, name = "fc1024"
func.func @isaac(%x: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %y = circulant.fc %x {name = "fc1024", block_size = 16 : i64,
         weight = dense<0.5> : tensor<64x64x16xf32>, bias = dense<0.0> : tensor<1024xf32>}
       : (tensor<?x1024xf32>) -> tensor<?x1024xf32>
  return %y : tensor<?x1024xf32>
}

// -----

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @too_big(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
    // expected-error @+1 {{layer 'big': block size 16 exceeds the 8 crossbar rows}}
    %y = circulant.fc %x {name = "big", block_size = 16 : i64,
           weight = dense<1.0> : tensor<1x1x16xf32>, bias = dense<0.0> : tensor<16xf32>}
         : (tensor<?x16xf32>) -> tensor<?x16xf32>
    return %y : tensor<?x16xf32>
  }
}

// -----

// expected-error @+1 {{rebocc.hw: weight_bits = 1 must be in [2, 24]}}
module attributes {rebocc.hw = {weight_bits = 1 : i64, cell_bits = 1 : i64}} {
  func.func @bad_bits() {
    return
  }
}
