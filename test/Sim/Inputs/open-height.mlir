// A crossbar module whose input's height is open (ONNX imports never leave
// one open: the importer asks for --input-shape or --dim instead), for
// cost-only-unknown-dim.test.
module attributes {crossbar.overflow = #crossbar.overflow<chips>, rebocc.hw = {}} {
  func.func @main(%x: tensor<?x1x?x8xf32> {rebocc.name = "image"})
      -> (tensor<?x1x?x8xf32> {rebocc.name = "y"}) {
    %y = crossbar.digital "relu"(%x) : (tensor<?x1x?x8xf32>) -> tensor<?x1x?x8xf32> loc("r")
    return %y : tensor<?x1x?x8xf32>
  }
}
