//===- LayerRef.h - one view of circulant.fc and circulant.conv -*- C++ -*-===//
//
// Block partitioning, the mapping passes and the conversion treat a fully
// connected layer and a convolution alike: after im2col a convolution group
// is a fully connected layer with kernelH*kernelW*q input blocks. LayerRef
// gives them that common view.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_DIALECT_CIRCULANT_LAYERREF_H
#define REBOCC_DIALECT_CIRCULANT_LAYERREF_H

#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Target/Program/Program.h"

#include <optional>

namespace rebocc::circulant {

class LayerRef {
public:
  /// A view of `op` when it is a circulant.fc or circulant.conv.
  static std::optional<LayerRef> get(mlir::Operation *op);

  mlir::Operation *getOperation() const { return op; }
  bool isConv() const;
  llvm::StringRef getName() const;
  int64_t getBlockSize() const;
  /// Output / input features per group (m, n), before padding to k.
  int64_t getOutFeatures() const;
  int64_t getInFeatures() const;
  int64_t getBlockRows() const; // p
  int64_t getBlockCols() const; // q
  int64_t getGroups() const;
  int64_t getKernelH() const;
  int64_t getKernelW() const;
  int64_t getKernelPositions() const { return getKernelH() * getKernelW(); }
  mlir::ElementsAttr getWeight() const;
  void setWeight(mlir::ElementsAttr weight, int64_t blockSize);

  std::optional<llvm::StringRef> getMapping() const;
  int64_t getDuplication() const;
  void setMapping(llvm::StringRef mapping, int64_t duplication,
                  int64_t crossbars);
  void setSharedInput();
  bool hasSharedInput() const;

  /// The program's description of this layer mapped with `mapping` and
  /// `duplication` (geometry and input sharing only: no weights, no arrays
  /// yet).
  program::CrossbarLayer toProgramLayer(llvm::StringRef mapping,
                                        int64_t duplication) const;

private:
  explicit LayerRef(mlir::Operation *op) : op(op) {}
  mlir::Operation *op;
};

} // namespace rebocc::circulant

#endif
