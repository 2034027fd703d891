//===- ProgramEmitter.cpp - crossbar dialect to program -------------------===//
//
// A crossbar layer is the chain input_buffer -> mvm (one per row tile) ->
// reduce -> bias_add; the emitter folds each chain into one Crossbar
// instruction after checking that its arrays are exactly the layout the
// program format defines (program::planArrays).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/ProgramEmitter/ProgramEmitter.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSwitch.h"

#include <tuple>

using namespace mlir;
using namespace rebocc;

namespace {

class Emitter {
public:
  Emitter(ModuleOp module, const model::HardwareDesc &hw,
          program::Program &program, bool releaseBlobs)
      : module(module), hw(hw), program(program), releaseBlobs(releaseBlobs) {}

  LogicalResult emit();

private:
  LogicalResult emitOp(Operation *op);
  LogicalResult emitLayer(crossbar::BiasAddOp biasAdd);
  LogicalResult emitDigital(crossbar::DigitalOp op);
  LogicalResult emitRecurrent(crossbar::DigitalOp op, program::OpCode code);
  LogicalResult emitIf(crossbar::IfOp op);
  FailureOr<SmallVector<Value>> emitBranch(Region &region);
  int addValue(Value value, StringRef name);
  std::string nameOf(Value value);
  FailureOr<int> idOf(Operation *user, Value value);
  program::Instruction &append(program::OpCode code, Operation *op,
                               ValueRange operands);
  std::optional<std::vector<float>> takeFloatValues(ElementsAttr attr);

  ModuleOp module;
  const model::HardwareDesc &hw;
  program::Program &program;
  llvm::DenseMap<Value, int> ids;
  /// Results of the crossbar layers an lstm or gru runs each time step:
  /// their layers, which get no crossbar instruction of their own.
  llvm::DenseMap<Value, int64_t> recurrentLayers;
  SymbolTableCollection symbols;
  bool releaseBlobs;
  /// With releaseBlobs: how many attributes of the module name each blob.
  llvm::DenseMap<const void *, int> blobUses;
};

/// The blob a dense_resource attribute names, as a key; null for others.
static const void *blobOf(Attribute attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  return resource ? resource.getRawHandle().getResource() : nullptr;
}

/// `attr`'s values; with releaseBlobs, taken out of its blob when no other
/// attribute names it, so that the program's copy replaces the IR's rather
/// than adding to it (a whole model's weights).
std::optional<std::vector<float>>
Emitter::takeFloatValues(ElementsAttr attr) {
  if (const void *blob = blobOf(attr);
      releaseBlobs && blob && --blobUses[blob] == 0)
    return rebocc::takeFloatValues(attr);
  return getFloatValues(attr);
}

} // namespace

/// Program shapes use -1 for the dynamic (batch) dimension.
static std::vector<int64_t> shapeOf(Value value) {
  std::vector<int64_t> shape;
  for (int64_t dim : cast<RankedTensorType>(value.getType()).getShape())
    shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  return shape;
}

/// The shape a program value declares. Image-shaped (rank-4, NCHW) values
/// leave their spatial sizes open: they follow from the input at run time,
/// so one program runs every resolution its layers allow.
static std::vector<int64_t> declaredShapeOf(Value value) {
  std::vector<int64_t> shape = shapeOf(value);
  if (shape.size() == 4)
    shape[2] = shape[3] = -1;
  return shape;
}

int Emitter::addValue(Value value, StringRef name) {
  int id = program.values.size();
  program.values.push_back({name.str(), declaredShapeOf(value)});
  ids[value] = id;
  return id;
}

/// A readable name: the op's name location (the ONNX node) or its position.
std::string Emitter::nameOf(Value value) {
  if (auto loc = dyn_cast<NameLoc>(value.getLoc()))
    return loc.getName().str();
  return "v" + std::to_string(program.values.size());
}

