// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --circulant-duplicate-weights

// A layer mapped A by hand whose k-slice does not fit an array: duplication
// must report it like the mapping passes do, not leave crossbars = 0 behind
// for the op verifier to trip over.
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @too_big(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
    // expected-error @+1 {{layer 'big': block size 16 exceeds the 8 crossbar rows}}
    %y = circulant.fc %x {name = "big", block_size = 16 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64,
           weight = dense<1.0> : tensor<1x1x16xf32>, bias = dense<0.0> : tensor<16xf32>}
         : (tensor<?x16xf32>) -> tensor<?x16xf32>
    return %y : tensor<?x16xf32>
  }
}

// -----

func.func @unmapped(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{layer 'plain' must be mapped with circulant-horizontal-slice first}}
  %y = circulant.fc %x {name = "plain", block_size = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The walk stops at the first unmapped layer.
func.func @second_unmapped(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = circulant.fc %x {name = "ok", block_size = 2 : i64, mapping = #circulant.mapping<A>,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // expected-error @+1 {{layer 'late' must be mapped with circulant-horizontal-slice first}}
  %b = circulant.fc %a {name = "late", block_size = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}
