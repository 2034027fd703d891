//===- Area.cpp - provisioned silicon -------------------------------------===//
//
// Area is whole chips (a chip is provisioned whole, whatever the model
// uses), with the ADC area following the resolution law (per IMA with
// adc_bits = auto), plus one input rotator per IMA that holds rotated blocks
// and one vector functional unit per tile that runs VFU instructions
// (docs/CostModel.md, "Area").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"

namespace rebocc::model {

double provisionedAreaMm2(const CostReport &report, const HardwareDesc &hw,
                          const EventCosts &c) {
  double area = report.chips * c.chipAreaMm2 +
                static_cast<double>(report.rotatorImas) * hw.rotatorAreaMm2 +
                static_cast<double>(report.vfuTiles) * hw.vfuAreaMm2;
  // adc_bits = auto: each IMA's ADCs at their own resolution instead of the
  // chip's (c.adcBits, that of the IMAs holding no layer).
  for (const auto &[bits, imas] : report.adcImasByBits)
    area += static_cast<double>(imas) * hw.adcAreaMm2 *
            (deriveEventCosts(hw, bits).adcAreaRatio - c.adcAreaRatio);
  return area;
}

} // namespace rebocc::model
