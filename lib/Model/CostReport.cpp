//===- CostReport.cpp - JSON, table and HTML forms of a cost report -------===//

#include "rebocc/Model/CostModel.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/TextTable.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rebocc::model {

namespace {

std::string num(double v) { return support::jsonNumber(v); }

std::string str(int64_t v) { return std::to_string(v); }

double ratioOf(double a, double b) { return b > 0 ? a / b : 0.0; }


std::string htmlEscape(const std::string &s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += ch;
    }
  }
  return out;
}

/// Component names and accessors, in one order for JSON, table and plots.
struct Component {
  const char *key;
  double EnergyBreakdown::*field;
};
const Component kComponents[] = {
    {"adc", &EnergyBreakdown::adc},
    {"dac", &EnergyBreakdown::dac},
    {"crossbar", &EnergyBreakdown::crossbar},
    {"sample_hold", &EnergyBreakdown::sampleHold},
    {"shift_add", &EnergyBreakdown::shiftAdd},
    {"input_register", &EnergyBreakdown::inputRegister},
    {"output_register", &EnergyBreakdown::outputRegister},
    {"rotator", &EnergyBreakdown::rotator},
    {"buffer", &EnergyBreakdown::buffer},
    {"bus", &EnergyBreakdown::bus},
    {"network", &EnergyBreakdown::network},
    {"inter_chip", &EnergyBreakdown::interChip},
    {"host_io", &EnergyBreakdown::hostIo},
    {"digital", &EnergyBreakdown::digital},
    {"programming", &EnergyBreakdown::programming},
};
const char *const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                               "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                               "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
                               "#fabfd2", "#8cd17d", "#79706e", "#d4a6c8"};

std::string componentsJson(const EnergyBreakdown &e) {
  std::string out = "{";
  bool first = true;
  for (const Component &c : kComponents) {
    out += std::string(first ? "" : ", ") + "\"" + c.key + "\": " +
           num(e.*(c.field));
    first = false;
  }
  return out + "}";
}

/// Static and dynamic energy apart, per component.
std::string energyJson(const EnergyBreakdown &dynamicJ,
                       const EnergyBreakdown &staticJ) {
  return "{\"total\": " + num(dynamicJ.total() + staticJ.total()) +
         ", \"dynamic\": " + num(dynamicJ.total()) +
         ", \"static\": " + num(staticJ.total()) +
         ", \"dynamic_by_component\": " + componentsJson(dynamicJ) +
         ", \"static_by_component\": " + componentsJson(staticJ) + "}";
}

/// Per component: "adc=1.2e-05+3.4e-07" (dynamic+static), nonzero only.
std::string componentsLine(const EnergyBreakdown &dynamicJ,
                           const EnergyBreakdown &staticJ,
                           std::string (*sci)(double)) {
  std::string out;
  for (const Component &c : kComponents) {
    double d = dynamicJ.*(c.field), st = staticJ.*(c.field);
    if (d > 0 || st > 0)
      out += std::string(" ") + c.key + "=" + sci(d) + "+" + sci(st);
  }
  return out;
}

} // namespace

