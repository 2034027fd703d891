// RUN: rebocc-opt %s -split-input-file -verify-diagnostics

func.func @wide_condition(%x: tensor<4xf32>, %c: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'crossbar.if' op condition 'tensor<2xf32>' must hold exactly one element}}
  %r = crossbar.if %c : tensor<2xf32> -> tensor<4xf32> {
    crossbar.yield %x : tensor<4xf32>
  } else {
    crossbar.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @dynamic_condition(%x: tensor<4xf32>, %c: tensor<?xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'crossbar.if' op condition 'tensor<?xf32>' must hold exactly one element}}
  %r = crossbar.if %c : tensor<?xf32> -> tensor<4xf32> {
    crossbar.yield %x : tensor<4xf32>
  } else {
    crossbar.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// The branches' results differ in shape from the if's.
func.func @yield_types(%x: tensor<4xf32>, %y: tensor<2x2xf32>, %c: tensor<1xf32>) -> tensor<4xf32> {
  %r = crossbar.if %c : tensor<1xf32> -> tensor<4xf32> {
    crossbar.yield %x : tensor<4xf32>
  } else {
    // expected-error @+1 {{'crossbar.yield' op yields 'tensor<2x2xf32>' for results of types 'tensor<4xf32>'}}
    crossbar.yield %y : tensor<2x2xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @no_yield(%x: tensor<4xf32>, %c: tensor<1xf32>) {
  // expected-error @+1 {{'crossbar.if' op each region must end in a yield}}
  "crossbar.if"(%c) ({
    "func.return"() : () -> ()
  }, {
    "crossbar.yield"() : () -> ()
  }) : (tensor<1xf32>) -> ()
  return
}

// -----

func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'crossbar.yield' op expects parent op 'crossbar.if'}}
  crossbar.yield %x : tensor<4xf32>
}

// -----

func.func @both_failing(%c: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'crossbar.if' op has then_error and else_error: one branch must be able to run}}
  %r = crossbar.if %c : tensor<1xf32> -> tensor<4xf32> {
    crossbar.yield
  } else {
    crossbar.yield
  } {then_error = "a", else_error = "b"}
  return %r : tensor<4xf32>
}

// -----

// A branch that cannot run yields nothing.
func.func @failing_yields(%x: tensor<4xf32>, %c: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'crossbar.if' op a branch that cannot run must hold only an empty yield}}
  %r = crossbar.if %c : tensor<1xf32> -> tensor<4xf32> {
    crossbar.yield %x : tensor<4xf32>
  } else {
    crossbar.yield %x : tensor<4xf32>
  } {else_error = "b"}
  return %r : tensor<4xf32>
}
