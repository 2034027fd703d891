//===- Utils.cpp - helpers shared by circulant passes ---------------------===//

#include "rebocc/Dialect/Circulant/Utils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>

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

std::optional<ArrayRef<float>> getFloatView(ElementsAttr attr,
                                            std::vector<float> &storage) {
  auto type = dyn_cast<ShapedType>(attr.getType());
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr);
      resource && type && type.hasStaticShape())
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
        data && (int64_t)data->size() == type.getNumElements())
      return *data;
  std::optional<std::vector<float>> values = getFloatValues(attr);
  if (!values)
    return std::nullopt;
  storage = std::move(*values);
  return ArrayRef<float>(storage);
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

/// Sets one field of `hw` from an attribute; fails on a type mismatch.
static LogicalResult setField(model::HardwareDesc &hw,
                              const model::HardwareField &field, Attribute value) {
  switch (field.kind) {
  case model::HardwareField::String:
    if (auto text = dyn_cast<StringAttr>(value))
      return hw.*(field.str) = text.str(), success();
    return failure();
  case model::HardwareField::Int:
    if (auto integer = dyn_cast<IntegerAttr>(value)) {
      if (field.autoFlag)
        hw.*(field.autoFlag) = false;
      return hw.*(field.integer) = integer.getInt(), success();
    }
    if (auto text = dyn_cast<StringAttr>(value);
        text && field.autoFlag && text.getValue() == "auto")
      return hw.*(field.autoFlag) = true, success();
    return failure();
  case model::HardwareField::Real:
    if (auto real = dyn_cast<FloatAttr>(value))
      return hw.*(field.real) = real.getValueAsDouble(), success();
    if (auto integer = dyn_cast<IntegerAttr>(value))
      return hw.*(field.real) = (double)integer.getInt(), success();
    return failure();
  }
  return failure();
}

FailureOr<model::HardwareDesc> getHardware(ModuleOp module) {
  model::HardwareDesc hw;
  auto dict = module->getAttrOfType<DictionaryAttr>(kHardwareAttrName);
  if (!dict)
    return hw;
  for (NamedAttribute entry : dict) {
    const model::HardwareField *field = std::find_if(
        model::hardwareFieldsBegin(), model::hardwareFieldsEnd(),
        [&](const model::HardwareField &f) { return entry.getName() == f.key; });
    if (field == model::hardwareFieldsEnd())
      return module.emitError("rebocc.hw: ")
             << model::unknownHardwareKeyMessage(entry.getName().str());
    if (failed(setField(hw, *field, entry.getValue())))
      return module.emitError("rebocc.hw: ")
             << entry.getName().getValue() << " has the wrong type";
  }
  std::string problem = model::validate(hw);
  if (!problem.empty())
    return module.emitError("rebocc.hw: ") << problem;
  return hw;
}

DictionaryAttr hardwareToAttr(MLIRContext *context,
                              const model::HardwareDesc &hw) {
  Builder builder(context);
  SmallVector<NamedAttribute> entries;
  for (const model::HardwareField *field = model::hardwareFieldsBegin();
       field != model::hardwareFieldsEnd(); ++field) {
    Attribute value;
    switch (field->kind) {
    case model::HardwareField::String:
      value = builder.getStringAttr(hw.*(field->str));
      break;
    case model::HardwareField::Int:
      value = model::isAutoValue(*field, hw)
                  ? Attribute(builder.getStringAttr("auto"))
                  : Attribute(builder.getI64IntegerAttr(hw.*(field->integer)));
      break;
    case model::HardwareField::Real:
      value = builder.getF64FloatAttr(hw.*(field->real));
      break;
    }
    entries.push_back(builder.getNamedAttr(field->key, value));
  }
  return builder.getDictionaryAttr(entries);
}

} // namespace rebocc