FailureOr<int> Emitter::idOf(Operation *user, Value value) {
  auto it = ids.find(value);
  if (it == ids.end())
    return user->emitError("operand is not produced by an emitted op");
  return it->second;
}

program::Instruction &Emitter::append(program::OpCode code, Operation *op,
                                      ValueRange operands) {
  program::Instruction instruction;
  instruction.op = code;
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    instruction.name = loc.getName().str();
  else
    instruction.name = op->getName().getStringRef().str();
  for (Value operand : operands)
    instruction.operands.push_back(ids.lookup(operand));
  // An if's results are its phis'; its own is the condition (emitIf).
  if (op->getNumResults() == 1 && code != program::OpCode::If)
    instruction.result = addValue(op->getResult(0), nameOf(op->getResult(0)));
  program.instructions.push_back(std::move(instruction));
  return program.instructions.back();
}

/// Reads a layer's arrays back, checks them against the canonical layout and
/// stores them, with their places, in `plan`.
static LogicalResult collectArrays(crossbar::LayerOp layer,
                                   program::CrossbarLayer &plan,
                                   ArrayRef<crossbar::MvmOp> mvms,
                                   SymbolTableCollection &symbols) {
  std::vector<program::Array> expected = plan.arrays;
  std::vector<program::Array> found;
  for (crossbar::MvmOp mvm : mvms)
    for (Attribute ref : mvm.getArrays()) {
      auto array = symbols.lookupNearestSymbolFrom<crossbar::ArrayOp>(
          mvm, cast<SymbolRefAttr>(ref));
      crossbar::PlaceAttr at = array.getPlaceAttr();
      if (!at)
        return array.emitError("array is not placed; run "
                               "crossbar-place-arrays before emitting");
      program::Array placed;
      placed.place = {at.getChip(), at.getLoad(), at.getTile(), at.getIma(),
                      at.getXbar()};
      placed.group = array.getGroup().value_or(0);
      placed.rowTile = array.getRowTile();
      placed.colTile = array.getColTile();
      placed.rowBegin = array.getRowBegin();
      placed.rowCount = array.getRowCount();
      placed.weightColBegin = array.getColBegin();
      placed.weightColCount = array.getColCount();
      found.push_back(placed);
    }
  // mvm ops list arrays by row tile; the program orders them by group first.
  std::stable_sort(found.begin(), found.end(),
                   [](const program::Array &a, const program::Array &b) {
                     return std::make_tuple(a.group, a.rowTile, a.colTile) <
                            std::make_tuple(b.group, b.rowTile, b.colTile);
                   });
  auto same = [](const program::Array &a, const program::Array &b) {
    return a.group == b.group && a.rowTile == b.rowTile &&
           a.colTile == b.colTile &&
           a.rowBegin == b.rowBegin && a.rowCount == b.rowCount &&
           a.weightColBegin == b.weightColBegin &&
           a.weightColCount == b.weightColCount;
  };
  if (found.size() != expected.size() ||
      !std::equal(found.begin(), found.end(), expected.begin(), same))
    return layer.emitError("arrays of layer '")
           << layer.getSymName()
           << "' differ from the program format's layout for this hardware";
  plan.arrays = std::move(found);
  return success();
}

/// Whether `value` is only an lstm, gru or rnn's recurrence operand (from the
/// fourth, lstm, or the third, gru and rnn): a layer the cell runs in its
/// loop.
static bool isRecurrence(Value value) {
  if (!value.hasOneUse())
    return false;
  OpOperand &use = *value.getUses().begin();
  auto cell = dyn_cast<crossbar::DigitalOp>(use.getOwner());
  if (!cell)
    return false;
  if (cell.getFn() == "lstm")
    return use.getOperandNumber() == 3;
  return (cell.getFn() == "gru" || cell.getFn() == "rnn") &&
         use.getOperandNumber() >= 2;
}

