//===- CostHtml.cpp - the cost report as one self-contained HTML page -----===//
//
// The page a researcher opens after a run: the reports side by side (ReBoc
// against the dense baseline with --compare), per-layer latency and energy as
// horizontal bar charts with axes and units, and the utilization table. The
// charts are inline SVG drawn here rather than by a script, so the page needs
// nothing but a browser, fetches nothing, and prints as it shows. Hovering a
// bar or a layer name shows its full name and value (SVG <title>).
//
// Static energy has its own axis: on a lightly loaded chip it is orders of
// magnitude above the dynamic energy and would flatten every other bar on a
// shared one. Charts of the same kind share their scale across the reports,
// so bars of equal length mean equal values in both columns.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rebocc::model {

namespace {

std::string htmlEscape(llvm::StringRef s) {
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

std::string format(const char *spec, double v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), spec, v);
  return buf;
}

/// Pixel coordinates: one decimal is finer than a screen pixel.
std::string px(double v) { return format("%.1f", v); }

/// An SI prefix and the power of ten it stands for.
struct Prefix {
  double scale;
  const char *name;
};

/// The largest prefix not above |v| (none for 0), so that v reads as 1 to
/// 999 of it.
Prefix prefixFor(double v) {
  static const Prefix kPrefixes[] = {
      {1e-15, "f"}, {1e-12, "p"}, {1e-9, "n"}, {1e-6, "\xc2\xb5"} /* µ */,
      {1e-3, "m"},  {1, ""},      {1e3, "k"},  {1e6, "M"},
      {1e9, "G"}};
  v = std::fabs(v);
  if (!(v > 0) || !std::isfinite(v))
    return {1, ""};
  Prefix best = kPrefixes[0];
  for (const Prefix &p : kPrefixes)
    // The tolerance keeps 1e-6 from reading as 1000 n after rounding.
    if (p.scale <= v * (1 + 1e-12))
      best = p;
  return best;
}

/// `v` with 4 significant digits and a prefixed unit: "1.234 µJ".
std::string withUnit(double v, llvm::StringRef unit) {
  if (!std::isfinite(v))
    return "n/a";
  Prefix p = prefixFor(v);
  return format("%.4g", v / p.scale) + " " + p.name + unit.str();
}

/// A linear axis from 0 to a round `max` in steps of 1, 2 or 5 times a power
/// of ten, 3 to 10 ticks, labelled in the prefix of `max`.
struct Axis {
  double max = 1, step = 0.2;
  Prefix prefix{1, ""};
};

Axis niceAxis(double maxValue) {
  Axis axis;
  if (!(maxValue > 0) || !std::isfinite(maxValue))
    return axis;
  double raw = maxValue / 5;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / magnitude;
  double factor = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  axis.step = factor * magnitude;
  axis.max = std::ceil(maxValue / axis.step * (1 - 1e-12)) * axis.step;
  axis.prefix = prefixFor(axis.max);
  return axis;
}

/// Byte length of the first `n` code points of UTF-8 `s`.
size_t utf8Prefix(llvm::StringRef s, size_t n) {
  size_t i = 0;
  for (size_t points = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && points++ == n)
      break;
  return i;
}

size_t utf8Length(llvm::StringRef s) {
  return std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

constexpr size_t kLabelChars = 40;

/// A layer name that fits the label column: long ONNX paths keep their head
/// and their tail ("/features/featu…/conv.0/Conv"); the full name is in the
/// row's tooltip.
std::string shortLabel(llvm::StringRef name) {
  size_t length = utf8Length(name);
  if (length <= kLabelChars)
    return name.str();
  size_t head = kLabelChars / 2 - 2, tail = kLabelChars - head - 1;
  return name.substr(0, utf8Prefix(name, head)).str() + "\xe2\x80\xa6" +
         name.substr(utf8Prefix(name, length - tail)).str();
}

const char *const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                               "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                               "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
                               "#fabfd2", "#8cd17d", "#79706e", "#d4a6c8"};
const char *color(size_t i) {
  return kColors[i % (sizeof(kColors) / sizeof(kColors[0]))];
}

