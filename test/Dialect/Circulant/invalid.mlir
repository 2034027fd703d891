// RUN: rebocc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// circulant.fc: ODS constraints
//===----------------------------------------------------------------------===//

func.func @fc_block_size_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op attribute 'block_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = circulant.fc %x {name = "l", block_size = 0 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_missing_name(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op requires attribute 'name'}}
  %y = circulant.fc %x {block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_f16_input(%x: tensor<?x4xf16>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op operand #0 must be tensor of 32-bit float values}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf16>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// circulant.fc: FullyConnectedOp::verify
//===----------------------------------------------------------------------===//

func.func @fc_rank3(%x: tensor<?x2x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op input and result must be rank-2 (batch, features)}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x2x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_unranked(%x: tensor<*xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op input and result must be rank-2 (batch, features)}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<*xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_dynamic_features(%x: tensor<?x?xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op feature dimensions must be static}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x?xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_batch_mismatch(%x: tensor<2x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'circulant.fc' op input and result batch sizes differ}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<2x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

func.func @fc_batch_dynamic_vs_static(%x: tensor<?x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'circulant.fc' op input and result batch sizes differ}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x4x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

func.func @fc_zero_features(%x: tensor<?x0xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op feature dimensions must be positive}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<4x1x1xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x0xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_weight_not_f32(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op weight must be a float32 tensor}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64,
         weight = dense<1> : tensor<2x2x2xi32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// m = 5, n = 7, k = 4: p = ceil(5/4) = 2, q = ceil(7/4) = 2.
func.func @fc_weight_shape(%x: tensor<?x7xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'circulant.fc' op weight has shape [1, 1, 4], expected [2, 2, 4]}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<5xf32>}
       : (tensor<?x7xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

// A dense (k = 1) weight is m x n x 1, not m x n.
func.func @fc_weight_rank(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'circulant.fc' op weight has shape [2, 3], expected [2, 3, 1]}}
  %y = circulant.fc %x {name = "l", block_size = 1 : i64,
         weight = dense<1.0> : tensor<2x3xf32>, bias = dense<0.0> : tensor<2xf32>}
       : (tensor<?x3xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @fc_bias_shape(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op bias has shape [2], expected [4]}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_bias_not_f32(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op bias must be a float32 tensor}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf64>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_duplication_without_mapping(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op duplication and shared_input need a mapping}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64, duplication = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_shared_without_mapping(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op duplication and shared_input need a mapping}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64, shared_input,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_unknown_mapping(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+2 {{expected ::rebocc::circulant::Mapping to be one of: A, B, C, E}}
  // expected-error @+1 {{failed to parse Circulant_MappingAttr parameter 'value'}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64, mapping = #circulant.mapping<D>,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_string_mapping(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op attribute 'mapping' failed to satisfy constraint: how a layer's weights sit on crossbars}}
  %y = circulant.fc %x {name = "l", block_size = 2 : i64, mapping = "A",
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_duplication_not_dividing(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op duplication 3 must divide block_size 4}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<B>,
         duplication = 3 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_duplication_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op duplication 0 must divide block_size 4}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<B>,
         duplication = 0 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_duplication_negative(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op duplication -2 must divide block_size 4}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<B>,
         duplication = -2 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_mapping_a_duplicated(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op mapping A has duplication 1, got 2}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<A>,
         duplication = 2 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_mapping_e_partial(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op mapping E has duplication equal to block_size 4, got 2}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<E>,
         duplication = 2 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Without a duplication attribute d defaults to 1, which E with k = 4 rejects.
func.func @fc_mapping_e_default_dup(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op mapping E has duplication equal to block_size 4, got 1}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<E>,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fc_crossbars_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op crossbars must be positive}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<A>,
         duplication = 1 : i64, crossbars = 0 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// crossbars is an I64Attr read back as uint64_t: a negative count must be
// rejected too, not wrap around to a huge positive one.
func.func @fc_crossbars_negative(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fc' op crossbars must be positive}}
  %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<A>,
         duplication = 1 : i64, crossbars = -1 : i64,
         weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Digital ops
//===----------------------------------------------------------------------===//

func.func @relu_type_mismatch(%x: tensor<?x4xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'circulant.relu' op requires the same type for all operands and results}}
  %y = "circulant.relu"(%x) : (tensor<?x4xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

func.func @sigmoid_i32(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'circulant.sigmoid' op operand #0 must be tensor of 32-bit float values}}
  %y = circulant.sigmoid %x : tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

func.func @softmax_axis_too_large(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.softmax' op axis 2 out of range for rank 2}}
  %y = circulant.softmax %x {axis = 2 : i64} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The message must print the axis as written (-1), not as a uint64_t.
func.func @softmax_axis_negative(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.softmax' op axis -1 out of range for rank 2}}
  %y = circulant.softmax %x {axis = -1 : i64} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @softmax_missing_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.softmax' op requires attribute 'axis'}}
  %y = circulant.softmax %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @add_no_broadcast(%a: tensor<?x4xf32>, %b: tensor<3xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.add' op operand shapes 'tensor<?x4xf32>' and 'tensor<3xf32>' do not broadcast}}
  %y = circulant.add %a, %b : (tensor<?x4xf32>, tensor<3xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The dynamic batch only broadcasts with itself or 1.
func.func @mul_dynamic_vs_static(%a: tensor<?x4xf32>, %b: tensor<2x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.mul' op operand shapes 'tensor<?x4xf32>' and 'tensor<2x4xf32>' do not broadcast}}
  %y = circulant.mul %a, %b : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @mul_wrong_result(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x1xf32> {
  // expected-error @+1 {{'circulant.mul' op result type 'tensor<?x1xf32>' does not match the broadcast shape}}
  %y = circulant.mul %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

// The result keeps the larger rank.
func.func @add_result_rank(%a: tensor<1x4xf32>, %b: tensor<3x1x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'circulant.add' op result type 'tensor<3x4xf32>' does not match the broadcast shape}}
  %y = circulant.add %a, %b : (tensor<1x4xf32>, tensor<3x1x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

func.func @reshape_inner_dynamic(%x: tensor<?x4xf32>) -> tensor<?x2x?xf32> {
  // expected-error @+1 {{'circulant.reshape' op only one dimension (the batch) may be dynamic}}
  %y = circulant.reshape %x : (tensor<?x4xf32>) -> tensor<?x2x?xf32>
  return %y : tensor<?x2x?xf32>
}

// -----

func.func @reshape_drops_batch(%x: tensor<?x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'circulant.reshape' op the batch dimension must stay in the shape}}
  %y = circulant.reshape %x : (tensor<?x4xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @reshape_static_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'circulant.reshape' op element count changes from 6 to 7}}
  %y = circulant.reshape %x : (tensor<2x3xf32>) -> tensor<7xf32>
  return %y : tensor<7xf32>
}

// -----

// 16 * (2^60 + 1) = 2^64 + 16 wraps to 16, the input's count: only a checked
// product rejects it.
func.func @reshape_count_overflow(%x: tensor<1x16xf32>) -> tensor<1x1152921504606846977x16xf32> {
  // expected-error @+1 {{'circulant.reshape' op the result shape 'tensor<1x1152921504606846977x16xf32>' has more elements than a 64-bit count holds}}
  %y = circulant.reshape %x : (tensor<1x16xf32>) -> tensor<1x1152921504606846977x16xf32>
  return %y : tensor<1x1152921504606846977x16xf32>
}

// -----

func.func @flatten_axis_too_large(%x: tensor<?x2x3xf32>) -> tensor<?x6xf32> {
  // expected-error @+1 {{'circulant.flatten' op axis 4 out of range for rank 3}}
  %y = circulant.flatten %x {axis = 4 : i64} : (tensor<?x2x3xf32>) -> tensor<?x6xf32>
  return %y : tensor<?x6xf32>
}

// -----

func.func @flatten_axis_negative(%x: tensor<?x2x3xf32>) -> tensor<?x6xf32> {
  // expected-error @+1 {{'circulant.flatten' op axis -1 out of range for rank 3}}
  %y = circulant.flatten %x {axis = -1 : i64} : (tensor<?x2x3xf32>) -> tensor<?x6xf32>
  return %y : tensor<?x6xf32>
}

// -----

// Flattening at axis 1 gives (batch, 2*3 = 6).
func.func @flatten_wrong_shape(%x: tensor<?x2x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'circulant.flatten' op result shape does not match flattening at axis 1}}
  %y = circulant.flatten %x {axis = 1 : i64} : (tensor<?x2x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

func.func @flatten_batch_into_features(%x: tensor<?x3xf32>) -> tensor<1x?xf32> {
  // expected-error @+1 {{'circulant.flatten' op the batch dimension cannot be flattened into the feature dimension}}
  %y = circulant.flatten %x {axis = 0 : i64} : (tensor<?x3xf32>) -> tensor<1x?xf32>
  return %y : tensor<1x?xf32>
}

// -----

func.func @constant_type_mismatch() -> tensor<3xf32> {
  // expected-error @+1 {{'circulant.constant' op value type 'tensor<2xf32>' differs from result type 'tensor<3xf32>'}}
  %c = circulant.constant {value = dense<1.0> : tensor<2xf32>} : tensor<3xf32>
  return %c : tensor<3xf32>
}

// -----

func.func @constant_not_f32() -> tensor<2xi32> {
  // expected-error @+1 {{'circulant.constant' op result #0 must be tensor of 32-bit float values}}
  %c = circulant.constant {value = dense<1> : tensor<2xi32>} : tensor<2xi32>
  return %c : tensor<2xi32>
}

// -----

func.func @pow_no_broadcast(%a: tensor<?x4xf32>, %b: tensor<3xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.pow' op operand shapes 'tensor<?x4xf32>' and 'tensor<3xf32>' do not broadcast}}
  %y = circulant.pow %a, %b : (tensor<?x4xf32>, tensor<3xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @where_no_broadcast(%c: tensor<?x4xf32>, %x: tensor<4xf32>, %y: tensor<2xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.where' op operand shapes do not broadcast}}
  %r = circulant.where %c, %x, %y : (tensor<?x4xf32>, tensor<4xf32>, tensor<2xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

func.func @fma_no_broadcast(%a: tensor<?x4xf32>, %b: tensor<4xf32>, %c: tensor<3xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.fma' op operand shapes do not broadcast}}
  %r = circulant.fma %a, %b, %c : (tensor<?x4xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

func.func @fma_wrong_result(%a: tensor<4xf32>, %b: tensor<2x1xf32>, %c: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'circulant.fma' op result type 'tensor<4xf32>' does not match the broadcast shape}}
  %r = circulant.fma %a, %b, %c : (tensor<4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @where_wrong_result(%c: tensor<4xf32>, %x: tensor<4xf32>, %y: tensor<2x1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'circulant.where' op result type 'tensor<4xf32>' does not match the broadcast shape}}
  %r = circulant.where %c, %x, %y : (tensor<4xf32>, tensor<4xf32>, tensor<2x1xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @reduce_batch(%x: tensor<?x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'circulant.reduce_sum' op cannot reduce over the run-time batch dimension}}
  %y = circulant.reduce_sum %x {axes = array<i64: 0>} : (tensor<?x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @reduce_unsorted(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'circulant.reduce_max' op axes must be increasing and less than the rank}}
  %y = circulant.reduce_max %x {axes = array<i64: 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
  return %y : tensor<2x1x1xf32>
}

// -----

func.func @reduce_dropped(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'circulant.reduce_min' op result type 'tensor<2xf32>' must keep the reduced dimensions as 1}}
  %y = circulant.reduce_min %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @reduce_no_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'circulant.reduce_sum' op needs at least one axis}}
  %y = circulant.reduce_sum %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @log_softmax_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.log_softmax' op axis 2 out of range for rank 2}}
  %y = circulant.log_softmax %x {axis = 2 : i64} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @normalize_batch(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.normalize' op cannot normalize over the run-time batch dimension}}
  %y = circulant.normalize %x {axis = 0 : i64, epsilon = 1.0e-5 : f32} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @normalize_epsilon(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'circulant.normalize' op epsilon must be finite and non-negative}}
  %y = circulant.normalize %x {axis = 1 : i64, epsilon = -1.0 : f32} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @slice_batch(%x: tensor<?x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'circulant.slice' op cannot slice the run-time batch dimension}}
  %y = circulant.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, ends = array<i64: 1>} : (tensor<?x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @slice_out_of_range(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'circulant.slice' op range [3, 5) does not fit dimension 1}}
  %y = circulant.slice %x {axes = array<i64: 1>, starts = array<i64: 3>, ends = array<i64: 5>} : (tensor<?x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @slice_wrong_result(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'circulant.slice' op result type 'tensor<?x3xf32>' does not match the ranges}}
  %y = circulant.slice %x {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 2>} : (tensor<?x4xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

func.func @slice_counts(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'circulant.slice' op needs as many starts and ends as axes, at least one}}
  %y = circulant.slice %x {axes = array<i64: 1>, starts = array<i64: 0, 1>, ends = array<i64: 2>} : (tensor<?x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @resize_batch(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'circulant.resize' op cannot resize the run-time batch dimension}}
  %y = circulant.resize %x {axes = array<i64: 0>, taps = array<i64: 1>, sources = array<i64: 0>, weights = array<f32: 1.0>} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @resize_source(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'circulant.resize' op source 2 is outside dimension 1}}
  %y = circulant.resize %x {axes = array<i64: 1>, taps = array<i64: 1>, sources = array<i64: 0, 1, 2>, weights = array<f32: 1.0, 1.0, 1.0>} : (tensor<?x2xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

func.func @resize_table_size(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'circulant.resize' op needs 6 sources and weights (output size x taps per axis)}}
  %y = circulant.resize %x {axes = array<i64: 1>, taps = array<i64: 2>, sources = array<i64: 0, 1, 1>, weights = array<f32: 1.0, 1.0, 1.0>} : (tensor<?x2xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

func.func @resize_other_dim(%x: tensor<?x2x4xf32>) -> tensor<?x3x5xf32> {
  // expected-error @+1 {{'circulant.resize' op result type 'tensor<?x3x5xf32>' changes a dimension that is not resized}}
  %y = circulant.resize %x {axes = array<i64: 1>, taps = array<i64: 1>, sources = array<i64: 0, 1, 1>, weights = array<f32: 1.0, 1.0, 1.0>} : (tensor<?x2x4xf32>) -> tensor<?x3x5xf32>
  return %y : tensor<?x3x5xf32>
}

// -----

func.func @resize_taps(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'circulant.resize' op needs one tap count per axis, at least one axis}}
  %y = circulant.resize %x {axes = array<i64: 1>, taps = array<i64>, sources = array<i64: 0, 1>, weights = array<f32: 1.0, 1.0>} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @matmul_inner(%a: tensor<2x3x4xf32>, %b: tensor<2x5x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'circulant.matmul' op operand shapes 'tensor<2x3x4xf32>' and 'tensor<2x5x6xf32>' do not multiply (rank >= 2, equal inner dims, broadcasting batch dims)}}
  %y = circulant.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x5x6xf32>) -> tensor<2x3x6xf32>
  return %y : tensor<2x3x6xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'circulant.matmul' op operand shapes 'tensor<2x3x4xf32>' and 'tensor<3x4x6xf32>' do not multiply}}
  %y = circulant.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x6xf32>) -> tensor<2x3x6xf32>
  return %y : tensor<2x3x6xf32>
}

// -----

func.func @matmul_result(%a: tensor<2x3x4xf32>, %b: tensor<4x6xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{'circulant.matmul' op result type 'tensor<2x3x5xf32>' does not match the product shape}}
  %y = circulant.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x6xf32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}
