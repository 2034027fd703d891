//===- Area.cpp - provisioned silicon -------------------------------------===//
//
// Area is whole chips (a chip is provisioned whole, whatever the model
// uses), with the ADC area following the resolution law, plus one input
// rotator per IMA that holds rotated blocks (docs/CostModel.md, "Area").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"

namespace rebocc::model {

double provisionedAreaMm2(const CostReport &report, const HardwareDesc &hw,
                          const EventCosts &c) {
  return report.chips * c.chipAreaMm2 +
         static_cast<double>(report.rotatorImas) * hw.rotatorAreaMm2;
}

} // namespace rebocc::model
