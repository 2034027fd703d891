// Auto detection (default candidates 2, 4, ..., 256 and tolerance 1e-5).
// RUN: rebocc-opt %s -split-input-file --circulant-block-partition | FileCheck %s --check-prefix=AUTO
// Auto detection restricted to k = 2.
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{candidates=2})' | FileCheck %s --check-prefix=CAND
// A looser tolerance accepts the slightly noisy layer (and projects it).
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{tolerance=1e-3})' | FileCheck %s --check-prefix=TOL
// Forced k = 4 with per-layer overrides (these win over block-size).
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{block-size=4 layers=nested:2,noisy:1,rough:1})' | FileCheck %s --check-prefix=LAYERS
// Per-layer only; everything else stays on auto detection.
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{layers=ragged:4})' | FileCheck %s --check-prefix=RAGGED
// Forced k = 4 with projection: non-circulant layers are approximated, with a remark.
// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(circulant-block-partition{block-size=4 projection=on})' | FileCheck %s --check-prefix=PROJ
// Forced k = 4 without projection: an error for each non-circulant layer
// (ERR lines next to the layers).
// RUN: not rebocc-opt %s -split-input-file --circulant-block-partition="block-size=4" 2>&1 | FileCheck %s --check-prefix=ERR
// Bad option values.
// RUN: not rebocc-opt %s --circulant-block-partition="block-size=abc" 2>&1 | FileCheck %s --check-prefix=BADK
// RUN: not rebocc-opt %s --circulant-block-partition="block-size=0" 2>&1 | FileCheck %s --check-prefix=BADZERO
// RUN: not rebocc-opt %s --pass-pipeline='builtin.module(circulant-block-partition{layers=generic})' 2>&1 | FileCheck %s --check-prefix=BADLAYER
// RUN: not rebocc-opt %s --pass-pipeline='builtin.module(circulant-block-partition{layers=:4})' 2>&1 | FileCheck %s --check-prefix=BADLAYER2

// BADK: error: circulant-block-partition: block-size must be 'auto' or a positive integer, got 'abc'
// BADZERO: error: circulant-block-partition: block-size must be 'auto' or a positive integer, got '0'
// BADLAYER: error: circulant-block-partition: layers entries are name:k, got 'generic'
// BADLAYER2: error: circulant-block-partition: layers entries are name:k, got ':4'


// Defining vectors (p = q = 2, k = 4), W_ij[r][c] = w_ij[(c - r) mod k]:
//   w_00 = [1 2 3 4], w_01 = [5 6 7 8], w_10 = [9 10 11 12], w_11 = [13 14 15 16].
// Row 0 of each block is its defining vector; 2x2 sub-blocks are not
// circulant (W[0][1] = 2 but W[1][0] = 4) and neither are 8x8 blocks, so auto
// detection must pick k = 4 and store exactly these vectors, not their reversal
// (the first column [1 4 3 2]).
// AUTO-LABEL: func.func @partition
// AUTO: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<8xf32>, block_size = 4 : i64, name = "generic", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00]], {{\[\[}}9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01], [1.300000e+01, 1.400000e+01, 1.500000e+01, 1.600000e+01]]]> : tensor<2x2x4xf32>} : (tensor<?x8xf32>) -> tensor<?x8xf32>
// Circulant with k = 2 and with k = 4: the largest wins.
// AUTO: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, name = "nested", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 2.000000e+00]]]> : tensor<1x1x4xf32>}
// m = 5 has no divisor in the candidates: stays dense, weight unchanged.
// AUTO: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<5xf32>, block_size = 1 : i64, name = "ragged", weight = dense<{{.*}}> : tensor<5x4x1xf32>} : (tensor<?x4xf32>) -> tensor<?x5xf32>
// One entry off by 1e-3 (relative deviation 1.9e-4 > 1e-5): stays dense.
// AUTO: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 1 : i64, name = "noisy", weight = dense<{{.*}}2.001000e+00{{.*}}> : tensor<4x4x1xf32>}
// A layer that is already block-circulant is left alone (its vectors are
// not re-interpreted as dense weights).
// AUTO: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, name = "given", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00]]]> : tensor<1x1x2xf32>}
// AUTO-NOT: projection_error

// CAND-LABEL: func.func @partition
// CAND: block_size = 1 : i64, name = "generic"
// CAND: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 2 : i64, name = "nested", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 2.000000e+00]], {{\[\[}}3.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]]> : tensor<2x2x2xf32>}
// CAND: block_size = 1 : i64, name = "ragged"
// CAND: block_size = 1 : i64, name = "noisy"
// CAND: block_size = 2 : i64, name = "given"