LogicalResult Emitter::emitLayer(crossbar::BiasAddOp biasAdd) {
  auto reduce = biasAdd.getInput().getDefiningOp<crossbar::ReduceOp>();
  if (!reduce)
    return biasAdd.emitError("bias_add must consume a crossbar.reduce");
  SmallVector<crossbar::MvmOp> mvms;
  for (Value partial : reduce.getPartials()) {
    auto mvm = partial.getDefiningOp<crossbar::MvmOp>();
    if (!mvm || mvm.getLayer() != biasAdd.getLayer())
      return reduce.emitError("reduce operands must be mvm ops of one layer");
    mvms.push_back(mvm);
  }
  auto buffer = mvms.front().getInput().getDefiningOp<crossbar::InputBufferOp>();
  if (!buffer || llvm::any_of(mvms, [&](crossbar::MvmOp mvm) {
        return mvm.getInput() != buffer.getResult();
      }))
    return mvms.front().emitError("all mvm ops of a layer read one input_buffer");
  auto layer = symbols.lookupNearestSymbolFrom<crossbar::LayerOp>(
      biasAdd, biasAdd.getLayerAttr());
  if (!layer)
    return biasAdd.emitError("unknown layer ") << biasAdd.getLayerAttr();
  // Integer weights have their own width, at most the chip's.
  bool bitsFit = layer.getIntegerWeights()
                     ? (int64_t)layer.getWeightBits() <= hw.weightBits
                     : (int64_t)layer.getWeightBits() == hw.weightBits;
  if (!bitsFit || (int64_t)layer.getCellBits() != hw.cellBits)
    return layer.emitError("layer encoding differs from the hardware description");

  program::CrossbarLayer plan = layer.toProgramLayer(buffer.getShared());
  std::optional<std::vector<float>> weights = takeFloatValues(layer.getWeight());
  std::optional<std::vector<float>> bias = takeFloatValues(layer.getBias());
  if (!weights || !bias)
    return layer.emitError("unreadable weights or bias");
  plan.weights = std::move(*weights);
  plan.bias = std::move(*bias);
  std::string problem = program::planArrays(plan, hw);
  if (!problem.empty())
    return layer.emitError(problem);
  if (failed(collectArrays(layer, plan, mvms, symbols)))
    return failure();

  FailureOr<int> input = idOf(buffer, buffer.getInput());
  if (failed(input))
    return failure();
  program.layers.push_back(std::move(plan));
  if (isRecurrence(biasAdd.getResult())) {
    recurrentLayers[biasAdd.getResult()] = program.layers.size() - 1;
    return success();
  }
  program::Instruction &instruction =
      append(program::OpCode::Crossbar, biasAdd, {});
  instruction.operands = {*input};
  instruction.index = program.layers.size() - 1;
  instruction.name = layer.getSymName().str();
  return success();
}

