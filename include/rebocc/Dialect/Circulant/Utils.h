//===- Utils.h - helpers shared by circulant passes -------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_UTILS_H
#define REBOCC_DIALECT_CIRCULANT_UTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "rebocc/Model/Hardware.h"

#include <optional>
#include <vector>

namespace rebocc {

/// Name of the module attribute holding the hardware description.
constexpr llvm::StringLiteral kHardwareAttrName = "rebocc.hw";

/// Reads the float32 contents of a dense or dense_resource elements
/// attribute (splats expanded). Returns std::nullopt for other element types
/// or a resource whose blob is missing.
std::optional<std::vector<float>> getFloatValues(mlir::ElementsAttr attr);

/// getFloatValues without the copy where it can: a dense_resource blob's
/// floats in place (valid while the attribute's blob lives), anything else
/// copied into `storage`.
std::optional<llvm::ArrayRef<float>>
getFloatView(mlir::ElementsAttr attr, std::vector<float> &storage);

/// Builds a float32 elements attribute: a dense_resource blob named after
/// `blobName` when large (so big models do not get uniqued into the
/// context), a plain dense attribute when small enough to read in tests.
mlir::ElementsAttr makeFloatAttr(mlir::ShapedType type,
                                 llvm::ArrayRef<float> values,
                                 llvm::StringRef blobName);

/// The hardware description of `module` (its `rebocc.hw` dictionary over
/// ISAAC-CE defaults). Emits an error on the module and fails on an unknown
/// key or a value out of range.
mlir::FailureOr<model::HardwareDesc> getHardware(mlir::ModuleOp module);

/// The dictionary form of `hw`, to store as the `rebocc.hw` attribute.
mlir::DictionaryAttr hardwareToAttr(mlir::MLIRContext *context,
                                    const model::HardwareDesc &hw);

} // namespace rebocc

#endif
