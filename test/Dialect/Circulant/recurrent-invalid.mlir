// RUN: rebocc-opt %s -split-input-file -verify-diagnostics

func.func @recurrence_not_on_h0(%xw: tensor<3x8xf32>, %h0: tensor<1x2xf32>, %c0: tensor<1x2xf32>) -> tensor<5x1x2xf32> {
  %r = circulant.fc %c0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<8x2x1xf32>, bias = dense<0.0> : tensor<8xf32>} : (tensor<1x2xf32>) -> tensor<1x8xf32>
  // expected-error @+1 {{'circulant.lstm' op recurrence must be a circulant.fc applied to initial_h}}
  %y = circulant.lstm %xw, %h0, %c0, %r {reverse = false, clip = 0.0 : f32} : (tensor<3x8xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x8xf32>) -> tensor<5x1x2xf32>
  return %y : tensor<5x1x2xf32>
}

// -----

func.func @lstm_result(%xw: tensor<3x8xf32>, %h0: tensor<1x2xf32>, %c0: tensor<1x2xf32>) -> tensor<4x1x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<8x2x1xf32>, bias = dense<0.0> : tensor<8xf32>} : (tensor<1x2xf32>) -> tensor<1x8xf32>
  // expected-error @+1 {{'circulant.lstm' op result must be (T + 2) x B x H}}
  %y = circulant.lstm %xw, %h0, %c0, %r {reverse = false, clip = 0.0 : f32} : (tensor<3x8xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x8xf32>) -> tensor<4x1x2xf32>
  return %y : tensor<4x1x2xf32>
}

// -----

func.func @lstm_input(%xw: tensor<3x6xf32>, %h0: tensor<1x2xf32>, %c0: tensor<1x2xf32>) -> tensor<5x1x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<8x2x1xf32>, bias = dense<0.0> : tensor<8xf32>} : (tensor<1x2xf32>) -> tensor<1x8xf32>
  // expected-error @+1 {{'circulant.lstm' op input must be T*B x 4H}}
  %y = circulant.lstm %xw, %h0, %c0, %r {reverse = false, clip = 0.0 : f32} : (tensor<3x6xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x8xf32>) -> tensor<5x1x2xf32>
  return %y : tensor<5x1x2xf32>
}

// -----

func.func @lstm_peepholes(%xw: tensor<3x8xf32>, %h0: tensor<1x2xf32>, %c0: tensor<1x2xf32>, %p: tensor<4xf32>) -> tensor<5x1x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<8x2x1xf32>, bias = dense<0.0> : tensor<8xf32>} : (tensor<1x2xf32>) -> tensor<1x8xf32>
  // expected-error @+1 {{'circulant.lstm' op peepholes must have 3H elements}}
  %y = circulant.lstm %xw, %h0, %c0, %r, %p {reverse = false, clip = 0.0 : f32} : (tensor<3x8xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x8xf32>, tensor<4xf32>) -> tensor<5x1x2xf32>
  return %y : tensor<5x1x2xf32>
}

// -----

func.func @gru_layers(%xw: tensor<6x6xf32>, %h0: tensor<2x2xf32>) -> tensor<4x2x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<6x2x1xf32>, bias = dense<0.0> : tensor<6xf32>} : (tensor<2x2xf32>) -> tensor<2x6xf32>
  // expected-error @+1 {{'circulant.gru' op needs 2 recurrence layer(s)}}
  %y = circulant.gru %xw, %h0, %r {reverse = false, clip = 0.0 : f32, linear_before_reset = false} : (tensor<6x6xf32>, tensor<2x2xf32>, tensor<2x6xf32>) -> tensor<4x2x2xf32>
  return %y : tensor<4x2x2xf32>
}

// -----

func.func @gru_layer_width(%xw: tensor<6x6xf32>, %h0: tensor<2x2xf32>) -> tensor<4x2x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<4x2x1xf32>, bias = dense<0.0> : tensor<4xf32>} : (tensor<2x2xf32>) -> tensor<2x4xf32>
  // expected-error @+1 {{'circulant.gru' op recurrence layer must have 6 outputs}}
  %y = circulant.gru %xw, %h0, %r {reverse = false, clip = 0.0 : f32, linear_before_reset = true} : (tensor<6x6xf32>, tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<4x2x2xf32>
  return %y : tensor<4x2x2xf32>
}

// -----

func.func @gru_clip(%xw: tensor<6x6xf32>, %h0: tensor<2x2xf32>) -> tensor<4x2x2xf32> {
  %r = circulant.fc %h0 {name = "r", block_size = 1 : i64, weight = dense<1.0> : tensor<6x2x1xf32>, bias = dense<0.0> : tensor<6xf32>} : (tensor<2x2xf32>) -> tensor<2x6xf32>
  // expected-error @+1 {{'circulant.gru' op clip must be non-negative (0: none)}}
  %y = circulant.gru %xw, %h0, %r {reverse = false, clip = -1.0 : f32, linear_before_reset = true} : (tensor<6x6xf32>, tensor<2x2xf32>, tensor<2x6xf32>) -> tensor<4x2x2xf32>
  return %y : tensor<4x2x2xf32>
}