static std::optional<program::OpCode> opcodeOf(StringRef fn) {
  using program::OpCode;
  return llvm::StringSwitch<std::optional<OpCode>>(fn)
      .Case("relu", OpCode::Relu)
      .Case("sigmoid", OpCode::Sigmoid)
      .Case("softmax", OpCode::Softmax)
      .Case("add", OpCode::Add)
      .Case("mul", OpCode::Mul)
      .Case("reshape", OpCode::Reshape)
      .Case("flatten", OpCode::Flatten)
      .Case("identity", OpCode::Identity)
      .Case("max_pool", OpCode::MaxPool)
      .Case("avg_pool", OpCode::AveragePool)
      .Case("global_avg_pool", OpCode::GlobalAveragePool)
      .Case("clip", OpCode::Clip)
      .Case("leaky_relu", OpCode::LeakyRelu)
      .Case("hard_sigmoid", OpCode::HardSigmoid)
      .Case("hard_swish", OpCode::HardSwish)
      .Case("prelu", OpCode::PRelu)
      .Case("concat", OpCode::Concat)
      .Case("pad", OpCode::Pad)
      .Case("transpose", OpCode::Transpose)
      .Case("sqrt", OpCode::Sqrt)
      .Case("erf", OpCode::Erf)
      .Case("exp", OpCode::Exp)
      .Case("log", OpCode::Log)
      .Case("neg", OpCode::Neg)
      .Case("abs", OpCode::Abs)
      .Case("tanh", OpCode::Tanh)
      .Case("round", OpCode::Round)
      .Case("cast", OpCode::Cast)
      .Case("gelu", OpCode::Gelu)
      .Case("gelu_tanh", OpCode::GeluTanh)
      .Case("not", OpCode::Not)
      .Case("pow", OpCode::Pow)
      .Case("div", OpCode::Div)
      .Case("min", OpCode::Min)
      .Case("max", OpCode::Max)
      .Case("equal", OpCode::Equal)
      .Case("greater", OpCode::Greater)
      .Case("greater_or_equal", OpCode::GreaterOrEqual)
      .Case("and", OpCode::And)
      .Case("or", OpCode::Or)
      .Case("xor", OpCode::Xor)
      .Case("where", OpCode::Where)
      .Case("reduce_max", OpCode::ReduceMax)
      .Case("reduce_min", OpCode::ReduceMin)
      .Case("reduce_sum", OpCode::ReduceSum)
      .Case("log_softmax", OpCode::LogSoftmax)
      .Case("normalize", OpCode::Normalize)
      .Case("slice", OpCode::Slice)
      .Case("gather", OpCode::Gather)
      .Case("resize", OpCode::Resize)
      .Case("matmul", OpCode::MatMul)
      .Case("lstm", OpCode::Lstm)
      .Case("gru", OpCode::Gru)
      .Case("rnn", OpCode::Gru) // mode rnn: a simple RNN
      .Case("unary", OpCode::Unary)
      .Case("fma", OpCode::Fma)
      .Default(std::nullopt);
}

/// Copies the function attributes of a digital op into the instruction;
/// fails on a missing or mistyped one.
static LogicalResult readDigitalAttrs(crossbar::DigitalOp op,
                                      program::Instruction &out) {
  auto ints = [&](StringRef name, std::vector<int64_t> &field) {
    auto attr = op->getAttrOfType<DenseI64ArrayAttr>(name);
    if (attr)
      field.assign(attr.asArrayRef().begin(), attr.asArrayRef().end());
    return attr != nullptr;
  };
  auto real = [&](StringRef name, float &field) {
    auto attr = op->getAttrOfType<FloatAttr>(name);
    if (attr)
      field = attr.getValueAsDouble();
    return attr != nullptr;
  };
  auto flag = [&](StringRef name, bool &field) {
    auto attr = op->getAttrOfType<BoolAttr>(name);
    if (attr)
      field = attr.getValue();
    return attr != nullptr;
  };
  bool ok = true;
  switch (out.op) {
  case program::OpCode::MaxPool:
    ok = ints("kernel_shape", out.kernel) && ints("strides", out.strides) &&
         ints("pads", out.pads) && ints("dilations", out.dilations) &&
         flag("ceil_mode", out.ceilMode);
    break;
  case program::OpCode::AveragePool:
    ok = ints("kernel_shape", out.kernel) && ints("strides", out.strides) &&
         ints("pads", out.pads) && flag("ceil_mode", out.ceilMode) &&
         flag("count_include_pad", out.countIncludePad);
    // ONNX AveragePool has no dilations before opset 19 (LpPool's sum does).
    if (!op->hasAttr("dilations"))
      out.dilations = {1, 1};
    else
      ok = ok && ints("dilations", out.dilations);
    break;
  case program::OpCode::Clip:
    ok = real("min", out.alpha) && real("max", out.beta);
    if (op->hasAttr("nan_to_min"))
      out.mode = "nan_to_min";
    break;
  case program::OpCode::LeakyRelu:
    ok = real("alpha", out.alpha);
    break;
  case program::OpCode::HardSigmoid:
    ok = real("alpha", out.alpha) && real("beta", out.beta);
    break;
  case program::OpCode::Pad:
    if (auto mode = op->getAttrOfType<StringAttr>("mode"))
      out.mode = mode.str();
    ok = ints("pads", out.pads) && real("value", out.alpha) && !out.mode.empty();
    break;
  case program::OpCode::Transpose:
    ok = ints("perm", out.perm);
    break;
  case program::OpCode::ReduceMax:
  case program::OpCode::ReduceMin:
  case program::OpCode::ReduceSum:
    ok = ints("axes", out.axes);
    break;
  case program::OpCode::Normalize:
    ok = real("epsilon", out.alpha);
    break;
  case program::OpCode::Resize:
    if (auto weights = op->getAttrOfType<DenseF32ArrayAttr>("weights"))
      out.weights.assign(weights.asArrayRef().begin(),
                         weights.asArrayRef().end());
    else
      ok = false;
    ok = ok && ints("axes", out.axes) && ints("taps", out.taps) &&
         ints("sources", out.sources);
    break;
  case program::OpCode::Slice:
    ok = ints("axes", out.axes) && ints("starts", out.starts) &&
         ints("ends", out.ends);
    break;
  case program::OpCode::MatMul:
    out.mode = op->hasAttr("reprogram") ? "reprogram" : "digital";
    break;
  case program::OpCode::Cast:
    if (auto to = op->getAttrOfType<StringAttr>("to"))
      out.mode = to.str();
    ok = !out.mode.empty();
    break;
  case program::OpCode::Unary:
    if (auto function = op->getAttrOfType<StringAttr>("function"))
      out.mode = function.str();
    ok = !out.mode.empty() && real("alpha", out.alpha) &&
         real("beta", out.beta);
    break;
  case program::OpCode::Gather: // the axis is the op's own
    if (auto mode = op->getAttrOfType<StringAttr>("mode"))
      out.mode = mode.str();
    ok = !out.mode.empty();
    break;
  default:
    break;
  }
  if (!ok)
    return op.emitError("missing or mistyped attributes for \"")
           << op.getFn() << "\"";
  return success();
}