/// One stacked bar chart: a row per label, one or more panels side by side,
/// each with its own axis; a bar in a panel is a stack of segments.
struct Segment {
  size_t series; // index into BarChart::series (colour and legend)
  double value;
};
struct BarRow {
  std::string label;
  std::vector<std::vector<Segment>> panels;
};
struct Panel {
  std::string title; // "dynamic energy"
  std::string unit;  // "J"
  double max = 0;    // the largest stack, maybe of other charts too
};
struct BarChart {
  std::string kind; // data-chart attribute: "latency", "energy", ...
  std::string title;
  std::vector<std::string> series;
  std::vector<Panel> panels;
  std::vector<BarRow> rows;
  double width = 640;
};

double stackTotal(const std::vector<Segment> &stack) {
  double t = 0;
  for (const Segment &s : stack)
    if (s.value > 0 && std::isfinite(s.value))
      t += s.value;
  return t;
}

// Layout, in pixels.
constexpr double kCharW = 6.6, kRowH = 20, kBarH = 14, kTitleH = 22,
                 kPanelTitleH = 16, kAxisH = 36, kPanelGap = 28, kRightPad = 18,
                 kLegendH = 16;

/// A panel's x axis under its rows: gridlines, tick labels in the prefix of
/// the axis' maximum and the title with its unit ("dynamic energy (µJ)").
std::string drawAxis(const Panel &panel, const Axis &axis, double x0,
                     double width, double top, double bottom) {
  std::string svg = "<g class=\"axis\">";
  int ticks = static_cast<int>(std::lround(axis.max / axis.step));
  for (int t = 0; t <= ticks; ++t) {
    double x = x0 + width * t / ticks;
    svg += "<line class=\"grid\" x1=\"" + px(x) + "\" x2=\"" + px(x) +
           "\" y1=\"" + px(top) + "\" y2=\"" + px(bottom) + "\"/>";
    svg += "<text x=\"" + px(x) + "\" y=\"" + px(bottom + 13) +
           "\" text-anchor=\"middle\">" +
           format("%.3g", t * axis.step / axis.prefix.scale) + "</text>";
  }
  svg += "<line class=\"baseline\" x1=\"" + px(x0) + "\" x2=\"" +
         px(x0 + width) + "\" y1=\"" + px(bottom) + "\" y2=\"" + px(bottom) +
         "\"/>";
  svg += "<text class=\"axis-title\" x=\"" + px(x0 + width / 2) + "\" y=\"" +
         px(bottom + 29) + "\" text-anchor=\"middle\">" +
         htmlEscape(panel.title) + " (" + axis.prefix.name + panel.unit +
         ")</text>";
  return svg + "</g>\n";
}

/// The row's tooltip: its full label and each panel's total.
std::string rowTitle(const BarChart &chart, const BarRow &row) {
  std::string text = row.label;
  const char *sep = ": ";
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    text += sep + chart.panels[p].title + " " +
            withUnit(stackTotal(row.panels[p]), chart.panels[p].unit);
    sep = ", ";
  }
  return text;
}

std::string drawRow(const BarChart &chart, const BarRow &row,
                    const std::vector<Axis> &axes, double labelW,
                    double panelW, double y) {
  std::string svg = "<g class=\"row\"><title>" +
                    htmlEscape(rowTitle(chart, row)) + "</title>";
  svg += "<text class=\"label\" x=\"0\" y=\"" + px(y + kBarH - 3) + "\">" +
         htmlEscape(shortLabel(row.label)) + "</text>";
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    double x = labelW + p * (panelW + kPanelGap);
    for (const Segment &s : row.panels[p]) {
      if (!(s.value > 0) || !std::isfinite(s.value))
        continue;
      double w = s.value / axes[p].max * panelW;
      svg += "<rect class=\"bar\" x=\"" + px(x) + "\" y=\"" + px(y) +
             "\" width=\"" + format("%.4g", w) + "\" height=\"" + px(kBarH) +
             "\" fill=\"" + color(s.series) + "\"><title>" +
             htmlEscape(row.label + ", " + chart.series[s.series] + " (" +
                        chart.panels[p].title + "): " +
                        withUnit(s.value, chart.panels[p].unit)) +
             "</title></rect>";
      x += w;
    }
  }
  return svg + "</g>\n";
}