// TOL-LABEL: func.func @partition
// TOL: block_size = 4 : i64, name = "generic"
// TOL: block_size = 4 : i64, name = "nested"
// TOL: block_size = 1 : i64, name = "ragged"
// The mean of the diagonal 2, 2.001, 2, 2 is 2.00025.
// TOL: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, name = "noisy", weight = dense<{{\[\[\[}}1.000000e+00, 2.00024986, 3.000000e+00, 4.000000e+00]]]> : tensor<1x1x4xf32>}
// Detection within the tolerance is not a projection the user asked for.
// TOL-NOT: projection_error

// LAYERS-LABEL: func.func @partition
// LAYERS: block_size = 4 : i64, name = "generic", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], [5.000000e+00
// LAYERS: block_size = 2 : i64, name = "nested", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 2.000000e+00]], {{\[\[}}3.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]]> : tensor<2x2x2xf32>
// Forced k = 4 pads the ragged layer: p = ceil(5/4) = 2, q = 1; block-row 1
// holds only row 4, which is its defining vector.
// LAYERS: block_size = 4 : i64, name = "ragged", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]], {{\[\[}}-1.000000e+00, -2.000000e+00, 5.000000e-01, 7.000000e+00]]]> : tensor<2x1x4xf32>
// LAYERS: block_size = 1 : i64, name = "noisy"
// LAYERS: block_size = 2 : i64, name = "given"
// LAYERS-LABEL: func.func @forced
// LAYERS: block_size = 4 : i64, name = "ones", weight = dense<5.000000e-01> : tensor<1x2x4xf32>
// LAYERS-LABEL: func.func @not_circulant
// LAYERS: block_size = 1 : i64, name = "rough"
// LAYERS-NOT: projection_error

// RAGGED-LABEL: func.func @partition
// RAGGED: block_size = 4 : i64, name = "generic"
// RAGGED: block_size = 4 : i64, name = "nested"
// RAGGED: block_size = 4 : i64, name = "ragged", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]], {{\[\[}}-1.000000e+00, -2.000000e+00, 5.000000e-01, 7.000000e+00]]]> : tensor<2x1x4xf32>
// RAGGED: block_size = 1 : i64, name = "noisy"

