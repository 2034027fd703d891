// Auto d: the largest divisor of k whose copies need no more crossbars than A.
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights | FileCheck %s --check-prefix=AUTO
// Forced d.
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights=factor=1 | FileCheck %s --check-prefix=F1
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-horizontal-slice,circulant-duplicate-weights{factor=2})' | FileCheck %s --check-prefix=F2
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-horizontal-slice,circulant-duplicate-weights{factor=4})' | FileCheck %s --check-prefix=F4
// The dense baseline E has nothing to duplicate: left as it is.
// RUN: rebocc-opt %s -split-input-file --circulant-dense-mapping --circulant-duplicate-weights=factor=2 | FileCheck %s --check-prefix=DENSE
// A factor that does not divide k is an error (first layer of each split).
// RUN: not rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights=factor=3 2>&1 >/dev/null | FileCheck %s --check-prefix=BAD3
// RUN: not rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights=factor=-2 2>&1 >/dev/null | FileCheck %s --check-prefix=NEG
// A layer that was never mapped is an error.
// RUN: not rebocc-opt %s -split-input-file --circulant-duplicate-weights 2>&1 >/dev/null | FileCheck %s --check-prefix=UNMAPPED

// 8 x 8 arrays, 4-bit weights on 2-bit cells: 2 cells per weight, 4 weight
// columns and floor(8/k)*k rows per array. B(d) has q*k rows and p*d weight
// columns: crossbars = ceil(q*k / rows per array) * ceil(p*d / 4).
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // AUTO-LABEL: func.func @small
  // F1-LABEL: func.func @small
  // F2-LABEL: func.func @small
  // F4-LABEL: func.func @small
  // DENSE-LABEL: func.func @small
  func.func @small(%x12: tensor<?x12xf32>, %x8: tensor<?x8xf32>, %x16: tensor<?x16xf32>,
                   %x4: tensor<?x4xf32>) {
    // m = 8, n = 12, k = 4 (p = 2, q = 3): 12 rows -> 2 row tiles.
    // A: 2 cols -> 1, 2 crossbars. d = 4: 8 cols -> 2, 4 > 2. d = 2: 4 cols -> 1, 2.
    // AUTO: crossbars = 2 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "a"
    // F1: crossbars = 2 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "a"
    // F2: crossbars = 2 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "a"
    // F4: crossbars = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "a"
    // DENSE: crossbars = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "a"
    // BAD3: circulant-duplicate-weights.mlir:[[@LINE+3]]:10: error: layer 'a': duplication factor 3 does not divide block size 4
    // NEG: circulant-duplicate-weights.mlir:[[@LINE+2]]:10: error: layer 'a': duplication factor -2 does not divide block size 4
    // UNMAPPED: circulant-duplicate-weights.mlir:[[@LINE+1]]:10: error: layer 'a' must be mapped with circulant-horizontal-slice first
    %a = circulant.fc %x12 {name = "a", block_size = 4 : i64,
           weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    // m = 4, n = 8, k = 4 (p = 1, q = 2): 8 rows -> 1. Even d = k = 4 fits the
    // one array A uses (4 weight columns).
    // AUTO: crossbars = 1 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "n1"
    // F1: crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "n1"
    // F2: crossbars = 1 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "n1"
    // F4: crossbars = 1 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "n1"
    // DENSE: crossbars = 1 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "n1"
    %n1 = circulant.fc %x8 {name = "n1", block_size = 4 : i64,
           weight = dense<1.0> : tensor<1x2x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x8xf32>) -> tensor<?x4xf32>
    // m = 8, n = 16, k = 8 (p = 1, q = 2): 16 rows -> 2. A: 2 crossbars.
    // d = 8: 8 cols -> 2, 4 > 2; d = 4: 4 cols -> 1, 2.
    // AUTO: crossbars = 2 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "e"
    // F1: crossbars = 2 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "e"
    // F2: crossbars = 2 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "e"
    // F4: crossbars = 2 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "e"
    // DENSE: crossbars = 4 : i64, duplication = 8 : i64, mapping = #circulant.mapping<E>, name = "e"
    %e = circulant.fc %x16 {name = "e", block_size = 8 : i64,
           weight = dense<1.0> : tensor<1x2x8xf32>, bias = dense<0.0> : tensor<8xf32>}
         : (tensor<?x16xf32>) -> tensor<?x8xf32>
    // m = 12, n = 4, k = 4 (p = 3, q = 1): 4 rows -> 1. A: 3 cols -> 1.
    // d = 4: 12 cols -> 3; d = 2: 6 cols -> 2; neither fits: stays A.
    // AUTO: crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "f"
    // F1: crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "f"
    // F2: crossbars = 2 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "f"
    // F4: crossbars = 3 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "f"
    // DENSE: crossbars = 3 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "f"
    %f = circulant.fc %x4 {name = "f", block_size = 4 : i64,
           weight = dense<1.0> : tensor<3x1x4xf32>, bias = dense<0.0> : tensor<12xf32>}
         : (tensor<?x4xf32>) -> tensor<?x12xf32>
    return
  }
}

