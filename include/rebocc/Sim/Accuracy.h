//===- Accuracy.h - Accuracy of a program on analog hardware ----*- C++ -*-===//
//
// What a network keeps on the hardware: top-1 and top-5 against labels, the
// agreement with the same program on ideal analog hardware and each crossbar
// layer's signal-to-noise ratio against ideal, over one or more noise seeds
// (docs/Accuracy.md, "Accuracy evaluation").
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_ACCURACY_H
#define REBOCC_SIM_ACCURACY_H

#include "rebocc/Sim/Interpreter.h"

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rebocc::sim {

struct AccuracyOptions {
  /// --labels: an INT64 TensorProto with one class index per batch row of the
  /// first output ("" = no labels: agreement and SNR only).
  std::string labelsPath;
  /// The labels themselves, given in memory (the Python package's
  /// Program.run) instead of a file; checked as the file's are.
  std::optional<std::vector<int64_t>> labels;
  /// --trials N: seeds seed, seed+1, ..., seed+N-1 (0 = not given: one).
  int64_t trials = 0;
  /// --calibration-input: one file per program input, required by (and only
  /// accepted with) adc_range = calibrated.
  std::vector<std::string> calibrationInputs;
  /// The calibration inputs given in memory (the Python package) instead
  /// of files; checked as the files' are.
  std::optional<std::vector<Tensor>> calibration;

  /// Evaluate at all (either option given).
  bool enabled() const {
    return !labelsPath.empty() || labels || trials > 0;
  }
};

struct TrialAccuracy {
  uint64_t seed = 0;
  int64_t top1 = 0, top5 = 0; // correct rows (labels given)
  int64_t agree = 0;          // rows whose argmax is the ideal run's
};

/// One crossbar layer's output against ideal, summed over rows and trials.
struct LayerNoise {
  std::string name;
  double signal = 0; // sum of ideal^2 (once per trial)
  double noise = 0;  // sum of (output - ideal)^2
};

struct AccuracyReport {
  int64_t samples = 0, classes = 0;
  bool labels = false;
  int64_t idealTop1 = 0, idealTop5 = 0;
  std::vector<TrialAccuracy> trials;
  std::vector<LayerNoise> layers; // in program order
};

/// Reads the labels of `rows` samples of `classes` classes: an INT64 tensor of
/// `rows` elements (shape [rows] or [rows, 1]), every value a class index.
/// Errors name the file and what does not fit.
bool readLabels(const std::string &path, int64_t rows, int64_t classes,
                std::vector<int64_t> &labels, std::string &error);

/// Checks labels given in memory: `rows` of them, each a class index below
/// `classes`. Errors start with "labels: ".
bool checkLabels(const std::vector<int64_t> &labels, int64_t rows,
                 int64_t classes, std::string &error);

/// Runs `program` once on ideal analog hardware (RunOptions::idealAnalog),
/// then once per trial with seeds options.seed, options.seed + 1, ... on the
/// program's hardware, and fills `accuracy`. `outputs` and `report` are the
/// first trial's (the counts do not depend on the seed).
bool evaluateAccuracy(const program::Program &program,
                      const std::vector<Tensor> &inputs,
                      const RunOptions &options,
                      const AccuracyOptions &accuracyOptions,
                      std::vector<Tensor> &outputs, RunReport &report,
                      AccuracyReport &accuracy, std::string &error);

/// adc_range = calibrated: runs `program` on `inputs` on ideal analog
/// hardware, every layer on its cells, counting each column sum of every read
/// that drives a row, and sets fullScale[layer] (by program layer index) to
/// the hw.adcClipPercentile-th percentile of the layer's sums, at least 1.
bool calibrateAdc(const program::Program &program,
                  const std::vector<Tensor> &inputs, const RunOptions &options,
                  std::vector<double> &fullScale, std::string &error);

/// The smallest s such that at least `percentile` % of the counted sums
/// (histogram[s] = count of s) are <= s; 0 for an empty histogram.
int64_t histogramPercentile(const std::vector<int64_t> &histogram,
                            double percentile);

/// The "adc_calibration" object of the JSON report: the percentile and, per
/// crossbar layer, its full scale and ADC step; and the table's line.
void writeAdcCalibrationJson(llvm::json::OStream &json,
                             const program::Program &program,
                             const std::vector<double> &fullScale);
std::string adcCalibrationToTable(const program::Program &program,
                                  const std::vector<double> &fullScale);

/// The "accuracy" object of the JSON report: samples, trials, seeds, top1 /
/// top5 (mean over trials, with _std and ideal_), agreement (mean, std),
/// per_trial and layers (snr_db, null when exact).
void writeAccuracyJson(llvm::json::OStream &json,
                       const AccuracyReport &accuracy);

/// The lines the run command prints after its tables.
std::string accuracyToTable(const AccuracyReport &accuracy);

} // namespace rebocc::sim

#endif // REBOCC_SIM_ACCURACY_H
