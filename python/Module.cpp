//===- Module.cpp - The rebocc Python extension (_rebocc) -----------------===//
//
// The compiler (rebocc/Compiler/Compile.h) and the simulator's run
// (rebocc/Sim/Driver.h) behind a small Python API; python/rebocc/__init__.py
// is the public face (docs/Python.md). Built with -fexceptions, the only
// code of the package that is: every error of the libraries, which return
// messages, is thrown here as rebocc.Error carrying the message rebocc
// would print after "rebocc: error: ".
//
//===----------------------------------------------------------------------===//

#include "Options.h"

#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Frontend/ONNX/OnnxLoader.h"
#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/TensorIO.h"
#include "rebocc/Support/Version.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>

namespace py = pybind11;
using namespace rebocc;

namespace {

/// rebocc.Error: what rebocc reports as `rebocc: error: <message>`.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Warnings go to Python's warnings module, attributed to the caller of
/// rebocc.compile (stack level 2: above the package's own frame); a filter
/// may turn them into exceptions, which then propagate.
void warn(const std::vector<std::string> &warnings) {
  for (const std::string &warning : warnings)
    if (PyErr_WarnEx(PyExc_UserWarning, warning.c_str(), /*stacklevel=*/2) < 0)
      throw py::error_already_set();
}

/// A compiled program and the settings it was compiled with: the defaults
/// of its runs, the flags of the report's command line.
struct CompiledProgram {
  program::Program program;
  python::Settings settings;
  support::ReportProvenance provenance;
  /// The imported inputs' shapes, batch 1: what an estimate counts
  /// without inputs (compiler::oneInferenceInputShapes).
  std::vector<std::vector<int64_t>> fixedInputShapes;
};

/// Collects the MLIR diagnostics of a compile: errors into one message,
/// warnings and remarks for Python's warnings module.
class Diagnostics {
public:
  explicit Diagnostics(mlir::MLIRContext &context)
      : handler(&context, [this](mlir::Diagnostic &diag) {
          if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
            errors += (errors.empty() ? "" : "\n") +
                      compiler::diagnosticMessage(diag);
          else if (diag.getSeverity() == mlir::DiagnosticSeverity::Warning)
            warnings.push_back(compiler::diagnosticMessage(diag));
          else // remarks (a projection's error) keep their "remark: "
            warnings.push_back(compiler::formatDiagnostic(diag));
          return mlir::success();
        }) {}