// -----

// ISAAC-CE defaults (128 x 128, 8 cells per weight, 16 weight columns).
// REBOC.md worked example, FC 1024 x 1024, k = 16 (p = q = 64, 8 row tiles):
// A 32 crossbars, B(4) 128, E 512; auto keeps A (B(2) already needs 64).
// AUTO-LABEL: func.func @isaac
// F1-LABEL: func.func @isaac
// F2-LABEL: func.func @isaac
// F4-LABEL: func.func @isaac
// DENSE-LABEL: func.func @isaac
// AUTO: crossbars = 32 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "fc1024"
// F1: crossbars = 32 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "fc1024"
// F2: crossbars = 64 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "fc1024"
// F4: crossbars = 128 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "fc1024"
// DENSE: crossbars = 512 : i64, duplication = 16 : i64, mapping = #circulant.mapping<E>, name = "fc1024"
// A narrow layer, m = 64, n = 1024, k = 16 (p = 4): A uses 8 arrays with 4 of
// 16 weight columns each; d = 4 fills them (16 columns), d = 8 would need 16.
// AUTO: crossbars = 8 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "narrow"
// F1: crossbars = 8 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "narrow"
// F2: crossbars = 8 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "narrow"
// F4: crossbars = 8 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "narrow"
// DENSE: crossbars = 32 : i64, duplication = 16 : i64, mapping = #circulant.mapping<E>, name = "narrow"
func.func @isaac(%x: tensor<?x1024xf32>) -> (tensor<?x1024xf32>, tensor<?x64xf32>) {
  // BAD3: circulant-duplicate-weights.mlir:[[@LINE+3]]:8: error: layer 'fc1024': duplication factor 3 does not divide block size 16
  // NEG: circulant-duplicate-weights.mlir:[[@LINE+2]]:8: error: layer 'fc1024': duplication factor -2 does not divide block size 16
  // UNMAPPED: circulant-duplicate-weights.mlir:[[@LINE+1]]:8: error: layer 'fc1024' must be mapped with circulant-horizontal-slice first
  %y = circulant.fc %x {name = "fc1024", block_size = 16 : i64,
         weight = dense<0.5> : tensor<64x64x16xf32>, bias = dense<0.0> : tensor<1024xf32>}
       : (tensor<?x1024xf32>) -> tensor<?x1024xf32>
  %z = circulant.fc %x {name = "narrow", block_size = 16 : i64,
         weight = dense<0.5> : tensor<4x64x16xf32>, bias = dense<0.0> : tensor<64xf32>}
       : (tensor<?x1024xf32>) -> tensor<?x64xf32>
  return %y, %z : tensor<?x1024xf32>, tensor<?x64xf32>
}
