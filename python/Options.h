//===- Options.h - The Python package's keyword options --------*- C++ -*-===//
//
// rebocc.compile(model, **options) and Program.run(inputs, **options) take
// rebocc's flags as keyword arguments: `--block-size=4` is block_size=4,
// `--hw-set adc_bits=6` is hw_set={"adc_bits": 6} (docs/Python.md). Each
// option parsed also records its flag, so a report's command line is the
// rebocc command that gives the same program and report.
//
// Built with -fexceptions: a bad option throws pybind11's type_error
// (unknown option, wrong type) or value_error (bad value).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_PYTHON_OPTIONS_H
#define REBOCC_PYTHON_OPTIONS_H

#include "rebocc/Compiler/Compile.h"
#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Model/CostModel.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rebocc::python {

/// What an option acts on: the program (Compile), the cost of a run or an
/// estimate (Cost), or only a simulation (Simulate: --seed and the like,
/// which an estimate would ignore; rebocc --cost-only refuses them too).
enum class OptionKind { Compile, Cost, Simulate };

/// The calls that take options, and which kinds each accepts:
/// rebocc.compile all (the cost and simulation options become the program's
/// defaults), rebocc.estimate Compile and Cost, Program.run Cost and
/// Simulate, Program.estimate Cost.
enum class Call { Compile, Estimate, Run, ProgramEstimate };

/// What the keyword arguments set.
struct Settings {
  compiler::CompileOptions compile;
  std::string hwPath;               // hw
  std::vector<std::string> hwSet;   // hw_set, KEY=VALUE
  onnxfe::ImportOptions import;     // input_shape, dim
  bool onnxCheck = true;            // onnx_check
  model::PipelineMode pipeline = model::PipelineMode::IntraLayer;
  bool replicate = true;            // not no_replicas
  bool gateIdleTiles = true;        // not no_gate_idle_tiles
  std::string htmlPath;             // html: also write the HTML report
  uint64_t seed = 0;
  bool floatReference = false;
  int64_t trials = 0;
  /// The equivalent rebocc flags of each option given, by option name.
  std::map<std::string, std::vector<std::string>> flags;

  /// The flags of every option given, in the order of the option table;
  /// without the Simulate ones unless `simulate` (an estimate's command
  /// line, where they would be an error).
  std::vector<std::string> commandLineFlags(bool simulate) const;
};

/// The ONNX element type (onnx::TensorProto::DataType) of numpy `dtype`,
/// any byte order; nullopt for the dtypes ONNX has no type for (complex,
/// object, strings, dates).
std::optional<int> onnxDataType(const pybind11::dtype &dtype);
/// The little-endian numpy dtype of ONNX element type `dataType`; nullopt
/// for the types numpy has none for (bfloat16, strings, ...).
std::optional<pybind11::dtype> numpyDtype(int dataType);

/// Parses `options` (a dict of keyword arguments) into `settings`. An
/// option `call` does not accept is a type_error naming the option, as is an
/// unknown one (with the nearest known name).
void parseOptions(const pybind11::dict &options, Call call,
                  Settings &settings);

} // namespace rebocc::python

#endif // REBOCC_PYTHON_OPTIONS_H
