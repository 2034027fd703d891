//===- Passes.td - circulant dialect passes ----------------*- tablegen -*-===//

#ifndef REBOCC_CIRCULANT_PASSES
#define REBOCC_CIRCULANT_PASSES

include "mlir/Pass/PassBase.td"

def CirculantBlockPartition : Pass<"circulant-block-partition", "mlir::ModuleOp"> {
  let summary = "Choose a block size per layer and store weights as defining vectors";
  let description = [{
    Rewrites every dense (`block_size = 1`) `circulant.fc` into block-circulant
    form. With `block-size=auto` (the default) each layer gets the largest
    `k` in `candidates` that divides both of its dimensions and whose blocks
    are circulant within `tolerance` (maximum deviation relative to the largest
    weight); other layers stay dense. A number forces that `k` on every
    layer where it fits (an ungrouped layer with at least k input and k
    output channels; others stay dense, with a remark), and
    `layers=fc1:16,fc2:1` forces it per layer by name (padding ragged layers
    with zeros).

    A forced `k` whose blocks are not circulant is an error unless
    `projection=on`, which replaces the layer by its least-squares
    block-circulant projection (the mean of each circulant diagonal) and
    reports the relative Frobenius error as a remark and as the
    `projection_error` attribute. Detection accepts a k only when every weight
    lies within `tolerance` * max|W| of the first entry of its circulant
    diagonal, so no weight moves by more than twice that; a `layers` entry
    naming no layer gets a warning.

    Before:
    ```mlir
    %y = circulant.fc %x {block_size = 1 : i64, name = "fc1",
           weight = dense<[[[1.0], [2.0]], [[2.0], [1.0]]]> : tensor<2x2x1xf32>,
           bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2xf32>) -> tensor<?x2xf32>
    ```
    After:
    ```mlir
    %y = circulant.fc %x {block_size = 2 : i64, name = "fc1",
           weight = dense<[[[1.0, 2.0]]]> : tensor<1x1x2xf32>,
           bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2xf32>) -> tensor<?x2xf32>
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "std::string", /*default=*/"\"auto\"",
           "\"auto\" or a block size forced on every layer">,
    ListOption<"layerBlockSizes", "layers", "std::string",
               "per-layer block sizes as name:k (override block-size)">,
    ListOption<"candidates", "candidates", "int64_t",
               "block sizes tried by auto detection (default 2..256, powers of 2)">,
    Option<"tolerance", "tolerance", "double", /*default=*/"1e-5",
           "relative deviation under which a block counts as circulant">,
    Option<"projection", "projection", "std::string", /*default=*/"\"off\"",
           "on/off (or true/false): project non-circulant layers with a forced k (least squares)">
  ];
}

def CirculantHorizontalSlice : Pass<"circulant-horizontal-slice", "mlir::ModuleOp"> {
  let summary = "Map layers with horizontal weight slicing (mapping A)";
  let description = [{
    Mapping A of ReBoc: each crossbar weight column holds one block-row's
    concatenated defining vectors, so every unique weight is stored once, and
    the k outputs of a block-row come from k rotation steps of the input
    slices. Sets `mapping = #circulant.mapping<A>`, `duplication = 1` and `crossbars` using the
    hardware description in the module's `rebocc.hw` attribute (ISAAC-CE
    defaults where it is absent).
  }];
}

