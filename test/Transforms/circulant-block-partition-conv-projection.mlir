// Projection of a convolution: each kernel position's slice is projected on
// its own circulant diagonals; the error is the layer's relative Frobenius
// error over all positions.
// Position 0 is circulant ([[1,2],[2,1]]); position 1 ([[1,2],[3,4]])
// projects to w = [2.5, 2.5]: squared error 2.25+2.25+0.25+0.25 = 5 over a
// squared norm of 10 + 30, so sqrt(5/40) = 0.3535534.
// RUN: rebocc-opt %s --circulant-block-partition='block-size=2 projection=on' -verify-diagnostics | FileCheck %s

// CHECK: circulant.conv %arg0 {{{.*}}block_size = 2 : i64{{.*}}name = "mixed", pads = array<i64: 0, 0, 0, 0>, projection_error = 0.35355339{{[0-9]*}} : f64
// CHECK-SAME: weight = dense<{{\[\[\[\[\[\[}}1.000000e+00, 2.000000e+00]]], {{\[\[\[}}2.500000e+00, 2.500000e+00]]]]]]> : tensor<1x1x2x1x1x2xf32>
func.func @mixed(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x2x3xf32> {
  // expected-remark @+1 {{layer 'mixed' projected onto block size 2, relative Frobenius error 3.535534e-01}}
  %y = circulant.conv %x {name = "mixed", block_size = 1 : i64, groups = 1 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
     weight = dense<[[[[[[1.0],[2.0]]],[[[1.0],[2.0]]]],[[[[2.0],[1.0]]],[[[3.0],[4.0]]]]]]> : tensor<1x2x2x1x2x1xf32>,
     bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2x3x3xf32>) -> tensor<?x2x2x3xf32>
  return %y : tensor<?x2x2x3xf32>
}
