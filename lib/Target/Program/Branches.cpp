//===- Branches.cpp - If and Phi: scoping rules and the run's walk --------===//
//
// A program is a flat list of instructions; an If owns the `then` and
// `else` instructions that follow it, so the branches are nested ranges of
// that list. Every range is a block: the top level is block 0, and each If
// opens two blocks inside the one holding it. A value defined in a block is
// visible in that block and the blocks nested in it, as SSA values in
// regions are; only a Phi in the If's own block reads a branch's value out
// of it, and only the value of the branch it names.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Program.h"
#include "rebocc/Support/Shapes.h"

#include <utility>

namespace rebocc::program {

namespace {

std::string str(int64_t v) { return std::to_string(v); }

using support::shapeToString;

/// The blocks of a program: each one's parent (block 0, the top level, has
/// none) and, for the value ids and instructions, the block defining them.
struct Blocks {
  std::vector<int> parent{-1};
  std::vector<int> ofValue;      // -1: not defined (checked by verify())
  std::vector<int> thenOf;       // by If instruction: its then block
  std::vector<int> ofInstruction;

  /// True when block `outer` is `inner` or encloses it.
  bool encloses(int outer, int inner) const {
    for (; inner >= 0; inner = parent[inner])
      if (inner == outer)
        return true;
    return false;
  }
};

std::string checkIf(const Program &P, const Instruction &I) {
  if (I.thenCount < 0 || I.elseCount < 0)
    return "branch lengths then=" + str(I.thenCount) + " else=" +
           str(I.elseCount) + " must be >= 0";
  const std::vector<int64_t> &cond = P.values[I.operands[0]].shape;
  for (int64_t dim : cond)
    if (dim != 1)
      return "the condition " + shapeToString(cond) +
             " must hold exactly one element (every dimension 1)";
  if (P.values[I.result].shape != cond)
    return "the result must have the condition's shape " +
           shapeToString(cond);
  if (!I.thenError.empty() && !I.elseError.empty())
    return "then_error and else_error are both set: one branch must be "
           "able to run";
  if ((!I.thenError.empty() && I.thenCount != 0) ||
      (!I.elseError.empty() && I.elseCount != 0))
    return "a branch with an error (one that cannot run) must have no "
           "instructions";
  return "";
}

/// Assigns every instruction and value its block; checks that each If's
/// branches end inside the block holding it.
std::string assignBlocks(const Program &P, Blocks &B) {
  size_t count = P.instructions.size();
  B.ofValue.assign(P.values.size(), -1);
  B.thenOf.assign(count, -1);
  B.ofInstruction.assign(count, 0);
  for (int v : P.inputs)
    B.ofValue[v] = 0;
  // Open blocks, innermost last: (block, one past its last instruction).
  std::vector<std::pair<int, size_t>> open{{0, count}};
  for (size_t i = 0; i < count; ++i) {
    while (open.back().second <= i)
      open.pop_back();
    int block = open.back().first;
    const Instruction &I = P.instructions[i];
    B.ofInstruction[i] = block;
    B.ofValue[I.result] = block;
    if (I.op != OpCode::If)
      continue;
    std::string e = checkIf(P, I);
    if (!e.empty())
      return "instruction " + str(i) + " (if '" + I.name + "'): " + e;
    size_t thenEnd = i + 1 + I.thenCount, elseEnd = thenEnd + I.elseCount;
    if (elseEnd > open.back().second)
      return "instruction " + str(i) + " (if '" + I.name + "'): its " +
             str(I.thenCount) + " + " + str(I.elseCount) +
             " branch instructions run past the end of the block holding it";
    int thenBlock = static_cast<int>(B.parent.size());
    B.parent.push_back(block);
    B.parent.push_back(block);
    B.thenOf[i] = thenBlock;
    open.push_back({thenBlock + 1, elseEnd});
    open.push_back({thenBlock, thenEnd});
  }
  return "";
}

/// A Phi: operand 0 the result of an If in the Phi's block, operands 1 and 2
/// visible from its then and else blocks, all three shapes alike. The
/// operand of a branch that cannot run is the other one's (never read: a
/// run that takes that branch stops at the If).
std::string checkPhi(const Program &P, const Instruction &I,
                     const Blocks &B, const std::vector<int> &ifOfValue) {
  int at = ifOfValue[I.operands[0]];
  if (at < 0)
    return "operand 0 must be the result of an if";
  const Instruction &branch = P.instructions[at];
  int block = B.ofInstruction[at];
  int thenBlock = B.thenOf[at];
  if (B.ofValue[I.result] != block)
    return "it must be in the block of its if '" + branch.name + "'";
  bool failing = !branch.thenError.empty() || !branch.elseError.empty();
  if (failing && I.operands[1] != I.operands[2])
    return "operands 1 and 2 must be the same value: a branch of its if '" +
           branch.name + "' cannot run";
  if ((branch.thenError.empty() &&
       !B.encloses(B.ofValue[I.operands[1]], thenBlock)) ||
      (branch.elseError.empty() &&
       !B.encloses(B.ofValue[I.operands[2]], thenBlock + 1)))
    return "operands 1 and 2 must be defined in the then and the else "
           "branch of its if '" +
           branch.name + "' or before it";
  const std::vector<int64_t> &shape = P.values[I.result].shape;
  if (P.values[I.operands[1]].shape != shape ||
      P.values[I.operands[2]].shape != shape)
    return "both branch values must have the result's shape " +
           shapeToString(shape);
  return "";
}

} // namespace

std::string verifyBranches(const Program &P) {
  Blocks B;
  std::string e = assignBlocks(P, B);
  if (!e.empty())
    return e;
  std::vector<int> ifOfValue(P.values.size(), -1);
  for (size_t i = 0; i < P.instructions.size(); ++i) {
    const Instruction &I = P.instructions[i];
    if (I.op == OpCode::If)
      ifOfValue[I.result] = static_cast<int>(i);
    if (I.op == OpCode::Phi) {
      e = checkPhi(P, I, B, ifOfValue);
    } else {
      for (int v : I.operands)
        if (!B.encloses(B.ofValue[v], B.ofInstruction[i])) {
          e = "operand %" + str(v) + " ('" + P.values[v].name +
              "') is defined inside a branch this instruction is not in";
          break;
        }
    }
    if (!e.empty())
      return "instruction " + str(i) + " (" + opcodeName(I.op) + " '" +
             I.name + "'): " + e;
  }
  for (int v : P.outputs)
    if (B.ofValue[v] > 0)
      return "output %" + str(v) + " ('" + P.values[v].name +
             "') is defined inside a branch; return it through a phi";
  return "";
}

size_t BranchCursor::next(size_t i, bool thenTaken) {
  const Instruction &I = program.instructions[i];
  size_t j = i + 1;
  if (I.op == OpCode::If) {
    size_t thenEnd = j + I.thenCount;
    if (thenTaken)
      skips.push_back({thenEnd, thenEnd + I.elseCount});
    else
      j = thenEnd;
  }
  // Leaving a then branch skips its else branch (nested ones may end at
  // the same instruction).
  while (!skips.empty() && j == skips.back().first) {
    j = skips.back().second;
    skips.pop_back();
  }
  return j;
}

} // namespace rebocc::program
