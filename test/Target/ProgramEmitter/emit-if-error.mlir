// RUN: rebocc-translate --crossbar-to-program %s | FileCheck %s

// A crossbar.if whose else region cannot run: the if keeps its error
// (else_error, quoted), the else branch has no instructions (else=0), and
// each phi takes the then value for both branches (a run taking the else
// branch stops at the if).
// CHECK: inst %2 = if %1 then=1 else=0 else_error="node 'sq' (Squeeze): dim 1 is \"8\"" name="pick"
// CHECK-NEXT: inst %3 = relu %0 name="r"
// CHECK-NEXT: inst %4 = phi %2 %3 %3 name="pick"
// CHECK-NOT: inst
module attributes {crossbar.overflow = #crossbar.overflow<chips>} {
  func.func @main(%x: tensor<?x4xf32> {rebocc.name = "x"}, %c: tensor<1xf32> {rebocc.name = "c"})
      -> (tensor<?x4xf32> {rebocc.name = "y"}) {
    %y = crossbar.if %c : tensor<1xf32> -> tensor<?x4xf32> {
      %r = crossbar.digital "relu"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("r")
      crossbar.yield %r : tensor<?x4xf32>
    } else {
      crossbar.yield
    } {else_error = "node 'sq' (Squeeze): dim 1 is \"8\""} loc("pick")
    return %y : tensor<?x4xf32>
  }
}
