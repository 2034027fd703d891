//===- CirculantDialect.td - circulant dialect -------------*- tablegen -*-===//

#ifndef REBOCC_CIRCULANT_DIALECT
#define REBOCC_CIRCULANT_DIALECT

include "mlir/IR/OpBase.td"

def Circulant_Dialect : Dialect {
  let name = "circulant";
  let summary = "Block-circulant neural network layers before crossbar mapping";
  let description = [{
    The `circulant` dialect holds a network as imported from ONNX: layers whose
    weights are block-circulant (a dense layer is the case k = 1) and the
    digital operations around them. Weights are stored as the defining vectors
    of each k x k block, `W_ij[r][c] = w_ij[(c - r) mod k]`, in a tensor of
    shape p x q x k. Mapping passes annotate each layer with its crossbar
    mapping (A, B(d) or the dense baseline E) before conversion to the
    `crossbar` dialect.
  }];
  let cppNamespace = "::rebocc::circulant";
  let useDefaultAttributePrinterParser = 1;
}

class Circulant_Op<string mnemonic, list<Trait> traits = []> :
    Op<Circulant_Dialect, mnemonic, traits>;

#endif // REBOCC_CIRCULANT_DIALECT
