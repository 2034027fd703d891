//===- CrossbarEngine.h - execution of crossbar layers ----------*- C++ -*-===//
//
// Private to lib/Sim (see SimSupport.h).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_CROSSBARENGINE_H
#define REBOCC_LIB_SIM_CROSSBARENGINE_H

#include "TaskRunner.h"
#include "rebocc/Sim/Interpreter.h"

#include <string>

namespace rebocc::sim {

/// Runs layer `L` (the program's layer `layerIndex`, part of every noise
/// key) on `x`. Fixed point runs the analog engine (ADCs, device
/// non-idealities) unless the layer is provably lossless and
/// `options.bitSliced` is off; then the exact direct product gives the same
/// outputs faster. The layer's events are counted by run()
/// (model::RunCounter), from the shapes. The work is spread over `tasks`;
/// the outputs do not depend on its number of workers.
bool runCrossbar(const program::CrossbarLayer &L, const HardwareDesc &hw,
                 const RunOptions &options, int64_t layerIndex,
                 const Tensor &x, Tensor &y, TaskRunner &tasks,
                 std::string &error);

/// Runs an lstm or gru instruction (RecurrentKernels.cpp) on its operands
/// `ins`: a loop over the time steps, each running the instruction's
/// recurrent layers through runCrossbar and the gates.
bool runRecurrent(const program::Instruction &I, const program::Program &P,
                  const RunOptions &options,
                  const std::vector<const Tensor *> &ins, Tensor &out,
                  TaskRunner &tasks, std::string &error);

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_CROSSBARENGINE_H
