// circulant.gather (ONNX Gather, GatherElements, GatherND by run-time
// indices) prints and parses back, verifies its mode, axis and result
// shape, and becomes crossbar.digital "gather" with the same mode and axis,
// which the program emitter writes as a gather instruction
// (test/Frontend/ONNX/gather-indices.onnxtxt). An unknown mode, a result of
// the wrong shape and a digital "gather" without a mode are errors.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | FileCheck %s
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | rebocc-opt -o /dev/null
// RUN: sed 's/mode = "elements"/mode = "rows"/' %s | not rebocc-opt 2>&1 | FileCheck %s --check-prefix=BADMODE
// RUN: echo 'func.func @f(%%x: tensor<5x3xf32>, %%i: tensor<?x6xf32>) -> tensor<?x6x4xf32> { %%0 = circulant.gather %%x, %%i {mode = "axis", axis = 0 : i64} : (tensor<5x3xf32>, tensor<?x6xf32>) -> tensor<?x6x4xf32>  return %%0 : tensor<?x6x4xf32> }' | not rebocc-opt 2>&1 | FileCheck %s --check-prefix=BADSHAPE
// RUN: echo 'func.func @f(%%x: tensor<4xf32>, %%i: tensor<2xf32>) -> tensor<2xf32> { %%0 = crossbar.digital "gather"(%%x, %%i) {axis = 0 : i64} : (tensor<4xf32>, tensor<2xf32>) -> tensor<2xf32>  return %%0 : tensor<2xf32> }' | not rebocc-opt 2>&1 | FileCheck %s --check-prefix=NOMODE

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // ROUNDTRIP: circulant.gather %arg0, %arg1 {axis = 0 : i64, mode = "axis"} : (tensor<5x3xf32>, tensor<?x6xf32>) -> tensor<?x6x3xf32>
  // ROUNDTRIP: circulant.gather %arg2, %arg3 {axis = 1 : i64, mode = "elements"}
  // ROUNDTRIP: circulant.gather %arg2, %arg4 {axis = 0 : i64, mode = "nd"}
  // CHECK-LABEL: func.func @main
  // CHECK: crossbar.digital "gather"(%arg0, %arg1) {axis = 0 : i64, mode = "axis"} : (tensor<5x3xf32>, tensor<?x6xf32>) -> tensor<?x6x3xf32>
  // CHECK: crossbar.digital "gather"(%arg2, %arg3) {axis = 1 : i64, mode = "elements"} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // CHECK: crossbar.digital "gather"(%arg2, %arg4) {axis = 0 : i64, mode = "nd"} : (tensor<2x3xf32>, tensor<1x2xf32>) -> tensor<1xf32>
  // BADMODE: error: 'circulant.gather' op mode "rows" is not axis, elements or nd
  // BADSHAPE: error: 'circulant.gather' op result type 'tensor<?x6x4xf32>' does not match the gathered shape
  // NOMODE: error: 'crossbar.digital' op "gather" takes a `mode` attribute: axis, elements or nd
  func.func @main(%t: tensor<5x3xf32>, %ids: tensor<?x6xf32>, %x: tensor<2x3xf32>, %k: tensor<2x2xf32>, %p: tensor<1x2xf32>) -> (tensor<?x6x3xf32>, tensor<2x2xf32>, tensor<1xf32>) {
    %e = circulant.gather %t, %ids {mode = "axis", axis = 0 : i64} : (tensor<5x3xf32>, tensor<?x6xf32>) -> tensor<?x6x3xf32>
    %g = circulant.gather %x, %k {mode = "elements", axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    %n = circulant.gather %x, %p {mode = "nd", axis = 0 : i64} : (tensor<2x3xf32>, tensor<1x2xf32>) -> tensor<1xf32>
    return %e, %g, %n : tensor<?x6x3xf32>, tensor<2x2xf32>, tensor<1xf32>
  }
}
