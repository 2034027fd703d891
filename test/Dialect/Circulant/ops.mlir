// RUN: rebocc-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same IR.
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// And through the generic form.
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// CHECK-LABEL: func.func @fc_unmapped
// CHECK-SAME: (%[[X:.*]]: tensor<?x6xf32>) -> tensor<?x4xf32>
// CHECK: %[[Y:.*]] = circulant.fc %[[X]] {bias = dense<[5.000000e-01, 1.500000e+00, 2.500000e+00, 3.500000e+00]> : tensor<4xf32>, block_size = 2 : i64, name = "fc1", weight = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]], {{\[\[}}7.000000e+00, 8.000000e+00], [9.000000e+00, 1.000000e+01], [1.100000e+01, 1.200000e+01]]]> : tensor<2x3x2xf32>} : (tensor<?x6xf32>) -> tensor<?x4xf32>
// CHECK-NOT: mapping
// CHECK: return %[[Y]]
func.func @fc_unmapped(%x: tensor<?x6xf32>) -> tensor<?x4xf32> {
  %y = circulant.fc %x {name = "fc1", block_size = 2 : i64,
         weight = dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
                         [[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]]> : tensor<2x3x2xf32>,
         bias = dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>}
       : (tensor<?x6xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// Ragged layer: m = 5, n = 7 with k = 4 pads to p = 2, q = 2.
// CHECK-LABEL: func.func @fc_ragged
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<5xf32>, block_size = 4 : i64, name = "ragged", weight = dense<1.000000e+00> : tensor<2x2x4xf32>} : (tensor<3x7xf32>) -> tensor<3x5xf32>
func.func @fc_ragged(%x: tensor<3x7xf32>) -> tensor<3x5xf32> {
  %y = circulant.fc %x {name = "ragged", block_size = 4 : i64,
         weight = dense<1.0> : tensor<2x2x4xf32>, bias = dense<0.0> : tensor<5xf32>}
       : (tensor<3x7xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// Dense layer (k = 1): weight m x n x 1.
// CHECK-LABEL: func.func @fc_dense
// CHECK: circulant.fc %{{.*}} {bias = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, block_size = 1 : i64, name = "dense", weight = dense<{{\[\[\[}}1.000000e+00], [2.000000e+00], [3.000000e+00]], {{\[\[}}4.000000e+00], [5.000000e+00], [6.000000e+00]]]> : tensor<2x3x1xf32>} : (tensor<?x3xf32>) -> tensor<?x2xf32>
func.func @fc_dense(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %y = circulant.fc %x {name = "dense", block_size = 1 : i64,
         weight = dense<[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]]]> : tensor<2x3x1xf32>,
         bias = dense<[1.0, 2.0]> : tensor<2xf32>}
       : (tensor<?x3xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// All three mappings with their attributes.
// CHECK-LABEL: func.func @fc_mapped
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 2 : i64, crossbars = 1 : i64, duplication = 1 : i64, mapping = #circulant.mapping<A>, name = "a", weight = dense<1.000000e+00> : tensor<2x2x2xf32>}
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, crossbars = 3 : i64, duplication = 2 : i64, mapping = #circulant.mapping<B>, name = "b", shared_input, weight = dense<2.000000e+00> : tensor<1x1x4xf32>}
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, crossbars = 7 : i64, duplication = 4 : i64, mapping = #circulant.mapping<E>, name = "e", weight = dense<3.000000e+00> : tensor<1x1x4xf32>}
// B without an explicit crossbars count, and A without duplication (d = 1).
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, duplication = 4 : i64, mapping = #circulant.mapping<B>, name = "b4", weight = dense<4.000000e+00> : tensor<1x1x4xf32>}
// CHECK: circulant.fc %{{.*}} {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, mapping = #circulant.mapping<A>, name = "a_nodup", weight = dense<5.000000e+00> : tensor<1x1x4xf32>}
func.func @fc_mapped(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = circulant.fc %x {name = "a", block_size = 2 : i64, mapping = #circulant.mapping<A>,
         duplication = 1 : i64, crossbars = 1 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %b = circulant.fc %a {name = "b", block_size = 4 : i64, mapping = #circulant.mapping<B>,
         duplication = 2 : i64, shared_input, crossbars = 3 : i64,
         weight = dense<2.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %e = circulant.fc %b {name = "e", block_size = 4 : i64, mapping = #circulant.mapping<E>,
         duplication = 4 : i64, crossbars = 7 : i64,
         weight = dense<3.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %b4 = circulant.fc %e {name = "b4", block_size = 4 : i64, mapping = #circulant.mapping<B>,
         duplication = 4 : i64,
         weight = dense<4.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %a2 = circulant.fc %b4 {name = "a_nodup", block_size = 4 : i64, mapping = #circulant.mapping<A>,
         weight = dense<5.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %a2 : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @digital
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x4xf32>, %[[V:.*]]: tensor<4xf32>)
// CHECK: %[[R:.*]] = circulant.relu %[[X]] : tensor<?x2x3x4xf32>
// CHECK: %[[S:.*]] = circulant.sigmoid %[[R]] : tensor<?x2x3x4xf32>
// CHECK: %[[SM:.*]] = circulant.softmax %[[S]] {axis = 3 : i64} : tensor<?x2x3x4xf32>
// CHECK: %[[A:.*]] = circulant.add %[[SM]], %[[V]] : (tensor<?x2x3x4xf32>, tensor<4xf32>) -> tensor<?x2x3x4xf32>
// CHECK: %[[C:.*]] = circulant.constant {value = dense<{{\[\[}}1.000000e+00], [2.000000e+00], [3.000000e+00]]> : tensor<3x1xf32>} : tensor<3x1xf32>
// CHECK: %[[M:.*]] = circulant.mul %[[A]], %[[C]] : (tensor<?x2x3x4xf32>, tensor<3x1xf32>) -> tensor<?x2x3x4xf32>
// CHECK: %[[F:.*]] = circulant.flatten %[[M]] {axis = 1 : i64} : (tensor<?x2x3x4xf32>) -> tensor<?x24xf32>
// CHECK: %[[RS:.*]] = circulant.reshape %[[F]] : (tensor<?x24xf32>) -> tensor<?x4x6xf32>
// CHECK: return %[[RS]]
func.func @digital(%x: tensor<?x2x3x4xf32>, %v: tensor<4xf32>) -> tensor<?x4x6xf32> {
  %r = circulant.relu %x : tensor<?x2x3x4xf32>
  %s = circulant.sigmoid %r : tensor<?x2x3x4xf32>
  %sm = circulant.softmax %s {axis = 3 : i64} : tensor<?x2x3x4xf32>
  %a = circulant.add %sm, %v : (tensor<?x2x3x4xf32>, tensor<4xf32>) -> tensor<?x2x3x4xf32>
  %c = circulant.constant {value = dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>} : tensor<3x1xf32>
  %m = circulant.mul %a, %c : (tensor<?x2x3x4xf32>, tensor<3x1xf32>) -> tensor<?x2x3x4xf32>
  %f = circulant.flatten %m {axis = 1 : i64} : (tensor<?x2x3x4xf32>) -> tensor<?x24xf32>
  %rs = circulant.reshape %f : (tensor<?x24xf32>) -> tensor<?x4x6xf32>
  return %rs : tensor<?x4x6xf32>
}

// Broadcasting in both directions: lhs 1 against rhs n, and rhs 1 against
// lhs n; the batch dimension broadcasts against 1.
// CHECK-LABEL: func.func @broadcast
// CHECK: circulant.mul %{{.*}}, %{{.*}} : (tensor<1x5xf32>, tensor<?x1xf32>) -> tensor<?x5xf32>
// CHECK: circulant.add %{{.*}}, %{{.*}} : (tensor<?x5xf32>, tensor<?x5xf32>) -> tensor<?x5xf32>
// CHECK: circulant.add %{{.*}}, %{{.*}} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @broadcast(%a: tensor<1x5xf32>, %b: tensor<?x1xf32>, %s: tensor<f32>, %t: tensor<2x3xf32>) -> (tensor<?x5xf32>, tensor<2x3xf32>) {
  %m = circulant.mul %a, %b : (tensor<1x5xf32>, tensor<?x1xf32>) -> tensor<?x5xf32>
  %n = circulant.add %m, %m : (tensor<?x5xf32>, tensor<?x5xf32>) -> tensor<?x5xf32>
  %o = circulant.add %s, %t : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %n, %o : tensor<?x5xf32>, tensor<2x3xf32>
}

// Flatten at axis 0 and at the rank; reshape of static shapes.
// CHECK-LABEL: func.func @flatten_reshape
// CHECK: circulant.flatten %{{.*}} {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
// CHECK: circulant.flatten %{{.*}} {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
// CHECK: circulant.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
func.func @flatten_reshape(%x: tensor<2x3x4xf32>) -> (tensor<1x24xf32>, tensor<24x1xf32>, tensor<6x4xf32>) {
  %a = circulant.flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  %b = circulant.flatten %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  %c = circulant.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %a, %b, %c : tensor<1x24xf32>, tensor<24x1xf32>, tensor<6x4xf32>
}