/// An lstm, gru or rnn (a gru instruction of mode rnn): the operands other
/// than the recurrence are program values, the recurrence operands name the
/// layers of `layers`.
LogicalResult Emitter::emitRecurrent(crossbar::DigitalOp op,
                                     program::OpCode code) {
  SmallVector<Value> values;
  std::vector<int64_t> layers;
  for (OpOperand &operand : op->getOpOperands()) {
    auto layer = recurrentLayers.find(operand.get());
    if (layer != recurrentLayers.end()) {
      layers.push_back(layer->second);
      continue;
    }
    if (failed(idOf(op, operand.get())))
      return failure();
    values.push_back(operand.get());
  }
  auto reverse = op->getAttrOfType<BoolAttr>("reverse");
  auto clip = op->getAttrOfType<FloatAttr>("clip");
  auto lbr = op->getAttrOfType<BoolAttr>("linear_before_reset");
  const bool rnn = op.getFn() == "rnn";
  auto activation = op->getAttrOfType<StringAttr>("activation");
  auto alpha = op->getAttrOfType<FloatAttr>("activation_alpha");
  auto beta = op->getAttrOfType<FloatAttr>("activation_beta");
  if (!reverse || !clip || (code == program::OpCode::Gru && !rnn && !lbr) ||
      (rnn && (!activation || !alpha || !beta)) || layers.empty())
    return op.emitError("missing or mistyped attributes or recurrence "
                        "layers for \"")
           << op.getFn() << "\"";
  program::Instruction &instruction = append(code, op, values);
  instruction.layers = std::move(layers);
  instruction.reverse = reverse.getValue();
  instruction.alpha = clip.getValueAsDouble();
  instruction.linearBeforeReset = lbr && lbr.getValue();
  if (rnn) {
    instruction.mode = "rnn";
    instruction.activation = activation.getValue().str();
    instruction.activationAlpha = alpha.getValueAsDouble();
    instruction.activationBeta = beta.getValueAsDouble();
  }
  return success();
}

