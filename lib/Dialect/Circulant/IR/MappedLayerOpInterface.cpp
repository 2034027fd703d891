//===- MappedLayerOpInterface.cpp - layers mapped to crossbars ------------===//

#include "rebocc/Dialect/Circulant/MappedLayerOpInterface.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

#include "rebocc/Dialect/Circulant/MappedLayerOpInterface.cpp.inc"

program::Mapping rebocc::circulant::toProgramMapping(Mapping mapping) {
  switch (mapping) {
  case Mapping::A:
    return program::Mapping::A;
  case Mapping::B:
    return program::Mapping::B;
  case Mapping::C:
    return program::Mapping::C;
  case Mapping::E:
    return program::Mapping::E;
  }
  llvm_unreachable("unknown mapping");
}

program::CrossbarLayer
rebocc::circulant::programLayerOf(MappedLayerOpInterface layer,
                                  Mapping mapping, int64_t duplication) {
  program::CrossbarLayer plan;
  plan.name = layer.getName().str();
  plan.m = layer.getOutFeatures();
  plan.n = layer.getInFeatures();
  plan.k = layer.getBlockSize();
  plan.p = layer.getBlockRows();
  plan.q = layer.getBlockCols();
  plan.dup = duplication;
  plan.sharedInput = layer.hasSharedInput();
  plan.mapping = toProgramMapping(mapping);
  // The model's integer weights take their own width (and so fewer cells).
  if (auto bits = layer->getAttrOfType<IntegerAttr>("weight_bits"))
    plan.weightBits = bits.getInt();
  // Input on the model's integer grid is driven in its own width.
  if (auto bits = layer->getAttrOfType<IntegerAttr>("input_bits"))
    plan.inputBits = bits.getInt();
  return plan;
}