/// The series that appear in some bar, as coloured keys wrapped to the width.
std::string drawLegend(const BarChart &chart, double y, int &lines) {
  std::vector<bool> used(chart.series.size(), false);
  for (const BarRow &row : chart.rows)
    for (const auto &stack : row.panels)
      for (const Segment &s : stack)
        if (s.value > 0)
          used[s.series] = true;
  std::string svg = "<g class=\"legend\">";
  double x = 0;
  lines = 1;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    if (!used[i])
      continue;
    double w = 16 + kCharW * utf8Length(chart.series[i]) + 14;
    if (x > 0 && x + w > chart.width) {
      x = 0;
      y += kLegendH;
      ++lines;
    }
    svg += "<rect x=\"" + px(x) + "\" y=\"" + px(y) +
           "\" width=\"11\" height=\"11\" fill=\"" + color(i) + "\"/>";
    svg += "<text x=\"" + px(x + 15) + "\" y=\"" + px(y + 10) + "\">" +
           htmlEscape(chart.series[i]) + "</text>";
    x += w;
  }
  return svg + "</g>\n";
}

std::string drawChart(const BarChart &chart) {
  size_t labelChars = 6;
  for (const BarRow &row : chart.rows)
    labelChars = std::max(labelChars, utf8Length(shortLabel(row.label)));
  double labelW = kCharW * labelChars + 10;
  size_t panels = chart.panels.size();
  double panelW =
      (chart.width - labelW - kRightPad - kPanelGap * (panels - 1)) / panels;
  std::vector<Axis> axes;
  for (const Panel &panel : chart.panels)
    axes.push_back(niceAxis(panel.max));

  double top = kTitleH + kPanelTitleH;
  double bottom = top + kRowH * chart.rows.size();
  std::string body;
  for (size_t i = 0; i < chart.rows.size(); ++i)
    body += drawRow(chart, chart.rows[i], axes, labelW, panelW,
                    top + kRowH * i + (kRowH - kBarH) / 2);
  for (size_t p = 0; p < panels; ++p) {
    double x0 = labelW + p * (panelW + kPanelGap);
    body += drawAxis(chart.panels[p], axes[p], x0, panelW, top - 4, bottom);
    if (panels > 1)
      body += "<text class=\"panel-title\" x=\"" + px(x0) + "\" y=\"" +
              px(kTitleH + 11) + "\">" + htmlEscape(chart.panels[p].title) +
              "</text>\n";
  }
  int legendLines = 0;
  if (chart.series.size() > 1)
    body += drawLegend(chart, bottom + kAxisH + 6, legendLines);
  double height = bottom + kAxisH + 6 + kLegendH * legendLines + 4;
  return "<svg class=\"chart\" data-chart=\"" + chart.kind +
         "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         px(chart.width) + "\" height=\"" + px(height) + "\" viewBox=\"0 0 " +
         px(chart.width) + " " + px(height) + "\" role=\"img\">\n<title>" +
         htmlEscape(chart.title) + "</title>\n<text class=\"chart-title\" " +
         "x=\"0\" y=\"15\">" + htmlEscape(chart.title) + "</text>\n" + body +
         "</svg>\n";
}

// The page's charts and tables.

std::string reportName(const CostReport &r, size_t index) {
  return r.mapping.empty() ? "report " + std::to_string(index + 1) : r.mapping;
}

std::vector<std::string> componentNames() {
  std::vector<std::string> names;
  for (const EnergyComponent &c : energyComponents())
    names.push_back(c.key);
  return names;
}

std::vector<Segment> componentStack(const EnergyBreakdown &e) {
  std::vector<Segment> stack;
  llvm::ArrayRef<EnergyComponent> components = energyComponents();
  for (size_t c = 0; c < components.size(); ++c)
    stack.push_back({c, e.*(components[c].field)});
  return stack;
}

/// The largest latency, dynamic and static energy of any layer of any
/// report: the per-layer charts' shared scales.
struct LayerScales {
  double latency = 0, dynamic = 0, staticJ = 0;
};
LayerScales layerScales(const std::vector<CostReport> &reports) {
  LayerScales s;
  for (const CostReport &r : reports)
    for (const LayerCost &l : r.layers) {
      s.latency = std::max(s.latency, l.latencyS);
      s.dynamic = std::max(s.dynamic, stackTotal(componentStack(l.dynamicJ)));
      s.staticJ = std::max(s.staticJ, stackTotal(componentStack(l.staticJ)));
    }
  return s;
}

std::string latencyChart(const CostReport &r, const LayerScales &scales) {
  BarChart chart;
  chart.kind = "latency";
  chart.title = "Latency per layer, one inference";
  chart.series = {"latency"};
  chart.panels = {{"latency", "s", scales.latency}};
  for (const LayerCost &l : r.layers)
    chart.rows.push_back({l.name, {{{0, l.latencyS}}}});
  return drawChart(chart);
}

