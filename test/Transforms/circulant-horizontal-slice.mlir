// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --circulant-horizontal-slice | FileCheck %s

// 8 x 8 arrays, 4-bit weights on 2-bit cells: cells per weight 2, so an array
// holds floor(8 / 2) = 4 weight columns and floor(8 / k) * k rows.
// Mapping A: q*k logical rows, p weight columns;
// crossbars = ceil(q*k / rows per array) * ceil(p / 4).

// CHECK-LABEL: func.func @small
// m = 8, n = 12, k = 4: p = 2, q = 3; 12 rows / 8 -> 2 row tiles; 2 cols -> 1.
// CHECK: crossbars = 2 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "a"
// m = 6, n = 9, k = 3: rows per array floor(8/3)*3 = 6; 9 rows -> 2; 2 cols -> 1.
// CHECK: crossbars = 2 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "b"
// Dense m = 10, n = 20: 20 rows / 8 -> 3; 10 cols / 4 -> 3; 3 x 3 = 9.
// CHECK: block_size = 1 : i64, crossbars = 9 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "c"
// Ragged m = 5, n = 7, k = 4: p = q = 2; 8 rows -> 1; 2 cols -> 1.
// CHECK: crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "d"
// k = 8 = xbar_rows: one block per array; 8 rows -> 1, p = 1 -> 1.
// CHECK: crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "e"
// m = 20, n = 4, k = 2: p = 10, q = 2; 4 rows -> 1; 10 cols / 4 -> 3.
// CHECK: crossbars = 3 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "f"
// m = 5, n = 15, k = 5: rows per array 5; 15 rows -> 3; p = 1 -> 1.
// CHECK: crossbars = 3 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "g"
// A layer mapped before (B(2)) is remapped to A: d back to 1, crossbars recounted.
// CHECK: crossbars = 2 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "remap"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @small(%x12: tensor<?x12xf32>, %x9: tensor<?x9xf32>, %x20: tensor<?x20xf32>,
                   %x7: tensor<?x7xf32>, %x8: tensor<?x8xf32>, %x4: tensor<?x4xf32>,
                   %x15: tensor<?x15xf32>) {
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
    %e = circulant.fc %x8 {name = "e", block_size = 8 : i64,
           weight = dense<1.0> : tensor<1x1x8xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x8xf32>) -> tensor<?x8xf32>
    %f = circulant.fc %x4 {name = "f", block_size = 2 : i64,
           weight = dense<1.0> : tensor<10x2x2xf32>, bias = dense<0.0> : tensor<20xf32>}
         : (tensor<?x4xf32>) -> tensor<?x20xf32>
    %g = circulant.fc %x15 {name = "g", block_size = 5 : i64,
           weight = dense<1.0> : tensor<1x3x5xf32>, bias = dense<0.0> : tensor<5xf32>}
         : (tensor<?x15xf32>) -> tensor<?x5xf32>
    %r = circulant.fc %x12 {name = "remap", block_size = 4 : i64, mapping = #circulant.mapping<B>,
           duplication = 2 : i64, crossbars = 7 : i64,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    return
  }
}

// -----

// No rebocc.hw: ISAAC-CE defaults, 128 x 128 arrays, 16-bit weights on 2-bit
// cells (8 cells per weight, 16 weight columns per array).
// REBOC.md worked example: FC 1024 x 1024 with k = 16: p = q = 64;
// 1024 rows / 128 -> 8; 64 cols / 16 -> 4; 32 crossbars.
// CHECK-LABEL: func.func @isaac
// CHECK: crossbars = 32 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "fc1024"
// A dense 1000 x 1024 classifier: 1024 rows -> 8; 1000 cols / 16 -> 63; 504.
// CHECK: crossbars = 504 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "classifier"
func.func @isaac(%x: tensor<?x1024xf32>) -> (tensor<?x1024xf32>, tensor<?x1000xf32>) {
  %y = circulant.fc %x {name = "fc1024", block_size = 16 : i64,
         weight = dense<0.5> : tensor<64x64x16xf32>, bias = dense<0.0> : tensor<1024xf32>}
       : (tensor<?x1024xf32>) -> tensor<?x1024xf32>
  %z = circulant.fc %x {name = "classifier", block_size = 1 : i64,
         weight = dense<0.5> : tensor<1000x1024x1xf32>, bias = dense<0.0> : tensor<1000xf32>}
       : (tensor<?x1024xf32>) -> tensor<?x1000xf32>
  return %y, %z : tensor<?x1024xf32>, tensor<?x1000xf32>
}

// -----

// Cost figures in rebocc.hw are the interpreter's (accepted, unused here);
// the geometry is read from the integer fields (here 16 x 16 arrays, 8-bit weights on 4-bit cells:
// 2 cells per weight, 8 weight columns, rows per array floor(16/4)*4 = 16).
// m = 36, n = 36, k = 4: p = q = 9; 36 rows / 16 -> 3; 9 cols / 8 -> 2; 6.
// CHECK-LABEL: func.func @other_hw
// CHECK: crossbars = 6 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "h"
module attributes {rebocc.hw = {name = "mine", xbar_rows = 16 : i64, xbar_cols = 16 : i64,
                                weight_bits = 8 : i64, cell_bits = 4 : i64,
                                adc_power_mw = 2.5 : f64}} {
  func.func @other_hw(%x: tensor<?x36xf32>) -> tensor<?x36xf32> {
    %y = circulant.fc %x {name = "h", block_size = 4 : i64,
           weight = dense<1.0> : tensor<9x9x4xf32>, bias = dense<0.0> : tensor<36xf32>}
         : (tensor<?x36xf32>) -> tensor<?x36xf32>
    return %y : tensor<?x36xf32>
  }
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

// expected-error @+1 {{rebocc.hw: xbar_rows has the wrong type}}
module attributes {rebocc.hw = {xbar_rows = "8"}} {
  func.func @bad_hw(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = circulant.fc %x {name = "l", block_size = 4 : i64,
           weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x4xf32>) -> tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// expected-error @+1 {{rebocc.hw: xbar_rows = 0 must be in [1, 1048576]}}
module attributes {rebocc.hw = {xbar_rows = 0 : i64}} {
  func.func @zero_rows(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = circulant.fc %x {name = "l", block_size = 4 : i64,
           weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x4xf32>) -> tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// 16-bit weights on 2-bit cells need 8 columns; the array has 4.
// expected-error @+1 {{rebocc.hw: cells per weight (8) exceed xbar_cols = 4}}
module attributes {rebocc.hw = {xbar_cols = 4 : i64}} {
  func.func @narrow(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = circulant.fc %x {name = "l", block_size = 4 : i64,
           weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x4xf32>) -> tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// expected-error @+1 {{rebocc.hw: name has the wrong type}}
module attributes {rebocc.hw = {name = 3 : i64}} {
  func.func @bad_name() {
    return
  }
}

// -----

// A misspelt key is an error, not silently ignored.
// expected-error @+1 {{rebocc.hw: unknown key 'xbar_row'}}
module attributes {rebocc.hw = {xbar_row = 8 : i64}} {
  func.func @typo() {
    return
  }
}

// -----

// Real-valued fields also accept integers; other types are rejected.
// expected-error @+1 {{rebocc.hw: read_cycle_ns has the wrong type}}
module attributes {rebocc.hw = {read_cycle_ns = "fast"}} {
  func.func @bad_real() {
    return
  }
}
