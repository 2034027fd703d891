//===- TensorIO.h - ONNX TensorProto decoding and files ---------*- C++ -*-===//
//
// The one decoder of onnx.TensorProto (the frontend's initializers and
// constants, and the tensor files), and single tensors read from and written
// to serialized TensorProto files (.pb), the layout of the ONNX model zoo's
// test_data_set_N/{input,output}_M.pb files.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_TENSORIO_H
#define REBOCC_SUPPORT_TENSORIO_H

#include "rebocc/Support/Tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace rebocc {

/// The values of a TensorProto as stored, widened without loss: FLOAT and
/// DOUBLE into `reals`, BOOL and the integers into `integers` (a UINT64 as
/// its bits).
struct TensorProtoValues {
  int dataType = 0; // onnx::TensorProto::DataType
  std::vector<int64_t> shape;
  std::vector<double> reals;
  std::vector<int64_t> integers;

  /// FLOAT or DOUBLE.
  bool isFloat() const;
};

/// Decodes `proto`: raw_data (little-endian whatever the host; one byte per
/// BOOL, INT8 or UINT8) or the typed repeated field (int32_data for the small
/// integer types). Fails with a message, which does not name the tensor, on
/// external or segmented data, a negative dimension, an element count that
/// overflows, another data type, or a number of stored values that does not
/// match the shape. With `withValues` false only checks and sets the shape
/// and data type (decoding the same proto later cannot fail); then
/// `rawDataSize`, when given, is the size of a raw_data the proto does not
/// hold (left in the model file).
bool decodeTensorProto(const onnx::TensorProto &proto, TensorProtoValues &out,
                       std::string &error, bool withValues = true,
                       std::optional<uint64_t> rawDataSize = std::nullopt);

/// Parses a serialized TensorProto. FLOAT, DOUBLE, half, BOOL and integer
/// (INT8 ... UINT64) tensors are accepted (raw_data or the typed repeated
/// field) and converted to float; an integer beyond 2^24 in magnitude
/// (integerAsFloat), a double float32 does not hold (doublesAsFloat), any
/// other type, external data, segments or a size
/// mismatch is an error.
/// `fileName` is only used in messages.
bool parseTensorProto(const std::string &bytes, const std::string &fileName,
                      support::Tensor &tensor, std::string &name,
                      std::string &error, int *dataType = nullptr);

/// Reads the TensorProto file at `path`. Errors name the path. With
/// `dataType`, it receives the file's element type (before conversion).
bool readTensorProto(const std::string &path, support::Tensor &tensor,
                     std::string &name, std::string &error,
                     int *dataType = nullptr);

/// The float32 of integer element `stored` of ONNX type `dataType` (a
/// UINT64's bits as decodeTensorProto keeps them): false when its magnitude
/// is beyond 2^24, where float32 would round it.
bool integerAsFloat(int64_t stored, int dataType, float &value);

/// `stored` (integers of ONNX type `dataType`, as decodeTensorProto keeps
/// them) as float32 `values`: false, with `error` naming the first element
/// beyond 2^24 in magnitude ("element 0 (16777217) of INT64 is beyond
/// ..."), when float32 does not hold one exactly.
bool integersAsFloat(const std::vector<int64_t> &stored, int dataType,
                     std::vector<float> &values, std::string &error);

/// DOUBLE values `stored` as float32 `values`: false, with `error` naming
/// the first element float32 does not hold bit for bit ("element 1
/// (0.10000000000000001) of DOUBLE is not a float32 value ...").
bool doublesAsFloat(const std::vector<double> &stored,
                    std::vector<float> &values, std::string &error);

/// onnxruntime's name of an element type: "tensor(float)", "tensor(int64)".
std::string tensorTypeName(int dataType);

/// onnx::TensorProto::FLOAT, the element type of every graph input.
constexpr int kFloatDataType = 1;
/// onnx::TensorProto::UINT8 and INT8: quantized data inputs.
constexpr int kUint8DataType = 2;
constexpr int kInt8DataType = 3;
/// ONNX INT32, INT64 and BOOL (a flag or a sample rate at run time).
constexpr int kInt32DataType = 6;
constexpr int kInt64DataType = 7;
constexpr int kBoolDataType = 9;

/// The values of `tensor` as little-endian bytes of `dtype` (empty: float32;
/// a support::CastType name, or "bool"), and that type's ONNX data type:
/// what an output file's raw_data holds. Fails on a value the type does not
/// hold, naming the tensor `name` and the element.
bool encodeTensorValues(const support::Tensor &tensor, const std::string &name,
                        const std::string &dtype, std::string &raw,
                        int &dataType, std::string &error);

/// Serializes `tensor` as a FLOAT TensorProto (little-endian raw_data), or
/// with a support::CastType name `dtype` (int8 ... bfloat16) or "bool" as
/// that type;
/// fails on a value the type does not hold.
bool serializeTensorProto(const support::Tensor &tensor,
                          const std::string &name, std::string &bytes,
                          std::string &error, const std::string &dtype = "");

/// Writes `tensor` to `path` as a FLOAT TensorProto named `name` (of type
/// `dtype` as serializeTensorProto).
bool writeTensorProto(const std::string &path, const support::Tensor &tensor,
                      const std::string &name, std::string &error,
                      const std::string &dtype = "");

} // namespace rebocc

#endif // REBOCC_SUPPORT_TENSORIO_H
