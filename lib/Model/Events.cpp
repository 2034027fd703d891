//===- Events.cpp - event counts of a crossbar layer ----------------------===//
//
// The counting rules documented in Events.h (above LayerReport).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Events.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Target/Program/Layout.h"

#include <algorithm>

namespace rebocc::model {

using namespace program;
using support::shapeToString;
using support::windowOutput;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

double ratio(int64_t num, int64_t den) {
  return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

/// Per-group sums over the arrays of group 0 (all groups are identical).
void groupSums(const CrossbarLayer &L, const HardwareDesc &hw,
               int64_t &perGroup, int64_t &columns, int64_t &rows) {
  perGroup = static_cast<int64_t>(L.arrays.size()) / L.groups;
  columns = rows = 0;
  for (int64_t a = 0; a < perGroup; ++a) {
    columns +=
        L.arrays[a].weightColCount * program::layerCellsPerWeight(L, hw);
    rows += realRows(L, L.arrays[a]);
  }
}

/// Adds the dynamic counts of `vectors` input vectors (per group: one im2col
/// vector per output position and group for convolutions) to `r`. Buffer
/// traffic of private inputs is per vector; shared inputs are counted by the
/// caller (per vector for FC, per image for convolutions).
void countVectors(const CrossbarLayer &L, const HardwareDesc &hw,
                  int64_t vectors, LayerReport &r) {
  int64_t perGroup, columns, rows;
  groupSums(L, hw, perGroup, columns, rows);
  int64_t steps = L.k / L.dup;
  r.vectors += vectors;
  r.xbarActivations += vectors * perGroup * steps;
  r.adcConversions += vectors * columns * steps;
  r.rotations += vectors * perGroup * (steps - 1);
  r.reductionAdds += vectors * (L.rowTiles - 1) * L.m;
  if (channelWeightScales(hw))
    r.scaleMultiplies += vectors * L.m;
  if (!L.sharedInput) {
    r.bufferWrites += vectors * rows;
    r.bufferReads += vectors * rows;
  }
}

} // namespace

std::string mappingLabel(const CrossbarLayer &layer) {
  if (layer.mapping == Mapping::B || layer.mapping == Mapping::C)
    return std::string(mappingName(layer.mapping)) + "(" + str(layer.dup) + ")";
  return mappingName(layer.mapping);
}

LayerReport staticLayerReport(const CrossbarLayer &L, const HardwareDesc &hw) {
  LayerReport r;
  r.name = L.name;
  r.blockSize = L.k;
  r.mapping = mappingLabel(L);
  r.dup = L.dup;
  r.crossbars = static_cast<int64_t>(L.arrays.size());
  r.steps = L.dup > 0 ? L.k / L.dup : 0;
  int64_t cpw = program::layerCellsPerWeight(L, hw);
  for (const Array &a : L.arrays) {
    // Mapping C programs only its diagonal blocks: p weight columns per row.
    int64_t cols = L.mapping == Mapping::C ? L.p : a.weightColCount;
    r.occupiedCells += realRows(L, a) * cols * cpw;
  }
  r.uniqueCells = L.groups * L.p * L.logicalRows() * cpw;
  r.capacityCells = r.crossbars * hw.xbarRows * hw.xbarCols;
  r.uOcc = ratio(r.occupiedCells, r.capacityCells);
  r.uUniq = ratio(r.uniqueCells, r.capacityCells);
  r.crossbarsUndup = countUnduplicatedArrays(L, hw);
  r.uUniqUndup =
      ratio(r.uniqueCells, r.crossbarsUndup * hw.xbarRows * hw.xbarCols);
  // A shared convolution input is a line buffer whose size depends on the
  // image width: run() fills it in from the inputs it sees.
  r.bufferWords = std::max<int64_t>(0, inputBufferWords(L));
  return r;
}

int64_t inputBufferWords(const CrossbarLayer &L, const std::vector<int64_t> &in) {
  if (!L.sharedInput) {
    int64_t rows = 0;
    for (const Array &a : L.arrays)
      rows += realRows(L, a);
    return rows;
  }
  if (L.kind != LayerKind::Convolution)
    return L.n;
  if (in.size() != 4 || in[1] < 0 || in[2] < 0 || in[3] < 0)
    return -1;
  const int64_t C = in[1], H = in[2], W = in[3];
  int64_t lines = std::min(H, L.dilationH * (L.kernelH - 1) + 1);
  return C * W * lines;
}

std::string crossbarOutputShape(const CrossbarLayer &L,
                                const std::vector<int64_t> &in,
                                std::vector<int64_t> &out) {
  if (L.kind == LayerKind::Convolution) {
    if (in.size() != 4)
      return "convolution input must have rank 4 (N, C, H, W), got " +
             shapeToString(in);
    if (in[1] != L.groups * L.n)
      return "convolution input " + shapeToString(in) + " has " + str(in[1]) +
             " channels, layer '" + L.name + "' expects groups*n = " +
             str(L.groups * L.n);
    int64_t Ho = windowOutput(in[2], L.kernelH, L.strideH, L.padTop,
                              L.padBottom, L.dilationH, false);
    int64_t Wo = windowOutput(in[3], L.kernelW, L.strideW, L.padLeft,
                              L.padRight, L.dilationW, false);
    if (Ho < 1 || Wo < 1)
      return "convolution input " + shapeToString(in) + " is smaller than the " +
             str(L.kernelH) + "x" + str(L.kernelW) + " kernel (dilation " +
             str(L.dilationH) + "x" + str(L.dilationW) +
             ", with pads): no output position";
    out = {in[0], L.groups * L.m, Ho, Wo};
    return "";
  }
  if (in.empty() || in.size() > 2)
    return "crossbar input must have rank 1 or 2 (batch, n), got " +
           shapeToString(in);
  if (in.back() != L.n)
    return "crossbar input " + shapeToString(in) + " has " + str(in.back()) +
           " features, layer '" + L.name + "' expects n = " + str(L.n);
  out = in.size() == 2 ? std::vector<int64_t>{in[0], L.m}
                       : std::vector<int64_t>{L.m};
  return "";
}

std::string countCrossbarRun(const CrossbarLayer &L, const HardwareDesc &hw,
                             const std::vector<int64_t> &in, bool bufferFilled,
                             LayerReport &report) {
  std::vector<int64_t> out;
  std::string e = crossbarOutputShape(L, in, out);
  if (!e.empty())
    return e;
  const int64_t batch = in.size() >= 2 ? in[0] : 1;
  // Words of the input tensor: what reaches the layer over the NoC, once,
  // whatever the mapping (a tile broadcasts on its bus to the IMAs that need
  // it; a buffer staged by an earlier layer is not sent again).
  const int64_t inputWords =
      L.kind == LayerKind::Convolution ? batch * in[1] * in[2] * in[3]
                                       : batch * L.n;
  if (!(L.sharedInput && bufferFilled))
    report.inputWords += inputWords;
  int64_t vectors = batch;
  if (L.kind == LayerKind::Convolution)
    vectors = batch * out[2] * out[3] * L.groups;
  countVectors(L, hw, vectors, report);
  if (L.sharedInput) {
    // Shared input: the tile writes each input word into its buffer once,
    // and for every input vector reads each word of the vector once and
    // broadcasts it on the bus to every array, copy and rotation that needs
    // it (slice reusing: rotations happen in the IMA, not by re-reading).
    // A convolution's vector is its kernelH x kernelW x n window.
    report.bufferReads += vectors * L.kernelH * L.kernelW * L.n;
    if (!bufferFilled) {
      report.bufferWrites += inputWords;
      if (L.kind == LayerKind::Convolution)
        report.bufferWords =
            std::max(report.bufferWords, inputBufferWords(L, in));
    }
  }
  if (L.sharedInput && bufferFilled) {
    // The buffer belongs to the layer that filled it.
    report.bufferWords = 0;
  }
  return "";
}

void sumTotals(RunReport &report) {
  LayerReport &t = report.total;
  t.name = "total";
  for (const LayerReport &r : report.layers) {
    t.crossbars += r.crossbars;
    t.vectors += r.vectors;
    t.xbarActivations += r.xbarActivations;
    t.adcConversions += r.adcConversions;
    t.bufferReads += r.bufferReads;
    t.bufferWrites += r.bufferWrites;
    t.bufferWords += r.bufferWords;
    t.inputWords += r.inputWords;
    t.rotations += r.rotations;
    t.reductionAdds += r.reductionAdds;
    t.scaleMultiplies += r.scaleMultiplies;
    t.occupiedCells += r.occupiedCells;
    t.uniqueCells += r.uniqueCells;
    t.capacityCells += r.capacityCells;
    t.crossbarsUndup += r.crossbarsUndup;
  }
  t.uOcc = ratio(t.occupiedCells, t.capacityCells);
  t.uUniq = ratio(t.uniqueCells, t.capacityCells);
  // Every array has the same capacity.
  t.uUniqUndup = t.crossbars > 0 ? ratio(t.uniqueCells, t.crossbarsUndup *
                                      (t.capacityCells / t.crossbars))
                                 : 0.0;
}

} // namespace rebocc::model