LogicalResult Emitter::emitDigital(crossbar::DigitalOp op) {
  std::optional<program::OpCode> recurrent = opcodeOf(op.getFn());
  if (recurrent && (*recurrent == program::OpCode::Lstm ||
                    *recurrent == program::OpCode::Gru))
    return emitRecurrent(op, *recurrent);
  for (Value operand : op.getOperands())
    if (failed(idOf(op, operand)))
      return failure();
  std::optional<program::OpCode> code = opcodeOf(op.getFn());
  if (!code)
    return op.emitError("unknown digital function \"") << op.getFn() << "\"";
  program::Instruction &instruction = append(*code, op, op.getOperands());
  if (op.getAxis())
    instruction.axis = *op.getAxis();
  if (*code == program::OpCode::Reshape)
    instruction.shape = shapeOf(op.getResult());
  if (*code == program::OpCode::Resize) {
    // The tables are for these sizes, which image values leave open.
    std::vector<int64_t> in = shapeOf(op.getOperand(0)),
                         out = shapeOf(op.getResult());
    if (auto axes = op->getAttrOfType<DenseI64ArrayAttr>("axes"))
      for (int64_t axis : axes.asArrayRef())
        if (axis >= 0 && axis < (int64_t)in.size()) {
          instruction.from.push_back(in[axis]);
          instruction.to.push_back(out[axis]);
        }
  }
  return readDigitalAttrs(op, instruction);
}

/// The ops of one region of an if, in order; returns the values it yields.
FailureOr<SmallVector<Value>> Emitter::emitBranch(Region &region) {
  Block &block = region.front();
  for (Operation &op : block.without_terminator())
    if (failed(emitOp(&op)))
      return failure();
  Operation *yield = block.getTerminator();
  for (Value operand : yield->getOperands())
    if (failed(idOf(yield, operand)))
      return failure();
  return SmallVector<Value>(yield->getOperands());
}

/// An if instruction whose result is the condition, the then region's
/// instructions, the else region's, and one phi per result choosing between
/// the values the two regions yield. A region that cannot run (then_error,
/// else_error) has no instructions; its phi operands are the other region's
/// values.
LogicalResult Emitter::emitIf(crossbar::IfOp op) {
  FailureOr<int> condition = idOf(op, op.getCondition());
  if (failed(condition))
    return failure();
  size_t at = program.instructions.size();
  int taken = program.values.size();
  program::Value value = program.values[*condition];
  value.declared.reset(); // the copy is no graph input
  value.name += ".taken";
  program.values.push_back(std::move(value));
  append(program::OpCode::If, op, op.getCondition()).result = taken;
  FailureOr<SmallVector<Value>> thenValues = emitBranch(op.getThenRegion());
  if (failed(thenValues))
    return failure();
  size_t elseStart = program.instructions.size();
  FailureOr<SmallVector<Value>> elseValues = emitBranch(op.getElseRegion());
  if (failed(elseValues))
    return failure();
  program::Instruction &branch = program.instructions[at];
  branch.thenCount = elseStart - at - 1;
  branch.elseCount = program.instructions.size() - elseStart;
  branch.thenError = op.getThenError().value_or("").str();
  branch.elseError = op.getElseError().value_or("").str();
  if (!branch.thenError.empty())
    *thenValues = *elseValues;
  if (!branch.elseError.empty())
    *elseValues = *thenValues;
  for (auto [result, onThen, onElse] :
       llvm::zip(op.getResults(), *thenValues, *elseValues)) {
    program::Instruction phi;
    phi.op = program::OpCode::Phi;
    phi.name = program.instructions[at].name;
    phi.operands = {taken, ids.lookup(onThen), ids.lookup(onElse)};
    phi.result = addValue(result, nameOf(result));
    program.instructions.push_back(std::move(phi));
  }
  return success();
}

