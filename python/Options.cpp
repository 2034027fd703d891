//===- Options.cpp - The Python package's keyword options -----------------===//

#include "Options.h"

#include "llvm/ADT/StringRef.h"

#include <pybind11/stl.h>

#include <cmath>
#include <utility>

namespace py = pybind11;

namespace rebocc::python {

namespace {

/// One option being parsed: its name (for errors), its flag and where its
/// equivalent flags go.
struct Arg {
  const char *name;
  const char *flag;
  py::handle value;
  std::vector<std::string> &flags;

  [[noreturn]] void typeError(const std::string &expected) const {
    throw py::type_error(std::string(name) + ": expected " + expected +
                         ", got " +
                         py::str(py::type::handle_of(value).attr("__name__"))
                             .cast<std::string>());
  }
  [[noreturn]] void valueError(const std::string &message) const {
    throw py::value_error(std::string(name) + ": " + message);
  }
  void addFlag(const std::string &text) const {
    flags.push_back(std::string("--") + flag + "=" + text);
  }

  bool asBool() const {
    if (!py::isinstance<py::bool_>(value))
      typeError("a bool");
    return value.cast<bool>();
  }
  int64_t asInt() const {
    if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value))
      typeError("an int");
    return value.cast<int64_t>();
  }
  double asFloat() const {
    if (!(py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)) ||
        py::isinstance<py::bool_>(value))
      typeError("a number");
    return value.cast<double>();
  }
  std::string asString() const {
    if (!py::isinstance<py::str>(value))
      typeError("a str");
    return value.cast<std::string>();
  }
  /// A path: str or os.PathLike.
  std::string asPath() const {
    if (!py::isinstance<py::str>(value) && !py::hasattr(value, "__fspath__"))
      typeError("a path (str or os.PathLike)");
    return py::module_::import("os").attr("fspath")(value).cast<std::string>();
  }
  py::dict asDict() const {
    if (!py::isinstance<py::dict>(value))
      typeError("a dict");
    return py::reinterpret_borrow<py::dict>(value);
  }

  /// A dict keyed by names (input names, hardware keys): its entries, each
  /// key as a string.
  std::vector<std::pair<std::string, py::handle>> asNamedDict() const {
    std::vector<std::pair<std::string, py::handle>> entries;
    for (auto [key, value] : asDict()) {
      if (!py::isinstance<py::str>(key))
        typeError("a dict with str keys");
      entries.emplace_back(key.cast<std::string>(), value);
    }
    return entries;
  }

  /// One of `choices`, by name; adds the flag.
  template <typename E>
  E choice(std::initializer_list<std::pair<const char *, E>> choices) const {
    std::string text = asString();
    std::string names;
    for (const auto &[choiceName, e] : choices) {
      if (text == choiceName) {
        addFlag(text);
        return e;
      }
      names += std::string(names.empty() ? "" : ", ") + "'" + choiceName + "'";
    }
    valueError("expected one of " + names + ", got '" + text + "'");
  }
  /// A bool option that is a flag when true (--projection).
  bool flagBool() const {
    bool on = asBool();
    if (on)
      flags.push_back(std::string("--") + flag);
    return on;
  }
};

/// A value of a hw_set entry as --hw-set spells it: ints and strings as
/// they print, floats in shortest round-trip form (repr).
std::string hardwareValue(const Arg &arg, py::handle value) {
  if (py::isinstance<py::bool_>(value))
    arg.typeError("int, float or str values");
  if (py::isinstance<py::float_>(value))
    return py::repr(value).cast<std::string>();
  if (py::isinstance<py::int_>(value) || py::isinstance<py::str>(value))
    return py::str(value).cast<std::string>();
  arg.typeError("int, float or str values");
}

std::string joinDims(const Arg &arg, py::handle dims) {
  if (!py::isinstance<py::sequence>(dims) || py::isinstance<py::str>(dims))
    arg.typeError("a dict of shapes (sequences of ints)");
  std::string text;
  for (py::handle dim : py::reinterpret_borrow<py::sequence>(dims)) {
    if (!py::isinstance<py::int_>(dim))
      arg.typeError("a dict of shapes (sequences of ints)");
    text += (text.empty() ? "" : "x") + py::str(dim).cast<std::string>();
  }
  return text;
}

