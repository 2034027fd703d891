//===- ImportInputs.cpp - graph inputs, their shapes and the shape flags --===//
//
// A graph input's declared dims may be symbolic (dim_param "height") or
// anonymous. The command line fixes them: --input-shape NAME=1x3x48x320
// gives an input's whole shape, --dim SYMBOL=VALUE one symbol wherever it
// appears (and a symbolic dim --input-shape sets fixes that symbol for the
// other inputs too). What stays unknown afterwards may only be the run-time
// batch (the leading dim, or dim 1 of a (sequence, batch, features) input);
// any other is an error naming the flag that fixes it. Once the inputs are static, Shape of anything is a
// constant and the shape arithmetic downstream folds (ImportShapes.cpp).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/HalfFloat.h"
#include "rebocc/Support/MemoryBudget.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace rebocc::onnxfe {

/// Larger dims are taken as a typo or corrupt input, as in a declared type.
constexpr int64_t kMaxInputDim = int64_t(1) << 31;

//===----------------------------------------------------------------------===//
// Parsing the flags
//===----------------------------------------------------------------------===//

/// One positive dimension in decimal; "" or the reason it is not.
static std::string parseDimValue(llvm::StringRef text, int64_t &value) {
  if (text.getAsInteger(10, value))
    return "'" + text.str() + "' is not an integer";
  if (value <= 0)
    return text.str() + " is not a positive dimension";
  if (value > kMaxInputDim)
    return text.str() + " is absurdly large for a dimension (at most 2^31)";
  return "";
}

std::string parseInputShapeFlag(llvm::StringRef value, ImportOptions &options) {
  auto [name, dims] = value.rsplit('=');
  if (name.empty() || dims.empty() || name.size() == value.size())
    return "expected NAME=D0xD1x... (e.g. x=1x3x48x320)";
  std::vector<int64_t> shape;
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, 'x', /*MaxSplit=*/-1, /*KeepEmpty=*/true);
  for (auto [index, part] : llvm::enumerate(parts)) {
    int64_t dim;
    std::string reason = parseDimValue(part, dim);
    if (!reason.empty())
      return "dimension " + std::to_string(index) + ": " + reason;
    shape.push_back(dim);
  }
  if (!options.inputShapes.emplace(name.str(), shape).second)
    return "input '" + name.str() + "' is given twice";
  return "";
}

std::string parseDimFlag(llvm::StringRef value, ImportOptions &options) {
  auto [symbol, text] = value.rsplit('=');
  if (symbol.empty() || text.empty() || symbol.size() == value.size())
    return "expected SYMBOL=VALUE (e.g. height=48)";
  int64_t dim;
  std::string reason = parseDimValue(text, dim);
  if (!reason.empty())
    return reason;
  if (!options.dims.emplace(symbol.str(), dim).second)
    return "symbol '" + symbol.str() + "' is given twice";
  return "";
}

//===----------------------------------------------------------------------===//
// Applying them to the graph inputs
//===----------------------------------------------------------------------===//

/// "--input-shape x=1x3x48x320", as the user wrote it.
static std::string inputShapeFlag(const std::string &name,
                                  llvm::ArrayRef<int64_t> dims) {
  std::string text = "--input-shape " + name + "=";
  for (auto [i, dim] : llvm::enumerate(dims))
    text += (i ? "x" : "") + std::to_string(dim);
  return text;
}

/// "[N,3,height,?]": an input's declared dims, symbols by name.
static std::string declaredDims(const onnx::ValueInfoProto &info) {
  std::string out = "[";
  for (auto [i, dim] : llvm::enumerate(info.type().tensor_type().shape().dim()))
    out +=
        (i ? "," : "") + (dim.has_dim_value() ? std::to_string(dim.dim_value())
                          : dim.has_dim_param() ? dim.dim_param()
                                                : std::string("?"));
  return out + "]";
}

static bool hasShape(const onnx::ValueInfoProto &info) {
  return info.type().has_tensor_type() && info.type().tensor_type().has_shape();
}