  std::string errors;
  std::vector<std::string> warnings;

private:
  mlir::ScopedDiagnosticHandler handler;
};

model::HardwareDesc loadHardware(const python::Settings &settings) {
  model::HardwareDesc hw;
  std::string message;
  if (!settings.hwPath.empty() &&
      !model::loadHardwareDesc(settings.hwPath, hw, message))
    throw Error(message);
  if (!model::applyHardwareOverrides(hw, settings.hwSet,
                                     /*allowPlacement=*/true, message))
    throw Error(message);
  return hw;
}

/// Reads the model file as rebocc does: the size checked first.
std::string readModelFile(const std::string &path) {
  uint64_t size;
  std::string message, bytes;
  if (!llvm::sys::fs::file_size(path, size) &&
      !onnxfe::checkModelSize(size, path, message))
    throw Error(message);
  if (!readFileBytes(path, bytes, message))
    throw Error(message);
  return bytes;
}

/// Compiles `bytes` (an ONNX model named `path`) into `out.program`; the
/// import's warnings go to Python unless `importWarnings` is false (a
/// comparison's later compiles of the same model).
void compileBytes(const std::string &bytes, const std::string &path,
                  CompiledProgram &out, bool importWarnings = true) {
  model::HardwareDesc hw = loadHardware(out.settings);
  llvm::StringRef ext = llvm::sys::path::extension(path);
  bool text = ext == ".onnxtxt" || ext == ".txt";
  onnx::ModelProto model;
  std::string message;
  if (!(text ? onnxfe::parseModelText(bytes, path, model, message)
             : onnxfe::parseModelBytes(bytes, path, model, message)))
    throw Error(message);

  mlir::DialectRegistry registry;
  registry.insert<circulant::CirculantDialect, crossbar::CrossbarDialect,
                  mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  Diagnostics diagnostics(context);
  std::vector<std::string> warnings;
  onnxfe::ImportOptions import = out.settings.import;
  import.chipInputBits = hw.inputBits;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      compiler::importOnnx(context, std::move(model), path, import,
                           out.settings.onnxCheck, warnings, message);
  if (importWarnings)
    warn(warnings);
  if (!module)
    throw Error(message);
  out.fixedInputShapes = compiler::oneInferenceInputShapes(*module);
  mlir::LogicalResult compiled = compiler::compileModule(
      *module, hw, out.settings.compile, out.program);
  warn(diagnostics.warnings);
  if (failed(compiled))
    throw Error(diagnostics.errors.empty() ? "compilation failed"
                                           : diagnostics.errors);
}

/// rebocc._compile(path, data, options): the model from `data` (bytes of an
/// in-memory model, named `path` in messages) or else the file at `path`;
/// `call` says which options it takes.
CompiledProgram compile(const std::string &path, std::optional<py::bytes> data,
                        const py::dict &options,
                        python::Call call = python::Call::Compile) {
  CompiledProgram out;
  python::parseOptions(options, call, out.settings);
  std::string bytes = data ? std::string(*data) : readModelFile(path);
  out.provenance.tool = "rebocc";
  out.provenance.inputKind = "model";
  out.provenance.inputPath = path;
  out.provenance.inputSha256 = support::sha256Hex(bytes);
  compileBytes(bytes, path, out);
  return out;
}

/// rebocc.load(path): a program file (.rbp) written by rebocc or save().
CompiledProgram load(const std::string &path) {
  CompiledProgram out;
  std::string message, bytes;
  if (!readFileBytes(path, bytes, message) ||
      !program::readProgram(bytes, path, out.program, message))
    throw Error(message);
  out.provenance.tool = "rebocc-sim";
  out.provenance.inputKind = "program";
  out.provenance.inputPath = path;
  out.provenance.inputSha256 = support::sha256Hex(bytes);
  out.settings.compile.overflow = out.program.overflow;
  return out;
}

/// The values of `array` (of ONNX type `dataType`) as float32, converted
/// exactly as rebocc-sim converts a file's: floats (float16, float32) as
/// they are, integers and booleans to the float32 that holds them, an
/// integer beyond 2^24 in magnitude or a float64 float32 does not hold an
/// error. Any layout and byte order.
std::vector<float> floatValues(const py::array &array, int dataType,
                               const std::string &what) {
  if (dataType == kFloatDataType || dataType == 10) {
    auto values = py::array_t<float, py::array::c_style |
                                         py::array::forcecast>::ensure(array);
    return std::vector<float>(values.data(), values.data() + values.size());
  }
  if (dataType == 11) { // DOUBLE: float32 values only (doublesAsFloat)
    auto values = py::array_t<double, py::array::c_style |
                                          py::array::forcecast>::ensure(array);
    std::vector<float> out;
    std::string error;
    if (!doublesAsFloat(std::vector<double>(values.data(),
                                            values.data() + values.size()),
                        out, error))
      throw Error(what + ": " + error);
    return out;
  }
  std::vector<int64_t> stored;
  if (dataType == 13) { // UINT64: its bits, as decodeTensorProto keeps them
    auto values = py::array_t<uint64_t, py::array::c_style |
                                            py::array::forcecast>::ensure(array);
    for (py::ssize_t e = 0; e < values.size(); ++e)
      stored.push_back(static_cast<int64_t>(values.data()[e]));
  } else {
    auto values = py::array_t<int64_t, py::array::c_style |
                                           py::array::forcecast>::ensure(array);
    stored.assign(values.data(), values.data() + values.size());
  }
  std::vector<float> out;
  std::string error;
  if (!integersAsFloat(stored, dataType, out, error))
    throw Error(what + ": " + error);
  return out;
}

/// The arrays of `inputs` as tensors, `what` naming them ("input",
/// "calibration input"). Each element type is checked as rebocc-sim checks
/// an --input file's (sim::checkInputDataType: a float32 input takes
/// float32, not float64) and the values converted exactly; a non-array is
/// a TypeError. The count and shapes are checked by the run.
std::vector<sim::Tensor> toTensors(const program::Program &program,
                                   const py::list &inputs,
                                   const std::string &kind = "input") {
  std::vector<sim::Tensor> tensors;
  for (size_t i = 0; i < inputs.size(); ++i) {
    py::handle item = inputs[i];
    bool known = i < program.inputs.size();
    std::string what =
        kind + " " + std::to_string(i) +
        (known ? " ('" + program.values[program.inputs[i]].name + "')"
               : std::string());
    if (!py::isinstance<py::array>(item))
      throw py::type_error(what + ": expected a numpy.ndarray, got " +
                           py::str(py::type::handle_of(item).attr("__name__"))
                               .cast<std::string>());
    auto array = py::reinterpret_borrow<py::array>(item);
    std::optional<int> dataType = python::onnxDataType(array.dtype());
    if (known) {
      std::string e = sim::checkInputDataType(
          program, i, dataType.value_or(0), static_cast<size_t>(array.size()));
      if (!dataType) {
        // numpy's name of a dtype ONNX has no type for.
        size_t from = e.find("actual "), to = e.find(", expected");
        e.replace(from + 7, to - from - 7,
                  "numpy." + py::str(array.dtype()).cast<std::string>());
      }
      if (!e.empty())
        throw Error(what + ": " + e);
    } else if (!dataType) {
      throw Error(what + ": unexpected input data type: numpy." +
                  py::str(array.dtype()).cast<std::string>());
    }
    sim::Tensor t;
    t.shape.assign(array.shape(), array.shape() + array.ndim());
    t.data = floatValues(array, *dataType, what);
    tensors.push_back(std::move(t));
  }
  return tensors;
}

std::vector<int64_t> toLabels(const py::object &labels) {
  auto array = py::array::ensure(labels);
  if (!array || array.dtype().kind() != 'i' ||
      !(array.ndim() == 1 || (array.ndim() == 2 && array.shape(1) == 1)))
    throw py::type_error("labels: expected an integer numpy.ndarray of shape "
                         "[rows] or [rows, 1]");
  auto values = py::array_t<int64_t, py::array::c_style |
                                         py::array::forcecast>::ensure(array);
  return std::vector<int64_t>(values.data(), values.data() + values.size());
}

/// Output `t` of program value `value` as a numpy array of the value's
/// element type, with the bytes and checks an --output-dir file gets
/// (rebocc::encodeTensorValues): int64 outputs (ArgMax) are int64, not
/// float32.
py::array toArray(const program::Value &value, const sim::Tensor &t) {
  std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
  // numpy has no bfloat16: such an output stays the float32 that holds it.
  std::optional<py::dtype> dtype;
  if (std::optional<int> type = support::valueTypeOnnx(value.dtype))
    dtype = python::numpyDtype(*type);
  if (!dtype) {
    py::array_t<float> array(shape);
    std::copy(t.data.begin(), t.data.end(), array.mutable_data());
    return std::move(array);
  }
  std::string raw, error;
  int dataType = 0;
  if (!encodeTensorValues(t, value.name, value.dtype, raw, dataType, error))
    throw Error(error);
  py::array array(*dtype, shape);
  std::copy(raw.begin(), raw.end(), static_cast<char *>(array.mutable_data()));
  return array;
}

/// Runs (or with `costOnly`, counts) `self` with its settings overridden by
/// `options`; returns the outputs and the report JSON.
/// The run options of `settings`.
sim::RunOptions runOptions(const python::Settings &settings) {
  sim::RunOptions run;
  if (settings.floatReference)
    run.arithmetic = sim::Arithmetic::FloatReference;
  run.seed = settings.seed;
  return run;
}

/// The cost options of `settings` for `self`, the report's command line
/// without its last flag (--run, --cost-only).
sim::CostRunOptions costOptions(const CompiledProgram &self,
                                const python::Settings &settings,
                                bool costOnly) {
  sim::CostRunOptions cost;
  cost.costOnly = costOnly;
  cost.inputShapes = self.fixedInputShapes;
  cost.cost.pipeline = settings.pipeline;
  cost.cost.overflow = self.program.overflow;
  cost.cost.gateIdleTiles = settings.gateIdleTiles;
  cost.cost.replicate = settings.replicate;
  cost.htmlPath = settings.htmlPath;
  cost.provenance = self.provenance;
  // The report's command line: the rebocc (or, for a loaded program,
  // rebocc-sim) command that gives the same report, the inputs being the
  // arrays given.
  cost.provenance.commandLine = {self.provenance.tool,
                                 self.provenance.inputPath};
  for (const std::string &flag : settings.commandLineFlags(!costOnly))
    cost.provenance.commandLine.push_back(flag);
  return cost;
}

/// The labels and calibration inputs of a run.
struct RunData {
  std::optional<std::vector<int64_t>> labels;
  std::optional<std::vector<sim::Tensor>> calibration;
};

std::pair<std::vector<sim::Tensor>, std::string>
runWith(const CompiledProgram &self, std::vector<sim::Tensor> inputs,
        RunData data, const py::dict &options, bool costOnly) {
  python::Settings settings = self.settings;
  python::parseOptions(options,
                       costOnly ? python::Call::ProgramEstimate
                                : python::Call::Run,
                       settings);
  sim::RunOptions run = runOptions(settings);
  sim::CostRunOptions cost = costOptions(self, settings, costOnly);
  if (costOnly)
    cost.provenance.commandLine.push_back("--cost-only");
  else if (self.provenance.tool == "rebocc")
    cost.provenance.commandLine.push_back("--run");
  sim::AccuracyOptions accuracy;
  accuracy.trials = settings.trials;
  accuracy.labels = std::move(data.labels);
  accuracy.calibration = std::move(data.calibration);
  std::vector<sim::Tensor> outputs;
  std::string report, error;
  bool ok;
  {
    py::gil_scoped_release release;
    ok = sim::runProgram(self.program, inputs, run, cost, accuracy, outputs,
                         report, error);
  }
  if (!ok)
    throw Error(error);
  return {std::move(outputs), std::move(report)};
}

/// The outputs of `program` as numpy arrays of their element types.
py::list toArrays(const program::Program &program,
                  const std::vector<sim::Tensor> &outputs) {
  py::list arrays;
  for (size_t i = 0; i < outputs.size(); ++i)
    arrays.append(toArray(program.values[program.outputs[i]], outputs[i]));
  return arrays;
}

/// The labels and calibration inputs given to a run (None when not).
RunData runData(const program::Program &program, const py::object &labels,
                const py::object &calibration) {
  RunData data;
  if (!labels.is_none())
    data.labels = toLabels(labels);
  if (!calibration.is_none()) {
    if (!py::isinstance<py::list>(calibration))
      throw py::type_error("calibration_inputs: expected a list of "
                           "numpy.ndarray, one per program input");
    data.calibration = toTensors(
        program, py::reinterpret_borrow<py::list>(calibration),
        "calibration input");
  }
  return data;
}

py::tuple run(const CompiledProgram &self, const py::list &inputs,
              const py::object &labels, const py::object &calibration,
              const py::dict &options) {
  RunData data = runData(self.program, labels, calibration);
  auto [outputs, report] =
      runWith(self, toTensors(self.program, inputs), std::move(data), options,
              /*costOnly=*/false);
  return py::make_tuple(toArrays(self.program, outputs), report);
}

std::string estimate(const CompiledProgram &self, const py::dict &options) {
  return runWith(self, {}, RunData(), options, /*costOnly=*/true).second;
}

/// rebocc._compare(path, data, options, mappings, inputs, labels,
/// calibration): the model compiled with each mapping and run on `inputs`
/// (None: counted from the shapes, as --cost-only), as rebocc
/// --compare=<mappings> does. Returns ({mapping: outputs}, report JSON).
py::tuple compareMappings(const std::string &path,
                          std::optional<py::bytes> data,
                          const py::dict &options,
                          const std::vector<std::string> &mappings,
                          const py::object &inputs, const py::object &labels,
                          const py::object &calibration) {
  bool costOnly = inputs.is_none();
  if (options.contains("mapping"))
    throw py::type_error("'mapping' is set per program by 'mappings'");
  if (mappings.empty())
    throw py::value_error("mappings: expected 'reboc' and/or 'dense'");
  std::string bytes = data ? std::string(*data) : readModelFile(path);
  std::vector<CompiledProgram> programs(mappings.size());
  std::string flag = "--compare=";
  for (size_t i = 0; i < mappings.size(); ++i) {
    if (mappings[i] != "reboc" && mappings[i] != "dense")
      throw py::value_error("mappings: expected 'reboc' or 'dense', got '" +
                            mappings[i] + "'");
    CompiledProgram &out = programs[i];
    python::parseOptions(options,
                         costOnly ? python::Call::Estimate
                                  : python::Call::Compile,
                         out.settings);
    out.settings.compile.mapping = mappings[i] == "dense"
                                       ? compiler::Mapping::Dense
                                       : compiler::Mapping::Reboc;
    out.provenance.tool = "rebocc";
    out.provenance.inputKind = "model";
    out.provenance.inputPath = path;
    out.provenance.inputSha256 = support::sha256Hex(bytes);
    // The model is imported once per mapping; its warnings are said once,
    // as rebocc --compare, which imports it once, says them.
    compileBytes(bytes, path, out, /*importWarnings=*/i == 0);
    flag += (i ? "," : "") + mappings[i];
  }
  const CompiledProgram &first = programs.front();
  std::vector<sim::Tensor> tensors;
  RunData run;
  if (!costOnly) {
    if (!py::isinstance<py::list>(inputs))
      throw py::type_error("inputs: expected a list of numpy.ndarray");
    tensors = toTensors(first.program, py::reinterpret_borrow<py::list>(inputs));
    run = runData(first.program, labels, calibration);
  } else if (!labels.is_none() || !calibration.is_none()) {
    throw py::type_error("labels and calibration_inputs need inputs to run "
                         "on");
  }
  sim::CostRunOptions cost = costOptions(first, first.settings, costOnly);
  cost.provenance.commandLine.push_back(flag);
  if (costOnly)
    cost.provenance.commandLine.push_back("--cost-only");
  sim::AccuracyOptions accuracy;
  accuracy.trials = first.settings.trials;
  accuracy.labels = std::move(run.labels);
  accuracy.calibration = std::move(run.calibration);
  std::vector<const program::Program *> pointers;
  for (const CompiledProgram &p : programs)
    pointers.push_back(&p.program);
  std::vector<std::vector<sim::Tensor>> outputs;
  std::string report, error;
  bool ok;
  {
    py::gil_scoped_release release;
    ok = sim::comparePrograms(pointers, mappings, tensors,
                              runOptions(first.settings), cost, accuracy,
                              outputs, report, error);
  }
  if (!ok)
    throw Error(error);
  py::dict byMapping;
  for (size_t i = 0; i < mappings.size(); ++i)
    byMapping[py::str(mappings[i])] =
        toArrays(programs[i].program, outputs[i]);
  return py::make_tuple(byMapping, report);
}

/// [(name, shape)] of the program's inputs or outputs; -1 is any size.
py::list describeValues(const program::Program &program,
                        const std::vector<int> &ids) {
  py::list out;
  for (int id : ids)
    out.append(py::make_tuple(program.values[id].name,
                              py::tuple(py::cast(program.values[id].shape))));
  return out;
}

} // namespace

