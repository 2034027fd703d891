//===- ImportControlFlow.cpp - If, and what is inside subgraphs -----------===//
//
// Exporters put If around alternatives picked by a flag, a sample rate or a
// shape ("if x.size(2) > 1"). With that input frozen (--freeze-input) or the
// shape fixed (--input-shape, --dim), the condition folds to a constant and
// the If is the taken branch: its nodes are imported in place, reading
// outer-scope names from the same bindings, and the other branch is dropped
// without looking at its operators. A condition only known at run time
// becomes a circulant.if holding both branches, of which each inference
// runs one. Folded branches share one flat environment with the enclosing
// graph (ONNX names are unique across a model's scopes); a run-time
// branch's names leave it when the branch is imported.
//
// A run-time branch that does not import for the fixed input shapes
// (Silero VAD's 8 kHz model on a 512-sample frame gives its LSTM a rank-5
// input) is not a compile error while the other branch imports: the inputs
// may never take it, and ONNX Runtime too fails only when it runs it. The
// If keeps that branch's error (else_error / then_error), a warning names
// it, and an inference that takes it stops with it. Both failing is an
// error.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// The subgraphs a node carries (If's branches, Loop's and Scan's bodies),
/// each with its attribute name.
static SmallVector<std::pair<std::string, const onnx::GraphProto *>>
subgraphsOf(const onnx::NodeProto &node) {
  SmallVector<std::pair<std::string, const onnx::GraphProto *>> graphs;
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.has_g())
      graphs.push_back({attr.name(), &attr.g()});
    for (const onnx::GraphProto &graph : attr.graphs())
      graphs.push_back({attr.name(), &graph});
  }
  return graphs;
}

static bool isSupportedNode(const onnx::NodeProto &node) {
  return isSupportedOpType(node.domain(), node.op_type());
}

bool hasUnsupportedNodes(const onnx::GraphProto &graph, bool nested) {
  for (const onnx::NodeProto &node : graph.node()) {
    if (!isSupportedNode(node))
      return true;
    if (nested)
      for (auto &[name, subgraph] : subgraphsOf(node))
        if (hasUnsupportedNodes(*subgraph, nested))
          return true;
  }
  return false;
}

using UnsupportedList =
    std::vector<std::pair<std::string, std::vector<std::string>>>;

/// Adds the unsupported nodes of `graph` and its subgraphs to `list`, each
/// named by its path from the graph the listing started at: node names,
/// "#index" for unnamed nodes, and the attribute holding each subgraph.
static void collectUnsupported(const onnx::GraphProto &graph,
                               const std::string &prefix,
                               UnsupportedList &list) {
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    std::string label =
        prefix +
        (node.name().empty() ? "#" + std::to_string(index) : node.name());
    if (!isSupportedNode(node)) {
      std::string type = node.domain().empty() || node.domain() == "ai.onnx"
                             ? node.op_type()
                             : node.domain() + "." + node.op_type();
      auto it = llvm::find_if(
          list, [&](const auto &entry) { return entry.first == type; });
      if (it == list.end())
        it = list.insert(list.end(), {type, {}});
      it->second.push_back(label);
    }
    for (auto &[name, subgraph] : subgraphsOf(node))
      collectUnsupported(*subgraph, label + "/" + name + "/", list);
  }
}

std::string listUnsupported(const onnx::GraphProto &graph) {
  // Operator types in order of first appearance, each with its node count
  // and first node (a model may have hundreds of one operator).
  UnsupportedList list;
  collectUnsupported(graph, "", list);
  std::string message;
  for (auto &[type, nodes] : list) {
    message += message.empty() ? "" : "; ";
    message += type + " (" + std::to_string(nodes.size()) +
               (nodes.size() == 1 ? " node, " : " nodes, first ") +
               nodes.front() + ")";
  }
  return message;
}

