//===- Utils.cpp - helpers shared by circulant passes ---------------------===//

#include "rebocc/Dialect/Circulant/Utils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <memory>
#include <mutex>

using namespace mlir;

namespace rebocc {

std::optional<ArrayRef<float>> getFloatResourceView(ElementsAttr attr) {
  auto type = dyn_cast<ShapedType>(attr.getType());
  auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr);
  if (!resource || !type || !type.hasStaticShape())
    return std::nullopt;
  std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
  if (!data || (int64_t)data->size() != type.getNumElements())
    return std::nullopt;
  return data;
}


std::optional<std::vector<float>> getFloatValues(ElementsAttr attr) {
  auto type = dyn_cast<ShapedType>(attr.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  if (isa<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = getFloatResourceView(attr);
    if (!data)
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto range = dense.getValues<float>();
    return std::vector<float>(range.begin(), range.end());
  }
  return std::nullopt;
}

namespace {
/// The vectors behind blobs that makeFloatAttr(&&) built, by data pointer,
/// so that takeFloatValues can move them out rather than copy them. Passes
/// may run on several threads.
struct OwnedVectors {
  std::mutex mutex;
  llvm::DenseMap<const void *, std::vector<float> *> byData;
};
} // namespace

/// Never destroyed: a context (the Python package's) may free its blobs
/// after static destructors have run.
static OwnedVectors &ownedVectors() {
  static OwnedVectors *owned = new OwnedVectors;
  return *owned;
}

/// The vector behind `data`, unregistered; null when `data` is not one.
static std::unique_ptr<std::vector<float>> unregisterVector(const void *data) {
  OwnedVectors &owned = ownedVectors();
  std::lock_guard<std::mutex> lock(owned.mutex);
  auto it = owned.byData.find(data);
  if (it == owned.byData.end())
    return nullptr;
  std::unique_ptr<std::vector<float>> vector(it->second);
  owned.byData.erase(it);
  return vector;
}

std::optional<std::vector<float>> takeFloatValues(ElementsAttr attr) {
  auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr);
  if (!resource)
    return getFloatValues(attr);
  std::optional<std::vector<float>> values;
  std::optional<ArrayRef<float>> view = getFloatResourceView(attr);
  if (!view)
    return std::nullopt;
  if (std::unique_ptr<std::vector<float>> owned =
          unregisterVector(view->data()))
    values = std::move(*owned);
  else
    values = getFloatValues(attr);
  // Its deleter finds the vector gone and frees nothing else.
  resource.getRawHandle().getResource()->setBlob(AsmResourceBlob());
  return values;
}

std::optional<ArrayRef<float>> getFloatView(ElementsAttr attr,
                                            std::vector<float> &storage) {
  if (std::optional<ArrayRef<float>> view = getFloatResourceView(attr))
    return view;
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

ElementsAttr makeFloatAttr(ShapedType type, std::vector<float> &&values,
                           StringRef blobName) {
  if (type.getNumElements() <= kInlineElementLimit || values.empty())
    return makeFloatAttr(type, ArrayRef<float>(values), blobName);
  auto *owned = new std::vector<float>(std::move(values));
  {
    OwnedVectors &registry = ownedVectors();
    std::lock_guard<std::mutex> lock(registry.mutex);
    registry.byData[owned->data()] = owned;
  }
  ArrayRef<char> bytes(reinterpret_cast<const char *>(owned->data()),
                       owned->size() * sizeof(float));
  AsmResourceBlob blob(
      bytes, alignof(float),
      [](void *data, size_t, size_t) { unregisterVector(data); },
      /*dataIsMutable=*/true);
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