/// Checks one --input-shape against its input's declaration and records
/// the symbols it sets in `symbols` (`setBy`: the flag that set each, for
/// conflicts). Returns "" or the error.
static std::string applyInputShape(const onnx::ValueInfoProto &info,
                                   llvm::ArrayRef<int64_t> dims,
                                   std::map<std::string, int64_t> &symbols,
                                   std::map<std::string, std::string> &setBy) {
  std::string flag = inputShapeFlag(info.name(), dims);
  if (!hasShape(info))
    return ""; // Nothing declared to check against.
  const auto &declared = info.type().tensor_type().shape().dim();
  if (declared.size() != (int)dims.size())
    return flag + ": " + std::to_string(dims.size()) +
           " dims for graph input '" + info.name() + "', which has rank " +
           std::to_string(declared.size()) + " " + declaredDims(info);
  for (auto [d, dim] : llvm::enumerate(declared)) {
    std::string where = flag + ": dimension " + std::to_string(d);
    if (dim.has_dim_value() && dim.dim_value() != dims[d])
      return where + " of graph input '" + info.name() + "' is " +
             std::to_string(dim.dim_value()) + " in the model " +
             declaredDims(info);
    if (!dim.has_dim_param())
      continue;
    auto [known, inserted] = symbols.try_emplace(dim.dim_param(), dims[d]);
    if (!inserted && known->second != dims[d])
      return where + " is '" + dim.dim_param() + "', which " +
             setBy[dim.dim_param()] + " sets to " +
             std::to_string(known->second);
    setBy.try_emplace(dim.dim_param(), flag);
  }
  return "";
}

/// Every --dim must name a symbol some input uses: a typo would otherwise
/// be silently ignored. Returns "" or the error.
static std::string
checkDimsUsed(llvm::ArrayRef<const onnx::ValueInfoProto *> inputs,
              const std::map<std::string, int64_t> &dims) {
  llvm::StringSet<> used;
  std::string declared;
  for (const onnx::ValueInfoProto *input : inputs) {
    if (!hasShape(*input))
      continue;
    for (const auto &dim : input->type().tensor_type().shape().dim())
      if (dim.has_dim_param())
        used.insert(dim.dim_param());
    declared += (declared.empty() ? "" : ", ") + input->name() + " " +
                declaredDims(*input);
  }
  for (const auto &[symbol, value] : dims)
    if (!used.count(symbol))
      return "--dim " + symbol + "=" + std::to_string(value) +
             ": no graph input has a dimension named '" + symbol + "'" +
             (declared.empty() ? std::string()
                               : " (the run-time inputs: " + declared + ")");
  return "";
}

bool Importer::resolveSymbols(
    llvm::ArrayRef<const onnx::ValueInfoProto *> inputs,
    const ImportOptions &options, std::map<std::string, int64_t> &symbols) {
  symbols = options.dims;
  std::map<std::string, std::string> setBy;
  for (const auto &[symbol, value] : options.dims)
    setBy[symbol] = "--dim " + symbol + "=" + std::to_string(value);
  for (const auto &[name, dims] : options.inputShapes) {
    const std::string &inputName = name;
    const auto *it = llvm::find_if(inputs, [&](const onnx::ValueInfoProto *in) {
      return in->name() == inputName;
    });
    std::string flag = inputShapeFlag(name, dims);
    if (it == inputs.end() && env.count(name))
      return fail(flag + ": '" + name +
                  "' is an initializer or a frozen "
                  "input, not a run-time input");
    if (it == inputs.end()) {
      std::string names;
      for (const onnx::ValueInfoProto *input : inputs)
        names += (names.empty() ? "" : ", ") + input->name();
      return fail(flag + ": the model has no graph input '" + name +
                  "' (its run-time inputs: " + names + ")");
    }
    std::string problem = applyInputShape(**it, dims, symbols, setBy);
    if (!problem.empty())
      return fail(problem);
  }
  std::string unused = checkDimsUsed(inputs, options.dims);
  return unused.empty() || fail(unused);
}

