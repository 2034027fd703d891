//===- TensorIO.cpp - ONNX TensorProto files ------------------------------===//

#include "rebocc/Support/TensorIO.h"
#include "rebocc/Support/FileIO.h"

#include "onnx/onnx_pb.h"

#include <cstring>

namespace rebocc {

namespace {

const char *typeName(int type) {
  switch (type) {
  case onnx::TensorProto::UNDEFINED: return "UNDEFINED";
  case onnx::TensorProto::FLOAT: return "FLOAT";
  case onnx::TensorProto::UINT8: return "UINT8";
  case onnx::TensorProto::INT8: return "INT8";
  case onnx::TensorProto::UINT16: return "UINT16";
  case onnx::TensorProto::INT16: return "INT16";
  case onnx::TensorProto::INT32: return "INT32";
  case onnx::TensorProto::INT64: return "INT64";
  case onnx::TensorProto::STRING: return "STRING";
  case onnx::TensorProto::BOOL: return "BOOL";
  case onnx::TensorProto::FLOAT16: return "FLOAT16";
  case onnx::TensorProto::DOUBLE: return "DOUBLE";
  case onnx::TensorProto::UINT32: return "UINT32";
  case onnx::TensorProto::UINT64: return "UINT64";
  case onnx::TensorProto::BFLOAT16: return "BFLOAT16";
  default: return "unsupported";
  }
}

/// Little-endian decode of one raw element of `size` bytes.
uint64_t loadLE(const unsigned char *p, int size) {
  uint64_t v = 0;
  for (int b = 0; b < size; ++b)
    v |= uint64_t(p[b]) << (8 * b);
  return v;
}

float rawElement(const unsigned char *p, int type) {
  switch (type) {
  case onnx::TensorProto::FLOAT: {
    uint32_t bits = static_cast<uint32_t>(loadLE(p, 4));
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  case onnx::TensorProto::DOUBLE: {
    uint64_t bits = loadLE(p, 8);
    double d;
    std::memcpy(&d, &bits, 8);
    return static_cast<float>(d);
  }
  case onnx::TensorProto::INT32:
    return static_cast<float>(static_cast<int32_t>(loadLE(p, 4)));
  default: // INT64
    return static_cast<float>(static_cast<int64_t>(loadLE(p, 8)));
  }
}

} // namespace

bool parseTensorProto(const std::string &bytes, const std::string &fileName,
                      support::Tensor &tensor, std::string &name,
                      std::string &error) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    error = fileName + ": not a valid ONNX TensorProto (truncated or corrupt, " +
            std::to_string(bytes.size()) + " bytes)";
    return false;
  }
  auto fail = [&](const std::string &msg) {
    error = fileName + ": tensor '" + proto.name() + "': " + msg;
    return false;
  };
  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0)
    return fail("external data is not supported");
  if (proto.has_segment())
    return fail("segmented tensors are not supported");

  int type = proto.data_type();
  int elemSize;
  switch (type) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32: elemSize = 4; break;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64: elemSize = 8; break;
  default:
    return fail(std::string("data type ") + typeName(type) + " (" +
                std::to_string(type) +
                ") is not supported (FLOAT, DOUBLE, INT32, INT64 are)");
  }

  // Element count with overflow checks; it must match the stored data before
  // anything proportional to it is allocated.
  std::vector<int64_t> shape;
  uint64_t count = 1;
  for (int d = 0; d < proto.dims_size(); ++d) {
    int64_t dim = proto.dims(d);
    if (dim < 0)
      return fail("negative dimension " + std::to_string(dim) + " at index " +
                  std::to_string(d));
    if (dim != 0 && count > (uint64_t(1) << 62) / uint64_t(dim))
      return fail("element count overflows");
    count *= uint64_t(dim);
    shape.push_back(dim);
  }

  uint64_t stored;
  bool raw = proto.has_raw_data();
  if (raw) {
    if (proto.raw_data().size() % elemSize != 0)
      return fail("raw_data size " + std::to_string(proto.raw_data().size()) +
                  " is not a multiple of the element size " +
                  std::to_string(elemSize));
    stored = proto.raw_data().size() / elemSize;
  } else {
    switch (type) {
    case onnx::TensorProto::FLOAT: stored = proto.float_data_size(); break;
    case onnx::TensorProto::INT32: stored = proto.int32_data_size(); break;
    case onnx::TensorProto::DOUBLE: stored = proto.double_data_size(); break;
    default: stored = proto.int64_data_size(); break;
    }
  }
  if (stored != count)
    return fail("shape has " + std::to_string(count) + " elements but " +
                std::to_string(stored) + " are stored");

  tensor.shape = std::move(shape);
  tensor.data.resize(count);
  if (raw) {
    const unsigned char *p =
        reinterpret_cast<const unsigned char *>(proto.raw_data().data());
    for (uint64_t e = 0; e < count; ++e)
      tensor.data[e] = rawElement(p + e * elemSize, type);
  } else {
    for (uint64_t e = 0; e < count; ++e) {
      int idx = static_cast<int>(e);
      switch (type) {
      case onnx::TensorProto::FLOAT: tensor.data[e] = proto.float_data(idx); break;
      case onnx::TensorProto::INT32:
        tensor.data[e] = static_cast<float>(proto.int32_data(idx));
        break;
      case onnx::TensorProto::DOUBLE:
        tensor.data[e] = static_cast<float>(proto.double_data(idx));
        break;
      default:
        tensor.data[e] = static_cast<float>(proto.int64_data(idx));
        break;
      }
    }
  }
  name = proto.name();
  return true;
}

bool readTensorProto(const std::string &path, support::Tensor &tensor,
                     std::string &name, std::string &error) {
  std::string bytes;
  if (!readFileBytes(path, bytes, error))
    return false;
  return parseTensorProto(bytes, path, tensor, name, error);
}

bool serializeTensorProto(const support::Tensor &tensor,
                          const std::string &name, std::string &bytes,
                          std::string &error) {
  uint64_t count = 1;
  for (int64_t dim : tensor.shape) {
    if (dim < 0) {
      error = "tensor '" + name + "': negative dimension";
      return false;
    }
    count *= uint64_t(dim);
  }
  if (count != tensor.data.size()) {
    error = "tensor '" + name + "': shape has " + std::to_string(count) +
            " elements but data has " + std::to_string(tensor.data.size());
    return false;
  }
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  std::string raw;
  appendFloatsLE(raw, tensor.data.data(), tensor.data.size());
  proto.set_raw_data(std::move(raw));
  if (!proto.SerializeToString(&bytes)) {
    error = "tensor '" + name + "': cannot serialize (larger than 2 GB?)";
    return false;
  }
  return true;
}

bool writeTensorProto(const std::string &path, const support::Tensor &tensor,
                      const std::string &name, std::string &error) {
  std::string bytes;
  if (!serializeTensorProto(tensor, name, bytes, error)) {
    error = path + ": " + error;
    return false;
  }
  return writeFileBytes(path, bytes, error);
}

} // namespace rebocc