/// input_shape={"x": (1, 784)} and dim={"batch": 1}: each entry parsed as
/// its flag is (parseInputShapeFlag, parseDimFlag).
void parseShapes(const Arg &arg, Settings &s, bool shapes) {
  for (auto [key, value] : arg.asNamedDict()) {
    std::string entry = key + "=" +
                        (shapes ? joinDims(arg, value)
                                : std::to_string(Arg{arg.name, arg.flag, value,
                                                     arg.flags}
                                                     .asInt()));
    std::string reason = shapes ? onnxfe::parseInputShapeFlag(entry, s.import)
                                : onnxfe::parseDimFlag(entry, s.import);
    if (!reason.empty())
      arg.valueError(entry + ": " + reason);
    arg.addFlag(entry);
  }
}

/// freeze_input={"flag": array}: the TensorProto of `value`, an
/// onnx.TensorProto (parsed from its bytes) or a numpy array (its element
/// type, shape and little-endian bytes), as a --freeze-input file holds it.
onnx::TensorProto frozenTensor(const Arg &arg, const std::string &name,
                               py::handle value) {
  onnx::TensorProto proto;
  if (py::hasattr(value, "SerializeToString") &&
      !py::isinstance<py::array>(value)) {
    std::string bytes =
        value.attr("SerializeToString")().cast<py::bytes>().cast<std::string>();
    if (!proto.ParseFromString(bytes))
      arg.valueError("'" + name + "': not a valid onnx.TensorProto");
    return proto;
  }
  if (!py::isinstance<py::array>(value))
    Arg{arg.name, arg.flag, value, arg.flags}.typeError(
        "a dict of numpy.ndarray or onnx.TensorProto values");
  auto array = py::reinterpret_borrow<py::array>(value);
  std::optional<int> type = onnxDataType(array.dtype());
  if (!type)
    arg.valueError("'" + name + "': numpy." +
                   py::str(array.dtype()).cast<std::string>() +
                   " has no ONNX element type");
  py::module_ numpy = py::module_::import("numpy");
  py::object little = numpy.attr("ascontiguousarray")(
      array, array.dtype().attr("newbyteorder")("<"));
  proto.set_name(name);
  proto.set_data_type(*type);
  for (py::ssize_t d = 0; d < array.ndim(); ++d)
    proto.add_dims(array.shape(d));
  proto.set_raw_data(little.attr("tobytes")().cast<std::string>());
  return proto;
}

using circulant::DuplicationBudget;
using circulant::DuplicationLayout;
using circulant::DuplicationObjective;

struct Option {
  const char *name;
  const char *flag;
  OptionKind kind;
  void (*parse)(const Arg &, Settings &);
};