std::string costToJson(const CostReport &r) {
  std::string out = "{\n";
  out += "    \"mapping\": " + support::jsonQuote(r.mapping) + ",\n";
  out += std::string("    \"pipeline\": \"") + pipelineModeName(r.pipeline) +
         "\",\n";
  out += std::string("    \"overflow\": \"") + overflowPolicyName(r.overflow) +
         "\",\n";
  out += "    \"inferences\": " + str(r.inferences) + ",\n";
  out += "    \"cycles\": " + str(r.cycles) + ",\n";
  out += "    \"run_s\": " + num(r.runS) + ",\n";
  out += "    \"latency_s\": " + num(r.latencyS) + ",\n";
  out +=
      "    \"throughput_inferences_per_s\": " + num(r.throughputPerS) + ",\n";
  out += "    \"energy_j\": " + energyJson(r.dynamicJ, r.staticJ) + ",\n";
  out += "    \"area_mm2\": " + num(r.areaMm2) + ",\n";
  out += "    \"power_w\": " + num(r.powerW) + ",\n";
  out += "    \"dense_ops\": " + num(r.denseOps) + ",\n";
  out += "    \"gops_per_w\": " + num(r.gopsPerW) + ",\n";
  out += "    \"gops_per_s_mm2\": " + num(r.gopsPerSMm2) + ",\n";
  out += "    \"chips\": " + str(r.chips) + ",\n";
  out += std::string("    \"fits\": ") + (r.fits ? "true" : "false") + ",\n";
  out += std::string("    \"reprogrammed\": ") +
         (r.reprogrammed ? "true" : "false") + ",\n";
  out += "    \"program_loads\": " + str(r.programLoads) + ",\n";
  out += std::string("    \"gate_idle_tiles\": ") +
         (r.gateIdleTiles ? "true" : "false") + ",\n";
  out += "    \"tiles_used\": " + str(r.tilesUsed) + ",\n";
  out += "    \"tiles_powered\": " + str(r.tilesPowered) + ",\n";
  out += "    \"rotator_imas\": " + str(r.rotatorImas) + ",\n";
  out += "    \"static_power_w\": " + num(r.staticPowerW) + ",\n";
  out += "    \"full_load_static_share\": " + num(r.fullLoadStaticShare) +
         ",\n";
  out += "    \"adc_energy_ratio\": " + num(r.adcEnergyRatio) + ",\n";
  out += "    \"adc_area_ratio\": " + num(r.adcAreaRatio) + ",\n";
  out += "    \"host_io_bytes\": " + num(r.hostIoBytes) + ",\n";
  out += "    \"host_io_s\": " + num(r.hostIoS) + ",\n";
  out += "    \"programming_s\": " + num(r.programmingS) + ",\n";
  out += "    \"crossbars_needed\": " + str(r.crossbarsNeeded) + ",\n";
  out += "    \"crossbars_per_chip\": " + str(r.crossbarsPerChip) + ",\n";
  out += "    \"imas_needed\": " + str(r.imasNeeded) + ",\n";
  out += "    \"imas_per_chip\": " + str(r.imasPerChip) + ",\n";
  out += "    \"utilization\": {\"u_occ\": " + num(r.uOcc) +
         ", \"u_uniq\": " + num(r.uUniq) +
         ", \"crossbars\": " + str(r.crossbars) + ", \"adcs\": " + str(r.adcs) +
         "},\n";
  out += "    \"placement\": " + placementToJson(r) + ",\n";
  out += "    \"layers\": [";
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const LayerCost &l = r.layers[i];
    out +=
        std::string(i ? "," : "") + "\n      {\"name\": " + support::jsonQuote(l.name) +
        ", \"kind\": " + support::jsonQuote(l.kind) + ", \"op\": " + support::jsonQuote(l.op) +
        ", \"block_size\": " + str(l.blockSize) +
        ", \"crossbars\": " + str(l.crossbars) + ", \"imas\": " + str(l.imas) +
        ", \"adcs\": " + str(l.adcs) + ", \"tiles\": " + str(l.tiles) +
        ", \"chips_spanned\": " + str(l.chipsSpanned) +
        ", \"chunks\": " + str(l.chunks) +
        ", \"first_ima\": " + str(l.firstIma) +
        ", \"first_tile\": " + str(l.firstTile) +
        ", \"replication\": " + str(l.replication) +
        ", \"u_occ\": " + num(l.uOcc) + ", \"u_uniq\": " + num(l.uUniq) +
        ", \"cycles\": " + str(l.cycles) +
        ", \"latency_s\": " + num(l.latencyS) +
        ", \"stage_s\": " + num(l.stageS) +
        ", \"bottleneck\": " + support::jsonQuote(l.bottleneck) + ", \"stages\": {";
    for (size_t s = 0; s < l.stages.size(); ++s)
      out += std::string(s ? ", " : "") + support::jsonQuote(l.stages[s].stage) + ": " +
             num(l.stages[s].seconds);
    out += "}, \"buffer\": {\"bytes\": " + num(l.bufferBytes) +
           ", \"capacity_bytes\": " + num(l.bufferCapacityBytes) +
           ", \"occupancy\": " + num(l.bufferOccupancy()) +
           ", \"spill_words\": " + num(l.spillWords) + "}" +
           ", \"dense_ops\": " + num(l.denseOps) +
           ", \"energy_j\": " + energyJson(l.dynamicJ, l.staticJ) + "}";
  }
  out += std::string(r.layers.empty() ? "" : "\n    ") + "]\n  }";
  return out;
}

