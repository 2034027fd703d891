// budget=chip spends a chip's spare crossbars on the layers with the longest
// crossbar-read time. Hardware: 8x8 arrays, 4-bit weights on 2-bit cells (4
// weight columns per array), a chip of 1 tile x 1 IMA x 6 crossbars.
// RUN: rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights | FileCheck %s --check-prefix=IDLE
// RUN: rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights='budget=chip' | FileCheck %s --check-prefix=CHIP
// RUN: not rebocc-opt %s --circulant-horizontal-slice --circulant-duplicate-weights='budget=all' 2>&1 | FileCheck %s --check-prefix=BAD

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64, imas_per_tile = 1 : i64, xbars_per_ima = 6 : i64}} {
  // conv: 1x1, 8 -> 8 channels, k = 8, 4x4 output: p = 1, 8 logical rows.
  // A: 1 crossbar, 8 steps x 16 positions = 128 read steps per image.
  // Idle fill: B(4) fills the 4 weight columns of that crossbar (32 steps).
  // Chip budget (6 crossbars, fc uses 2): B(8) needs 2 crossbars -> 16 steps.
  // IDLE: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = "B", name = "conv"
  // CHIP: crossbars = 2 : i64{{.*}}duplication = 8 : i64{{.*}}mapping = "B", name = "conv"
  // fc: 16 -> 4, k = 4: p = 1, 16 logical rows -> 2 row tiles. A: 2
  // crossbars, 4 steps; idle fill B(4): 4 weight columns, still 2 crossbars,
  // 1 step. Nothing left to gain.
  // IDLE: crossbars = 2 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = "B", name = "fc"
  // CHIP: crossbars = 2 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = "B", name = "fc"
  func.func @main(%x: tensor<?x8x4x4xf32>, %v: tensor<?x16xf32>) -> (tensor<?x8x4x4xf32>, tensor<?x4xf32>) {
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
// BAD: circulant-duplicate-weights: budget must be idle or chip, got 'all'
