//===- CrossbarAttributes.td - crossbar dialect attributes -*- tablegen -*-===//

#ifndef REBOCC_CROSSBAR_ATTRIBUTES
#define REBOCC_CROSSBAR_ATTRIBUTES

include "rebocc/Dialect/Crossbar/CrossbarDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Crossbar_Mapping : I32EnumAttr<"Mapping",
    "how a layer's weights sit on its crossbar arrays", [
      I32EnumAttrCase<"A", 0>,
      I32EnumAttrCase<"B", 1>,
      I32EnumAttrCase<"C", 2>,
      I32EnumAttrCase<"E", 3>
    ]> {
  let description = [{
    The program's mappings (docs/ProgramFormat.md). `A`: one copy of each
    block-row per weight column (duplication 1). `B`: `duplication` rotated
    copies of each block-row side by side. `C`: `duplication` block-diagonal
    copies, each in its own rows. `E`: the expanded dense baseline
    (duplication = block size).
  }];
  let cppNamespace = "::rebocc::crossbar";
  let genSpecializedAttr = 0;
}

def Crossbar_MappingAttr : EnumAttr<Crossbar_Dialect, Crossbar_Mapping,
                                    "mapping"> {
  let assemblyFormat = "`<` $value `>`";
}


def Crossbar_OverflowPolicy : I32EnumAttr<"OverflowPolicy",
    "what to do when the model needs more than one chip", [
      I32EnumAttrCase<"Chips", 0, "chips">,
      I32EnumAttrCase<"Reprogram", 1, "reprogram">]> {
  let cppNamespace = "::rebocc::crossbar";
  let genSpecializedAttr = 0;
}

def Crossbar_OverflowPolicyAttr : EnumAttr<Crossbar_Dialect,
    Crossbar_OverflowPolicy, "overflow"> {
  let summary = "the overflow policy arrays are placed for";
  let description = [{
    `chips` spreads a model larger than one chip over several chips;
    `reprogram` runs it on one chip, rewriting its crossbars between chip
    loads (docs/CostModel.md, "Placement"). Set on the module as
    `crossbar.overflow` by `crossbar-place-arrays`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

class Crossbar_Attr<string name, string attrMnemonic>
    : AttrDef<Crossbar_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def Crossbar_PlaceAttr : Crossbar_Attr<"Place", "place"> {
  let summary = "where a crossbar array sits";
  let description = [{
    Chip, chip load (the reprogramming round; 0 unless the module is placed
    for `reprogram` and does not fit one chip), tile of the chip, IMA of the
    tile and crossbar of the IMA, each counted from 0:

    ```mlir
    #crossbar.place<chip = 0, load = 0, tile = 1, ima = 2, xbar = 3>
    ```
  }];
  let parameters = (ins "int64_t":$chip, "int64_t":$load, "int64_t":$tile,
                        "int64_t":$ima, "int64_t":$xbar);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Crossbar_TileAttr : Crossbar_Attr<"Tile", "tile"> {
  let summary = "a tile of a chip load";
  let description = [{
    Chip, chip load and tile of the chip, as in `#crossbar.place`: where an
    input buffer sits in eDRAM.

    ```mlir
    #crossbar.tile<chip = 0, load = 0, tile = 1>
    ```
  }];
  let parameters = (ins "int64_t":$chip, "int64_t":$load, "int64_t":$tile);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // REBOCC_CROSSBAR_ATTRIBUTES
