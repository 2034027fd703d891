//===- Accuracy.cpp - Accuracy of a program on analog hardware ------------===//
//
// One ideal run (no ADC limits, ideal devices) is the reference; each trial
// runs the program's hardware with its own seed. Crossbar outputs reach the
// SNR through RunOptions::onCrossbarOutput, so nothing is kept but the ideal
// run's layer outputs.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Sim/Accuracy.h"
#include "AnalogEngine.h"
#include "rebocc/Target/Program/AdcNeed.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/Monitor.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace rebocc::sim {

using support::jsonNumber;
using support::jsonString;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

std::string fmt(const char *format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

int64_t loadInt64LE(const char *p) {
  uint64_t v = 0;
  for (int b = 0; b < 8; ++b)
    v |= uint64_t(static_cast<unsigned char>(p[b])) << (8 * b);
  return static_cast<int64_t>(v);
}

/// Rank of class `label` among `scores` (0 = the first maximum): the classes
/// scored higher, and the equal ones before it.
int64_t rankOf(const float *scores, int64_t classes, int64_t label) {
  int64_t rank = 0;
  for (int64_t c = 0; c < classes; ++c)
    rank += scores[c] > scores[label] || (c < label && scores[c] == scores[label]);
  return rank;
}

int64_t argmax(const float *scores, int64_t classes) {
  int64_t best = 0;
  for (int64_t c = 1; c < classes; ++c)
    if (scores[c] > scores[best])
      best = c;
  return best;
}

/// The first output as rows x classes.
bool classScores(const std::vector<Tensor> &outputs, int64_t &rows,
                 int64_t &classes, std::string &error) {
  if (outputs.empty() || outputs[0].shape.empty() || outputs[0].shape[0] <= 0 ||
      outputs[0].data.empty()) {
    error = "accuracy: the first output has no batch rows to classify";
    return false;
  }
  rows = outputs[0].shape[0];
  classes = static_cast<int64_t>(outputs[0].data.size()) / rows;
  return true;
}

double mean(const std::vector<double> &v) {
  double s = 0;
  for (double x : v)
    s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

/// Sample standard deviation (n - 1); 0 for one value.
double stddev(const std::vector<double> &v) {
  if (v.size() < 2)
    return 0.0;
  double m = mean(v), s = 0;
  for (double x : v)
    s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

} // namespace

bool readLabels(const std::string &path, int64_t rows, int64_t classes,
                std::vector<int64_t> &labels, std::string &error) {
  std::string bytes;
  if (!readFileBytes(path, bytes, error))
    return false;
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    error = path + ": not a valid ONNX TensorProto";
    return false;
  }
  auto fail = [&](const std::string &message) {
    error = path + ": labels: " + message;
    return false;
  };
  if (proto.data_type() != onnx::TensorProto::INT64)
    return fail("expected an INT64 tensor, got data type " +
                str(proto.data_type()) +
                (proto.data_type() == onnx::TensorProto::FLOAT ? " (FLOAT)"
                                                                : ""));
  int64_t count = 1;
  for (int64_t dim : proto.dims())
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count))
      return fail("bad shape");
  bool columnShape = proto.dims_size() == 1 ||
                     (proto.dims_size() == 2 && proto.dims(1) == 1);
  if (!columnShape || count != rows)
    return fail("expected " + str(rows) +
                " labels (shape [" + str(rows) + "] or [" + str(rows) +
                ", 1]: one per batch row of the first output), got " +
                str(count) + " in " + str(proto.dims_size()) + " dimensions");
  labels.resize(rows);
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != size_t(rows) * 8)
      return fail("raw_data holds " + str(proto.raw_data().size()) +
                  " bytes, expected " + str(rows * 8));
    for (int64_t r = 0; r < rows; ++r)
      labels[r] = loadInt64LE(proto.raw_data().data() + 8 * r);
  } else {
    if (proto.int64_data_size() != rows)
      return fail("int64_data holds " + str(proto.int64_data_size()) +
                  " values, expected " + str(rows));
    for (int64_t r = 0; r < rows; ++r)
      labels[r] = proto.int64_data(static_cast<int>(r));
  }
  if (!checkLabels(labels, rows, classes, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

bool checkLabels(const std::vector<int64_t> &labels, int64_t rows,
                 int64_t classes, std::string &error) {
  if (static_cast<int64_t>(labels.size()) != rows) {
    error = "labels: expected " + str(rows) +
            " labels (one per batch row of the first output), got " +
            str(labels.size());
    return false;
  }
  for (int64_t r = 0; r < rows; ++r)
    if (labels[r] < 0 || labels[r] >= classes) {
      error = "labels: label " + str(labels[r]) + " of row " + str(r) +
              " is not one of the " + str(classes) + " classes";
      return false;
    }
  return true;
}

bool evaluateAccuracy(const program::Program &program,
                      const std::vector<Tensor> &inputs,
                      const RunOptions &options,
                      const AccuracyOptions &accuracyOptions,
                      std::vector<Tensor> &outputs, RunReport &report,
                      AccuracyReport &acc, std::string &error) {
  // The reference: the same program on ideal analog hardware.
  std::map<size_t, Tensor> idealLayers;
  RunOptions ideal = options;
  ideal.idealAnalog = true;
  ideal.onCrossbarOutput = [&](size_t i, const Tensor &t) {
    idealLayers[i] = t;
  };
  std::vector<Tensor> idealOutputs;
  RunReport idealReport;
  {
    support::Monitor::Scope scope("ideal reference");
    if (!run(program, inputs, ideal, idealOutputs, idealReport, error))
      return false;
  }
  int64_t rows, classes;
  if (!classScores(idealOutputs, rows, classes, error))
    return false;
  acc = AccuracyReport();
  acc.samples = rows;
  acc.classes = classes;
  std::vector<int64_t> labels;
  if (accuracyOptions.labels) {
    labels = *accuracyOptions.labels;
    if (!checkLabels(labels, rows, classes, error))
      return false;
    acc.labels = true;
  } else if (!accuracyOptions.labelsPath.empty()) {
    if (!readLabels(accuracyOptions.labelsPath, rows, classes, labels, error))
      return false;
    acc.labels = true;
  }
  const float *idealScores = idealOutputs[0].data.data();
  for (int64_t r = 0; r < rows && acc.labels; ++r) {
    int64_t rank = rankOf(idealScores + r * classes, classes, labels[r]);
    acc.idealTop1 += rank == 0;
    acc.idealTop5 += rank < 5;
  }
  std::map<size_t, size_t> layerOf; // instruction -> acc.layers index
  for (const auto &entry : idealLayers) {
    layerOf[entry.first] = acc.layers.size();
    acc.layers.push_back({program.instructions[entry.first].name, 0, 0});
  }

  const int64_t trials = std::max<int64_t>(1, accuracyOptions.trials);
  for (int64_t t = 0; t < trials; ++t) {
    RunOptions trial = options;
    trial.seed = options.seed + static_cast<uint64_t>(t);
    trial.onCrossbarOutput = [&](size_t i, const Tensor &y) {
      const Tensor &ref = idealLayers[i];
      LayerNoise &l = acc.layers[layerOf[i]];
      for (size_t e = 0; e < y.data.size() && e < ref.data.size(); ++e) {
        double d = static_cast<double>(y.data[e]) - ref.data[e];
        l.signal += static_cast<double>(ref.data[e]) * ref.data[e];
        l.noise += d * d;
      }
    };
    std::vector<Tensor> out;
    RunReport trialReport;
    support::Monitor::Scope scope("trial " + std::to_string(t + 1) + "/" +
                                  std::to_string(trials));
    if (!run(program, inputs, trial, out, trialReport, error))
      return false;
    TrialAccuracy ta;
    ta.seed = trial.seed;
    const float *scores = out[0].data.data();
    for (int64_t r = 0; r < rows; ++r) {
      const float *s = scores + r * classes;
      ta.agree += argmax(s, classes) == argmax(idealScores + r * classes,
                                                 classes);
      if (acc.labels) {
        int64_t rank = rankOf(s, classes, labels[r]);
        ta.top1 += rank == 0;
        ta.top5 += rank < 5;
      }
    }
    acc.trials.push_back(ta);
    if (t == 0) {
      outputs = std::move(out);
      report = std::move(trialReport);
    }
  }
  return true;
}

int64_t histogramPercentile(const std::vector<int64_t> &histogram,
                            double percentile) {
  int64_t total = 0;
  for (int64_t n : histogram)
    total += n;
  if (total == 0)
    return 0;
  const double target = std::ceil(percentile / 100.0 * total);
  int64_t seen = 0;
  for (size_t s = 0; s < histogram.size(); ++s) {
    seen += histogram[s];
    if (static_cast<double>(seen) >= target)
      return static_cast<int64_t>(s);
  }
  return static_cast<int64_t>(histogram.size()) - 1;
}

bool calibrateAdc(const program::Program &program,
                  const std::vector<Tensor> &inputs, const RunOptions &options,
                  std::vector<double> &fullScale, std::string &error) {
  std::vector<std::vector<int64_t>> histograms(program.layers.size());
  RunOptions calibration = options;
  calibration.arithmetic = Arithmetic::FixedPoint;
  calibration.idealAnalog = true;
  calibration.adcHistograms = &histograms;
  calibration.onCrossbarOutput = nullptr;
  std::vector<Tensor> outputs;
  RunReport report;
  if (!run(program, inputs, calibration, outputs, report, error)) {
    error = "calibration: " + error;
    return false;
  }
  fullScale.assign(program.layers.size(), 0.0);
  for (size_t l = 0; l < program.layers.size(); ++l)
    fullScale[l] = static_cast<double>(std::max<int64_t>(
        1, histogramPercentile(histograms[l], program.hw.adcClipPercentile)));
  return true;
}

namespace {

/// The ADC step of layer `l` at its calibrated full scale.
double calibratedStep(const program::Program &program, size_t l,
                      double fullScale) {
  const program::CrossbarLayer &L = program.layers[l];
  return adcLaw(program.hw, program::layerAdcBits(L, program.hw), false,
                fullScale)
      .step;
}

} // namespace

void writeAdcCalibrationJson(llvm::json::OStream &json,
                             const program::Program &program,
                             const std::vector<double> &fullScale) {
  json.object([&] {
    json.attribute("percentile", jsonNumber(program.hw.adcClipPercentile));
    json.attributeArray("layers", [&] {
      for (size_t l = 0; l < program.layers.size() && l < fullScale.size(); ++l)
        json.object([&] {
          json.attribute("name", jsonString(program.layers[l].name));
          json.attribute("full_scale", jsonNumber(fullScale[l]));
          json.attribute("step", jsonNumber(calibratedStep(program, l,
                                                           fullScale[l])));
        });
    });
  });
}

std::string adcCalibrationToTable(const program::Program &program,
                                  const std::vector<double> &fullScale) {
  std::string out = "# adc calibrated at the " +
                    fmt("%g", program.hw.adcClipPercentile) +
                    "th percentile of the column sums\n";
  for (size_t l = 0; l < program.layers.size() && l < fullScale.size(); ++l)
    out += "adc " + program.layers[l].name + " full scale " +
           fmt("%g", fullScale[l]) + ", step " +
           fmt("%.4g", calibratedStep(program, l, fullScale[l])) + "\n";
  return out;
}

void writeAccuracyJson(llvm::json::OStream &json, const AccuracyReport &acc) {
  const double n = static_cast<double>(acc.samples);
  std::vector<double> top1, top5, agree;
  for (const TrialAccuracy &t : acc.trials) {
    top1.push_back(t.top1 / n);
    top5.push_back(t.top5 / n);
    agree.push_back(t.agree / n);
  }
  json.object([&] {
    json.attribute("samples", acc.samples);
    json.attribute("classes", acc.classes);
    json.attribute("trials", static_cast<int64_t>(acc.trials.size()));
    if (acc.labels) {
      json.attribute("top1", jsonNumber(mean(top1)));
      json.attribute("top1_std", jsonNumber(stddev(top1)));
      json.attribute("top5", jsonNumber(mean(top5)));
      json.attribute("top5_std", jsonNumber(stddev(top5)));
      json.attribute("ideal_top1", jsonNumber(acc.idealTop1 / n));
      json.attribute("ideal_top5", jsonNumber(acc.idealTop5 / n));
    }
    json.attribute("agreement", jsonNumber(mean(agree)));
    json.attribute("agreement_std", jsonNumber(stddev(agree)));
    json.attributeArray("per_trial", [&] {
      for (const TrialAccuracy &ta : acc.trials)
        json.object([&] {
          json.attribute("seed", static_cast<int64_t>(ta.seed));
          if (acc.labels) {
            json.attribute("top1_correct", ta.top1);
            json.attribute("top5_correct", ta.top5);
          }
          json.attribute("agree", ta.agree);
        });
    });
    json.attributeArray("layers", [&] {
      for (const LayerNoise &ln : acc.layers)
        json.object([&] {
          // Exact layers have no noise: null (an infinite SNR).
          double snr =
              ln.noise > 0 ? 10 * std::log10(ln.signal / ln.noise) : NAN;
          json.attribute("name", jsonString(ln.name));
          json.attribute("snr_db", jsonNumber(snr));
        });
    });
  });
}

std::string accuracyToTable(const AccuracyReport &acc) {
  const double n = static_cast<double>(acc.samples);
  std::vector<double> top1, top5, agree;
  for (const TrialAccuracy &t : acc.trials) {
    top1.push_back(t.top1 / n);
    top5.push_back(t.top5 / n);
    agree.push_back(t.agree / n);
  }
  std::string out = "# accuracy over " + str(acc.samples) + " samples, " +
                    str(acc.trials.size()) + " trial(s)\n";
  if (acc.labels) {
    out += "top-1 " + fmt("%.4f", mean(top1)) + " +- " +
           fmt("%.4f", stddev(top1)) + " (ideal " +
           fmt("%.4f", acc.idealTop1 / n) + ", " + str(acc.idealTop1) + "/" +
           str(acc.samples) + ")";
    if (acc.trials.size() == 1)
      out += ", " + str(acc.trials[0].top1) + "/" + str(acc.samples);
    out += "\ntop-5 " + fmt("%.4f", mean(top5)) + " +- " +
           fmt("%.4f", stddev(top5)) + " (ideal " +
           fmt("%.4f", acc.idealTop5 / n) + ")\n";
  }
  out += "agreement with ideal " + fmt("%.4f", mean(agree)) + " +- " +
         fmt("%.4f", stddev(agree)) + "\n";
  for (const LayerNoise &l : acc.layers)
    out += "snr " + l.name + " " +
           (l.noise > 0 ? fmt("%.2f", 10 * std::log10(l.signal / l.noise)) +
                              " dB"
                        : std::string("exact")) +
           "\n";
  return out;
}

} // namespace rebocc::sim
