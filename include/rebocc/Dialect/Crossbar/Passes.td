//===- Passes.td - crossbar dialect passes -----------------*- tablegen -*-===//

#ifndef REBOCC_CROSSBAR_PASSES
#define REBOCC_CROSSBAR_PASSES

include "mlir/Pass/PassBase.td"

def CrossbarPlaceArrays : Pass<"crossbar-place-arrays", "mlir::ModuleOp"> {
  let summary = "Give every crossbar array its chip, chip load, tile, IMA and crossbar";
  let description = [{
    Places the arrays of the crossbar layers in program order (the order of
    their `crossbar.bias_add` ops; within a layer, group, row tile, column
    tile) with the cost model's rule, `model::placeArrays`
    (docs/CostModel.md, "Placement"): every layer owns whole IMAs,
    `xbars_per_ima` arrays each, packed in order over the chips of the
    module's `rebocc.hw` (`overflow=chips`), or, when the model does not fit
    one chip and `overflow=reprogram`, over chip loads of consecutive layers,
    a layer larger than a chip taking loads of its own. Sets `place` on every
    array and `crossbar.overflow` on the module; the emitter writes both
    into the program, and the cost model reads them back instead of
    placing anything itself.

    A model that needs more than one chip, or reprogramming, on hardware
    without inter-chip links (`ht_links = 0`) is an error on the first array
    that would leave chip 0 or load 0. So is a layer run twice or without
    arrays.

    Before (tiles of 1 IMA of 2 crossbars):
    ```mlir
    crossbar.array @fc1_r0_c0 {layer = @fc1, row_tile = 0 : i64, ...}
    crossbar.array @fc1_r1_c0 {layer = @fc1, row_tile = 1 : i64, ...}
    crossbar.array @fc2_r0_c0 {layer = @fc2, row_tile = 0 : i64, ...}
    ```
    After:
    ```mlir
    module attributes {crossbar.overflow = #crossbar.overflow<chips>, ...} {
      crossbar.array @fc1_r0_c0 {..., place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>}
      crossbar.array @fc1_r1_c0 {..., place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 1>}
      crossbar.array @fc2_r0_c0 {..., place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 0, xbar = 0>}
    ```
  }];
  let options = [
    Option<"overflow", "overflow", "::rebocc::crossbar::OverflowPolicy",
           /*default=*/"::rebocc::crossbar::OverflowPolicy::Chips",
           "what to do when the model does not fit one chip",
           [{::llvm::cl::values(
             clEnumValN(::rebocc::crossbar::OverflowPolicy::Chips, "chips",
                        "spread the model over several chips (default)"),
             clEnumValN(::rebocc::crossbar::OverflowPolicy::Reprogram,
                        "reprogram",
                        "one chip, its crossbars rewritten between chip loads"))}]>
  ];
  let dependentDialects = ["::rebocc::crossbar::CrossbarDialect"];
}

def CrossbarAssignBuffers : Pass<"crossbar-assign-buffers", "mlir::ModuleOp"> {
  let summary = "Give every input buffer its tile and size";
  let description = [{
    Sets `tile` on every `crossbar.input_buffer` to the tile of the first
    array that reads it (the first array of its first `crossbar.mvm`), and
    `bytes` to what it holds for one input vector, as the cost model counts
    it (`model::inputBufferWords` at `input_bits` per word): a private
    buffer the real rows of every array, a shared one the layer's `n` input
    words, a shared convolution input its line buffer (channels x width x
    the rows one window spans; left out when the input's size is dynamic).
    Run after `crossbar-place-arrays`; an unplaced array is an error.

    A buffer larger than the eDRAM of the tiles holding its first layer's
    arrays gets a warning: the cost model then charges the part that does
    not fit as fetched again from the producer for every read
    (docs/CostModel.md, "Buffer capacity").

    The program does not carry these attributes: both follow from the
    placement and the layer (docs/ProgramFormat.md, "Placement").

    ```mlir
    %b = crossbar.input_buffer %x {slice_size = 2 : i64, shared,
           tile = #crossbar.tile<chip = 0, load = 0, tile = 0>, bytes = 12 : i64}
           : tensor<?x6xf32>
    ```
  }];
  let dependentDialects = ["::rebocc::crossbar::CrossbarDialect"];
}

#endif // REBOCC_CROSSBAR_PASSES