std::string costToTable(const CostReport &r) {
  std::string (*sci)(double) = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.3e", v);
    return std::string(buf);
  };
  auto fixed = [](double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
    return std::string(buf);
  };
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"layer", "op", "xbars", "imas", "adcs", "tiles", "repl",
                  "u_occ", "u_uniq", "buf_occ", "latency_s", "bottleneck",
                  "energy_j", "static_j"});
  for (const LayerCost &l : r.layers)
    rows.push_back(
        {l.name, l.op, str(l.crossbars), str(l.imas), str(l.adcs), str(l.tiles),
         str(l.replication), l.kind == "crossbar" ? fixed(l.uOcc, 4) : "-",
         l.kind == "crossbar" ? fixed(l.uUniq, 4) : "-",
         l.kind == "crossbar" ? fixed(l.bufferOccupancy(), 3) : "-",
         sci(l.latencyS), l.bottleneck, sci(l.energyJ()),
         sci(l.staticJ.total())});
  std::string out =
      "# cost (" + (r.mapping.empty() ? std::string("-") : r.mapping) + "), " +
      pipelineModeName(r.pipeline) +
      "-layer pipeline, overflow=" + overflowPolicyName(r.overflow) + "\n";
  out += support::formatColumns(rows, {0, 1, 11});
  out += "chips " + str(r.chips) + " (" + (r.fits ? "fits" : "does not fit") +
         " one chip: " + str(r.crossbarsNeeded) + " crossbars in " +
         str(r.imasNeeded) + " IMAs of " + str(r.imasPerChip) + ")" +
         (r.reprogrammed
              ? ", reprogrammed " + str(r.programLoads) +
                    " loads per inference, " + sci(r.programmingS) + " s"
              : std::string()) +
         "\n";
  out += "latency (one inference) " + sci(r.latencyS) +
         " s; throughput (steady state) " + sci(r.throughputPerS) +
         " inferences/s; run " + sci(r.runS) + " s, " + str(r.cycles) +
         " cycles; host I/O " + sci(r.hostIoS) + " s per inference\n";
  out += "energy " + sci(r.energyJ) + " J = dynamic " +
         sci(r.dynamicJ.total()) + " + static " + sci(r.staticJ.total()) +
         " (static " + fixed(100.0 * ratioOf(r.staticJ.total(), r.energyJ), 1) +
         " %; at full load " + fixed(100.0 * r.fullLoadStaticShare, 1) +
         " %)\n";
  out += "by component (dynamic+static):" +
         componentsLine(r.dynamicJ, r.staticJ, sci) + "\n";
  out += "static power " + sci(r.staticPowerW) + " W on " +
         str(r.tilesPowered) + " tiles (" +
         (r.gateIdleTiles ? "idle tiles gated" : "whole chips") + ")\n";
  out += "area " + fixed(r.areaMm2, 2) + " mm^2, power " + sci(r.powerW) +
         " W, " + sci(r.gopsPerW) + " GOPS/W, " + sci(r.gopsPerSMm2) +
         " GOPS/(s*mm^2) (dense-equivalent ops " + sci(r.denseOps) + ")\n";
  out += "utilization u_occ " + fixed(r.uOcc, 4) + ", u_uniq " +
         fixed(r.uUniq, 4) + ", crossbars " + str(r.crossbars) + ", adcs " +
         str(r.adcs) + "\n";
  return out;
}

