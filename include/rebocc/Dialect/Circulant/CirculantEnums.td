//===- CirculantEnums.td - circulant dialect enums ---------*- tablegen -*-===//
//
// The mapping a layer is given (an attribute on circulant.fc / circulant.conv)
// and the choices of the circulant-duplicate-weights pass (its options).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_CIRCULANT_ENUMS
#define REBOCC_CIRCULANT_ENUMS

include "rebocc/Dialect/Circulant/CirculantDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Mapping
//===----------------------------------------------------------------------===//

def Circulant_Mapping : I32EnumAttr<"Mapping",
    "how a layer's weights sit on crossbars (ReBoc mappings)", [
      I32EnumAttrCase<"A", 0>,
      I32EnumAttrCase<"B", 1>,
      I32EnumAttrCase<"C", 2>,
      I32EnumAttrCase<"E", 3>
    ]> {
  let description = [{
    `A`: horizontal weight slicing, one copy of each block-row per weight
    column (duplication 1). `B`: `duplication` rotated copies of each
    block-row side by side. `C`: `duplication` block-diagonal copies, each in
    its own rows. `E`: the expanded dense baseline (duplication = block size).
  }];
  let cppNamespace = "::rebocc::circulant";
  let genSpecializedAttr = 0;
}

def Circulant_MappingAttr : EnumAttr<Circulant_Dialect, Circulant_Mapping,
                                     "mapping"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// circulant-duplicate-weights options
//===----------------------------------------------------------------------===//

def Circulant_DuplicationLayout : I32Enum<"DuplicationLayout",
    "where circulant-duplicate-weights may place weight copies", [
      I32EnumCase<"Auto", 0, "auto">,
      I32EnumCase<"B", 1>,
      I32EnumCase<"C", 2>
    ]> {
  let cppNamespace = "::rebocc::circulant";
}

def Circulant_DuplicationBudget : I32Enum<"DuplicationBudget",
    "which crossbars circulant-duplicate-weights may fill with copies", [
      I32EnumCase<"Idle", 0, "idle">,
      I32EnumCase<"Chip", 1, "chip">
    ]> {
  let cppNamespace = "::rebocc::circulant";
}

def Circulant_DuplicationObjective : I32Enum<"DuplicationObjective",
    "what circulant-duplicate-weights' chip budget saves", [
      I32EnumCase<"Latency", 0, "latency">,
      I32EnumCase<"Energy", 1, "energy">,
      I32EnumCase<"Edp", 2, "edp">
    ]> {
  let description = [{
    The largest saving of one inference's latency, of its energy, or of its
    energy-delay product (docs/Design.md, "Duplication objective").
  }];
  let cppNamespace = "::rebocc::circulant";
}

#endif // REBOCC_CIRCULANT_ENUMS
