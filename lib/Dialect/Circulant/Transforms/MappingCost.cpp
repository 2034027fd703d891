//===- MappingCost.cpp - the cost model's view of one mapping -------------===//

#include "MappingCost.h"

#include "rebocc/Model/CostModel.h"
#include "rebocc/Model/Events.h"
#include "rebocc/Model/Placement.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

/// The layer's input shape for one inference: the batch dimension (leading,
/// usually dynamic) is 1; any other dynamic dimension fails.
static FailureOr<std::vector<int64_t>>
inputShape(MappedLayerOpInterface layer) {
  Operation *op = layer;
  auto type = dyn_cast<RankedTensorType>(layer.getInput().getType());
  if (!type)
    return op->emitError("layer '") << layer.getName()
                                    << "': input is not a ranked tensor";
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  for (size_t d = 0; d < shape.size(); ++d) {
    if (!ShapedType::isDynamic(shape[d]))
      continue;
    if (d != 0 || shape.size() == 1)
      return op->emitError("layer '")
             << layer.getName() << "': input dimension " << d
             << " is dynamic; the cost model needs a static input shape";
    shape[d] = 1;
  }
  return shape;
}

FailureOr<MappingCost>
rebocc::circulant::estimateMappingCost(MappedLayerOpInterface layer,
                                       Mapping mapping, int64_t duplication,
                                       const model::HardwareDesc &hw) {
  Operation *op = layer;
  FailureOr<std::vector<int64_t>> shape = inputShape(layer);
  if (failed(shape))
    return failure();
  program::Program program;
  program.hw = hw;
  program.layers.push_back(layer.toProgramLayer(mapping, duplication));
  program::CrossbarLayer &plan = program.layers.back();
  std::string problem = program::planArrays(plan, hw);
  if (problem.empty())
    problem = model::placeProgram(program, hw, model::OverflowPolicy::MultiChip);
  if (!problem.empty())
    return op->emitError("layer '") << layer.getName() << "': " << problem;

  // Shared-buffer reuse across layers is ignored: each layer stages its own
  // input, which is what it costs when it runs first.
  model::RunReport counts;
  counts.layers.push_back(model::staticLayerReport(plan, hw));
  problem = model::countCrossbarRun(plan, hw, *shape, /*bufferFilled=*/false,
                                  counts.layers.back());
  if (!problem.empty())
    return op->emitError("layer '") << layer.getName() << "': " << problem;
  counts.total = counts.layers.back();

  model::CostReport report;
  model::CostOptions options;
  options.replicate = false; // the mapping on its own, as it is compiled
  if (!model::estimateCost(program, counts, hw, options, report,
                         problem))
    return op->emitError("layer '") << layer.getName() << "': " << problem;
  MappingCost cost;
  cost.crossbars = report.crossbarsNeeded;
  cost.imas = report.imasNeeded;
  cost.latencyS = report.latencyS;
  cost.energyJ = report.energyJ;
  cost.bottleneck = report.layers.front().bottleneck;
  return cost;
}

/// Elements of one inference of `type`: its one dynamic dimension (the
/// batch, leading or, in a (sequence, batch, features) input, second) 1;
/// 0 when more are dynamic, a 1-D one is, or it is not a ranked tensor.
static int64_t elementsPerInference(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return 0;
  int64_t elements = 1, dynamic = 0;
  for (int64_t size : tensor.getShape()) {
    dynamic += ShapedType::isDynamic(size);
    elements *= ShapedType::isDynamic(size) ? 1 : size;
  }
  return dynamic > 1 || (dynamic && tensor.getRank() == 1) ? 0 : elements;
}

MappingCost rebocc::circulant::estimateHostIoCost(ModuleOp module,
                                                  const model::HardwareDesc &hw) {
  model::RunReport counts;
  module.walk([&](func::FuncOp func) {
    for (Type type : func.getArgumentTypes())
      counts.inputElements += elementsPerInference(type);
    for (Type type : func.getResultTypes())
      counts.outputElements += elementsPerInference(type);
  });
  program::Program program;
  program.hw = hw;
  model::CostReport report;
  std::string problem;
  MappingCost cost;
  if (model::estimateCost(program, counts, hw, model::CostOptions(), report,
                          problem)) {
    cost.latencyS = report.latencyS;
    cost.energyJ = report.energyJ;
  }
  return cost;
}
