//===- Components.cpp - per-component energy, power and area --------------===//
//
// Turns the hardware description's Table I powers and areas and the cited
// static fractions into per-event energies, static powers and areas
// (docs/CostModel.md, "Derived values" and "ADC resolution").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"

#include <algorithm>
#include <cmath>

namespace rebocc::model {

double EnergyBreakdown::total() const {
  return adc + dac + crossbar + sampleHold + shiftAdd + inputRegister +
         outputRegister + rotator + buffer + bus + network + interChip + hostIo +
         digital + programming;
}

EnergyBreakdown &EnergyBreakdown::operator+=(const EnergyBreakdown &e) {
  adc += e.adc;
  dac += e.dac;
  crossbar += e.crossbar;
  sampleHold += e.sampleHold;
  shiftAdd += e.shiftAdd;
  inputRegister += e.inputRegister;
  outputRegister += e.outputRegister;
  rotator += e.rotator;
  buffer += e.buffer;
  bus += e.bus;
  network += e.network;
  interChip += e.interChip;
  hostIo += e.hostIo;
  digital += e.digital;
  programming += e.programming;
  return *this;
}

EnergyBreakdown EnergyBreakdown::scaled(double f) const {
  EnergyBreakdown e = *this;
  for (double *v : {&e.adc, &e.dac, &e.crossbar, &e.sampleHold, &e.shiftAdd,
                    &e.inputRegister, &e.outputRegister, &e.rotator, &e.buffer,
                    &e.bus, &e.network, &e.interChip, &e.hostIo, &e.digital,
                    &e.programming})
    *v *= f;
  return e;
}

const char *pipelineModeName(PipelineMode mode) {
  return mode == PipelineMode::IntraLayer ? "intra" : "inter";
}
bool parsePipelineMode(const std::string &text, PipelineMode &out) {
  if (text == "intra")
    return out = PipelineMode::IntraLayer, true;
  if (text == "inter")
    return out = PipelineMode::InterLayer, true;
  return false;
}

//===----------------------------------------------------------------------===//
// ADC resolution law
//===----------------------------------------------------------------------===//

// The Murmann ADC survey fit of the Accelergy ADC plug-in
// (Accelergy-Project/accelergy-adc-plug-in, model.py and
// adc_data/model.yaml): a Schreier figure of merit limited by the sample rate
// and by the best published design of each ENOB, corrected for technology
// and resolution. Coefficients as published there.
double surveyAdcEnergyPj(double bits, double techNm, double rateHz) {
  double sndrDb = 6.0206 * bits + 1.7609;
  double fomRate = 213.78067 - 2.8719030 * std::log(rateHz);
  double fomEnob = 128.30683 + 3.2205115 * std::ceil(bits);
  double fom = std::min(fomRate, fomEnob);
  double schreierJ = 1.0 / (2.0 * std::pow(10.0, (fom - sndrDb) / 10.0));
  return schreierJ * std::exp(26.049622 + 1.8800369 * std::log(techNm) -
                              2.8291256 * std::log(bits) - 1.4702022);
}

double surveyAdcAreaUm2(double bits, double techNm, double rateHz) {
  return std::exp(0.99327947 * std::log(techNm) +
                  0.18071538 * std::log(rateHz) +
                  0.29912426 * std::log(surveyAdcEnergyPj(bits, techNm, rateHz)) +
                  1.3461916);
}

namespace {

/// Table I power of a component split into its dynamic energy per event and
/// its static power: P = f * P + rate * energy.
double dynamicPerEvent(double powerMw, double staticFraction,
                       double eventsPerNs) {
  return (1.0 - staticFraction) * powerMw / eventsPerNs;
}

void deriveImaCosts(const HardwareDesc &hw, EventCosts &c) {
  const double tRead = hw.readCycleNs;
  const double adcPowerMw = hw.adcPowerMw * c.adcEnergyRatio;
  // A differential IMA holds xbars_per_ima pairs of arrays, each array with
  // its DACs and sample-and-holds; its ADCs, registers and shift-and-add
  // serve both halves (docs/CostModel.md, "Weight encodings"). Per event
  // nothing changes; power and area of those three double.
  const double pair = static_cast<double>(arraysPerCrossbar(hw));
  const double dacPowerMw = pair * hw.dacPowerMw;
  const double xbarPowerMw = pair * hw.xbarPowerMw;
  const double sampleHoldPowerMw = pair * hw.sampleHoldPowerMw;
  c.adcSamplesPerNsPerIma = hw.adcsPerIma * hw.adcSampleRateGsps;
  c.adcPerSample = dynamicPerEvent(adcPowerMw, hw.adcStaticFraction,
                                   c.adcSamplesPerNsPerIma);
  c.dacPerDrive = dynamicPerEvent(dacPowerMw, hw.dacStaticFraction,
                                  pair * hw.dacsPerIma / tRead);
  c.xbarPerArrayCycle = dynamicPerEvent(xbarPowerMw, hw.xbarStaticFraction,
                                        pair * hw.xbarsPerIma / tRead);
  c.sampleHoldPerSample =
      dynamicPerEvent(sampleHoldPowerMw, hw.sampleHoldStaticFraction,
                      pair * hw.sampleHoldsPerIma / tRead);
  c.imaShiftAddPerSample =
      dynamicPerEvent(hw.imaShiftAddPowerMw, hw.imaShiftAddStaticFraction,
                      c.adcSamplesPerNsPerIma);
  c.imaOutputRegisterPerSample = dynamicPerEvent(
      hw.imaOutputRegisterPowerMw, hw.imaOutputRegisterStaticFraction,
      c.adcSamplesPerNsPerIma);
  // The input register feeds every DAC one bit per read cycle.
  c.inputRegisterPerDrive =
      dynamicPerEvent(hw.inputRegisterPowerMw, hw.inputRegisterStaticFraction,
                      hw.dacsPerIma / tRead);

  EnergyBreakdown &s = c.imaStaticMw;
  s.adc = hw.adcStaticFraction * adcPowerMw;
  s.dac = hw.dacStaticFraction * dacPowerMw;
  s.crossbar = hw.xbarStaticFraction * xbarPowerMw;
  s.sampleHold = hw.sampleHoldStaticFraction * sampleHoldPowerMw;
  s.shiftAdd = hw.imaShiftAddStaticFraction * hw.imaShiftAddPowerMw;
  s.inputRegister = hw.inputRegisterStaticFraction * hw.inputRegisterPowerMw;
  s.outputRegister =
      hw.imaOutputRegisterStaticFraction * hw.imaOutputRegisterPowerMw;

  c.imaPowerMw = adcPowerMw + dacPowerMw + sampleHoldPowerMw + xbarPowerMw +
                 hw.imaShiftAddPowerMw + hw.inputRegisterPowerMw +
                 hw.imaOutputRegisterPowerMw;
  c.imaAreaMm2 = hw.adcAreaMm2 * c.adcAreaRatio + pair * hw.dacAreaMm2 +
                 pair * hw.sampleHoldAreaMm2 + pair * hw.xbarAreaMm2 +
                 hw.imaShiftAddAreaMm2 + hw.inputRegisterAreaMm2 +
                 hw.imaOutputRegisterAreaMm2;
}

void deriveTileCosts(const HardwareDesc &hw, EventCosts &c) {
  const double clock = hw.tileClockGhz; // cycles per ns
  // Ports of their width in bits per tile clock.
  c.edramBytesPerNsPerTile = hw.edramWidthBits / 8.0 * clock;
  c.edramPerByte = dynamicPerEvent(hw.edramPowerMw, hw.edramStaticFraction,
                                   c.edramBytesPerNsPerTile);
  c.busBytesPerNsPerTile = hw.busWires / 8.0 * clock;
  c.busPerByte = dynamicPerEvent(hw.busPowerMw, hw.busStaticFraction,
                                 c.busBytesPerNsPerTile);
  c.routerPortBytesPerNs = hw.routerFlitBits / 8.0 * clock;
  c.routerBytesPerNs = hw.routerPorts * c.routerPortBytesPerNs;
  c.routerPerByteHop = dynamicPerEvent(
      hw.routerPowerMw, hw.routerStaticFraction, c.routerBytesPerNs);
  // The tile's full output rate: every array yields floor(cols / cpw) values
  // per input_bits read cycles.
  int64_t weightCols = std::max<int64_t>(1, hw.xbarCols / hw.cellsPerWeight());
  c.tileValuesPerNsFull = static_cast<double>(hw.imasPerTile) * hw.xbarsPerIma *
                          weightCols / (hw.inputBits * hw.readCycleNs);
  // The tile's digital units take one element per unit per clock: the rate
  // the stage timing uses, so a unit busy all the time draws its Table I
  // power. The output register holds every value the arrays produce.
  c.tileShiftAddPerAdd =
      dynamicPerEvent(hw.tileShiftAddPowerMw, hw.tileShiftAddStaticFraction,
                      clock);
  c.tileOutputRegisterPerValue = dynamicPerEvent(
      hw.tileOutputRegisterPowerMw, hw.tileOutputRegisterStaticFraction,
      c.tileValuesPerNsFull);
  c.sigmoidPerElement = dynamicPerEvent(
      hw.sigmoidPowerMw, hw.sigmoidStaticFraction, hw.sigmoidUnits * clock);
  c.maxPoolPerElement = dynamicPerEvent(hw.maxPoolPowerMw,
                                        hw.maxPoolStaticFraction, clock);

  EnergyBreakdown &s = c.tileStaticMw;
  s.buffer = hw.edramStaticFraction * hw.edramPowerMw;
  s.bus = hw.busStaticFraction * hw.busPowerMw;
  s.network =
      hw.routerStaticFraction * hw.routerPowerMw / hw.tilesPerRouter;
  s.shiftAdd = hw.tileShiftAddStaticFraction * hw.tileShiftAddPowerMw;
  s.outputRegister =
      hw.tileOutputRegisterStaticFraction * hw.tileOutputRegisterPowerMw;
  s.digital = hw.sigmoidStaticFraction * hw.sigmoidPowerMw +
              hw.maxPoolStaticFraction * hw.maxPoolPowerMw;

  c.tilePowerMw = hw.imasPerTile * c.imaPowerMw + hw.edramPowerMw +
                  hw.busPowerMw + hw.routerPowerMw / hw.tilesPerRouter +
                  hw.sigmoidPowerMw + hw.tileShiftAddPowerMw +
                  hw.maxPoolPowerMw + hw.tileOutputRegisterPowerMw;
  c.tileAreaMm2 = hw.imasPerTile * c.imaAreaMm2 + hw.edramAreaMm2 +
                  hw.busAreaMm2 + hw.routerAreaMm2 / hw.tilesPerRouter +
                  hw.sigmoidAreaMm2 + hw.tileShiftAddAreaMm2 +
                  hw.maxPoolAreaMm2 + hw.tileOutputRegisterAreaMm2;
}

void deriveLinkCosts(const HardwareDesc &hw, EventCosts &c) {
  c.htBytesPerNsPerLink = hw.htLinkGBps;
  if (hw.htLinks <= 0)
    return;
  // A link draws its share of ht_power_w while it carries data at its
  // bandwidth: W / (GB/s) = nJ per byte; x1000 = pJ per byte.
  double linkPowerW = hw.htPowerW / hw.htLinks;
  c.htPerByte = (1.0 - hw.htStaticFraction) * linkPowerW * 1e3 / hw.htLinkGBps;
  c.linksStaticMw.interChip = hw.htStaticFraction * hw.htPowerW * 1e3;
}

} // namespace

EventCosts deriveEventCosts(const HardwareDesc &hw) {
  return deriveEventCosts(hw, hw.adcBitsAuto ? hw.adcReferenceBits
                                             : hw.adcBits);
}

EventCosts deriveEventCosts(const HardwareDesc &hw, int64_t adcBits) {
  EventCosts c;
  const double rateHz = hw.adcSampleRateGsps * 1e9;
  const double ref = static_cast<double>(hw.adcReferenceBits);
  const double bits = static_cast<double>(adcBits);
  c.adcBits = adcBits;
  c.adcEnergyRatio = surveyAdcEnergyPj(bits, hw.adcTechNm, rateHz) /
                     surveyAdcEnergyPj(ref, hw.adcTechNm, rateHz);
  c.adcAreaRatio = surveyAdcAreaUm2(bits, hw.adcTechNm, rateHz) /
                   surveyAdcAreaUm2(ref, hw.adcTechNm, rateHz);
  deriveImaCosts(hw, c);
  deriveTileCosts(hw, c);
  deriveLinkCosts(hw, c);
  c.rotatorPerWord = hw.rotatorEnergyPjPerWord;
  // PUMAsim charges an ALU operation its class's dynamic power for alu_lat
  // cycles of cycle_time (src/hw_stats.py): mW x ns = pJ.
  c.vfuNsPerOp = static_cast<double>(hw.vfuLatencyCycles) * hw.vfuCycleNs;
  c.vfuDivPerOp = hw.vfuDivPowerMw * c.vfuNsPerOp;
  c.vfuMulPerOp = hw.vfuMulPowerMw * c.vfuNsPerOp;
  c.vfuOtherPerOp = hw.vfuOtherPowerMw * c.vfuNsPerOp;
  c.writePerCellPulse = hw.writeEnergyPjPerCell;

  const double links = hw.htLinks > 0 ? 1.0 : 0.0;
  c.chipPowerW = hw.tilesPerChip * c.tilePowerMw * 1e-3 + links * hw.htPowerW;
  c.chipAreaMm2 = hw.tilesPerChip * c.tileAreaMm2 + links * hw.htAreaMm2;
  double staticTileMw =
      hw.imasPerTile * c.imaStaticMw.total() + c.tileStaticMw.total();
  double staticChipW = hw.tilesPerChip * staticTileMw * 1e-3 +
                       links * c.linksStaticMw.total() * 1e-3;
  c.fullLoadStaticShare = c.chipPowerW > 0 ? staticChipW / c.chipPowerW : 0.0;
  return c;
}

PeakFigures peakFigures(const HardwareDesc &hw) {
  PeakFigures p;
  if (!validate(hw).empty())
    return p;
  EventCosts c = deriveEventCosts(hw);
  // ISAAC's accounting: a w-bit weight on cpw cells, an input_bits-bit input
  // streamed one bit per read cycle. One array completes rows x
  // floor(cols / cpw) w-bit MACs every input_bits read cycles, unless its
  // share of the IMA's ADCs cannot convert its columns that fast.
  double weightCols = static_cast<double>(hw.xbarCols / hw.cellsPerWeight());
  double xbarNs = hw.inputBits * hw.readCycleNs;
  double adcNs = hw.inputBits * static_cast<double>(hw.xbarCols) *
                 hw.xbarsPerIma * arraysPerCrossbar(hw) /
                 c.adcSamplesPerNsPerIma;
  double activationNs = std::max(xbarNs, adcNs);
  double arrays =
      static_cast<double>(hw.tilesPerChip) * hw.imasPerTile * hw.xbarsPerIma;
  double macsPerNs = arrays * hw.xbarRows * weightCols / activationNs;
  p.gopsPerS = 2.0 * macsPerNs; // ops per ns = GOPS
  p.powerW = c.chipPowerW;
  p.areaMm2 = c.chipAreaMm2;
  p.gopsPerW = p.gopsPerS / p.powerW;
  p.gopsPerSMm2 = p.gopsPerS / p.areaMm2;
  return p;
}

} // namespace rebocc::model
