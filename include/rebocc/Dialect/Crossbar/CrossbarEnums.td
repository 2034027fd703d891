//===- CrossbarEnums.td - crossbar dialect enums -----------*- tablegen -*-===//

#ifndef REBOCC_CROSSBAR_ENUMS
#define REBOCC_CROSSBAR_ENUMS

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

#endif // REBOCC_CROSSBAR_ENUMS
