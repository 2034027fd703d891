// RUN: rebocc-opt %s -split-input-file -verify-diagnostics

func.func @conv_groups(%x: tensor<?x3x8x8xf32>) -> tensor<?x4x8x8xf32> {
  // expected-error @+1 {{'circulant.conv' op groups (2) must divide both channel counts}}
  %y = circulant.conv %x {name = "c", block_size = 1 : i64, groups = 2 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<2x2x3x3x1x1xf32>, bias = dense<0.0> : tensor<4xf32>}
     : (tensor<?x3x8x8xf32>) -> tensor<?x4x8x8xf32>
  return %y : tensor<?x4x8x8xf32>
}

// -----

func.func @conv_weight(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32> {
  // expected-error @+1 {{'circulant.conv' op weight has shape [1, 2, 3, 3, 2, 2], expected [1, 4, 3, 3, 4, 1]}}
  %y = circulant.conv %x {name = "c", block_size = 1 : i64, groups = 1 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<1x2x3x3x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
     : (tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32>
  return %y : tensor<?x4x8x8xf32>
}

// -----

func.func @conv_shape(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x7x7xf32> {
  // expected-error @+1 {{'circulant.conv' op result type 'tensor<?x4x7x7xf32>' does not match the expected shape [?, 4, 8, 8]}}
  %y = circulant.conv %x {name = "c", block_size = 1 : i64, groups = 1 : i64,
     strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
     weight = dense<1.0> : tensor<1x4x3x3x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
     : (tensor<?x4x8x8xf32>) -> tensor<?x4x7x7xf32>
  return %y : tensor<?x4x7x7xf32>
}

// -----

func.func @pool_negative_pad(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32> {
  // expected-error @+1 {{'circulant.max_pool' op kernel, strides and dilations must be positive and pads non-negative}}
  %y = circulant.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
     pads = array<i64: -1, 1, 1, 1>, dilations = array<i64: 1, 1>, ceil_mode = false}
     : (tensor<?x4x8x8xf32>) -> tensor<?x4x8x8xf32>
  return %y : tensor<?x4x8x8xf32>
}

// -----

func.func @clip_bounds(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.clip' op min must not exceed max}}
  %y = circulant.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @concat_batch(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.concat' op cannot concatenate along the batch dimension}}
  %y = circulant.concat %x, %x {axis = 0 : i64} : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @pad_batch(%x: tensor<?x4xf32>) -> tensor<?x6xf32> {
  // expected-error @+1 {{'circulant.pad' op the batch dimension cannot be padded}}
  %y = circulant.pad %x {pads = array<i64: 1, 1, 0, 1>, mode = "constant", value = 0.0 : f32} : (tensor<?x4xf32>) -> tensor<?x6xf32>
  return %y : tensor<?x6xf32>
}

// -----

func.func @pad_reflect(%x: tensor<2x2xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'circulant.pad' op reflect pads must be smaller than the dimension}}
  %y = circulant.pad %x {pads = array<i64: 0, 2, 0, 2>, mode = "reflect", value = 0.0 : f32} : (tensor<2x2xf32>) -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'circulant.transpose' op perm is not a permutation}}
  %y = circulant.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x4xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

func.func @prelu_slope(%x: tensor<?x4xf32>, %s: tensor<3xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.prelu' op slope must broadcast to the input}}
  %y = circulant.prelu %x, %s : (tensor<?x4xf32>, tensor<3xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
