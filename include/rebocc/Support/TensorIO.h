//===- TensorIO.h - ONNX TensorProto files ----------------------*- C++ -*-===//
//
// Reads and writes single tensors as serialized onnx.TensorProto (.pb), the
// layout of the ONNX model zoo's test_data_set_N/{input,output}_M.pb files.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_TENSORIO_H
#define REBOCC_SUPPORT_TENSORIO_H

#include "rebocc/Support/Tensor.h"

#include <string>

namespace rebocc {

/// Parses a serialized TensorProto. FLOAT, DOUBLE, INT32 and INT64 tensors are
/// accepted (raw_data or the typed repeated field) and converted to float;
/// any other type, external data, segments or a size mismatch is an error.
/// `fileName` is only used in messages.
bool parseTensorProto(const std::string &bytes, const std::string &fileName,
                      support::Tensor &tensor, std::string &name,
                      std::string &error);

/// Reads the TensorProto file at `path`. Errors name the path.
bool readTensorProto(const std::string &path, support::Tensor &tensor,
                     std::string &name, std::string &error);

/// Serializes `tensor` as a FLOAT TensorProto (little-endian raw_data).
bool serializeTensorProto(const support::Tensor &tensor,
                          const std::string &name, std::string &bytes,
                          std::string &error);

/// Writes `tensor` to `path` as a FLOAT TensorProto named `name`.
bool writeTensorProto(const std::string &path, const support::Tensor &tensor,
                      const std::string &name, std::string &error);

} // namespace rebocc

#endif // REBOCC_SUPPORT_TENSORIO_H