LogicalResult Emitter::emitOp(Operation *op) {
  if (isa<crossbar::InputBufferOp, crossbar::MvmOp, crossbar::ReduceOp>(op))
    return success(); // Folded into the layer's bias_add.
  if (auto biasAdd = dyn_cast<crossbar::BiasAddOp>(op))
    return emitLayer(biasAdd);
  if (auto digital = dyn_cast<crossbar::DigitalOp>(op))
    return emitDigital(digital);
  if (auto branch = dyn_cast<crossbar::IfOp>(op))
    return emitIf(branch);
  if (auto constant = dyn_cast<crossbar::ConstantOp>(op)) {
    std::optional<std::vector<float>> data =
        takeFloatValues(constant.getValue());
    if (!data)
      return op->emitError("unreadable constant");
    std::string name = nameOf(constant.getResult());
    program.constants.push_back(
        {name, shapeOf(constant.getResult()), std::move(*data)});
    append(program::OpCode::Constant, op, {}).index =
        program.constants.size() - 1;
    return success();
  }
  if (auto ret = dyn_cast<func::ReturnOp>(op)) {
    for (Value operand : ret.getOperands()) {
      FailureOr<int> id = idOf(op, operand);
      if (failed(id))
        return failure();
      program.outputs.push_back(*id);
    }
    return success();
  }
  return op->emitError("cannot be emitted: lower it to the crossbar dialect first");
}

LogicalResult Emitter::emit() {
  auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError("expected exactly one function, found ")
           << funcs.size();
  func::FuncOp func = funcs.front();
  if (releaseBlobs)
    module->walk([&](Operation *op) {
      op->getAttrDictionary().walk([&](Attribute attr) {
        if (const void *blob = blobOf(attr))
          ++blobUses[blob];
      });
    });
  program.hw = hw;
  auto overflow = module->getAttrOfType<crossbar::OverflowPolicyAttr>(
      crossbar::CrossbarDialect::OverflowAttrHelper::getNameStr());
  if (overflow)
    program.overflow = overflow.getValue() == crossbar::OverflowPolicy::Reprogram
                           ? model::OverflowPolicy::Reprogram
                           : model::OverflowPolicy::MultiChip;
  for (BlockArgument arg : func.getArguments()) {
    auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                  kTensorNameAttr);
    std::string fallback = "input_" + std::to_string(arg.getArgNumber());
    program.inputs.push_back(addValue(arg, name ? name.getValue() : fallback));
    // The shape the model declares (or the shape flags fixed): only the
    // batch is left open by the importer, image sizes are not.
    program.values[program.inputs.back()].declared = shapeOf(arg);
    if (auto type = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      kTensorTypeAttr))
      program.values[program.inputs.back()].dtype = type.str();
  }
  for (Operation &op : func.getBody().front())
    if (failed(emitOp(&op)))
      return failure();
  // Outputs take the model's names.
  for (auto [index, id] : llvm::enumerate(program.outputs)) {
    if (auto name = func.getResultAttrOfType<StringAttr>(index, kTensorNameAttr))
      program.values[id].name = name.str();
    if (auto type = func.getResultAttrOfType<StringAttr>(index, kTensorTypeAttr))
      program.values[id].dtype = type.str();
  }
  if (!overflow && !program.layers.empty())
    return module.emitError("the module has no crossbar.overflow: run "
                            "crossbar-place-arrays before emitting");
  std::string problem = program::verify(program);
  if (!problem.empty())
    return module.emitError("emitted program is invalid: ") << problem;
  problem = program::verifyPlacement(program);
  if (!problem.empty())
    return module.emitError("emitted placement is invalid: ") << problem;
  return success();
}

LogicalResult rebocc::emitProgram(ModuleOp module, const model::HardwareDesc &hw,
                                  program::Program &out, bool releaseBlobs) {
  return Emitter(module, hw, out, releaseBlobs).emit();
}
