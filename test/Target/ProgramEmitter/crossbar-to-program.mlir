// RUN: rebocc-translate --crossbar-to-program %s | FileCheck %s
// The .rbp form reads back (rebocc-sim) to the same program.
// RUN: rebocc-translate --crossbar-to-rbp %s -o %t.rbp
// RUN: rebocc-sim %t.rbp --print-program | FileCheck %s

// The registered translation on hand-written crossbar IR. Hardware from
// rebocc.hw: 8 x 8 arrays, 8-bit inputs, 4-bit weights on 2-bit cells, so 2
// cells per weight, floor(8 / 2) = 4 weight columns and floor(8 / k) * k = 8
// rows per array; the other fields keep their ISAAC-CE defaults.
//
// fc1: m = 4, n = 6, k = 2 -> p = 2, q = 3; B(2): 6 logical rows (one row
// tile), p * d = 4 weight columns (one column tile): one array, rows 0+6,
// weight columns 0+4; max |w| = 3.5, weight_scale = 3.5 / (2^3 - 1) = 0.5.
// fc2: m = 2, n = 10, k = 2 -> p = 1, q = 5; A: 10 logical rows -> row tiles
// [0, 8) and [8, 10), one weight column; max |w| = 1.75, weight_scale 0.25.
// Placement (crossbar-place-arrays' rule, docs/CostModel.md "Placement"):
// every layer owns whole IMAs of 8 crossbars, in program order: fc1's array
// on IMA 0, fc2's two on IMA 1, crossbars 0 and 1, all on tile 0 of chip 0.
// Hashes: seal64 of the little-endian float32 values in storage order,
// computed with test/Sim/Inputs/reseal.py (docs/ProgramFormat.md, "seal64").