// In rebocc --help's order; the report's command line lists them so.
const Option kOptions[] = {
    {"block_size", "block-size", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       if (py::isinstance<py::str>(a.value) && a.asString() == "auto")
         s.compile.blockSize = "auto";
       else if (int64_t k = a.asInt(); k > 0)
         s.compile.blockSize = std::to_string(k);
       else
         a.valueError("expected 'auto' or a positive int");
       a.addFlag(s.compile.blockSize);
     }},
    {"layer_block_size", "layer-block-size", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       for (auto [layer, k] : a.asDict()) {
         std::string entry = py::str(layer).cast<std::string>() + ":" +
                             std::to_string(Arg{a.name, a.flag, k, a.flags}.asInt());
         s.compile.layerBlockSizes.push_back(entry);
         a.addFlag(entry);
       }
     }},
    {"projection", "projection", OptionKind::Compile,
     [](const Arg &a, Settings &s) { s.compile.projection = a.flagBool(); }},
    {"tolerance", "tolerance", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.tolerance = a.asFloat();
       if (!std::isfinite(s.compile.tolerance) || s.compile.tolerance < 0)
         a.valueError("expected a finite number >= 0");
       a.addFlag(py::repr(py::float_(s.compile.tolerance)).cast<std::string>());
     }},
    {"mapping", "mapping", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.mapping = a.choice<compiler::Mapping>(
           {{"reboc", compiler::Mapping::Reboc},
            {"dense", compiler::Mapping::Dense}});
     }},
    {"duplication", "duplication", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.duplication = a.asInt();
       if (s.compile.duplication < 0)
         a.valueError("expected an int >= 0");
       a.addFlag(std::to_string(s.compile.duplication));
     }},
    {"duplication_layout", "duplication-layout", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.duplicationLayout = a.choice<DuplicationLayout>(
           {{"auto", DuplicationLayout::Auto},
            {"B", DuplicationLayout::B},
            {"C", DuplicationLayout::C}});
     }},
    {"duplication_budget", "duplication-budget", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.duplicationBudget = a.choice<DuplicationBudget>(
           {{"idle", DuplicationBudget::Idle}, {"chip", DuplicationBudget::Chip}});
     }},
    {"objective", "objective", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.objective = a.choice<DuplicationObjective>(
           {{"latency", DuplicationObjective::Latency},
            {"energy", DuplicationObjective::Energy},
            {"edp", DuplicationObjective::Edp}});
       s.compile.objectiveGiven = true;
     }},
    {"no_input_sharing", "no-input-sharing", OptionKind::Compile,
     [](const Arg &a, Settings &s) { s.compile.inputSharing = !a.flagBool(); }},
    {"hw", "hw", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       if (a.value.is_none())
         return;
       s.hwPath = a.asPath();
       a.addFlag(s.hwPath);
     }},
    {"hw_set", "hw-set", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       if (a.value.is_none())
         return;
       for (auto [key, value] : a.asNamedDict()) {
         std::string entry = key + "=" + hardwareValue(a, value);
         s.hwSet.push_back(entry);
         a.addFlag(entry);
       }
     }},
    {"freeze_input", "freeze-input", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       if (a.value.is_none())
         return;
       for (auto [name, value] : a.asNamedDict()) {
         s.import.frozenInputs[name] = frozenTensor(a, name, value);
         // The array has no file: the command line names it so.
         a.addFlag(name + "=<array>");
       }
     }},
    {"input_shape", "input-shape", OptionKind::Compile,
     [](const Arg &a, Settings &s) { parseShapes(a, s, /*shapes=*/true); }},
    {"dim", "dim", OptionKind::Compile,
     [](const Arg &a, Settings &s) { parseShapes(a, s, /*shapes=*/false); }},
    {"onnx_check", "onnx-check", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.onnxCheck = a.asBool();
       a.addFlag(s.onnxCheck ? "true" : "false");
     }},
    {"overflow", "overflow", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.overflow = a.choice<model::OverflowPolicy>(
           {{"chips", model::OverflowPolicy::MultiChip},
            {"reprogram", model::OverflowPolicy::Reprogram}});
     }},
    {"attention", "attention", OptionKind::Compile,
     [](const Arg &a, Settings &s) {
       s.compile.reprogramAttention =
           a.choice<bool>({{"digital", false}, {"reprogram", true}});
     }},
    {"pipeline", "pipeline", OptionKind::Cost,
     [](const Arg &a, Settings &s) {
       s.pipeline = a.choice<model::PipelineMode>(
           {{"intra", model::PipelineMode::IntraLayer},
            {"inter", model::PipelineMode::InterLayer}});
     }},
    {"no_replicas", "no-replicas", OptionKind::Cost,
     [](const Arg &a, Settings &s) { s.replicate = !a.flagBool(); }},
    {"no_gate_idle_tiles", "no-gate-idle-tiles", OptionKind::Cost,
     [](const Arg &a, Settings &s) { s.gateIdleTiles = !a.flagBool(); }},
    {"html", "html", OptionKind::Cost,
     [](const Arg &a, Settings &s) {
       if (a.value.is_none()) {
         s.htmlPath.clear();
         return;
       }
       s.htmlPath = a.asPath();
       if (s.htmlPath.empty())
         a.valueError("expected a path");
       a.addFlag(s.htmlPath);
     }},
    {"seed", "seed", OptionKind::Simulate,
     [](const Arg &a, Settings &s) {
       int64_t seed = a.asInt();
       if (seed < 0)
         a.valueError("expected an int >= 0");
       s.seed = static_cast<uint64_t>(seed);
       a.addFlag(std::to_string(seed));
     }},
    {"float_reference", "float-reference", OptionKind::Simulate,
     [](const Arg &a, Settings &s) { s.floatReference = a.flagBool(); }},
    {"trials", "trials", OptionKind::Simulate,
     [](const Arg &a, Settings &s) {
       s.trials = a.asInt();
       if (s.trials < 1 || s.trials > 100000)
         a.valueError("expected an int in [1, 100000]");
       a.addFlag(std::to_string(s.trials));
     }},
};

