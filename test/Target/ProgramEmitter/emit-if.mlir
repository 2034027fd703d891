// RUN: rebocc-translate --crossbar-to-program %s | FileCheck %s

// A crossbar.if becomes an if instruction whose result is the condition,
// the then region's instructions (then=2), the else region's (else=1), and
// a phi per result, in the if's block, choosing between the values the
// regions yield; a value from before the if (%x) is yielded as it is.
// CHECK: value %2 name="c.taken" shape=[1]
// CHECK: inst %2 = if %1 then=2 else=1 name="pick"
// CHECK-NEXT: inst %3 = relu %0 name="r"
// CHECK-NEXT: inst %4 = neg %3 name="n"
// CHECK-NEXT: inst %5 = sigmoid %0 name="s"
// CHECK-NEXT: inst %6 = phi %2 %4 %5 name="pick"
// CHECK-NEXT: inst %7 = phi %2 %0 %0 name="pick"
// CHECK-NOT: inst
module attributes {crossbar.overflow = #crossbar.overflow<chips>} {
  func.func @main(%x: tensor<?x4xf32> {rebocc.name = "x"}, %c: tensor<1xf32> {rebocc.name = "c"})
      -> (tensor<?x4xf32> {rebocc.name = "y"}, tensor<?x4xf32> {rebocc.name = "z"}) {
    %y:2 = crossbar.if %c : tensor<1xf32> -> tensor<?x4xf32>, tensor<?x4xf32> {
      %r = crossbar.digital "relu"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("r")
      %n = crossbar.digital "neg"(%r) : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("n")
      crossbar.yield %n, %x : tensor<?x4xf32>, tensor<?x4xf32>
    } else {
      %s = crossbar.digital "sigmoid"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("s")
      crossbar.yield %s, %x : tensor<?x4xf32>, tensor<?x4xf32>
    } loc("pick")
    return %y#0, %y#1 : tensor<?x4xf32>, tensor<?x4xf32>
  }
}