// CHECK: rebocc-program 12 overflow=chips
// CHECK-NEXT: hw name="tiny" xbar_rows=8 xbar_cols=8 weight_bits=4 cell_bits=2 input_bits=8 adc_bits=8 xbars_per_ima=8 imas_per_tile=12
// CHECK-NEXT: value %0 name="x" shape=[-1,6]
// CHECK-NEXT: value %1 name="x2" shape=[-1,10]
// CHECK-NEXT: value %2 name="h" shape=[-1,4]
// CHECK-NEXT: value %3 name="y1" shape=[-1,4]
// CHECK-NEXT: value %4 name="g" shape=[-1,2]
// CHECK-NEXT: value %5 name="c" shape=[2]
// CHECK-NEXT: value %6 name="y2" shape=[-1,2]
// CHECK-NEXT: inputs %0 %1
// CHECK-NEXT: outputs %3 %6
// CHECK-NEXT: constant #0 name="c" shape=[2] elements=2 min=-0.5 max=0.5 seal=0x7b736d6fafaa7d3f
// CHECK-NEXT: layer @0 name="fc1" m=4 n=6 k=2 p=2 q=3 d=2 mapping=B shared=1 rows_per_array=8 weight_cols_per_array=4 row_tiles=1 col_tiles=1 weight_scale=0.5 arrays=1 kind=fc groups=1 kernel=1x1 stride=1x1 dilation=1x1 pads=0,0,0,0 weights_seal=0x91a7a2e56d589236 bias_seal=0xdc0d2455fe955dc7
// CHECK-NEXT: array @0.0 row_tile=0 col_tile=0 rows=0+6 weight_cols=0+4 group=0 chip=0 load=0 tile=0 ima=0 xbar=0
// CHECK-NEXT: layer @1 name="fc2" m=2 n=10 k=2 p=1 q=5 d=1 mapping=A shared=0 rows_per_array=8 weight_cols_per_array=4 row_tiles=2 col_tiles=1 weight_scale=0.25 arrays=2 kind=fc groups=1 kernel=1x1 stride=1x1 dilation=1x1 pads=0,0,0,0 weights_seal=0x05c89d3f125fb763 bias_seal=0xfe1f6619efa54cbf
// CHECK-NEXT: array @1.0 row_tile=0 col_tile=0 rows=0+8 weight_cols=0+1 group=0 chip=0 load=0 tile=0 ima=1 xbar=0
// CHECK-NEXT: array @1.1 row_tile=1 col_tile=0 rows=8+2 weight_cols=0+1 group=0 chip=0 load=0 tile=0 ima=1 xbar=1
// CHECK-NEXT: inst %2 = crossbar %0 layer=@0 name="fc1"
// CHECK-NEXT: inst %3 = relu %2 name="r"
// CHECK-NEXT: inst %4 = crossbar %1 layer=@1 name="fc2"
// CHECK-NEXT: inst %5 = constant constant=#0 name="c"
// CHECK-NEXT: inst %6 = add %4 %5 name="s"
module attributes {crossbar.overflow = #crossbar.overflow<chips>, rebocc.hw = {name = "tiny", xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                input_bits = 8 : i64, weight_bits = 4 : i64,
                                cell_bits = 2 : i64}} {
  crossbar.layer @fc1 {m = 4 : i64, n = 6 : i64, block_size = 2 : i64,
    mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
    cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 0.5 : f32,
    weight = dense<[[[1.0, 2.0], [3.0, -3.5], [0.5, 0.0]],
                    [[-1.0, 0.25], [2.0, 1.0], [0.0, -0.5]]]> : tensor<2x3x2xf32>,
    bias = dense<[0.5, -1.0, 0.0, 2.0]> : tensor<4xf32>}
  crossbar.array @fc1_r0_c0 {layer = @fc1,
    place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>, row_tile = 0 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
    row_count = 6 : i64, col_begin = 0 : i64, col_count = 4 : i64}
  crossbar.layer @fc2 {m = 2 : i64, n = 10 : i64, block_size = 2 : i64,
    mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
    cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 0.25 : f32,
    weight = dense<[[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0], [0.0, -1.75]]]> : tensor<1x5x2xf32>,
    bias = dense<[1.0, 2.0]> : tensor<2xf32>}
  crossbar.array @fc2_r0_c0 {layer = @fc2,
    place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 1, xbar = 0>, row_tile = 0 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
    row_count = 8 : i64, col_begin = 0 : i64, col_count = 1 : i64}
  crossbar.array @fc2_r1_c0 {layer = @fc2,
    place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 1, xbar = 1>, row_tile = 1 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 8 : i64,
    row_count = 2 : i64, col_begin = 0 : i64, col_count = 1 : i64}
  func.func @main(%x: tensor<?x6xf32> {rebocc.name = "x"},
                  %x2: tensor<?x10xf32> {rebocc.name = "x2"})
      -> (tensor<?x4xf32> {rebocc.name = "y1"}, tensor<?x2xf32> {rebocc.name = "y2"}) {
    %b1 = crossbar.input_buffer %x {shared, slice_size = 2 : i64} : tensor<?x6xf32>
    %p1 = crossbar.mvm %b1 {layer = @fc1, row_tile = 0 : i64, arrays = [@fc1_r0_c0],
                            steps = 1 : i64, stride = 2 : i64} : (tensor<?x6xf32>) -> tensor<?x4xf32>
    %s1 = crossbar.reduce %p1 : tensor<?x4xf32>
    %h = crossbar.bias_add %s1 {layer = @fc1} : tensor<?x4xf32> loc("h")
    %y1 = crossbar.digital "relu"(%h) : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("r")
    %b2 = crossbar.input_buffer %x2 {slice_size = 2 : i64} : tensor<?x10xf32>
    %p20 = crossbar.mvm %b2 {layer = @fc2, row_tile = 0 : i64, arrays = [@fc2_r0_c0],
                             steps = 2 : i64, stride = 1 : i64} : (tensor<?x10xf32>) -> tensor<?x2xf32>
    %p21 = crossbar.mvm %b2 {layer = @fc2, row_tile = 1 : i64, arrays = [@fc2_r1_c0],
                             steps = 2 : i64, stride = 1 : i64} : (tensor<?x10xf32>) -> tensor<?x2xf32>
    %s2 = crossbar.reduce %p20, %p21 : tensor<?x2xf32>
    %g = crossbar.bias_add %s2 {layer = @fc2} : tensor<?x2xf32> loc("g")
    %c = crossbar.constant {value = dense<[0.5, -0.5]> : tensor<2xf32>} : tensor<2xf32> loc("c")
    %y2 = crossbar.digital "add"(%g, %c) : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32> loc("s")
    return %y1, %y2 : tensor<?x4xf32>, tensor<?x2xf32>
  }
}