const Option *findOption(llvm::StringRef name) {
  for (const Option &option : kOptions)
    if (name == option.name)
      return &option;
  return nullptr;
}

bool accepts(Call call, OptionKind kind) {
  switch (call) {
  case Call::Compile:
    return true;
  case Call::Estimate:
    return kind != OptionKind::Simulate;
  case Call::Run:
    return kind != OptionKind::Compile;
  case Call::ProgramEstimate:
    return kind == OptionKind::Cost;
  }
  return false;
}

/// "unknown option 'blocksize'; did you mean 'block_size'?"
std::string unknownOptionMessage(llvm::StringRef name, Call call) {
  const Option *nearest = nullptr;
  unsigned best = 3; // suggest only close names
  for (const Option &option : kOptions) {
    if (!accepts(call, option.kind))
      continue;
    unsigned distance = name.edit_distance(option.name, true, best);
    if (distance < best) {
      best = distance;
      nearest = &option;
    }
  }
  return "unknown option '" + name.str() + "'" +
         (nearest ? std::string("; did you mean '") + nearest->name + "'?"
                  : std::string(" (docs/Python.md lists them)"));
}

/// Why `call` does not take `option`.
std::string refusedOptionMessage(const Option &option) {
  if (option.kind == OptionKind::Compile)
    return "'" + std::string(option.name) +
           "' shapes the program: give it to rebocc.compile";
  return "'" + std::string(option.name) +
         "' has no effect on an estimate, which simulates nothing";
}

} // namespace

namespace {
/// ONNX element types (onnx::TensorProto::DataType) and the numpy kind and
/// item size of each, both directions read here.
struct NumpyType {
  int onnx;
  char kind;
  size_t size;
};
constexpr NumpyType kNumpyTypes[] = {
    {9, 'b', 1},  {10, 'f', 2}, {1, 'f', 4},  {11, 'f', 8},
    {3, 'i', 1},  {5, 'i', 2},  {6, 'i', 4},  {7, 'i', 8},
    {2, 'u', 1},  {4, 'u', 2},  {12, 'u', 4}, {13, 'u', 8}};
} // namespace

/// The ONNX element type (onnx::TensorProto::DataType) of numpy `dtype`,
/// any byte order; nullopt for the dtypes ONNX has no type for (complex,
/// object, strings, dates).
std::optional<int> onnxDataType(const py::dtype &dtype) {
  for (const NumpyType &t : kNumpyTypes)
    if (t.kind == dtype.kind() && t.size == size_t(dtype.itemsize()))
      return t.onnx;
  return std::nullopt;
}

std::optional<py::dtype> numpyDtype(int dataType) {
  for (const NumpyType &t : kNumpyTypes)
    if (t.onnx == dataType)
      return t.kind == 'b' ? py::dtype("bool")
                           : py::dtype(std::string("<") + t.kind +
                                       std::to_string(t.size));
  return std::nullopt;
}

std::vector<std::string> Settings::commandLineFlags(bool simulate) const {
  std::vector<std::string> out;
  for (const Option &option : kOptions) {
    auto it = flags.find(option.name);
    if (it != flags.end() && (simulate || option.kind != OptionKind::Simulate))
      out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

void parseOptions(const py::dict &options, Call call, Settings &settings) {
  for (auto [key, value] : options) {
    std::string name = py::str(key).cast<std::string>();
    const Option *option = findOption(name);
    if (!option)
      throw py::type_error(unknownOptionMessage(name, call));
    if (!accepts(call, option->kind))
      throw py::type_error(refusedOptionMessage(*option));
    std::vector<std::string> &flags = settings.flags[name];
    flags.clear();
    option->parse(Arg{option->name, option->flag, value, flags}, settings);
  }
}

} // namespace rebocc::python
