//===- CrossbarDialect.td - crossbar dialect ---------------*- tablegen -*-===//

#ifndef REBOCC_CROSSBAR_DIALECT
#define REBOCC_CROSSBAR_DIALECT

include "mlir/IR/OpBase.td"

def Crossbar_Dialect : Dialect {
  let name = "crossbar";
  let summary = "ReRAM crossbar arrays, tiles, input buffers and their schedule";
  let description = [{
    The `crossbar` dialect is the mapped network: module-level `crossbar.layer`
    symbols hold each layer's unique weights (block-circulant defining
    vectors), their fixed-point encoding and mapping; `crossbar.array`
    symbols place a rectangle of the layer's logical crossbar matrix on one
    physical array of a tile. Functions schedule input buffers, matrix-vector
    steps over rotations, partial-sum reduction across row tiles and digital
    operations. It maps one to one onto the emitted program
    (docs/ProgramFormat.md).
  }];
  let cppNamespace = "::rebocc::crossbar";
  let useDefaultAttributePrinterParser = 1;
}

class Crossbar_Op<string mnemonic, list<Trait> traits = []> :
    Op<Crossbar_Dialect, mnemonic, traits>;

#endif // REBOCC_CROSSBAR_DIALECT