namespace {

/// Horizontal stacked bars: one row per label, segments by component.
std::string stackedBars(const std::string &title,
                        const std::vector<std::string> &labels,
                        const std::vector<std::vector<double>> &values,
                        const std::vector<std::string> &legend,
                        const std::string &unit) {
  const int labelW = 180, barW = 520, rowH = 18, top = 28;
  double maxTotal = 0;
  for (const auto &row : values) {
    double t = 0;
    for (double v : row)
      t += std::max(0.0, v);
    maxTotal = std::max(maxTotal, t);
  }
  int legendRows = static_cast<int>((legend.size() + 4) / 5);
  int height =
      top + rowH * static_cast<int>(labels.size()) + 16 + legendRows * 16;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(labelW + barW + 110) + "\" height=\"" +
                    std::to_string(height) + "\">\n";
  svg += "<text x=\"0\" y=\"16\" font-weight=\"bold\">" + htmlEscape(title) +
         "</text>\n";
  for (size_t i = 0; i < labels.size(); ++i) {
    int y = top + rowH * static_cast<int>(i);
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 13) +
           "\" font-size=\"12\">" + htmlEscape(labels[i].substr(0, 28)) +
           "</text>\n";
    double x = labelW, total = 0;
    for (size_t c = 0; c < values[i].size(); ++c) {
      double v = std::max(0.0, values[i][c]);
      total += v;
      double w = maxTotal > 0 ? v / maxTotal * barW : 0;
      if (w <= 0)
        continue;
      svg += "<rect x=\"" + num(x) + "\" y=\"" + std::to_string(y + 2) +
             "\" width=\"" + num(w) + "\" height=\"" +
             std::to_string(rowH - 4) + "\" fill=\"" +
             kColors[c % (sizeof(kColors) / sizeof(kColors[0]))] +
             "\"><title>" + htmlEscape(legend[c]) + ": " + num(v) + " " + unit +
             "</title></rect>\n";
      x += w;
    }
    svg += "<text x=\"" + num(x + 4) + "\" y=\"" + std::to_string(y + 13) +
           "\" font-size=\"11\">" + num(total) + "</text>\n";
  }
  int ly = top + rowH * static_cast<int>(labels.size()) + 8;
  for (size_t c = 0; c < legend.size(); ++c) {
    int lx = static_cast<int>(c % 5) * 150;
    int y = ly + static_cast<int>(c / 5) * 16;
    svg += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(y) +
           "\" width=\"10\" height=\"10\" fill=\"" +
           kColors[c % (sizeof(kColors) / sizeof(kColors[0]))] +
           "\"/><text x=\"" + std::to_string(lx + 14) + "\" y=\"" +
           std::to_string(y + 9) + "\" font-size=\"11\">" +
           htmlEscape(legend[c]) + "</text>\n";
  }
  return svg + "</svg>\n";
}

std::string reportSection(const CostReport &r, size_t index) {
  std::string name =
      r.mapping.empty() ? "report " + std::to_string(index + 1) : r.mapping;
  std::string out = "<h2>" + htmlEscape(name) + "</h2>\n<pre>" +
                    htmlEscape(costToTable(r)) + "</pre>\n";
  std::vector<std::string> labels, legend;
  std::vector<std::vector<double>> energy, util;
  for (const Component &c : kComponents)
    legend.push_back(c.key);
  legend.push_back("static");
  for (const LayerCost &l : r.layers) {
    labels.push_back(l.name);
    std::vector<double> row;
    for (const Component &c : kComponents)
      row.push_back(l.dynamicJ.*(c.field));
    row.push_back(l.staticJ.total());
    energy.push_back(row);
  }
  out += stackedBars("Energy by component per layer (J)", labels, energy,
                     legend, "J");
  std::vector<std::string> ulabels;
  for (const LayerCost &l : r.layers)
    if (l.kind == "crossbar") {
      ulabels.push_back(l.name + " U_occ");
      util.push_back({l.uOcc});
      ulabels.push_back(l.name + " U_uniq");
      util.push_back({0, l.uUniq});
    }
  out += stackedBars("Utilization per crossbar layer", ulabels, util,
                     {"U_occ", "U_uniq"}, "");
  return out;
}

} // namespace

