//===- CrossbarEngine.h - execution of crossbar layers ----------*- C++ -*-===//
//
// Private to lib/Sim (see SimSupport.h).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_CROSSBARENGINE_H
#define REBOCC_LIB_SIM_CROSSBARENGINE_H

#include "rebocc/Sim/Interpreter.h"

#include <string>

namespace rebocc::sim {

/// `bitSliced`: fixed point on the materialized cells instead of the exact
/// direct product (same outputs). The layer's events are counted by run()
/// (model::RunCounter), from the shapes.
bool runCrossbar(const program::CrossbarLayer &L, const HardwareDesc &hw,
                 Arithmetic arithmetic, bool bitSliced, const Tensor &x,
                 Tensor &y, std::string &error);

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_CROSSBARENGINE_H