std::string unsupportedHints(const onnx::GraphProto &graph,
                             const ImportOptions &options) {
  // A nested operator goes with the top-level node holding it: an If's
  // branch is dropped when its condition folds, but no flag drops a
  // top-level Loop's (or Scan's) body, so only the If case has flags to name.
  bool inIf = false;
  SmallVector<std::string> bodyOwners;
  for (const onnx::NodeProto &node : graph.node()) {
    if (llvm::none_of(subgraphsOf(node), [](const auto &entry) {
          return hasUnsupportedNodes(*entry.second, /*nested=*/true);
        }))
      continue;
    if (node.op_type() == "If" &&
        (node.domain().empty() || node.domain() == "ai.onnx"))
      inIf = true;
    else if (!llvm::is_contained(bodyOwners, node.op_type()))
      bodyOwners.push_back(node.op_type());
  }
  std::string hints;
  if (inIf)
    hints += "; those inside If branches are dropped when the condition "
             "folds at compile time (--freeze-input NAME=FILE.pb, "
             "--input-shape, --dim)";
  if (!bodyOwners.empty())
    hints += "; those inside " + llvm::join(bodyOwners, " and ") +
             " bodies are not dropped by any flag";
  // A dynamic dim (beyond the leading batch) the flags leave open.
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (options.inputShapes.count(input.name()) ||
        options.frozenInputs.count(input.name()) ||
        llvm::any_of(graph.initializer(), [&](const onnx::TensorProto &t) {
          return t.name() == input.name();
        }))
      continue;
    const auto &dims = input.type().tensor_type().shape().dim();
    for (int d = 1; d < dims.size(); ++d) {
      if (dims[d].has_dim_value() ||
          (dims[d].has_dim_param() && options.dims.count(dims[d].dim_param())))
        continue;
      std::string symbol = dims[d].has_dim_param() ? dims[d].dim_param() : "";
      return hints + "; graph input '" + input.name() +
             "' also has dynamic dimension " + std::to_string(d) +
             (symbol.empty() ? "" : " ('" + symbol + "')") + ": fix it with " +
             (symbol.empty() ? "" : "--dim " + symbol + "=VALUE or ") +
             "--input-shape " + input.name() + "=D0xD1x...";
    }
  }
  return hints;
}

void Importer::countConsumers(const onnx::GraphProto &graph) {
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &input : node.input())
      ++consumers[input];
    for (auto &[name, subgraph] : subgraphsOf(node))
      countConsumers(*subgraph);
  }
  // A subgraph's outputs are read by the node that holds it.
  for (const onnx::ValueInfoProto &output : graph.output())
    ++consumers[output.name()];
}

bool Importer::inlineGraph(const onnx::GraphProto &graph) {
  for (const onnx::TensorProto &init : graph.initializer()) {
    ConstTensor tensor;
    std::string reason;
    if (!decodeTensor(init, tensor, reason))
      return fail("initializer '" + init.name() + "'" + scope + ": " + reason);
    if (env.count(init.name()))
      return fail("initializer '" + init.name() + "'" + scope +
                  " has the name of a tensor of an enclosing graph");
    env[init.name()] = Binding{Value(), std::move(tensor)};
  }
  // A tensor defined twice would make the order ambiguous: checked first.
  llvm::StringSet<> written;
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      if (!output.empty() &&
          (env.count(output) || !written.insert(output).second))
        return fail(node, "writes tensor '" + output +
                              "', which is already defined; every tensor "
                              "needs exactly one producer");
  std::vector<const onnx::NodeProto *> order;
  if (!sortNodes(graph, order))
    return false;
  for (const onnx::NodeProto *node : order)
    if (!importNode(*node))
      return false;
  return true;
}

/// The unsupported operators of both branches, each list under its branch's
/// name.
static std::string unsupportedInBranches(const onnx::GraphProto &thenBranch,
                                         const onnx::GraphProto &elseBranch) {
  std::string listed;
  for (auto [name, branch] : {std::pair("then_branch", &thenBranch),
                              std::pair("else_branch", &elseBranch)}) {
    if (!hasUnsupportedNodes(*branch, /*nested=*/true))
      continue;
    listed += (listed.empty() ? "" : "; ") + std::string(name) + ": " +
              listUnsupported(*branch);
  }
  return listed;
}

bool Importer::importBranch(const onnx::NodeProto &node,
                            const std::string &branchName,
                            const onnx::GraphProto &branch,
                            SmallVectorImpl<Binding> &results) {
  if (branch.output_size() != node.output_size())
    return fail(node, branchName + " has " + Twine(branch.output_size()) +
                          " outputs, the node " + Twine(node.output_size()));
  std::string outer = scope;
  scope = " in " + branchName + " of " + describeNode(node) + outer;
  bool inlined = inlineGraph(branch);
  scope = outer;
  if (!inlined)
    return false;
  for (const onnx::ValueInfoProto &result : branch.output()) {
    if (!decodePending(result.name()))
      return false;
    auto it = env.find(result.name());
    if (it == env.end())
      return fail(node, branchName + " output '" + result.name() +
                            "' is never produced");
    results.push_back(it->second);
  }
  return true;
}

