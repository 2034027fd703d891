// Round trip of the convolutional-network ops.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s -mlir-print-op-generic | rebocc-opt | FileCheck %s

// CHECK-LABEL: func.func @cnn
func.func @cnn(%x: tensor<?x4x8x8xf32>, %slope: tensor<4x1x1xf32>) -> tensor<?x10xf32> {
  // CHECK: circulant.conv %{{.*}} {{{.*}}block_size = 2 : i64{{.*}}groups = 1 : i64{{.*}}pads = array<i64: 1, 1, 1, 1>{{.*}}} : (tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32>
  %c = circulant.conv %x {name = "c", block_size = 2 : i64, groups = 1 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<1x2x3x3x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
     : (tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32>
  // CHECK: circulant.conv %{{.*}} {{{.*}}groups = 4 : i64{{.*}}strides = array<i64: 2, 2>{{.*}}} : (tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32>
  %dw = circulant.conv %c {name = "dw", block_size = 1 : i64, groups = 4 : i64,
     strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<4x1x3x3x1x1xf32>, bias = dense<0.0> : tensor<4xf32>}
     : (tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32>
  // CHECK: circulant.max_pool %{{.*}} {ceil_mode = true, {{.*}}} : (tensor<?x4x4x4xf32>) -> tensor<?x4x2x2xf32>
  %mp = circulant.max_pool %dw {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
     pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
     : (tensor<?x4x4x4xf32>) -> tensor<?x4x2x2xf32>
  // CHECK: circulant.avg_pool %{{.*}} {ceil_mode = false, count_include_pad = true, {{.*}}} : (tensor<?x4x2x2xf32>) -> tensor<?x4x2x2xf32>
  %ap = circulant.avg_pool %mp {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
     pads = array<i64: 1, 1, 1, 1>, ceil_mode = false, count_include_pad = true}
     : (tensor<?x4x2x2xf32>) -> tensor<?x4x2x2xf32>
  // CHECK: circulant.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<?x4x2x2xf32>
  %r6 = circulant.clip %ap {min = 0.0 : f32, max = 6.0 : f32} : tensor<?x4x2x2xf32>
  // CHECK: circulant.leaky_relu %{{.*}} {alpha = 0.00999999977 : f32}
  %lr = circulant.leaky_relu %r6 {alpha = 0.01 : f32} : tensor<?x4x2x2xf32>
  // CHECK: circulant.hard_sigmoid %{{.*}} {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32}
  %hs = circulant.hard_sigmoid %lr {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<?x4x2x2xf32>
  // CHECK: circulant.hard_swish
  %hw = circulant.hard_swish %hs : tensor<?x4x2x2xf32>
  // CHECK: circulant.prelu %{{.*}}, %{{.*}} : (tensor<?x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<?x4x2x2xf32>
  %pr = circulant.prelu %hw, %slope : (tensor<?x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<?x4x2x2xf32>
  // CHECK: circulant.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<?x4x2x2xf32>, tensor<?x4x2x2xf32>) -> tensor<?x8x2x2xf32>
  %cat = circulant.concat %pr, %hw {axis = 1 : i64} : (tensor<?x4x2x2xf32>, tensor<?x4x2x2xf32>) -> tensor<?x8x2x2xf32>
  // CHECK: circulant.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0.000000e+00 : f32} : (tensor<?x8x2x2xf32>) -> tensor<?x8x4x4xf32>
  %pad = circulant.pad %cat {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect", value = 0.0 : f32}
     : (tensor<?x8x2x2xf32>) -> tensor<?x8x4x4xf32>
  // CHECK: circulant.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : (tensor<?x8x4x4xf32>) -> tensor<?x4x4x8xf32>
  %t = circulant.transpose %pad {perm = array<i64: 0, 2, 3, 1>} : (tensor<?x8x4x4xf32>) -> tensor<?x4x4x8xf32>
  %t2 = circulant.transpose %t {perm = array<i64: 0, 3, 1, 2>} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
  // CHECK: circulant.global_avg_pool %{{.*}} : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
  %g = circulant.global_avg_pool %t2 : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
  %f = circulant.flatten %g {axis = 1 : i64} : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
  %y = circulant.fc %f {name = "fc", block_size = 1 : i64,
     weight = dense<1.0> : tensor<10x8x1xf32>, bias = dense<0.0> : tensor<10xf32>}
     : (tensor<?x8xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}
