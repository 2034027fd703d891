//===- Placement.h - the rule that places arrays on the chip ----*- C++ -*-===//
//
// One placement rule, used by the compiler's crossbar-place-arrays pass (on
// crossbar IR) and by programs built without the compiler (tests, the
// mapping passes' single-layer estimates). The cost model never recomputes
// it: it reads the positions a program carries (CostStages.h, placeLayers).
// docs/CostModel.md, "Placement".
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_PLACEMENT_H
#define REBOCC_MODEL_PLACEMENT_H

#include "rebocc/Model/Hardware.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::model {

/// Places `arrays[l]` arrays of every layer l (in program order): every layer
/// owns whole IMAs, xbars_per_ima arrays each, its arrays filling them in
/// order. The layers' IMAs are packed in program order over the chips; or,
/// when the model does not fit one chip and `policy` is Reprogram, over chip
/// loads of consecutive layers, a new load starting when the next layer does
/// not fit the current one, and a layer larger than a chip taking loads of
/// its own (IMA i of the layer in load first + i / imas_per_chip). `out[l][a]`
/// receives the place of array a of layer l. Always fills `out`; returns ""
/// or why the hardware cannot hold that placement (linkProblem).
std::string placeArrays(const std::vector<int64_t> &arrays,
                        const HardwareDesc &hw, OverflowPolicy policy,
                        std::vector<std::vector<program::ArrayPlace>> &out);

/// placeArrays on the layers of `program` with `hw`: sets every array's
/// place and `program.overflow`. Returns placeArrays' message.
std::string placeProgram(program::Program &program, const HardwareDesc &hw,
                         OverflowPolicy policy);

/// Why `hw` cannot run a model spread over `chips` chips or reprogrammed
/// (both need the inter-chip links: for activations, or to bring the
/// weights on chip); "" when it can.
std::string linkProblem(int64_t chips, bool reprogram, const HardwareDesc &hw);

} // namespace rebocc::model

#endif // REBOCC_MODEL_PLACEMENT_H