std::string costToHtml(const std::vector<CostReport> &reports,
                       const std::vector<RunReport> &counts) {
  std::string out =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
      "<title>rebocc cost report</title>\n<style>body{font-family:sans-serif;"
      "margin:2em}pre{background:#f6f6f6;padding:1em;overflow-x:auto}"
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:"
      "2px 8px;text-align:right}</style></head><body>\n"
      "<h1>rebocc cost report</h1>\n"
      "<p>Latency is one inference from first input to last output; "
      "throughput is steady-state inferences per second (intra-layer "
      "pipeline: 1 / latency; inter-layer: 1 / slowest stage). Constants and "
      "formulas: docs/CostModel.md.</p>\n";
  if (reports.size() >= 2) {
    const CostReport &a = reports[0], &b = reports[1];
    auto ratio = [](double x, double y) { return y > 0 ? x / y : 0.0; };
    std::string an = a.mapping.empty() ? "first" : a.mapping;
    std::string bn = b.mapping.empty() ? "second" : b.mapping;
    out += "<h2>" + htmlEscape(an) + " against " + htmlEscape(bn) +
           "</h2>\n<table><tr><th>figure</th><th>" + htmlEscape(an) +
           "</th><th>" + htmlEscape(bn) + "</th><th>" + htmlEscape(bn) + " / " +
           htmlEscape(an) + "</th></tr>\n";
    auto row = [&](const char *name, double x, double y) {
      out += std::string("<tr><td style=\"text-align:left\">") + name +
             "</td><td>" + num(x) + "</td><td>" + num(y) + "</td><td>" +
             num(ratio(y, x)) + "</td></tr>\n";
    };
    row("latency_s", a.latencyS, b.latencyS);
    row("throughput_inferences_per_s", a.throughputPerS, b.throughputPerS);
    row("energy_j", a.energyJ, b.energyJ);
    row("area_mm2", a.areaMm2, b.areaMm2);
    row("power_w", a.powerW, b.powerW);
    row("gops_per_w", a.gopsPerW, b.gopsPerW);
    row("chips", static_cast<double>(a.chips), static_cast<double>(b.chips));
    row("crossbars", static_cast<double>(a.crossbars),
        static_cast<double>(b.crossbars));
    row("u_uniq", a.uUniq, b.uUniq);
    out += "</table>\n";
    std::vector<std::string> legend, labels;
    std::vector<std::vector<double>> rows;
    for (const Component &c : kComponents)
      legend.push_back(c.key);
    legend.push_back("static");
    for (size_t i = 0; i < reports.size(); ++i) {
      labels.push_back(reports[i].mapping.empty()
                           ? "report " + std::to_string(i + 1)
                           : reports[i].mapping);
      std::vector<double> v;
      for (const Component &c : kComponents)
        v.push_back(reports[i].dynamicJ.*(c.field));
      v.push_back(reports[i].staticJ.total());
      rows.push_back(v);
    }
    out += stackedBars("Energy by component (J)", labels, rows, legend, "J");
    std::vector<std::vector<double>> lat;
    for (const CostReport &r : reports)
      lat.push_back({r.latencyS});
    out +=
        stackedBars("Latency per inference (s)", labels, lat, {"latency"}, "s");
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    out += reportSection(reports[i], i);
    if (i < counts.size())
      out += "<details><summary>event counts</summary><pre>" +
             htmlEscape(reportToTable(counts[i])) + "</pre></details>\n";
  }
  return out + "</body></html>\n";
}

} // namespace rebocc::model