std::string energyChart(const CostReport &r, const LayerScales &scales) {
  BarChart chart;
  chart.kind = "energy";
  chart.title = "Energy per layer, whole run (" +
                std::to_string(r.inferences) + " inference" +
                (r.inferences == 1 ? "" : "s") + ")";
  chart.series = componentNames();
  chart.panels = {{"dynamic energy", "J", scales.dynamic},
                  {"static energy", "J", scales.staticJ}};
  for (const LayerCost &l : r.layers)
    chart.rows.push_back(
        {l.name, {componentStack(l.dynamicJ), componentStack(l.staticJ)}});
  return drawChart(chart);
}

/// Whole-run energy of each report by component, static apart. Host I/O is
/// charged to the run, not to a layer, so it shows here only.
std::string runEnergyChart(const std::vector<CostReport> &reports) {
  BarChart chart;
  chart.kind = "run-energy";
  chart.title = "Energy of the whole run by component";
  chart.series = componentNames();
  chart.width = 960;
  double dynamicMax = 0, staticMax = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    const CostReport &r = reports[i];
    chart.rows.push_back({reportName(r, i),
                          {componentStack(r.dynamicJ),
                           componentStack(r.staticJ)}});
    dynamicMax = std::max(dynamicMax, stackTotal(chart.rows.back().panels[0]));
    staticMax = std::max(staticMax, stackTotal(chart.rows.back().panels[1]));
  }
  chart.panels = {{"dynamic energy", "J", dynamicMax},
                  {"static energy", "J", staticMax}};
  return drawChart(chart);
}

/// The headline figures of every report in columns, with each later report's
/// ratio to the first.
std::string figuresTable(const std::vector<CostReport> &reports) {
  std::string out = "<table class=\"figures\"><tr><th>figure</th>";
  for (size_t i = 0; i < reports.size(); ++i)
    out += "<th>" + htmlEscape(reportName(reports[i], i)) + "</th>";
  for (size_t i = 1; i < reports.size(); ++i)
    out += "<th>" + htmlEscape(reportName(reports[i], i)) + " / " +
           htmlEscape(reportName(reports[0], 0)) + "</th>";
  out += "</tr>\n";
  auto row = [&](const char *name, const char *unit,
                 double (*get)(const CostReport &)) {
    out += std::string("<tr><td class=\"name\">") + name + "</td>";
    for (const CostReport &r : reports)
      out += "<td>" + (*unit ? withUnit(get(r), unit) : format("%.4g", get(r))) +
             "</td>";
    for (size_t i = 1; i < reports.size(); ++i) {
      double first = get(reports[0]);
      out += "<td>" +
             (first > 0 ? format("%.4g", get(reports[i]) / first) : "-") +
             "</td>";
    }
    out += "</tr>\n";
  };
  row("latency (one inference)", "s", [](auto &r) { return r.latencyS; });
  row("throughput (inferences/s)", "",
      [](auto &r) { return r.throughputPerS; });
  row("energy (whole run)", "J", [](auto &r) { return r.energyJ; });
  row("dynamic energy", "J", [](auto &r) { return r.dynamicJ.total(); });
  row("static energy", "J", [](auto &r) { return r.staticJ.total(); });
  row("power", "W", [](auto &r) { return r.powerW; });
  row("area (mm&sup2;)", "", [](auto &r) { return r.areaMm2; });
  row("GOPS/W", "", [](auto &r) { return r.gopsPerW; });
  row("chips", "", [](auto &r) { return double(r.chips); });
  row("crossbars", "", [](auto &r) { return double(r.crossbars); });
  row("U_occ", "", [](auto &r) { return r.uOcc; });
  row("U_uniq", "", [](auto &r) { return r.uUniq; });
  return out + "</table>\n";
}

