// objective= decides what budget=chip spends spare crossbars on: the largest
// saving of one inference's latency (the default), of its energy, or of its
// energy-delay product. budget=idle and a forced factor ignore it.
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=chip' | FileCheck %s --check-prefixes=LATENCY,ALL
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=chip objective=latency' | FileCheck %s --check-prefixes=LATENCY,ALL
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=chip objective=energy' | FileCheck %s --check-prefixes=ENERGY,ALL
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=chip objective=edp' | FileCheck %s --check-prefixes=EDP,ALL
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=idle objective=energy' | FileCheck %s --check-prefixes=IDLE,ALL
// RUN: rebocc-opt %s -split-input-file --circulant-horizontal-slice --circulant-duplicate-weights='budget=chip factor=4 objective=energy' | FileCheck %s --check-prefixes=FORCED,ALL
// RUN: not rebocc-opt %s --circulant-duplicate-weights='budget=chip objective=speed' 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: for the --objective option: Cannot find option named 'speed'!

// A layer where time and energy pull apart. The hardware is made for hand
// computation (docs/CostModel.md, sections 4, 5 and 8): 8x2 crossbars holding
// one weight column each (4-bit weights on 2-bit cells), one IMA of eight
// crossbars on the whole chip, 16 input bits at a 1 ns read cycle, no chip
// links, every component's power zero but the eDRAM's 10 mW (80 bits per
// 1.2 GHz tile clock: 12 bytes/ns), and a 10 % static share everywhere: so
// the tile leaks 1 mW while the layer is busy and an eDRAM byte costs
// 0.9 x 10 mW / 12 B/ns = 0.75 pJ. The input rotator is free.
//
// fc: 8 -> 8, k = 8: p = q = 1, 8 logical rows. B(d) takes d crossbars (one
// weight column each) and 8/d steps; no column is idle, so budget=idle keeps
// A (d = 1). The input is not shared: every array writes and reads its own
// copy of the 8 inputs, 2 x 8d words of 2 bytes per inference = 32d bytes.
// One inference (one vector), stage times in ns: crossbar 8/d steps x 16
// bits x 1 ns = 128/d (the ADCs, 2.5, overlap it bit by bit); eDRAM
// 32d B / 12 B/ns = 8d/3; bus (8d inputs + 8 outputs) x 2 B / 57.6 B/ns;
// network 16 B / 38.4 B/ns = 0.42. The latency is the slowest stage, plus
// the others once and 1 ns to drain (the pipeline fill, `fillTime`); the
// energy 0.75 pJ x 32d = 24d pJ of eDRAM plus 1 mW x latency.
//   d  slowest        others + drain            latency  energy (pJ)    EDP
//   1  128    xbar     2.67 + 0.56 + 0.42 + 1   132.64    24 + 132.64  20776
//   2   64    xbar     5.33 + 0.83 + 0.42 + 1    71.58    48 +  71.58   8560
//   4   32    xbar    10.67 + 1.39 + 0.42 + 1    45.47    96 +  45.47   6433
//   8   21.33 eDRAM   16    + 2.50 + 0.42 + 1    41.25   192 +  41.25   9622
// All fit the chip's one IMA. Latency takes B(8), energy B(2), EDP B(4).
// ALL-LABEL: func.func @tradeoff
// LATENCY: crossbars = 8 : i64, duplication = 8 : i64, mapping = #circulant.mapping<B>, name = "fc"
// ENERGY: crossbars = 2 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "fc"
// EDP: crossbars = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "fc"
// IDLE: crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "fc"
// FORCED: crossbars = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "fc"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 2 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64,
    tiles_per_chip = 1 : i64, imas_per_tile = 1 : i64, xbars_per_ima = 8 : i64, read_cycle_ns = 1.0 : f64, ht_links = 0 : i64,
    edram_power_mw = 10.0 : f64, edram_width_bits = 80 : i64, router_flit_bits = 256 : i64, adc_sample_rate_gsps = 12.8 : f64,
    adc_power_mw = 0.0 : f64, dac_power_mw = 0.0 : f64, sample_hold_power_mw = 0.0 : f64, xbar_power_mw = 0.0 : f64,
    ima_shift_add_power_mw = 0.0 : f64, input_register_power_mw = 0.0 : f64, ima_output_register_power_mw = 0.0 : f64,
    bus_power_mw = 0.0 : f64, router_power_mw = 0.0 : f64, sigmoid_power_mw = 0.0 : f64, tile_shift_add_power_mw = 0.0 : f64,
    max_pool_power_mw = 0.0 : f64, tile_output_register_power_mw = 0.0 : f64, rotator_energy_pj_per_word = 0.0 : f64,
    adc_static_fraction = 0.1 : f64, dac_static_fraction = 0.1 : f64, sample_hold_static_fraction = 0.1 : f64,
    xbar_static_fraction = 0.1 : f64, ima_shift_add_static_fraction = 0.1 : f64, input_register_static_fraction = 0.1 : f64,
    ima_output_register_static_fraction = 0.1 : f64, edram_static_fraction = 0.1 : f64, bus_static_fraction = 0.1 : f64,
    router_static_fraction = 0.1 : f64, sigmoid_static_fraction = 0.1 : f64, tile_shift_add_static_fraction = 0.1 : f64,
    max_pool_static_fraction = 0.1 : f64, tile_output_register_static_fraction = 0.1 : f64, ht_static_fraction = 0.1 : f64}} {
  func.func @tradeoff(%v: tensor<?x8xf32>) -> tensor<?x8xf32> {
    %f = circulant.fc %v {name = "fc", block_size = 8 : i64,
       weight = dense<1.0> : tensor<1x1x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x8xf32>) -> tensor<?x8xf32>
    return %f : tensor<?x8xf32>
  }
}

