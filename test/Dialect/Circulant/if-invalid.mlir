// RUN: rebocc-opt %s -split-input-file -verify-diagnostics

func.func @wide_condition(%x: tensor<4xf32>, %c: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'circulant.if' op condition 'tensor<2xf32>' must hold exactly one element}}
  %r = circulant.if %c : tensor<2xf32> -> tensor<4xf32> {
    circulant.yield %x : tensor<4xf32>
  } else {
    circulant.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @dynamic_condition(%x: tensor<4xf32>, %c: tensor<?xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'circulant.if' op condition 'tensor<?xf32>' must hold exactly one element}}
  %r = circulant.if %c : tensor<?xf32> -> tensor<4xf32> {
    circulant.yield %x : tensor<4xf32>
  } else {
    circulant.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// The branches' results differ in shape from the if's.
func.func @yield_types(%x: tensor<4xf32>, %y: tensor<2x2xf32>, %c: tensor<1xf32>) -> tensor<4xf32> {
  %r = circulant.if %c : tensor<1xf32> -> tensor<4xf32> {
    circulant.yield %x : tensor<4xf32>
  } else {
    // expected-error @+1 {{'circulant.yield' op yields 'tensor<2x2xf32>' for results of types 'tensor<4xf32>'}}
    circulant.yield %y : tensor<2x2xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @no_yield(%x: tensor<4xf32>, %c: tensor<1xf32>) {
  // expected-error @+1 {{'circulant.if' op each region must end in a yield}}
  "circulant.if"(%c) ({
    "func.return"() : () -> ()
  }, {
    "circulant.yield"() : () -> ()
  }) : (tensor<1xf32>) -> ()
  return
}

// -----

func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'circulant.yield' op expects parent op 'circulant.if'}}
  circulant.yield %x : tensor<4xf32>
}

// -----

func.func @both_failing(%c: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'circulant.if' op has then_error and else_error: one branch must be able to run}}
  %r = circulant.if %c : tensor<1xf32> -> tensor<4xf32> {
    circulant.yield
  } else {
    circulant.yield
  } {then_error = "a", else_error = "b"}
  return %r : tensor<4xf32>
}

// -----

// A branch that cannot run yields nothing.
func.func @failing_yields(%x: tensor<4xf32>, %c: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'circulant.if' op a branch that cannot run must hold only an empty yield}}
  %r = circulant.if %c : tensor<1xf32> -> tensor<4xf32> {
    circulant.yield %x : tensor<4xf32>
  } else {
    circulant.yield %x : tensor<4xf32>
  } {else_error = "b"}
  return %r : tensor<4xf32>
}
