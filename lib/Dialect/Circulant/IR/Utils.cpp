//===- Utils.cpp - helpers shared by circulant passes ---------------------===//

#include "rebocc/Dialect/Circulant/Utils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace rebocc {

std::optional<std::vector<float>> getFloatValues(ElementsAttr attr) {
  auto type = dyn_cast<ShapedType>(attr.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || (int64_t)data->size() != type.getNumElements())
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto range = dense.getValues<float>();
    return std::vector<float>(range.begin(), range.end());
  }
  return std::nullopt;
}

/// Tensors up to this many elements print inline; larger ones become blobs.
static constexpr int64_t kInlineElementLimit = 64;

ElementsAttr makeFloatAttr(ShapedType type, ArrayRef<float> values,
                           StringRef blobName) {
  if (type.getNumElements() <= kInlineElementLimit)
    return DenseElementsAttr::get(type, values);
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(values);
  return cast<ElementsAttr>(
      DenseF32ResourceElementsAttr::get(type, blobName, std::move(blob)));
}

namespace {
/// One integer field of the hardware description and its attribute key.
struct IntField {
  const char *key;
  int64_t sim::HardwareDesc::*member;
};
} // namespace

static const IntField kIntFields[] = {
    {"xbar_rows", &sim::HardwareDesc::xbarRows},
    {"xbar_cols", &sim::HardwareDesc::xbarCols},
    {"weight_bits", &sim::HardwareDesc::weightBits},
    {"cell_bits", &sim::HardwareDesc::cellBits},
    {"input_bits", &sim::HardwareDesc::inputBits},
    {"adc_bits", &sim::HardwareDesc::adcBits},
    {"xbars_per_ima", &sim::HardwareDesc::xbarsPerIma},
    {"imas_per_tile", &sim::HardwareDesc::imasPerTile},
    {"tiles_per_chip", &sim::HardwareDesc::tilesPerChip},
};

FailureOr<sim::HardwareDesc> getHardware(ModuleOp module) {
  sim::HardwareDesc hw;
  auto dict = module->getAttrOfType<DictionaryAttr>(kHardwareAttrName);
  if (!dict)
    return hw;
  for (NamedAttribute entry : dict) {
    if (entry.getName() == "name") {
      auto name = dyn_cast<StringAttr>(entry.getValue());
      if (!name)
        return module.emitError("rebocc.hw: name must be a string");
      hw.name = name.str();
      continue;
    }
    const IntField *field = llvm::find_if(kIntFields, [&](const IntField &f) {
      return entry.getName() == f.key;
    });
    if (field == std::end(kIntFields))
      continue; // Cost figures are the interpreter's; passes ignore them.
    auto value = dyn_cast<IntegerAttr>(entry.getValue());
    if (!value)
      return module.emitError("rebocc.hw: ")
             << entry.getName() << " must be an integer";
    hw.*(field->member) = value.getInt();
  }
  std::string problem = sim::validate(hw);
  if (!problem.empty())
    return module.emitError("rebocc.hw: ") << problem;
  return hw;
}

DictionaryAttr hardwareToAttr(MLIRContext *context,
                              const sim::HardwareDesc &hw) {
  Builder builder(context);
  SmallVector<NamedAttribute> entries;
  entries.push_back(builder.getNamedAttr("name", builder.getStringAttr(hw.name)));
  for (const IntField &field : kIntFields)
    entries.push_back(builder.getNamedAttr(
        field.key, builder.getI64IntegerAttr(hw.*(field.member))));
  return builder.getDictionaryAttr(entries);
}

} // namespace rebocc
