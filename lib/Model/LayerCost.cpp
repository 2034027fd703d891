//===- LayerCost.cpp - stage timing and dynamic energy of one layer -------===//
//
// A crossbar layer's events (Events.h) charged with the per-event energies
// of its components, and timed on the resources its placement gives it:
// arrays, the ADCs of its IMAs, and the eDRAM port, bus, shift-and-add and
// router port of each of its tiles (docs/CostModel.md, "Stages").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Support/UnaryFunction.h"

#include <algorithm>

namespace rebocc::model {

using support::ceilDiv;
using program::CrossbarLayer;

namespace {

constexpr double kPico = 1e-12, kNano = 1e-9;

/// Sets `layer.bottleneck` to the slowest stage and returns its time.
double slowest(LayerCost &layer) {
  double worst = 0;
  layer.bottleneck = layer.stages.empty() ? "-" : layer.stages[0].stage;
  for (const StageTime &s : layer.stages)
    if (s.seconds > worst) {
      worst = s.seconds;
      layer.bottleneck = s.stage;
    }
  return worst;
}

/// The words of one input vector that drive rows: the real rows of the
/// arrays of group 0 (a row tile's rows once per column tile).
int64_t groupDriveRows(const CrossbarLayer &layer) {
  int64_t rows = 0;
  for (const program::Array &a : layer.arrays)
    if (a.group == 0)
      rows += a.rowCount;
  return rows;
}

/// What the layer's input buffer holds against what its tiles' eDRAM holds.
/// When the working set does not fit, the part that does not is fetched
/// again from the producer for every read (our assumption,
/// docs/CostModel.md "Buffer capacity").
void checkBuffer(const LayerReport &r, double reads, int64_t tiles,
                 const HardwareDesc &hw, LayerCost &lc) {
  lc.bufferBytes = bufferBytes(r.bufferWords, hw);
  lc.bufferCapacityBytes = bufferCapacityBytes(tiles, hw);
  if (lc.bufferBytes > lc.bufferCapacityBytes)
    lc.spillWords = reads * (1.0 - lc.bufferCapacityBytes / lc.bufferBytes);
}

/// The stages work on successive input vectors in a pipeline: V vectors take
/// V times the slowest stage, plus the other stages once (the first vector
/// filling the pipeline), plus one read cycle to drain the last one through
/// conversion, shift-and-add and write back. The crossbar read and the ADCs
/// overlap bit by bit (bit i converts while bit i+1 is read): one stage.
double fillTime(const LayerCost &lc, double vectors, double tRead) {
  if (vectors <= 0)
    return 0.0;
  double analog = 0, sum = 0, worst = 0;
  for (const StageTime &s : lc.stages) {
    double perVector = s.seconds / vectors;
    if (s.stage == "crossbar" || s.stage == "adc") {
      analog = std::max(analog, perVector);
      continue;
    }
    sum += perVector;
    worst = std::max(worst, perVector);
  }
  return sum + analog - std::max(worst, analog) + tRead;
}

} // namespace

double bufferBytes(int64_t words, const HardwareDesc &hw) {
  const double wordBytes = hw.inputBits / 8.0;
  return static_cast<double>(words) * wordBytes;
}

double bufferCapacityBytes(int64_t tiles, const HardwareDesc &hw) {
  return static_cast<double>(tiles) * hw.edramBytes;
}

int64_t replicaImas(int64_t arrays, int64_t imas, int64_t replicas,
                    const HardwareDesc &hw) {
  if (replicas <= 1)
    return imas;
  // Copies of a layer smaller than an IMA share IMAs, array by array.
  if (arrays < hw.xbarsPerIma)
    return ceilDiv(arrays * replicas, hw.xbarsPerIma);
  return imas * replicas;
}

double LayerCost::bufferOccupancy() const {
  return bufferCapacityBytes > 0 ? bufferBytes / bufferCapacityBytes : 0.0;
}

LayerCost costCrossbarLayer(const CrossbarLayer &layer, const LayerReport &r,
                            const LayerPlacement &place, bool reprogram,
                            int64_t producerTile, const HardwareDesc &hw,
                            const EventCosts &c, LayerTime &time,
                            int64_t replicas) {
  const double tRead = hw.readCycleNs * kNano;
  const double wordBytes = hw.inputBits / 8.0;
  const Mesh mesh(hw);
  LayerCost lc;
  lc.name = layer.name;
  lc.kind = "crossbar";
  lc.op = mappingLabel(layer);
  lc.blockSize = layer.k;
  // Placed crossbars: a differential pair shares one place (Components.cpp).
  const int64_t placed = static_cast<int64_t>(layer.arrays.size());
  const double pair = static_cast<double>(arraysPerCrossbar(hw));
  lc.crossbars = placed * arraysPerCrossbar(hw);
  lc.adcBits = c.adcBits;
  lc.imas = place.imas;
  lc.firstIma = place.start;
  lc.adcs = lc.imas * hw.adcsPerIma;
  lc.chunks = place.chunks;
  lc.uOcc = r.uOcc;
  lc.uUniq = r.uUniq;

  // Resources one chunk works with (all of them unless reprogrammed in
  // pieces), and with replicas the arrays, IMAs and tiles of every copy.
  const int64_t chunks = place.chunks;
  lc.replication = replicas;
  int64_t imasEff =
      reprogram ? ceilDiv(place.imas, chunks)
                : replicaImas(placed, place.imas, replicas, hw);
  lc.activeImas = imasEff;
  double arraysEff = static_cast<double>(placed) / chunks * replicas;
  int64_t firstTile = place.start / hw.imasPerTile;
  int64_t ownImas = reprogram ? imasEff : place.imas;
  int64_t lastTile =
      (place.start + std::max<int64_t>(ownImas, 1) - 1) / hw.imasPerTile;
  lc.firstTile = firstTile;
  lc.tiles = std::max(lastTile - firstTile + 1,
                      ceilDiv(std::max<int64_t>(imasEff, 1), hw.imasPerTile));
  lc.chipsSpanned =
      reprogram ? 1 : mesh.chipOf(lastTile) - mesh.chipOf(firstTile) + 1;

  const double vectors = static_cast<double>(r.vectors);
  const double steps = static_cast<double>(r.steps);
  const double groupRows = static_cast<double>(groupDriveRows(layer));
  // The counts are the placed crossbars'; both arrays of a differential
  // pair are driven, read and digitized (the simulator converts each half's
  // columns separately), while the input register feeds the pair once.
  // One read per input bit: the layer's own input_bits where its input is
  // the model's integer codes, else the chip's.
  const double inputBits =
      static_cast<double>(program::layerInputBits(layer, hw));
  const double samples =
      static_cast<double>(r.adcConversions) * inputBits * pair;
  const double registerReads = vectors * steps * groupRows * inputBits;
  const double drives = registerReads * pair;
  const double arrayCycles =
      static_cast<double>(r.xbarActivations) * inputBits * pair;
  const double rotatedWords =
      r.steps > 1 ? vectors * (steps - 1) * groupRows : 0.0;
  const double outputs = vectors * layer.m;
  const double reads = static_cast<double>(r.bufferReads) * chunks;
  checkBuffer(r, reads, lc.tiles, hw, lc);
  const double writes = static_cast<double>(r.bufferWrites) + lc.spillWords;
  const double inbound =
      (static_cast<double>(r.inputWords) + lc.spillWords) * wordBytes;

  // Input from the producer through the NoC and, across chips, the links. A
  // producer in the same tile hands it over in its eDRAM; the chip's port
  // (the host, or a reprogrammed load's first tile) enters through router 0.
  int64_t toTile = (firstTile + lastTile) / 2;
  double hops = 0;
  if (producerTile < 0)
    hops = static_cast<double>(mesh.hops(0, toTile));
  else if (producerTile != toTile)
    hops = static_cast<double>(mesh.hops(producerTile, toTile));
  if (producerTile < 0)
    producerTile = 0;
  double crossing = 0;
  if (!reprogram) {
    // The input reaches the layer's first chip over the links when it comes
    // from another one; the extra chips are charged below.
    if (mesh.chipOf(producerTile) != mesh.chipOf(firstTile))
      crossing += inbound;
    // A layer spread over several chips: its input goes to each, and its
    // partial sums come back once per extra chip.
    crossing += (lc.chipsSpanned - 1) * (inbound + outputs * wordBytes);
  }

  EnergyBreakdown &en = lc.dynamicJ;
  en.adc = samples * c.adcPerSample * kPico;
  en.dac = drives * c.dacPerDrive * kPico;
  en.crossbar = arrayCycles * c.xbarPerArrayCycle * kPico;
  en.sampleHold = samples * c.sampleHoldPerSample * kPico;
  // A channel scale is one multiply per output on the tile shift-and-add,
  // ISAAC's unit, like the partial-sum adds (docs/CostModel.md, section 7).
  const double tileOps =
      static_cast<double>(r.reductionAdds + r.scaleMultiplies);
  en.shiftAdd = (samples * c.imaShiftAddPerSample +
                 tileOps * c.tileShiftAddPerAdd) *
                kPico;
  en.inputRegister = registerReads * c.inputRegisterPerDrive * kPico;
  en.outputRegister = (samples * c.imaOutputRegisterPerSample +
                       outputs * c.tileOutputRegisterPerValue) *
                      kPico;
  en.rotator = rotatedWords * c.rotatorPerWord * kPico;
  en.buffer = (reads + writes) * wordBytes * c.edramPerByte * kPico;
  en.bus = (reads + outputs) * wordBytes * c.busPerByte * kPico;
  en.network = inbound * hops * c.routerPerByteHop * kPico;
  en.interChip = crossing * c.htPerByte * kPico;

  // Stages, whole run. Arrays of a chunk run in parallel; the ADCs of the
  // layer's IMAs share its conversions; tiles bring their own eDRAM port,
  // bus, tile shift-and-add and router ejection port.
  const double tiles = static_cast<double>(lc.tiles);
  auto stage = [&](const char *name, double seconds) {
    lc.stages.push_back({name, seconds});
  };
  if (placed > 0) {
    stage("crossbar", static_cast<double>(r.xbarActivations) / arraysEff *
                          inputBits * tRead);
    stage("adc", samples / (imasEff * c.adcSamplesPerNsPerIma) * kNano);
  }
  stage("buffer", (reads + writes) * wordBytes /
                      (tiles * c.edramBytesPerNsPerTile) * kNano);
  stage("bus", (reads + outputs) * wordBytes /
                   (tiles * c.busBytesPerNsPerTile) * kNano);
  stage("reduction", tileOps / (tiles * hw.tileClockGhz) * kNano);
  stage("network", inbound / (tiles * c.routerPortBytesPerNs) * kNano);
  if (crossing > 0)
    stage("interchip",
          crossing / (hw.htLinks * c.htBytesPerNsPerLink) * kNano);
  time.coreS = slowest(lc);
  // Each copy takes its share of the vectors (at least one: copies of a
  // stream outnumber a short run's vectors). A layer that did not run (in
  // the branch of an if not taken) takes no time.
  time.fillS = vectors > 0
                   ? fillTime(lc, std::max(1.0, vectors / replicas), tRead)
                   : 0.0;
  lc.denseOps = 2.0 * layer.kernelH * layer.kernelW *
                static_cast<double>(layer.n) * layer.m * vectors;
  return lc;
}

namespace {

enum class DigitalUnit { None, Sigmoid, MaxPool, Vfu, Buffer };

DigitalUnit unitOf(const std::string &op, bool &countInputs) {
  countInputs = false;
  if (op == "relu" || op == "sigmoid" || op == "clip" || op == "leaky_relu" ||
      op == "hard_sigmoid" || op == "hard_swish" || op == "prelu")
    return DigitalUnit::Sigmoid;
  if (op == "softmax" || op == "log_softmax")
    return countInputs = true, DigitalUnit::Sigmoid;
  // Reductions of pooling kind: one comparison per input element on the
  // max-pool unit (ISAAC's comparator); a sum is adds on the VFU.
  if (op == "reduce_max" || op == "reduce_min")
    return countInputs = true, DigitalUnit::MaxPool;
  if (op == "reduce_sum" || op == "normalize")
    return countInputs = true, DigitalUnit::Vfu;
  if (op == "max_pool" || op == "average_pool" || op == "global_average_pool")
    return countInputs = true, DigitalUnit::MaxPool;
  // Transcendental functions: on the sigmoid units, assumed to be function
  // units loadable with any such table (docs/CostModel.md). A general pow
  // (x^y of run-time y) is exp(y log x): a function, not an ALU operation.
  if (op == "sqrt" || op == "erf" || op == "exp" || op == "log" ||
      op == "tanh" || op == "gelu" || op == "gelu_tanh" || op == "pow")
    return DigitalUnit::Sigmoid;
  // The ONNX elementwise functions (a unary instruction reports its
  // function): the transcendental ones (softplus, elu, selu, celu, mish,
  // sin, cos) are one function-unit lookup per element as gelu, the others
  // comparisons and arithmetic on the VFU (vfuOpsOf).
  if (const support::UnaryFunction *f = support::findUnaryFunction(op))
    return f->transcendental ? DigitalUnit::Sigmoid : DigitalUnit::Vfu;
  // Arithmetic, comparisons (an if tests its condition against zero), sign,
  // bit and select operations, rounding and casts: PUMA's VFU ALU, which
  // ISAAC's Table I lacks (vfuOpsOf gives the operation class).
  if (op == "div" || op == "mul" || op == "add" || op == "neg" ||
      op == "abs" || op == "not" || op == "and" || op == "or" ||
      op == "xor" || op == "where" || op == "min" || op == "max" ||
      op == "equal" || op == "greater" || op == "greater_or_equal" ||
      op == "if" || op == "round" || op == "cast" || op == "fma")
    return DigitalUnit::Vfu;
  // Copies: every output element is read from and written back to the
  // tile's eDRAM once (Expand and Tile run as concats, Split as slices).
  if (op == "concat" || op == "pad" || op == "transpose" || op == "slice")
    return DigitalUnit::Buffer;
  // Gathers (ONNX Gather, GatherElements, GatherND of run-time indices):
  // each output element is a copy from the table, charged as the layout
  // copies; the index reads are not charged (docs/CostModel.md).
  if (op == "gather")
    return DigitalUnit::Buffer;
  // resize: one tap per axis (nearest) is a copy; interpolation a multiply
  // and an add per tap on the VFU (see costDigitalLayer).
  if (op == "resize")
    return DigitalUnit::Buffer;
  // reshape, flatten, identity: a new view of the same bytes, no traffic;
  // phi: both branches write their result to the same buffer.
  return DigitalUnit::None;
}

/// VFU operations per counted element, by PUMA's ALU classes.
struct VfuOps {
  double div = 0, mul = 0, other = 0;
  double total() const { return div + mul + other; }
};

VfuOps vfuOpsOf(const DigitalReport &d) {
  VfuOps ops;
  if (d.op == "div")
    ops.div = 1;
  else if (d.op == "mul")
    ops.mul = 1;
  else if (d.op == "fma") {
    // PUMA's ALU has no fused multiply-add: a multiplication and an add
    // (its one rounding is the result's, not a cheaper operation).
    ops.mul = 1;
    ops.other = 1;
  }
  else if (d.op == "normalize") {
    // Per input element: an add to the sum, a multiply and an add to the
    // sum of squares, the subtraction of the mean, the multiplication by
    // 1 / sigma, and (at most one per element) the group's 1 / sigma, a
    // division.
    ops.div = 1;
    ops.mul = 2;
    ops.other = 3;
  } else if (d.op == "resize") {
    // An interpolated value: a multiply and an add per tap.
    ops.mul = ops.other = static_cast<double>(d.macsPerOutput);
  } else if (d.op == "softsign") {
    // (1 / (1 + |x|)) * x: an abs, an add, a division, a multiply.
    ops.div = ops.mul = 1;
    ops.other = 2;
  } else if (d.op == "shrink") {
    // Two comparisons, the add or subtract of the bias, the select.
    ops.other = 4;
  } else if (d.op == "thresholded_relu" || d.op == "sign" ||
             d.op == "is_inf") {
    // thresholded_relu: a comparison and a select; sign: the comparisons
    // with 0; is_inf: the infinity test and the sign test.
    ops.other = 2;
  } else
    ops.other = 1; // add, sub, compare, logic, select, round, cast
  return ops;
}

} // namespace

/// A layout copy: one eDRAM read and one write of each output value
/// (inputBits wide, as the crossbar layers' buffer words), at the eDRAM's
/// per-byte energy and bandwidth on the tiles of the producing layer.
static LayerCost costCopyLayer(const DigitalReport &d, const HardwareDesc &hw,
                               const EventCosts &c, LayerCost &lc,
                               double &seconds) {
  const double bytes =
      2.0 * static_cast<double>(d.outputElements) * (hw.inputBits / 8.0);
  lc.dynamicJ.buffer = bytes * c.edramPerByte * kPico;
  lc.stages.push_back(
      {"buffer", bytes / (lc.tiles * c.edramBytesPerNsPerTile) * kNano});
  seconds = slowest(lc);
  return lc;
}

/// A matmul of two run-time tensors on the digital units: each multiply-add
/// is a multiply and an add on the tile's VFU, one after the other. ISAAC's
/// Table I has no unit that multiplies two run-time values.
static LayerCost costDigitalMatMul(const DigitalReport &d, const EventCosts &c,
                                   LayerCost &lc, double &seconds) {
  const double macs = static_cast<double>(d.vectors) * d.rows * d.cols;
  lc.vfu = true;
  lc.dynamicJ.digital = macs * (c.vfuMulPerOp + c.vfuOtherPerOp) * kPico;
  lc.stages.push_back(
      {"digital", macs * 2.0 * c.vfuNsPerOp / lc.tiles * kNano});
  lc.denseOps = 2.0 * macs;
  seconds = slowest(lc);
  return lc;
}

/// Elementwise work on the VFUs of the layer's tiles: each element's
/// operations by class at PUMA's per-class energy, one operation per
/// vfu_latency_cycles x vfu_cycle_ns on each VFU.
static LayerCost costVfuLayer(const DigitalReport &d, double elements,
                              const EventCosts &c, LayerCost &lc,
                              double &seconds) {
  const VfuOps ops = vfuOpsOf(d);
  // Provisioned whether or not the run reached it (an if's other branch).
  lc.vfu = true;
  lc.dynamicJ.digital = elements *
                        (ops.div * c.vfuDivPerOp + ops.mul * c.vfuMulPerOp +
                         ops.other * c.vfuOtherPerOp) *
                        kPico;
  lc.stages.push_back(
      {"digital", elements * ops.total() * c.vfuNsPerOp / lc.tiles * kNano});
  seconds = slowest(lc);
  return lc;
}

/// A matmul whose right operand is written into crossbar cells on every
/// inference, then read like a crossbar layer: each of the `matrices` K x N
/// operands takes K rows of ceil(N * cells per weight / xbar_cols) arrays
/// (both arrays of a differential pair), written a whole row per
/// write_verify_iterations pulses as the reprogram overflow policy charges
/// them; each left-operand row is then one read of input_bits cycles, with
/// the DAC drives, ADC conversions and sample-and-holds of a crossbar layer.
/// The write precedes the reads, so the two times add.
static LayerCost costReprogramMatMul(const DigitalReport &d,
                                     const HardwareDesc &hw,
                                     const EventCosts &c, LayerCost &lc,
                                     double &seconds) {
  const double pair = static_cast<double>(arraysPerCrossbar(hw));
  const double cpw = static_cast<double>(hw.cellsPerWeight());
  const double matrices = static_cast<double>(d.matrices);
  const double rows = static_cast<double>(d.rows);
  const double cols = static_cast<double>(d.cols);
  const double vectors = static_cast<double>(d.vectors);
  const double colArrays = static_cast<double>(
      support::ceilDiv(d.cols * hw.cellsPerWeight(), hw.xbarCols));
  const double rowArrays =
      static_cast<double>(support::ceilDiv(d.rows, hw.xbarRows));

  const double cells = matrices * rows * cols * cpw * pair;
  const double rowWrites = matrices * rows * colArrays * pair;
  const double writeS = rowWrites * hw.writeVerifyIterations *
                        hw.writeLatencyNsPerRow /
                        (lc.tiles * hw.writeParallelArraysPerTile) * kNano;
  const double drives = vectors * rows * hw.inputBits * pair;
  const double samples = vectors * cols * cpw * hw.inputBits * pair;
  const double arrayCycles =
      vectors * rowArrays * colArrays * hw.inputBits * pair;
  const double readS = vectors * hw.inputBits * hw.readCycleNs * kNano;

  EnergyBreakdown &en = lc.dynamicJ;
  en.programming = cells * hw.writeVerifyIterations * c.writePerCellPulse * kPico;
  en.dac = drives * c.dacPerDrive * kPico;
  en.adc = samples * c.adcPerSample * kPico;
  en.sampleHold = samples * c.sampleHoldPerSample * kPico;
  en.crossbar = arrayCycles * c.xbarPerArrayCycle * kPico;
  en.shiftAdd = samples * c.imaShiftAddPerSample * kPico;
  lc.stages.push_back({"reprogram", writeS + readS});
  lc.denseOps = 2.0 * vectors * rows * cols;
  seconds = slowest(lc);
  return lc;
}

/// A recurrent cell's gates: the function-unit operations on the sigmoid
/// units, one element per unit and tile clock, the rest (multiplications,
/// adds, clip comparisons) on the tile's VFU. The two are added, not
/// overlapped: each step's gates wait for its crossbar reads and the next
/// step for the gates.
static LayerCost costRecurrentGates(const DigitalReport &d,
                                    const HardwareDesc &hw,
                                    const EventCosts &c, LayerCost &lc,
                                    double &seconds) {
  const double cells = static_cast<double>(d.cellElements);
  const double functionOps = cells * d.functionOpsPerElement;
  const double aluOps = cells * d.aluOpsPerElement;
  const double mulOps = cells * d.aluMulOpsPerElement;
  lc.vfu = d.aluOpsPerElement > 0;
  lc.dynamicJ.digital = (functionOps * c.sigmoidPerElement +
                         mulOps * c.vfuMulPerOp +
                         (aluOps - mulOps) * c.vfuOtherPerOp) *
                        kPico;
  const double functionNs = functionOps / (static_cast<double>(hw.sigmoidUnits) *
                                           hw.tileClockGhz);
  lc.stages.push_back(
      {"digital", (functionNs + aluOps * c.vfuNsPerOp) / lc.tiles * kNano});
  seconds = slowest(lc);
  return lc;
}

LayerCost costDigitalLayer(const DigitalReport &d,
                           const std::vector<LayerCost> &crossbarLayers,
                           const HardwareDesc &hw, const EventCosts &c,
                           double &seconds) {
  bool countInputs = false;
  DigitalUnit unit = unitOf(d.op, countInputs);
  if (d.op == "resize" && d.macsPerOutput > 0)
    unit = DigitalUnit::Vfu;
  LayerCost lc;
  lc.name = d.name;
  lc.kind = "digital";
  lc.op = d.op;
  lc.attention = d.mode;
  const LayerCost *producer =
      d.afterLayer >= 0 ? &crossbarLayers[d.afterLayer] : nullptr;
  lc.tiles = producer ? producer->tiles : 1;
  lc.firstTile = producer ? producer->firstTile : 0;
  if (d.op == "matmul")
    return d.mode == "reprogram" ? costReprogramMatMul(d, hw, c, lc, seconds)
                                 : costDigitalMatMul(d, c, lc, seconds);
  double events =
      static_cast<double>(countInputs ? d.inputElements : d.outputElements);
  if (d.cellElements > 0)
    return costRecurrentGates(d, hw, c, lc, seconds);
  double pjPer = 0, units = 1;
  switch (unit) {
  case DigitalUnit::Sigmoid:
    pjPer = c.sigmoidPerElement;
    units = static_cast<double>(hw.sigmoidUnits);
    break;
  case DigitalUnit::MaxPool:
    pjPer = c.maxPoolPerElement;
    break;
  case DigitalUnit::Vfu:
    return costVfuLayer(d, events, c, lc, seconds);
  case DigitalUnit::Buffer:
    return costCopyLayer(d, hw, c, lc, seconds);
  case DigitalUnit::None:
    events = 0;
    break;
  }
  lc.dynamicJ.digital = events * pjPer * kPico;
  // Each unit takes one element per tile clock.
  lc.stages.push_back(
      {"digital", events / (lc.tiles * units * hw.tileClockGhz) * kNano});
  seconds = slowest(lc);
  return lc;
}

} // namespace rebocc::model