static const char *dataTypeName(int type) {
  return onnx::TensorProto_DataType_IsValid(type)
             ? onnx::TensorProto_DataType_Name((onnx::TensorProto_DataType)type)
                   .c_str()
             : "unknown";
}

/// Whether dim `index` of `info` may stay unknown as the run-time batch:
/// the leading dim, or dim 1 of a rank-3 input whose dims 0 and 2 are known
/// (the (sequence, batch, features) layout of torch's batch_first=False
/// sequence models).
static bool mayBeBatch(const onnx::ValueInfoProto &info, int64_t index,
                       const std::map<std::string, int64_t> &symbols) {
  if (index == 0)
    return true;
  const auto &dims = info.type().tensor_type().shape().dim();
  auto known = [&](int i) {
    return dims[i].has_dim_value() ||
           (dims[i].has_dim_param() && symbols.count(dims[i].dim_param()));
  };
  return index == 1 && dims.size() == 3 && known(0) && known(2);
}

/// The declared dims of `info` with the symbols' values; only the run-time
/// batch (mayBeBatch) may stay unknown.
static std::optional<std::vector<int64_t>>
declaredShape(const onnx::ValueInfoProto &info,
              const std::map<std::string, int64_t> &symbols,
              std::string &reason) {
  std::vector<int64_t> shape;
  for (const auto &dim : info.type().tensor_type().shape().dim()) {
    int64_t index = shape.size();
    // A declared 0 is an empty tensor, not an unknown size.
    if (dim.has_dim_value() && dim.dim_value() <= 0) {
      reason = "declares dimension " + std::to_string(index) + " as " +
               std::to_string(dim.dim_value()) +
               "; empty tensors are not supported";
      return std::nullopt;
    }
    if (dim.has_dim_value() && dim.dim_value() > kMaxInputDim) {
      reason = "has an absurd dimension " + std::to_string(dim.dim_value());
      return std::nullopt;
    }
    auto symbol =
        dim.has_dim_param() ? symbols.find(dim.dim_param()) : symbols.end();
    int64_t value = dim.has_dim_value()       ? dim.dim_value()
                    : symbol != symbols.end() ? symbol->second
                                              : ShapedType::kDynamic;
    if (ShapedType::isDynamic(value) && !mayBeBatch(info, index, symbols)) {
      reason = "has dynamic dimension " + std::to_string(index) +
               (dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : "") +
               " in " + declaredDims(info) + "; fix it with ";
      if (dim.has_dim_param())
        reason += "--dim " + dim.dim_param() + "=VALUE or ";
      reason += inputShapeFlag(info.name(), {}) +
                "D0xD1x... (only the batch may stay dynamic: the leading "
                "dimension, or dimension 1 of a (sequence, batch, features) "
                "input)";
      return std::nullopt;
    }
    shape.push_back(value);
  }
  return shape;
}

