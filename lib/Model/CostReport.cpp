//===- CostReport.cpp - JSON and table forms of a cost report -------------===//

#include "rebocc/Model/CostModel.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/TextTable.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rebocc::model {

namespace {

const EnergyComponent kEnergyComponents[] = {
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

std::string str(int64_t v) { return std::to_string(v); }

double ratioOf(double a, double b) { return b > 0 ? a / b : 0.0; }

using support::jsonNumber;
using support::jsonString;

void writeComponents(llvm::json::OStream &json, const EnergyBreakdown &e) {
  json.object([&] {
    for (const EnergyComponent &c : energyComponents())
      json.attribute(c.key, jsonNumber(e.*(c.field)));
  });
}

/// Static and dynamic energy apart, per component.
void writeEnergy(llvm::json::OStream &json, const EnergyBreakdown &dynamicJ,
                 const EnergyBreakdown &staticJ) {
  json.object([&] {
    json.attribute("total", jsonNumber(dynamicJ.total() + staticJ.total()));
    json.attribute("dynamic", jsonNumber(dynamicJ.total()));
    json.attribute("static", jsonNumber(staticJ.total()));
    json.attributeBegin("dynamic_by_component");
    writeComponents(json, dynamicJ);
    json.attributeEnd();
    json.attributeBegin("static_by_component");
    writeComponents(json, staticJ);
    json.attributeEnd();
  });
}

/// Per component: "adc=1.2e-05+3.4e-07" (dynamic+static), nonzero only.
std::string componentsLine(const EnergyBreakdown &dynamicJ,
                           const EnergyBreakdown &staticJ,
                           std::string (*sci)(double)) {
  std::string out;
  for (const EnergyComponent &c : energyComponents()) {
    double d = dynamicJ.*(c.field), st = staticJ.*(c.field);
    if (d > 0 || st > 0)
      out += std::string(" ") + c.key + "=" + sci(d) + "+" + sci(st);
  }
  return out;
}

// The cost report's JSON sections, in the order they appear.

/// What was run and the whole-run figures.
void writeRunFigures(llvm::json::OStream &json, const CostReport &r) {
  json.attribute("mapping", jsonString(r.mapping));
  json.attribute("pipeline", pipelineModeName(r.pipeline));
  json.attribute("overflow", overflowPolicyName(r.overflow));
  json.attribute("inferences", r.inferences);
  json.attribute("cycles", r.cycles);
  json.attribute("run_s", jsonNumber(r.runS));
  json.attribute("latency_s", jsonNumber(r.latencyS));
  json.attribute("throughput_inferences_per_s", jsonNumber(r.throughputPerS));
  json.attributeBegin("energy_j");
  writeEnergy(json, r.dynamicJ, r.staticJ);
  json.attributeEnd();
  json.attribute("area_mm2", jsonNumber(r.areaMm2));
  json.attribute("power_w", jsonNumber(r.powerW));
  json.attribute("dense_ops", jsonNumber(r.denseOps));
  json.attribute("gops_per_w", jsonNumber(r.gopsPerW));
  json.attribute("gops_per_s_mm2", jsonNumber(r.gopsPerSMm2));
}

/// Chips and tiles the model occupies and powers.
void writeChipUse(llvm::json::OStream &json, const CostReport &r) {
  json.attribute("chips", r.chips);
  json.attribute("fits", r.fits);
  json.attribute("reprogrammed", r.reprogrammed);
  json.attribute("program_loads", r.programLoads);
  json.attribute("gate_idle_tiles", r.gateIdleTiles);
  json.attribute("tiles_used", r.tilesUsed);
  json.attribute("tiles_powered", r.tilesPowered);
  json.attribute("rotator_imas", r.rotatorImas);
  json.attribute("vfu_tiles", r.vfuTiles);
}

/// Static power, the ADC law's ratios, host I/O and programming time.
void writeOverheads(llvm::json::OStream &json, const CostReport &r) {
  json.attribute("static_power_w", jsonNumber(r.staticPowerW));
  json.attribute("full_load_static_share", jsonNumber(r.fullLoadStaticShare));
  json.attribute("adc_energy_ratio", jsonNumber(r.adcEnergyRatio));
  json.attribute("adc_area_ratio", jsonNumber(r.adcAreaRatio));
  if (!r.adcImasByBits.empty())
    json.attributeObject("adc_imas_by_bits", [&] {
      for (const auto &[bits, imas] : r.adcImasByBits)
        json.attribute(std::to_string(bits), imas);
    });
  json.attribute("host_io_bytes", jsonNumber(r.hostIoBytes));
  json.attribute("host_io_s", jsonNumber(r.hostIoS));
  json.attribute("programming_s", jsonNumber(r.programmingS));
}

/// Crossbars and IMAs needed against one chip's.
void writeCapacity(llvm::json::OStream &json, const CostReport &r) {
  json.attribute("crossbars_needed", r.crossbarsNeeded);
  json.attribute("crossbars_per_chip", r.crossbarsPerChip);
  json.attribute("imas_needed", r.imasNeeded);
  json.attribute("imas_per_chip", r.imasPerChip);
}

void writeUtilization(llvm::json::OStream &json, const CostReport &r) {
  json.attributeObject("utilization", [&] {
    json.attribute("u_occ", jsonNumber(r.uOcc));
    json.attribute("u_uniq", jsonNumber(r.uUniq));
    json.attribute("crossbars", r.crossbars);
    json.attribute("adcs", r.adcs);
  });
}

void writeLayer(llvm::json::OStream &json, const LayerCost &l) {
  json.object([&] {
    json.attribute("name", jsonString(l.name));
    json.attribute("kind", jsonString(l.kind));
    json.attribute("op", jsonString(l.op));
    if (!l.attention.empty())
      json.attribute("attention", jsonString(l.attention));
    json.attribute("block_size", l.blockSize);
    json.attribute("crossbars", l.crossbars);
    json.attribute("imas", l.imas);
    json.attribute("adcs", l.adcs);
    if (l.kind == "crossbar")
      json.attribute("adc_bits", l.adcBits);
    json.attribute("tiles", l.tiles);
    json.attribute("chips_spanned", l.chipsSpanned);
    json.attribute("chunks", l.chunks);
    json.attribute("first_ima", l.firstIma);
    json.attribute("first_tile", l.firstTile);
    json.attribute("replication", l.replication);
    json.attribute("active_imas", l.activeImas);
    json.attribute("u_occ", jsonNumber(l.uOcc));
    json.attribute("u_uniq", jsonNumber(l.uUniq));
    json.attribute("cycles", l.cycles);
    json.attribute("latency_s", jsonNumber(l.latencyS));
    json.attribute("stage_s", jsonNumber(l.stageS));
    json.attribute("bottleneck", jsonString(l.bottleneck));
    json.attributeObject("stages", [&] {
      // Stage names are the cost model's own ASCII words.
      for (const StageTime &stage : l.stages)
        json.attribute(stage.stage, jsonNumber(stage.seconds));
    });
    json.attributeObject("buffer", [&] {
      json.attribute("bytes", jsonNumber(l.bufferBytes));
      json.attribute("capacity_bytes", jsonNumber(l.bufferCapacityBytes));
      json.attribute("occupancy", jsonNumber(l.bufferOccupancy()));
      json.attribute("spill_words", jsonNumber(l.spillWords));
    });
    json.attribute("dense_ops", jsonNumber(l.denseOps));
    json.attributeBegin("energy_j");
    writeEnergy(json, l.dynamicJ, l.staticJ);
    json.attributeEnd();
  });
}

void writeLayers(llvm::json::OStream &json, const CostReport &r) {
  json.attributeArray("layers", [&] {
    for (const LayerCost &l : r.layers)
      writeLayer(json, l);
  });
}

/// adc_bits = auto: "adc bits (auto) fc1 8, fc2 7; IMAs 7 bits 1, 8 bits 2".
std::string adcBitsLine(const CostReport &r) {
  std::string out = "adc bits (auto)";
  const char *sep = " ";
  for (const LayerCost &l : r.layers)
    if (l.kind == "crossbar") {
      out += sep + l.name + " " + str(l.adcBits);
      sep = ", ";
    }
  sep = "; IMAs ";
  for (const auto &[bits, imas] : r.adcImasByBits) {
    out += sep + str(bits) + " bits " + str(imas);
    sep = ", ";
  }
  return out + "\n";
}

} // namespace

llvm::ArrayRef<EnergyComponent> energyComponents() {
  return kEnergyComponents;
}

void writeCostJson(llvm::json::OStream &json, const CostReport &r) {
  json.object([&] {
    writeRunFigures(json, r);
    writeChipUse(json, r);
    writeOverheads(json, r);
    writeCapacity(json, r);
    writeUtilization(json, r);
    writePlacementJson(json, r);
    writeLayers(json, r);
  });
}

std::string costToJson(const CostReport &r) {
  return support::jsonDocument(
      [&](llvm::json::OStream &json) { writeCostJson(json, r); });
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
        {l.name, l.attention.empty() ? l.op : l.op + " " + l.attention,
         str(l.crossbars), str(l.imas), str(l.adcs), str(l.tiles),
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
  if (!r.adcImasByBits.empty())
    out += adcBitsLine(r);
  out += "utilization u_occ " + fixed(r.uOcc, 4) + ", u_uniq " +
         fixed(r.uUniq, 4) + ", crossbars " + str(r.crossbars) + ", adcs " +
         str(r.adcs) + "\n";
  return out;
}

} // namespace rebocc::model