// PROJ-LABEL: func.func @partition
// PROJ: block_size = 4 : i64, name = "generic"
// PROJ-NOT: projection_error
// PROJ: block_size = 4 : i64, name = "nested"
// PROJ-NOT: projection_error
// PROJ: block_size = 4 : i64, name = "ragged"
// PROJ-NOT: projection_error
// PROJ: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, name = "noisy", projection_error = 7.9049{{[0-9]*}}E-5 : f64, weight = dense<{{\[\[\[}}1.000000e+00, 2.00024986, 3.000000e+00, 4.000000e+00]]]> : tensor<1x1x4xf32>}
// PROJ: block_size = 2 : i64, name = "given"
func.func @partition(%x8: tensor<?x8xf32>, %x4: tensor<?x4xf32>, %x2: tensor<?x2xf32>)
    -> (tensor<?x8xf32>, tensor<?x4xf32>, tensor<?x5xf32>, tensor<?x4xf32>, tensor<?x2xf32>) {
  %generic = circulant.fc %x8 {name = "generic", block_size = 1 : i64,
         weight = dense<[[[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]],
                         [[4.0], [1.0], [2.0], [3.0], [8.0], [5.0], [6.0], [7.0]],
                         [[3.0], [4.0], [1.0], [2.0], [7.0], [8.0], [5.0], [6.0]],
                         [[2.0], [3.0], [4.0], [1.0], [6.0], [7.0], [8.0], [5.0]],
                         [[9.0], [10.0], [11.0], [12.0], [13.0], [14.0], [15.0], [16.0]],
                         [[12.0], [9.0], [10.0], [11.0], [16.0], [13.0], [14.0], [15.0]],
                         [[11.0], [12.0], [9.0], [10.0], [15.0], [16.0], [13.0], [14.0]],
                         [[10.0], [11.0], [12.0], [9.0], [14.0], [15.0], [16.0], [13.0]]]> : tensor<8x8x1xf32>,
         bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %nested = circulant.fc %x4 {name = "nested", block_size = 1 : i64,
         weight = dense<[[[1.0], [2.0], [3.0], [2.0]],
                         [[2.0], [1.0], [2.0], [3.0]],
                         [[3.0], [2.0], [1.0], [2.0]],
                         [[2.0], [3.0], [2.0], [1.0]]]> : tensor<4x4x1xf32>,
         bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %ragged = circulant.fc %x4 {name = "ragged", block_size = 1 : i64,
         weight = dense<[[[1.0], [2.0], [3.0], [4.0]],
                         [[4.0], [1.0], [2.0], [3.0]],
                         [[3.0], [4.0], [1.0], [2.0]],
                         [[2.0], [3.0], [4.0], [1.0]],
                         [[-1.0], [-2.0], [0.5], [7.0]]]> : tensor<5x4x1xf32>,
         bias = dense<0.0> : tensor<5xf32>}
       : (tensor<?x4xf32>) -> tensor<?x5xf32>
  // ERR: circulant-block-partition.mlir:[[@LINE+2]]:12: error: layer 'noisy' is not block-circulant with k = 4 (max relative deviation 1.875162e-04); use --projection (rebocc) or the pass option projection=on (rebocc-opt) to approximate it
  // expected-remark @+1 {{layer 'noisy' projected onto block size 4, relative Frobenius error 7.904990e-05}}
  %noisy = circulant.fc %x4 {name = "noisy", block_size = 1 : i64,
         weight = dense<[[[1.0], [2.0], [3.0], [4.0]],
                         [[4.0], [1.0], [2.001], [3.0]],
                         [[3.0], [4.0], [1.0], [2.0]],
                         [[2.0], [3.0], [4.0], [1.0]]]> : tensor<4x4x1xf32>,
         bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %given = circulant.fc %x2 {name = "given", block_size = 2 : i64,
         weight = dense<[[[1.0, 2.0]]]> : tensor<1x1x2xf32>,
         bias = dense<0.0> : tensor<2xf32>}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %generic, %nested, %ragged, %noisy, %given
      : tensor<?x8xf32>, tensor<?x4xf32>, tensor<?x5xf32>, tensor<?x4xf32>, tensor<?x2xf32>
}

// -----

// A constant layer is circulant for every k; auto picks the largest
// candidate dividing m = 4 and n = 8 (k = 4), as does forcing k = 4.
// AUTO-LABEL: func.func @forced
// AUTO: block_size = 4 : i64, name = "ones", weight = dense<5.000000e-01> : tensor<1x2x4xf32>
// CAND-LABEL: func.func @forced
// CAND: block_size = 2 : i64, name = "ones", weight = dense<5.000000e-01> : tensor<2x4x2xf32>
// PROJ-LABEL: func.func @forced
// PROJ: block_size = 4 : i64, name = "ones", weight = dense<5.000000e-01> : tensor<1x2x4xf32>
// PROJ-NOT: projection_error
func.func @forced(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %y = circulant.fc %x {name = "ones", block_size = 1 : i64,
         weight = dense<0.5> : tensor<4x8x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x8xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Not circulant for any k: auto leaves it dense.
// AUTO-LABEL: func.func @not_circulant
// AUTO: block_size = 1 : i64, name = "rough", weight = dense<{{.*}}> : tensor<4x4x1xf32>
// The projection takes the mean of each circulant diagonal: diagonal t = 1
// holds 2, 6, 2, 2, mean 3; the relative Frobenius error is
// sqrt((3^2 + 3 * 1^2) / 152) = sqrt(12 / 152) = 0.28097574...
// PROJ-LABEL: func.func @not_circulant
// PROJ: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, name = "rough", projection_error = 0.280975743{{[0-9]*}} : f64, weight = dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, 3.000000e+00, 4.000000e+00]]]> : tensor<1x1x4xf32>}
func.func @not_circulant(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // ERR: circulant-block-partition.mlir:[[@LINE+2]]:8: error: layer 'rough' is not block-circulant with k = 4 (max relative deviation 5.000000e-01); use --projection (rebocc) or the pass option projection=on (rebocc-opt) to approximate it
  // expected-remark @+1 {{layer 'rough' projected onto block size 4, relative Frobenius error 2.809757e-01}}
  %y = circulant.fc %x {name = "rough", block_size = 1 : i64,
         weight = dense<[[[1.0], [2.0], [3.0], [4.0]],
                         [[4.0], [1.0], [6.0], [3.0]],
                         [[3.0], [4.0], [1.0], [2.0]],
                         [[2.0], [3.0], [4.0], [1.0]]]> : tensor<4x4x1xf32>,
         bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A layers entry that names no layer is reported (a typo must not silently
// leave the intended layer dense).
// RUN: rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{layers=fc_typo:4})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=TYPO
// TYPO: warning: circulant-block-partition: no layer named 'fc_typo' (from the layers option)
func.func @typo(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = circulant.fc %x {name = "fc", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>,
         bias = dense<0.0> : tensor<4xf32>} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