// -----

// Energy without time: the ADC-bound conv of circulant-duplicate-weights-
// budget.mlir (ISAAC-CE but 8x8 arrays, 4-bit weights, one IMA of two
// crossbars whose single ADC converts 0.001 samples/ns), its input shared
// (given mapped, with the attribute circulant-share-input-tiles sets).
// conv: 1x1, 8 -> 8 channels, k = 8, 4x4 output (16 vectors). The idle fill
// is B(4): 8 columns of one crossbar, 2 steps; B(8) adds the IMA's second
// crossbar for 1 step, in the same IMA. The ADC stage, 16 x 8 columns x 2
// steps x 16 bits = 4096 samples at 0.001/ns = 4.096 ms, is the same for
// both, so is the latency, and so the static energy (one IMA, one tile, the
// same time). So are the row drives (2 steps x 8 rows = 1 step x 16 rows),
// array reads and conversions; only the rotated input words go, 16 vectors
// x 8 rows x 1 rotated step = 128 words at 2 pJ: B(8) saves 256 pJ and no
// time. Latency keeps B(4); energy and EDP take B(8).
// ALL-LABEL: func.func @adc_bound
// LATENCY: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
// ENERGY: crossbars = 2 : i64{{.*}}duplication = 8 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
// EDP: crossbars = 2 : i64{{.*}}duplication = 8 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
// IDLE: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
// FORCED: crossbars = 1 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #circulant.mapping<B>, name = "conv"
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64, imas_per_tile = 1 : i64, xbars_per_ima = 2 : i64, adcs_per_ima = 1 : i64, adc_sample_rate_gsps = 0.001 : f64}} {
  func.func @adc_bound(%x: tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32> {
    %c = circulant.conv %x {name = "conv", block_size = 8 : i64, groups = 1 : i64,
       mapping = #circulant.mapping<A>, duplication = 1 : i64, crossbars = 1 : i64, shared_input,
       strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x1x1x1x1x8xf32>, bias = dense<0.0> : tensor<8xf32>}
       : (tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
    return %c : tensor<?x8x4x4xf32>
  }
}