/// The crossbar layers' use of their arrays (docs/CostModel.md,
/// "Utilization"), the model's in the last row.
std::string utilizationTable(const CostReport &r) {
  std::string out =
      "<table class=\"utilization\"><tr><th>layer</th><th>op</th>"
      "<th>block</th><th>crossbars</th><th>IMAs</th><th>ADCs</th>"
      "<th>replicas</th><th>U_occ</th><th>U_uniq</th><th>buffer</th></tr>\n";
  for (const LayerCost &l : r.layers) {
    if (l.kind != "crossbar")
      continue;
    out += "<tr><td class=\"name\">" + htmlEscape(l.name) + "</td><td>" +
           htmlEscape(l.op) + "</td><td>" + std::to_string(l.blockSize) +
           "</td><td>" + std::to_string(l.crossbars) + "</td><td>" +
           std::to_string(l.imas) + "</td><td>" + std::to_string(l.adcs) +
           "</td><td>" + std::to_string(l.replication) + "</td><td>" +
           format("%.4f", l.uOcc) + "</td><td>" + format("%.4f", l.uUniq) +
           "</td><td>" + format("%.3f", l.bufferOccupancy()) + "</td></tr>\n";
  }
  out += "<tr class=\"total\"><td class=\"name\">model</td><td></td><td></td>"
         "<td>" +
         std::to_string(r.crossbars) + "</td><td></td><td>" +
         std::to_string(r.adcs) + "</td><td></td><td>" +
         format("%.4f", r.uOcc) + "</td><td>" + format("%.4f", r.uUniq) +
         "</td><td></td></tr>\n";
  return out + "</table>\n";
}

std::string reportColumn(const CostReport &r, size_t index,
                         const RunReport *counts, const LayerScales &scales) {
  std::string out = "<section class=\"report\">\n<h2>" +
                    htmlEscape(reportName(r, index)) + "</h2>\n";
  out += latencyChart(r, scales);
  out += energyChart(r, scales);
  out += "<h3>Utilization of the crossbar layers</h3>\n<div class=\"scroll\">" +
         utilizationTable(r) + "</div>\n";
  out += "<details><summary>cost table</summary><pre>" +
         htmlEscape(costToTable(r)) + "</pre></details>\n";
  if (counts)
    out += "<details><summary>event counts</summary><pre>" +
           htmlEscape(reportToTable(*counts)) + "</pre></details>\n";
  return out + "</section>\n";
}

const char *const kStyle =
    "body{font:14px/1.4 sans-serif;margin:24px 32px;color:#222}"
    "h1{font-size:22px}h2{font-size:18px;margin:18px 0 8px}"
    "h3{font-size:15px}"
    ".cols{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(600px,1fr));gap:24px}"
    "table{border-collapse:collapse;margin:8px 0}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
    ".scroll{overflow-x:auto}table.utilization{font-size:13px}"
    "td.name{text-align:left}tr.total td{font-weight:bold}"
    "pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}"
    "svg.chart{display:block;max-width:100%;height:auto;margin:12px 0;"
    "font:11px sans-serif}"
    "svg .chart-title{font-weight:bold;font-size:13px}"
    "svg .panel-title{font-weight:bold}"
    "svg .grid{stroke:#e4e4e4}svg .baseline{stroke:#333}"
    "svg .row:hover .label{font-weight:bold}svg .bar:hover{opacity:.75}"
    "p.note{color:#555;max-width:70em}";

} // namespace

std::string costToHtml(const std::vector<CostReport> &reports,
                       const std::vector<RunReport> &counts) {
  std::string out =
      std::string("<!DOCTYPE html>\n<html lang=\"en\"><head>"
                  "<meta charset=\"utf-8\"><title>rebocc cost report</title>\n"
                  "<style>") +
      kStyle + "</style></head><body>\n<h1>rebocc cost report</h1>\n";
  out += "<p class=\"note\">Latency is one inference from first input to last "
         "output; throughput is steady-state inferences per second "
         "(intra-layer pipeline: 1 / latency; inter-layer: 1 / slowest "
         "stage). Energies are for the whole run. Charts of the same kind "
         "share their scale across the columns. Hover a bar or a layer name "
         "for its full name and value. Constants and formulas: "
         "docs/CostModel.md.</p>\n";
  if (reports.size() >= 2)
    out += "<h2>" + htmlEscape(reportName(reports[0], 0)) + " against " +
           htmlEscape(reportName(reports[1], 1)) + "</h2>\n";
  out += figuresTable(reports);
  out += runEnergyChart(reports);
  LayerScales scales = layerScales(reports);
  out += "<div class=\"cols\">\n";
  for (size_t i = 0; i < reports.size(); ++i)
    out += reportColumn(reports[i], i, i < counts.size() ? &counts[i] : nullptr,
                        scales);
  return out + "</div>\n</body></html>\n";
}

} // namespace rebocc::model
