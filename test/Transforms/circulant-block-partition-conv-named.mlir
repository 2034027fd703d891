// A k forced on a grouped convolution by name is an error.
// RUN: not rebocc-opt %s --circulant-block-partition='layers=dw2:2' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NAMED
// NAMED: error: layer 'dw2': grouped convolutions stay k = 1
func.func @named_depthwise(%x: tensor<?x4x3x3xf32>) -> tensor<?x4x3x3xf32> {
  %y = circulant.conv %x {name = "dw2", block_size = 1 : i64, groups = 2 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<2x2x3x3x2x1xf32>,
     bias = dense<0.0> : tensor<4xf32>} : (tensor<?x4x3x3xf32>) -> tensor<?x4x3x3xf32>
  return %y : tensor<?x4x3x3xf32>
}