PYBIND11_MODULE(_rebocc, m) {
  m.doc() = "rebocc's compiler and simulator (use the rebocc package)";
  m.attr("__version__") = versionNumber();
  static py::exception<Error> error(m, "Error");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const Error &e) {
      error(e.what());
    }
  });

  py::class_<CompiledProgram>(m, "_Program")
      .def("run", &run, py::arg("inputs"), py::arg("labels"),
           py::arg("calibration"), py::arg("options"))
      .def("estimate", &estimate, py::arg("options"))
      .def("save",
           [](const CompiledProgram &self, const std::string &path) {
             std::string message;
             if (!program::writeProgramFile(self.program, path, message))
               throw Error(message);
           })
      .def_property_readonly("text",
                             [](const CompiledProgram &self) {
                               return program::printText(self.program);
                             })
      .def_property_readonly("inputs",
                             [](const CompiledProgram &self) {
                               return describeValues(self.program,
                                                     self.program.inputs);
                             })
      .def_property_readonly("outputs",
                             [](const CompiledProgram &self) {
                               return describeValues(self.program,
                                                     self.program.outputs);
                             })
      .def_property_readonly("layers", [](const CompiledProgram &self) {
        std::vector<std::string> names;
        for (const program::CrossbarLayer &layer : self.program.layers)
          names.push_back(layer.name);
        return names;
      });
  m.def(
      "_compile",
      [](const std::string &path, std::optional<py::bytes> data,
         const py::dict &options) { return compile(path, data, options); },
      py::arg("path"), py::arg("data"), py::arg("options"));
  m.def("_load", &load, py::arg("path"));
  m.def("_compare", &compareMappings, py::arg("path"), py::arg("data"),
        py::arg("options"), py::arg("mappings"), py::arg("inputs"),
        py::arg("labels"), py::arg("calibration"));
  // rebocc.estimate: compile and estimate, refusing the options that only
  // act on a simulation (as rebocc --cost-only does).
  m.def(
      "_estimate",
      [](const std::string &path, std::optional<py::bytes> data,
         const py::dict &options) {
        return estimate(compile(path, data, options, python::Call::Estimate),
                        py::dict());
      },
      py::arg("path"), py::arg("data"), py::arg("options"));
}
