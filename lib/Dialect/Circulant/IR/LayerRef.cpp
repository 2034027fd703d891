//===- LayerRef.cpp - one view of circulant.fc and circulant.conv ---------===//

#include "rebocc/Dialect/Circulant/LayerRef.h"
#include "rebocc/Support/Shapes.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace rebocc::circulant;

std::optional<LayerRef> LayerRef::get(Operation *op) {
  if (isa<FullyConnectedOp, ConvOp>(op))
    return LayerRef(op);
  return std::nullopt;
}

bool LayerRef::isConv() const { return isa<ConvOp>(op); }

/// Calls `fn` with the concrete op.
template <typename Fn>
static auto visit(Operation *op, Fn &&fn) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return fn(conv);
  return fn(cast<FullyConnectedOp>(op));
}

StringRef LayerRef::getName() const {
  return visit(op, [](auto layer) { return layer.getName(); });
}

int64_t LayerRef::getBlockSize() const {
  return visit(op, [](auto layer) { return (int64_t)layer.getBlockSize(); });
}

int64_t LayerRef::getOutFeatures() const {
  if (auto conv = dyn_cast<ConvOp>(op))
    return conv.getGroupOutChannels();
  return cast<FullyConnectedOp>(op).getOutFeatures();
}

int64_t LayerRef::getInFeatures() const {
  if (auto conv = dyn_cast<ConvOp>(op))
    return conv.getGroupInChannels();
  return cast<FullyConnectedOp>(op).getInFeatures();
}

int64_t LayerRef::getBlockRows() const {
  return rebocc::support::ceilDiv(getOutFeatures(), getBlockSize());
}

int64_t LayerRef::getBlockCols() const {
  return rebocc::support::ceilDiv(getInFeatures(), getBlockSize());
}

int64_t LayerRef::getGroups() const {
  auto conv = dyn_cast<ConvOp>(op);
  return conv ? (int64_t)conv.getGroups() : 1;
}

int64_t LayerRef::getKernelH() const {
  auto conv = dyn_cast<ConvOp>(op);
  return conv ? conv.getKernelH() : 1;
}

int64_t LayerRef::getKernelW() const {
  auto conv = dyn_cast<ConvOp>(op);
  return conv ? conv.getKernelW() : 1;
}

ElementsAttr LayerRef::getWeight() const {
  return visit(op, [](auto layer) { return layer.getWeight(); });
}

void LayerRef::setWeight(ElementsAttr weight, int64_t blockSize) {
  visit(op, [&](auto layer) {
    layer.setWeightAttr(weight);
    layer.setBlockSize(blockSize);
  });
}

std::optional<StringRef> LayerRef::getMapping() const {
  return visit(op, [](auto layer) { return layer.getMapping(); });
}

int64_t LayerRef::getDuplication() const {
  return visit(op, [](auto layer) {
    return (int64_t)layer.getDuplication().value_or(1);
  });
}

void LayerRef::setMapping(StringRef mapping, int64_t duplication,
                          int64_t crossbars) {
  visit(op, [&](auto layer) {
    layer.setMapping(mapping);
    layer.setDuplication(duplication);
    layer.setCrossbars(crossbars);
  });
}

void LayerRef::setSharedInput() {
  visit(op, [](auto layer) { layer.setSharedInput(true); });
}

bool LayerRef::hasSharedInput() const {
  return visit(op, [](auto layer) { return layer.getSharedInputAttr() != nullptr; });
}

rebocc::program::CrossbarLayer LayerRef::toProgramLayer(StringRef mapping,
                                                int64_t duplication) const {
  rebocc::program::CrossbarLayer plan;
  plan.name = getName().str();
  plan.m = getOutFeatures();
  plan.n = getInFeatures();
  plan.k = getBlockSize();
  plan.p = getBlockRows();
  plan.q = getBlockCols();
  plan.dup = duplication;
  plan.sharedInput = hasSharedInput();
  plan.mapping = mapping == "A"   ? rebocc::program::Mapping::A
                 : mapping == "B" ? rebocc::program::Mapping::B
                 : mapping == "C" ? rebocc::program::Mapping::C
                                  : rebocc::program::Mapping::E;
  if (auto conv = dyn_cast<ConvOp>(op)) {
    plan.kind = rebocc::program::LayerKind::Convolution;
    plan.groups = conv.getGroups();
    plan.kernelH = conv.getKernelH();
    plan.kernelW = conv.getKernelW();
    plan.strideH = conv.getStrides()[0];
    plan.strideW = conv.getStrides()[1];
    plan.dilationH = conv.getDilations()[0];
    plan.dilationW = conv.getDilations()[1];
    plan.padTop = conv.getPads()[0];
    plan.padLeft = conv.getPads()[1];
    plan.padBottom = conv.getPads()[2];
    plan.padRight = conv.getPads()[3];
  }
  return plan;
}
