// circulant.cast (ONNX Cast of run-time data to an integer or half type)
// prints and parses back, verifies its `to`, and becomes crossbar.digital
// "cast" with the same `to`, which the program emitter writes as a cast
// instruction (test/Frontend/ONNX/cast-runtime.onnxtxt). A `to` that names
// no cast type, and a digital "cast" without one, are errors.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | FileCheck %s
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | rebocc-opt -o /dev/null
// RUN: sed 's/"uint16"/"float64"/' %s | not rebocc-opt 2>&1 | FileCheck %s --check-prefix=BADTO
// RUN: echo 'func.func @f(%%x: tensor<4xf32>) -> tensor<4xf32> { %%0 = crossbar.digital "cast"(%%x) : (tensor<4xf32>) -> tensor<4xf32>  return %%0 : tensor<4xf32> }' | not rebocc-opt 2>&1 | FileCheck %s --check-prefix=NOTO

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // ROUNDTRIP: circulant.cast %arg0 {to = "int8"} : tensor<?x4xf32>
  // ROUNDTRIP: circulant.cast %{{.*}} {to = "uint16"} : tensor<?x4xf32>
  // ROUNDTRIP: circulant.cast %{{.*}} {to = "bfloat16"} : tensor<?x4xf32>
  // CHECK-LABEL: func.func @main
  // CHECK: %[[A:.*]] = crossbar.digital "cast"(%arg0) {to = "int8"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: %[[B:.*]] = crossbar.digital "cast"(%[[A]]) {to = "uint16"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: %[[C:.*]] = crossbar.digital "cast"(%[[B]]) {to = "bfloat16"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: return %[[C]]
  // BADTO: error: 'circulant.cast' op cannot cast to "float64" (int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16 or bfloat16)
  // NOTO: error: 'crossbar.digital' op "cast" takes a `to` attribute naming an integer or half type (int8 ... uint64, float16, bfloat16)
  func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %a = circulant.cast %x {to = "int8"} : tensor<?x4xf32>
    %b = circulant.cast %a {to = "uint16"} : tensor<?x4xf32>
    %c = circulant.cast %b {to = "bfloat16"} : tensor<?x4xf32>
    return %c : tensor<?x4xf32>
  }
}