/// Binds the If's outputs (an empty name is an unused optional output).
void Importer::bindOutputs(const onnx::NodeProto &node,
                           ArrayRef<Binding> results) {
  for (auto [output, result] : llvm::zip(node.output(), results))
    if (!output.empty())
      env[output] = result;
}

/// The names `graph` and the subgraphs inside it define.
static void collectDefined(const onnx::GraphProto &graph,
                           SmallVectorImpl<std::string> &names) {
  for (const onnx::TensorProto &init : graph.initializer())
    names.push_back(init.name());
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &output : node.output())
      names.push_back(output);
    for (auto &[name, subgraph] : subgraphsOf(node))
      collectDefined(*subgraph, names);
  }
}

/// Leaves the scope of a branch imported into `region`: its own names go
/// (the other branch may reuse them, and nothing outside the If reads
/// them), and constants of enclosing scopes materialized inside it are
/// materialized again where next needed.
void Importer::closeBranchScope(const onnx::GraphProto &branch,
                                Region &region) {
  SmallVector<std::string> names;
  collectDefined(branch, names);
  for (const std::string &name : names)
    env.erase(name);
  for (auto &entry : env) {
    Binding &binding = entry.second;
    if (binding.known && binding.value &&
        region.isAncestor(binding.value.getParentRegion()))
      binding.value = Value();
  }
}

/// Imports `branch` into the one block of `region`, ending in a yield of
/// its outputs (constant ones materialized there).
bool Importer::importRegion(const onnx::NodeProto &node,
                            const std::string &branchName,
                            const onnx::GraphProto &branch, Region &region,
                            SmallVectorImpl<Value> &yielded) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&region.emplaceBlock());
  SmallVector<Binding> results;
  if (!importBranch(node, branchName, branch, results))
    return false;
  for (auto [index, result] : llvm::enumerate(results)) {
    if (result.value) {
      yielded.push_back(result.value);
      continue;
    }
    if (!result.known->isFloat)
      return fail(node, "output " + Twine(index) + " of " + branchName +
                            " is an integer tensor; a run-time condition can "
                            "only choose between float32 results");
    yielded.push_back(
        materialize(*result.known, locFor(node), branch.output(index).name()));
  }
  YieldOp::create(builder, locFor(node), yielded);
  closeBranchScope(branch, region);
  return true;
}

/// Drops what a run-time branch that failed to import left behind: its
/// names, the importer's records of its ops, and the ops of `region`.
void Importer::discardRegion(const onnx::GraphProto &branch, Region &region) {
  closeBranchScope(branch, region);
  SmallVector<std::string> names;
  collectDefined(branch, names);
  for (const std::string &name : names) {
    integerWeights.erase(name);
    integerActivations.erase(name);
  }
  auto inside = [&](Operation *op) {
    return region.isAncestor(op->getParentRegion());
  };
  llvm::erase_if(codeScalings, inside);
  for (Operation *op : SmallVector<Operation *>(biaslessFromMatMul.begin(),
                                                biaslessFromMatMul.end()))
    if (inside(op))
      biaslessFromMatMul.erase(op);
  SmallVector<Operation *> recorded;
  for (auto &entry : layerTensor)
    if (inside(entry.first))
      recorded.push_back(entry.first);
  for (Operation *op : recorded)
    layerTensor.erase(op);
  region.dropAllReferences();
  region.getBlocks().clear();
}

/// importRegion for a branch of a run-time If. A branch that does not
/// import is left as an empty yield in `region`, and `deferred` gets its
/// error (without the file name): the caller decides whether the If can
/// keep it as a run-time error.
bool Importer::importRuntimeRegion(const onnx::NodeProto &node,
                                   const std::string &branchName,
                                   const onnx::GraphProto &branch,
                                   Region &region,
                                   SmallVectorImpl<Value> &yielded,
                                   std::string &deferred) {
  size_t warned = warnings.size();
  if (importRegion(node, branchName, branch, region, yielded))
    return true;
  StringRef message(error);
  message.consume_front(fileName + ": ");
  deferred = message.str();
  error.clear();
  // Warnings from Ifs nested in the dropped branch no longer apply.
  warnings.resize(warned);
  discardRegion(branch, region);
  yielded.clear();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&region.emplaceBlock());
  YieldOp::create(builder, locFor(node), ValueRange());
  return true;
}

