// budget=chip spends a chip's spare IMAs where the cost model says they save
// the most latency, as long as the model still fits one chip with every layer
// owning whole IMAs. All cases: 8x8 arrays, 4-bit weights on 2-bit cells (4
// weight columns per array), one tile.
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-share-input-tiles --circulant-duplicate-weights | FileCheck %s --check-prefix=IDLE
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-share-input-tiles --circulant-duplicate-weights='budget=chip' | FileCheck %s --check-prefix=CHIP
// RUN: not rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=all' 2>&1 | FileCheck %s --check-prefix=BAD

// Three IMAs of two crossbars.
// conv: 1x1, 8 -> 8 channels, k = 8, 4x4 output: p = 1, 8 logical rows.
// A: 1 crossbar, 8 steps x 16 positions per image. Idle fill: B(4) fills the
// 4 weight columns of that crossbar (2 steps). Chip budget: B(8) needs a
// second crossbar, in the IMA the layer already owns (1 step).
// IDLE-LABEL: func.func @two_layers
// IDLE: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
// CHIP-LABEL: func.func @two_layers
// CHIP: crossbars = 2 : i64{{.*}}duplication = 8 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
// fc: 16 -> 4, k = 4: p = 1, 16 logical rows -> 2 row tiles. A: 2
// crossbars, 4 steps; idle fill B(4): 4 weight columns, still 2 crossbars,
// 1 step. Nothing left to gain.
// IDLE: crossbars = 2 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "fc"
// CHIP: crossbars = 2 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "fc"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64, imas_per_tile = 3 : i64, xbars_per_ima = 2 : i64}} {
  func.func @two_layers(%x: tensor<?x8x4x4xf32>, %v: tensor<?x16xf32>) -> (tensor<?x8x4x4xf32>, tensor<?x4xf32>) {
    %c = circulant.conv %x {name = "conv", block_size = 8 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x1x1x1x1x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
    %f = circulant.fc %v {name = "fc", block_size = 4 : i64,
       weight = dense<1.0> : tensor<1x4x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x16xf32>) -> tensor<?x4xf32>
    return %c, %f : tensor<?x8x4x4xf32>, tensor<?x4xf32>
  }
}

// -----

// The same conv on one IMA of two crossbars whose single ADC converts one
// sample per microsecond: the ADC, not the crossbar reads, sets the layer's
// time, so a second crossbar in the same IMA saves nothing and is not spent.
// CHIP-LABEL: func.func @adc_bound
// CHIP: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64, imas_per_tile = 1 : i64, xbars_per_ima = 2 : i64, adcs_per_ima = 1 : i64, adc_sample_rate_gsps = 0.001 : f64}} {
  func.func @adc_bound(%x: tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32> {
    %c = circulant.conv %x {name = "conv", block_size = 8 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x1x1x1x1x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
    return %c : tensor<?x8x4x4xf32>
  }
}

// -----

// Placement is by whole IMAs. Two IMAs of three crossbars. Each conv
// (16 -> 8 channels, k = 8: two row tiles) is B(4) on 2 crossbars of its own
// IMA, so 2 of the chip's 6 crossbars are free; B(8) would need 4 crossbars,
// a second IMA for that layer and a third for the chip: nothing is spent.
// CHIP-LABEL: func.func @whole_imas
// CHIP: crossbars = 2 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "left"
// CHIP: crossbars = 2 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "right"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64, imas_per_tile = 2 : i64, xbars_per_ima = 3 : i64}} {
  func.func @whole_imas(%x: tensor<?x16x4x4xf32>) -> (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>) {
    %l = circulant.conv %x {name = "left", block_size = 8 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x1x1x1x2x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x16x4x4xf32>) -> tensor<?x8x4x4xf32>
    %r = circulant.conv %x {name = "right", block_size = 8 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x1x1x1x2x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x16x4x4xf32>) -> tensor<?x8x4x4xf32>
    return %l, %r : tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>
  }
}

// -----

// The choice is a knapsack over the spare IMAs, not "the slowest layer
// first". One-crossbar IMAs. wide: 8 -> 192 channels (p = 24), A on 6
// crossbars, 8 steps x 16 positions; B(2) needs 6 more and halves that.
// narrow: B(4) on 1 crossbar, 2 steps x 16; B(8) needs 1 more. 13 IMAs leave
// 6 spare: B(2) of wide saves more than B(8) of narrow, and both do not fit.
// CHIP-LABEL: func.func @knapsack
// CHIP: crossbars = 12 : i64{{.*}}duplication = 2 : i64{{.*}}mapping = #circulant.mapping<B>, name = "wide"
// CHIP: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "narrow"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64, imas_per_tile = 13 : i64, xbars_per_ima = 1 : i64}} {
  func.func @knapsack(%x: tensor<?x8x4x4xf32>) -> (tensor<?x192x4x4xf32>, tensor<?x8x4x4xf32>) {
    %a = circulant.conv %x {name = "wide", block_size = 8 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x24x1x1x1x8xf32>, bias = dense<0.0> : tensor<192xf32>}
       : (tensor<?x8x4x4xf32>) -> tensor<?x192x4x4xf32>
    %c = circulant.conv %x {name = "narrow", block_size = 8 : i64, groups = 1 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x1x1x1x1x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
    return %a, %c : tensor<?x192x4x4xf32>, tensor<?x8x4x4xf32>
  }
}

// BAD: for the --budget option: Cannot find option named 'all'!
