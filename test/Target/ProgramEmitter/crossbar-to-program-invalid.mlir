// RUN: rebocc-translate --crossbar-to-program %s -split-input-file -verify-diagnostics

// The translation reads the hardware from the module's rebocc.hw attribute.
// expected-error @+1 {{rebocc.hw: cell_bits = 5 must be in [1, 4]}}
module attributes {rebocc.hw = {weight_bits = 4 : i64, cell_bits = 5 : i64}} {
  func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}

// -----

// Circulant IR must be lowered first.
func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{cannot be emitted: lower it to the crossbar dialect first}}
  %y = circulant.relu %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
