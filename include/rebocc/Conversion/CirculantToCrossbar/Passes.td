//===- Passes.td - circulant to crossbar conversion --------*- tablegen -*-===//

#ifndef REBOCC_CONVERSION_PASSES
#define REBOCC_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertCirculantToCrossbar : Pass<"convert-circulant-to-crossbar", "mlir::ModuleOp"> {
  let summary = "Lower mapped circulant layers to crossbar arrays and schedules";
  let description = [{
    A dialect conversion: `circulant` is illegal, `crossbar` and `func` are
    legal. Every `circulant.fc` and `circulant.conv` must carry a mapping (run
    a mapping pass first); the pass plans every layer's arrays first and
    reports a layer without a mapping, with unreadable weights or that does
    not fit the crossbars as one error on that layer. Each becomes a
    module-level `crossbar.layer` with its quantization scale, the
    `crossbar.array`s of its layout (a k-slice never straddles two arrays;
    the arrays are not placed yet: `crossbar-place-arrays` does that), and in
    the function an input
    buffer, one `crossbar.mvm` per row tile, a `crossbar.reduce` over row
    tiles and a `crossbar.bias_add`. Digital ops become `crossbar.digital`,
    constants `crossbar.constant`.

    Before:
    ```mlir
    %y = circulant.fc %x {mapping = #circulant.mapping<A>, duplication = 1 : i64, ...}
    ```
    After:
    ```mlir
    crossbar.layer @fc1 {...}
    crossbar.array @fc1_r0_c0 {layer = @fc1, ...}
    %b = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x6xf32>
    %p = crossbar.mvm %b {layer = @fc1, row_tile = 0 : i64, arrays = [@fc1_r0_c0],
                          steps = 2 : i64, stride = 1 : i64} : (tensor<?x6xf32>) -> tensor<?x4xf32>
    %s = crossbar.reduce %p : tensor<?x4xf32>
    %y = crossbar.bias_add %s {layer = @fc1} : tensor<?x4xf32>
    ```
  }];
  let options = [
    Option<"attention", "attention", "std::string", /*default=*/"\"digital\"",
           "Where a circulant.matmul of two run-time tensors runs: "
           "\"digital\" (the digital units) or \"reprogram\" (its right "
           "operand written into crossbar cells per inference; the "
           "crossbar.digital gets a unit `reprogram` attribute)">
  ];
  let dependentDialects = ["::rebocc::crossbar::CrossbarDialect"];
}

#endif
