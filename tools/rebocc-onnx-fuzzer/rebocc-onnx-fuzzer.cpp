//===- rebocc-onnx-fuzzer.cpp - Fuzz the ONNX loader and importer ---------===//
//
// libFuzzer target: bytes -> ONNX protobuf parse -> import into a fresh
// MLIRContext, as `rebocc MODEL.onnx` does. Any input must end in a module or
// an error message, never a crash, a leak or a timeout.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Frontend/ONNX/OnnxLoader.h"
#include "rebocc/Support/MemoryBudget.h"

#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

using namespace rebocc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Below the runner's -rss_limit_mb: an input that declares a huge tensor
  // must meet the importer's budget error, not the fuzzer's RSS limit.
  support::setMemoryBudget(uint64_t(256) << 20);
  const std::string fileName = "fuzz.onnx";
  std::string error;
  if (!onnxfe::checkModelSize(size, fileName, error))
    return 0;
  onnx::ModelProto model;
  if (!onnxfe::parseModelBytes(
          std::string_view(reinterpret_cast<const char *>(data), size),
          fileName, model, error))
    return 0;
  // A fresh context per input: nothing leaks from one input into the next.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  std::vector<std::string> warnings;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      onnxfe::importModel(model, context, fileName, onnxfe::ImportOptions(),
                          error, &warnings);
  return 0;
}
