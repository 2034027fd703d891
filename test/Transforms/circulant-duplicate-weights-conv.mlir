// Duplication on convolutions, and the block-diagonal C(d) layout for narrow
// layers. Hardware: 8x8 arrays, 4-bit weights on 2-bit cells (2 cells per
// weight, 4 weight columns per array).
// RUN: rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights | FileCheck %s --check-prefix=AUTO
// RUN: rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights='layout=C' | FileCheck %s --check-prefix=ONLYC
// RUN: not rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights='layout=C factor=2' 2>&1 | FileCheck %s --check-prefix=FORCEDC
// RUN: not rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights='layout=D' 2>&1 | FileCheck %s --check-prefix=BADLAYOUT

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // 3x3 conv, 4 -> 4 channels, k = 2: logical rows 3*3*2*2 = 36 -> 5 row
  // tiles of 8; p = 2 weight columns. A: 5 crossbars, 2 steps. B(2): 4
  // weight columns still fit, 5 crossbars, 1 step. C(2) needs 72 rows: no.
  // AUTO: crossbars = 5 : i64{{.*}}duplication = 2 : i64{{.*}}mapping = #circulant.mapping<B>, name = "wide"
  // ONLYC: crossbars = 5 : i64{{.*}}duplication = 1 : i64{{.*}}mapping = #circulant.mapping<A>, name = "wide"
  // FORCEDC: error: layer 'wide': 2 block-diagonal copies do not fit one crossbar
  func.func @wide(%x: tensor<?x4x6x6xf32>) -> tensor<?x4x4x4xf32> {
    %y = circulant.conv %x {name = "wide", block_size = 2 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x2x3x3x2x2xf32>,
       bias = dense<0.0> : tensor<4xf32>} : (tensor<?x4x6x6xf32>) -> tensor<?x4x4x4xf32>
    return %y : tensor<?x4x4x4xf32>
  }

  // 1x1 conv, 2 -> 2 channels, k = 2: 2 logical rows, p = 1. B(2) and C(2)
  // both fit one crossbar with 1 step; B wins the tie, C when asked for.
  // AUTO: crossbars = 1 : i64{{.*}}duplication = 2 : i64{{.*}}mapping = #circulant.mapping<B>, name = "narrow"
  // ONLYC: crossbars = 1 : i64{{.*}}duplication = 2 : i64{{.*}}mapping = #circulant.mapping<C>, name = "narrow"
  func.func @narrow(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
    %y = circulant.conv %x {name = "narrow", block_size = 2 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<[[[[[[1.0, 2.0]]]]]]> : tensor<1x1x1x1x1x2xf32>,
       bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
    return %y : tensor<?x2x4x4xf32>
  }

  // A fully connected layer with 4 inputs and 2 outputs, k = 4: 4 logical
  // rows, p = 1; B(4) fits 4 weight columns; C(2) needs 8 rows and 2 weight
  // columns: fits, but d = 2 < 4 so B(4) wins; layout=C takes C(2).
  // AUTO: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "fc"
  // ONLYC: crossbars = 1 : i64{{.*}}duplication = 2 : i64{{.*}}mapping = #circulant.mapping<C>, name = "fc"
  func.func @fc(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
    %y = circulant.fc %x {name = "fc", block_size = 4 : i64,
       weight = dense<[[[1.0, 2.0, 3.0, 4.0]]]> : tensor<1x1x4xf32>,
       bias = dense<0.0> : tensor<2xf32>} : (tensor<?x4xf32>) -> tensor<?x2xf32>
    return %y : tensor<?x2xf32>
  }
}
// BADLAYOUT: for the --layout option: Cannot find option named 'D'!
