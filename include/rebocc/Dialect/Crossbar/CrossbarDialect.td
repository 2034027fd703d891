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
    physical array: `crossbar-place-arrays` gives each its chip, chip load,
    tile, IMA and crossbar (`#crossbar.place`) and records the overflow
    policy on the module (`crossbar.overflow`), and `crossbar-assign-buffers`
    gives each input buffer its tile and size. Functions schedule input
    buffers, matrix-vector steps over rotations, partial-sum reduction
    across row tiles and digital operations. It maps one to one onto the
    emitted program (docs/ProgramFormat.md).
  }];
  let cppNamespace = "::rebocc::crossbar";
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  // The overflow policy the module's arrays are placed for
  // (crossbar-place-arrays).
  let discardableAttrs = (ins
    "::rebocc::crossbar::OverflowPolicyAttr":$overflow
  );
}

class Crossbar_Op<string mnemonic, list<Trait> traits = []> :
    Op<Crossbar_Dialect, mnemonic, traits>;

#endif // REBOCC_CROSSBAR_DIALECT