/// A run-time condition: a circulant.if holding both branches, of which
/// each inference runs one (both are compiled, so the layers of both take
/// crossbars). The condition must be one element and the branches' outputs
/// the same shape, since what follows the If reads either.
bool Importer::runtimeBranches(const onnx::NodeProto &node, Value condition,
                               const onnx::GraphProto &thenBranch,
                               const onnx::GraphProto &elseBranch) {
  ArrayRef<int64_t> condShape = shapeOf(condition);
  if (product(condShape) != 1)
    return fail(node, "the run-time condition has shape " +
                          dimsToString(condShape) +
                          "; it must hold exactly one element");
  // The result types are known once both branches are imported: they are
  // imported into a shell, whose regions the if then takes over.
  Location loc = locFor(node);
  auto shell = IfOp::create(builder, loc, TypeRange(), condition);
  SmallVector<Value> thenValues, elseValues;
  std::string thenError, elseError;
  if (!importRuntimeRegion(node, "then_branch", thenBranch,
                           shell.getThenRegion(), thenValues, thenError) ||
      !importRuntimeRegion(node, "else_branch", elseBranch,
                           shell.getElseRegion(), elseValues, elseError))
    return false;
  if (!thenError.empty() && !elseError.empty())
    return fail("neither branch of " + describeNode(node) + scope +
                " compiles: " + thenError + "; and " + elseError);
  // (A branch that cannot run yields nothing: the other one's types hold.)
  if (thenError.empty() && elseError.empty())
    for (auto [index, onTrue, onFalse] :
         llvm::enumerate(thenValues, elseValues))
      if (onTrue.getType() != onFalse.getType())
        return fail(node, "output " + Twine(index) + " is " +
                              dimsToString(shapeOf(onTrue)) +
                              " in then_branch and " +
                              dimsToString(shapeOf(onFalse)) +
                              " in else_branch; a run-time condition can "
                              "only choose between results of one shape");
  for (auto [name, deferred] : {std::pair("then_branch", &thenError),
                                std::pair("else_branch", &elseError)})
    if (!deferred->empty())
      warnings.push_back(fileName + ": " + describeNode(node) + scope + ": " +
                         name + " does not compile for these input shapes (" +
                         *deferred + "); an inference that takes it stops "
                         "with that error");
  auto optional = [&](const std::string &message) {
    return message.empty() ? StringAttr() : builder.getStringAttr(message);
  };
  ValueRange yielded = thenError.empty() ? thenValues : elseValues;
  auto op = IfOp::create(builder, loc, yielded.getTypes(), condition,
                         optional(thenError), optional(elseError));
  op.getThenRegion().takeBody(shell.getThenRegion());
  op.getElseRegion().takeBody(shell.getElseRegion());
  shell.erase();
  SmallVector<Binding> results;
  for (Value result : op.getResults())
    results.push_back(Binding{result, std::nullopt});
  bindOutputs(node, results);
  return true;
}

bool Importer::importIf(const onnx::NodeProto &node) {
  const onnx::AttributeProto *thenAttr = findAttr(node, "then_branch");
  const onnx::AttributeProto *elseAttr = findAttr(node, "else_branch");
  if (!thenAttr || !thenAttr->has_g() || !elseAttr || !elseAttr->has_g())
    return fail(node, "needs then_branch and else_branch graphs");
  const Binding *cond = lookup(node, 0);
  if (!cond)
    return false;
  if (!cond->known) {
    std::string inside = unsupportedInBranches(thenAttr->g(), elseAttr->g());
    if (!inside.empty())
      return fail(node, "the condition '" + node.input(0) +
                            "' is only known at run time, so both branches "
                            "are compiled, but they hold unsupported ONNX "
                            "operators (" +
                            inside +
                            "); freezing the graph inputs the "
                            "condition is computed from (--freeze-input "
                            "NAME=FILE.pb) or fixing the dims it depends on "
                            "(--input-shape, --dim) would drop one branch");
    return runtimeBranches(node, cond->value, thenAttr->g(), elseAttr->g());
  }
  if (cond->known->numElements() != 1)
    return fail(node, "the condition must hold one element, not " +
                          dimsToString(cond->known->shape));
  if (cond->known->hasBatchSentinel())
    return fail(node, dependsOnBatch("the condition"));
  bool taken = cond->known->data[0] != 0;
  std::string branchName = taken ? "then_branch" : "else_branch";
  const onnx::GraphProto &branch = (taken ? thenAttr : elseAttr)->g();
  if (hasUnsupportedNodes(branch, /*nested=*/true))
    return fail(node, "unsupported ONNX operators in " + branchName + ": " +
                          listUnsupported(branch));
  SmallVector<Binding> results;
  if (!importBranch(node, branchName, branch, results))
    return false;
  bindOutputs(node, results);
  return true;
}

} // namespace rebocc::onnxfe
