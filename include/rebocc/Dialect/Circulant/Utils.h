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

/// The float32 contents of a dense_resource attribute, read in place (no
/// copy of a large blob). std::nullopt for any other attribute or a missing
/// or released blob: getFloatValues reads those.
std::optional<llvm::ArrayRef<float>>
getFloatResourceView(mlir::ElementsAttr attr);

/// The float32 contents of `attr` (as getFloatValues), with its
/// dense_resource blob freed: every attribute naming the blob reads as
/// missing afterwards. A blob that makeFloatAttr built from a moved vector
/// gives that vector back instead of a copy. For the last reader of a
/// module that is discarded after it (the program emitter).
std::optional<std::vector<float>> takeFloatValues(mlir::ElementsAttr attr);

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
/// As above, with a large `values` kept as the blob itself rather than
/// copied into it (so that takeFloatValues can give it back).
mlir::ElementsAttr makeFloatAttr(mlir::ShapedType type,
                                 std::vector<float> &&values,
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
