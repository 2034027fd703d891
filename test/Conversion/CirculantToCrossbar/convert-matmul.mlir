// circulant.matmul (two run-time operands) becomes crossbar.digital
// "matmul"; with attention=reprogram it carries the unit `reprogram`
// attribute (the right operand is written into crossbar cells per
// inference). Any other attention value is one error.
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | FileCheck %s --check-prefix=DIGITAL
// RUN: rebocc-opt %s "--convert-circulant-to-crossbar=attention=reprogram" | FileCheck %s --check-prefix=REPROGRAM
// RUN: rebocc-opt %s "--convert-circulant-to-crossbar=attention=reprogram" | rebocc-opt -o /dev/null
// RUN: not rebocc-opt %s "--convert-circulant-to-crossbar=attention=analog" 2>&1 | FileCheck %s --check-prefix=BAD

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // DIGITAL-LABEL: func.func @main
  // DIGITAL: %[[S:.*]] = crossbar.digital "matmul"(%arg0, %arg1) : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  // DIGITAL: return %[[S]]
  // REPROGRAM: crossbar.digital "matmul"(%arg0, %arg1) {reprogram} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  // BAD: error: attention must be "digital" or "reprogram", not "analog"
  func.func @main(%q: tensor<2x3x4xf32>, %k: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
    %s = circulant.matmul %q, %k : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
    return %s : tensor<2x3x5xf32>
  }
}