def CirculantDuplicateWeights : Pass<"circulant-duplicate-weights", "mlir::ModuleOp"> {
  let summary = "Fill idle crossbar space with rotated weight copies (B(d) or C(d))";
  let description = [{
    Intra-crossbar weight duplication for layers in mapping A (fully
    connected and convolution layers alike). B(d): d copies of each
    block-row, copy u rotated by u, side by side in otherwise idle columns.
    C(d), for narrow layers: d copies placed block-diagonally, each in its
    own rows (driven with its own rotation) and columns; only when a whole
    group fits one crossbar. Either way one step yields d outputs per
    block-row and a vector needs k/d steps.

    With `factor=0` (auto) d is the largest divisor of k that needs no more
    crossbars than mapping A; between B and C the one with fewer steps wins
    (B on a tie). A positive `factor` forces d (it must divide k), with the
    layout from `layout` (B unless `layout=C`).

    With `budget=chip`, after that layers in mapping A or B may also take
    extra crossbars while the whole model stays within one chip (every layer
    owning whole IMAs, tiles x IMAs of the hardware description, as the cost
    model places them). The cost model decides: each layer's B(d) options
    are laid out and their counts for one inference predicted (batch 1,
    input shapes from the IR), and since the layers' latencies add up in the
    intra-layer pipeline, the combination with the largest total saving that
    fits the spare IMAs is chosen exactly (a knapsack solved by dynamic
    programming); among equally good ones, the fewest IMAs. `objective`
    says what is saved: `latency` (the default) the sum of the layers'
    latencies for one inference, `energy` the sum of their energies (static
    energy included), `edp` the product of the two sums with the host I/O
    added, the energy-delay product of an inference (found exactly
    by solving the knapsack for the weighted sums that span the lower convex
    hull of the (latency, energy) plans; docs/Design.md). A duplication that
    saves nothing of the objective (say, time when the IMA's ADCs are the
    bottleneck) is never taken. `objective` only affects `budget=chip`.
    Run circulant-share-input-tiles first so the predictions see the input
    buffers the program will have. A forced `factor` is never changed.
  }];
  let options = [
    Option<"factor", "factor", "int64_t", /*default=*/"0",
           "duplication factor d; 0 chooses it from the idle space">,
    Option<"budget", "budget", "::rebocc::circulant::DuplicationBudget",
           /*default=*/"::rebocc::circulant::DuplicationBudget::Idle",
           "idle (only fill idle space) or chip (also spend the chip's spare crossbars)",
           [{::llvm::cl::values(
             clEnumValN(::rebocc::circulant::DuplicationBudget::Idle,
                        "idle", "only fill idle space (default)"),
             clEnumValN(::rebocc::circulant::DuplicationBudget::Chip,
                        "chip", "also spend the chip's spare crossbars"))}]>,
    Option<"layout", "layout", "::rebocc::circulant::DuplicationLayout",
           /*default=*/"::rebocc::circulant::DuplicationLayout::Auto",
           "auto, B (copies side by side) or C (block-diagonal copies)",
           [{::llvm::cl::values(
             clEnumValN(::rebocc::circulant::DuplicationLayout::Auto,
                        "auto", "B or C, whichever needs fewer steps (default)"),
             clEnumValN(::rebocc::circulant::DuplicationLayout::B,
                        "B", "copies side by side"),
             clEnumValN(::rebocc::circulant::DuplicationLayout::C,
                        "C", "block-diagonal copies"))}]>,
    Option<"objective", "objective", "::rebocc::circulant::DuplicationObjective",
           /*default=*/"::rebocc::circulant::DuplicationObjective::Latency",
           "latency (default), energy or edp: what budget=chip saves with spare crossbars",
           [{::llvm::cl::values(
             clEnumValN(::rebocc::circulant::DuplicationObjective::Latency,
                        "latency", "the sum of the layers' latencies (default)"),
             clEnumValN(::rebocc::circulant::DuplicationObjective::Energy,
                        "energy", "the sum of the layers' energies"),
             clEnumValN(::rebocc::circulant::DuplicationObjective::Edp,
                        "edp", "the product of the two sums (energy-delay product)"))}]>
  ];
}

def CirculantShareInputTiles : Pass<"circulant-share-input-tiles", "mlir::ModuleOp"> {
  let summary = "Let all consumers of an input tile read one shared buffer";
  let description = [{
    Input tile sharing: the arrays of a row tile and the duplicated copies of
    a block-row all read the same input slices, each with its own rotation.
    Marks mapped layers `shared_input`, so conversion creates one input
    buffer per input value instead of a private copy per crossbar.
  }];
}

def CirculantDenseMapping : Pass<"circulant-dense-mapping", "mlir::ModuleOp"> {
  let summary = "Map layers expanded, ISAAC-style (baseline mapping E)";
  let description = [{
    The baseline: every crossbar column holds one row of the expanded dense
    matrix, so a vector needs one step and no rotation, at k times the
    crossbars of mapping A. Sets `mapping = #circulant.mapping<E>`,
    `duplication = k`.
  }];
}

#endif // REBOCC_CIRCULANT_PASSES