/// Converts a graph input's type: its --input-shape (`given`, checked
/// against the declaration in resolveSymbols) or its declared dims with
/// the symbols' values.
static std::optional<std::vector<int64_t>>
inputShape(const onnx::ValueInfoProto &info, const std::vector<int64_t> *given,
           const std::map<std::string, int64_t> &symbols, std::string &reason) {
  const onnx::TypeProto &type = info.type();
  if (!type.has_tensor_type()) {
    reason = "is not a tensor";
    return std::nullopt;
  }
  int elem = type.tensor_type().elem_type();
  // Booleans and integers run as float32 values (0 / 1 for booleans), which
  // hold them exactly up to 2^24 (rebocc-sim checks each element);
  // checkIntegerDataUses lets only exact operations read them. DOUBLE
  // inputs run as float32 too (rebocc-sim checks that each element is a
  // float32 value); checkDoubleUses lets only copies read them.
  bool typed = support::valueTypeNameOfOnnx(elem) && !support::isHalfType(elem);
  if (elem != onnx::TensorProto::FLOAT && !typed) {
    reason = std::string("has element type ") + dataTypeName(elem) +
             "; only float32, DOUBLE, integer and boolean inputs are supported (a "
             "setting such as a flag or a sample rate can also be frozen "
             "with --freeze-input " +
             info.name() + "=FILE.pb)";
    return std::nullopt;
  }
  if (!type.tensor_type().has_shape() && !given) {
    reason = "has no shape; give it with " + inputShapeFlag(info.name(), {}) +
             "D0xD1x...";
    return std::nullopt;
  }
  std::optional<std::vector<int64_t>> shape =
      given ? *given : declaredShape(info, symbols, reason);
  if (!shape)
    return std::nullopt;
  llvm::SmallVector<int64_t> dims(llvm::make_filter_range(
      *shape, [](int64_t dim) { return !ShapedType::isDynamic(dim); }));
  std::optional<int64_t> bytes = support::checkedByteSize(dims, sizeof(float));
  if (!bytes) {
    reason = "has shape " + dimsToString(*shape) +
             ", more elements than a 64-bit count holds";
    return std::nullopt;
  }
  // One inference's input (batch 1 when the batch is dynamic) must fit the
  // budget.
  reason = support::checkMemory(*bytes, "shape " + dimsToString(*shape));
  if (!reason.empty())
    return std::nullopt;
  return shape;
}

bool Importer::importInputs(const onnx::GraphProto &graph,
                            onnx::GraphProto *consumable,
                            const ImportOptions &options,
                            llvm::SmallVectorImpl<Type> &types) {
  // Checked now, decoded when first read (decodePending): a large model's
  // weights are then held decoded only from their layer's import on.
  initializers = &graph;
  consumableInitializers = consumable;
  for (int i = 0; i < graph.initializer_size(); ++i) {
    const onnx::TensorProto &init = graph.initializer(i);
    ConstTensor tensor;
    std::string reason;
    const DeferredRawData::Range *inFile =
        deferredRawData ? deferredRawData->find(i) : nullptr;
    if (!decodeTensor(init, tensor, reason, /*withValues=*/false,
                      inFile ? std::optional<uint64_t>(inFile->length)
                             : std::nullopt))
      return fail("initializer '" + init.name() + "': " + reason);
    env[init.name()] = Binding{Value(), std::move(tensor)};
    pendingInitializers[init.name()] = i;
  }
  for (const auto &[name, proto] : options.frozenInputs) {
    const std::string &frozenName = name;
    if (llvm::none_of(graph.input(), [&](const onnx::ValueInfoProto &input) {
          return input.name() == frozenName;
        }))
      return fail("--freeze-input " + name +
                  "=...: the model has no graph "
                  "input '" +
                  name + "'");
    ConstTensor tensor;
    std::string reason;
    if (!decodeTensor(proto, tensor, reason))
      return fail("frozen input '" + name + "': " + reason);
    pendingInitializers.erase(name); // the frozen value replaces a default
    env[name] = Binding{Value(), std::move(tensor)};
  }
  // An initializer (or frozen input) with a declared type is no run-time
  // input.
  llvm::SmallVector<const onnx::ValueInfoProto *> inputs;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!env.count(input.name()))
      inputs.push_back(&input);
  std::map<std::string, int64_t> symbols;
  if (!resolveSymbols(inputs, options, symbols))
    return false;
  for (const onnx::ValueInfoProto *input : inputs) {
    auto given = options.inputShapes.find(input->name());
    std::string reason;
    std::optional<std::vector<int64_t>> shape = inputShape(
        *input, given == options.inputShapes.end() ? nullptr : &given->second,
        symbols, reason);
    if (!shape)
      return fail("graph input '" + input->name() + "' " + reason);
    types.push_back(tensorType(*shape, builder));
  }
  return true;
}

} // namespace rebocc::onnxfe
