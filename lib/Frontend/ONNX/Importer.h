//===- Importer.h - state shared by the ONNX importer's files ---*- C++ -*-===//
//
// Private to lib/Frontend/ONNX. The importer is one class whose per-operator
// functions are spread over files by family: OnnxImporter.cpp (bindings and
// the graph walk), ImportLayers.cpp (crossbar layers and what folds into
// them), ImportDigital.cpp (arithmetic, activations, pooling),
// ImportElementwise.cpp (elementwise math, comparisons, logic),
// ImportReductions.cpp (ReduceX), ImportNormalization.cpp (layer and
// instance normalization), ImportShapes.cpp (shape computations and data
// movement), ImportShapeOps.cpp (Expand, Tile, Split, Size, Range),
// ImportInputs.cpp (graph inputs and the shape flags) and
// ImportControlFlow.cpp (If, and what is inside subgraphs),
// ImportSpaceDepth.cpp (DepthToSpace, SpaceToDepth), ImportConvTranspose.cpp
// (ConvTranspose as a Conv over a strided input), ImportResize.cpp and
// ImportMatMul.cpp (MatMul by weights and of two run-time tensors),
// ImportDouble.cpp (DOUBLE data carried as float32).
// ImportRecurrent.cpp (LSTM, GRU, RNN), NodeOrder.cpp (the import order).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_FRONTEND_ONNX_IMPORTER_H
#define REBOCC_LIB_FRONTEND_ONNX_IMPORTER_H

#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Frontend/ONNX/OnnxLoader.h"
#include "rebocc/Support/Shapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rebocc::onnxfe {

/// The value `Shape` reports for the dynamic batch dimension N. Run-time
/// data has at most one dynamic dimension, anywhere in its shape, whose size
/// is a known multiple c * N of the batch (a Transformer exported with
/// batch_first=False merges the batch into the heads, 2N, and the sequence,
/// 5N); batchDim(c) encodes that size in a shape tensor. Shape computations
/// propagate it (Gather, Unsqueeze, Squeeze, Concat, Slice, Cast, Reshape
/// of the shape tensor) and multiply or divide it by static integers
/// exactly; a Reshape target holding it places the batch there. Any other
/// use (other arithmetic, an index, a pad, a fill) is an error: the number
/// is only known when the network runs. -2^62 + (c - 1) * 2^20 is exact as
/// a double and far from any real dimension and from the INT64_MIN /
/// INT64_MAX that Slice uses as "to the end".
constexpr int64_t kBatchSentinel = INT64_MIN / 2;
constexpr int64_t kBatchStep = int64_t(1) << 20;
constexpr int64_t kMaxBatchMultiple = int64_t(1) << 40;

/// The shape-tensor value of a dimension of c * N (c in [1, 2^40]).
inline double batchDim(int64_t multiple) {
  return (double)(kBatchSentinel + (multiple - 1) * kBatchStep);
}

/// c when `value` is batchDim(c), else nullopt.
inline std::optional<int64_t> batchMultiple(double value) {
  double offset = value - (double)kBatchSentinel;
  if (offset < 0 || offset >= (double)(kMaxBatchMultiple * kBatchStep) ||
      std::fmod(offset, (double)kBatchStep) != 0)
    return std::nullopt;
  return (int64_t)(offset / (double)kBatchStep) + 1;
}

/// Larger kernels, strides, dilations or pads are taken as corrupt input
/// (and would overflow the window arithmetic).
constexpr int64_t kMaxWindow = int64_t(1) << 20;

/// A tensor known at compile time. Values are kept as double so int64 shape
/// tensors and float data share one representation.
struct ConstTensor {
  std::vector<int64_t> shape;
  std::vector<double> data;
  bool isFloat = true;
  /// The ONNX element type it was decoded from (0 when computed): the
  /// zero point of QuantizeLinear gives the quantized type.
  int dataType = 0;

  int64_t numElements() const {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    return count;
  }
  /// Whether this integer tensor carries the run-time batch size.
  bool hasBatchSentinel() const;
  /// Rounds every value to float32: a fold of FLOAT constants computes in
  /// double, where onnxruntime's kernels round each result to float32.
  void roundToFloat32();
};

/// The integers a DequantizeLinear of a constant int8 or uint8 tensor (a
/// QDQ weight, or the weight of a QOperator layer) stands for: the crossbar
/// layer it feeds holds these instead of the dequantized floats.
struct IntegerWeights {
  std::vector<int64_t> shape;
  std::vector<float> codes; // x - zero_point (exact in float32)
  std::vector<double> scale; // one, or one per index of `axis`
  int64_t axis = 0;
  /// The bits of the model's integer type: 8 (int8, uint8), 4 or 16.
  int64_t typeBits = 8;
};

/// A run-time tensor on the model's integer grid, x = scale * codes: the
/// DequantizeLinear of 8-bit activations (codes = q - zero_point), data
/// movement of such tensors (importOnCodes), or the data of a ConvInteger or
/// MatMulInteger (scale 1). A crossbar layer of
/// integer weights reading x is driven with the codes as they are, in
/// `bits` signed bits (|codes| <= 2^(bits-1) - 1 by the type's range).
struct IntegerActivations {
  std::string codes; // the name the codes are bound to
  double scale = 1;
  int64_t bits = 0;
};

/// What an ONNX tensor name stands for.
struct Binding {
  mlir::Value value;                // run-time data
  std::optional<ConstTensor> known; // compile-time constant
};

/// Kernel, strides, dilations (two entries each) and pads (top, left,
/// bottom, right) of a 2-D sliding window, with the output size they give.
struct Window {
  llvm::SmallVector<int64_t, 2> kernel, strides, dilations;
  llvm::SmallVector<int64_t, 4> pads;
  bool ceilMode = false;
  int64_t outH = 0, outW = 0;
};

/// The constant per-tensor quantization of a QOperator contrib node's
/// input X and output Y, and their 8-bit code type's range.
struct QLinearUnaryParams {
  struct Side {
    float scale = 1;
    float zeroPoint = 0;
  } x, y;
  int dataType = onnx::TensorProto::UINT8;
  float lo = 0, hi = 255;
};

class Importer {
public:
  Importer(mlir::MLIRContext &context, std::string fileName, int64_t opset)
      : context(context), builder(&context), fileName(std::move(fileName)),
        opset(opset) {}

  /// `consumable`, when given, is `graph` itself: each initializer's bytes
  /// are released from it once decoded. `deferred`, when given, holds the
  /// raw_data `consumable` was parsed without.
  mlir::OwningOpRef<mlir::ModuleOp>
  import(const onnx::GraphProto &graph, const ImportOptions &options,
         onnx::GraphProto *consumable = nullptr,
         const DeferredRawData *deferred = nullptr);
  const std::string &getError() const { return error; }
  /// One line each, starting with the file name.
  const std::vector<std::string> &getWarnings() const { return warnings; }

  // One function per operator family (see the dispatch table).
  // ImportLayers.cpp
  bool importGemm(const onnx::NodeProto &node);
  bool importConv(const onnx::NodeProto &node);
  bool importBatchNorm(const onnx::NodeProto &node);
  // ImportConvTranspose.cpp
  bool importConvTranspose(const onnx::NodeProto &node);
  // ImportResize.cpp
  bool importResize(const onnx::NodeProto &node);
  bool importUpsample(const onnx::NodeProto &node);
  // ImportMatMul.cpp
  bool importMatMul(const onnx::NodeProto &node);
  bool importEinsum(const onnx::NodeProto &node);
  bool matMulByWeight(const onnx::NodeProto &node, mlir::Value a,
                      const ConstTensor &b);
  bool matMulAtRunTime(const onnx::NodeProto &node, mlir::Value a,
                       mlir::Value b);
  // ImportRecurrent.cpp
  bool importRecurrent(const onnx::NodeProto &node);
  // ImportDigital.cpp
  bool importBinary(const onnx::NodeProto &node);
  bool importActivation(const onnx::NodeProto &node);
  bool importClip(const onnx::NodeProto &node);
  bool importPRelu(const onnx::NodeProto &node);
  bool importSoftmax(const onnx::NodeProto &node);
  bool importPool(const onnx::NodeProto &node);
  bool importGlobalAveragePool(const onnx::NodeProto &node);
  bool importReduceMean(const onnx::NodeProto &node);
  bool importGlobalMaxPool(const onnx::NodeProto &node);
  bool importLpPool(const onnx::NodeProto &node);
  bool importIdentity(const onnx::NodeProto &node);
  // ImportElementwise.cpp
  bool importElementwise(const onnx::NodeProto &node);
  bool importVariadic(const onnx::NodeProto &node);
  bool importGelu(const onnx::NodeProto &node);
  // ImportUnary.cpp
  bool importUnaryFunction(const onnx::NodeProto &node);
  bool unaryParameter(const onnx::NodeProto &node, const char *name,
                      bool isInt, float &value);
  bool importCastLike(const onnx::NodeProto &node);
  int elementTypeOf(llvm::StringRef name, int depth = 0);
  // ImportSignal.cpp
  bool scalarInput(const onnx::NodeProto &node, int index,
                   llvm::StringRef what, double &value);
  bool bindSignalConstant(const onnx::NodeProto &node, ConstTensor out);
  bool importWindow(const onnx::NodeProto &node);
  bool importMelWeightMatrix(const onnx::NodeProto &node);
  bool importSTFT(const onnx::NodeProto &node);
  bool importDFT(const onnx::NodeProto &node);
  // ImportReductions.cpp
  bool importReduce(const onnx::NodeProto &node);
  bool importLpNormalization(const onnx::NodeProto &node);
  bool importMeanVarianceNormalization(const onnx::NodeProto &node);
  bool checkStaticAxes(const onnx::NodeProto &node,
                       llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> axes);
  // ImportNormalization.cpp
  bool importLayerNorm(const onnx::NodeProto &node);
  bool importInstanceNorm(const onnx::NodeProto &node);
  bool importLRN(const onnx::NodeProto &node);
  // ImportIndexOps.cpp
  bool importArgExtreme(const onnx::NodeProto &node);
  bool importHardmax(const onnx::NodeProto &node);
  bool importCumSum(const onnx::NodeProto &node);
  bool importTrilu(const onnx::NodeProto &node);
  bool importTopK(const onnx::NodeProto &node);
  // ImportShapeOps.cpp
  bool importExpand(const onnx::NodeProto &node);
  bool importTile(const onnx::NodeProto &node);
  bool importSplit(const onnx::NodeProto &node);
  bool importSize(const onnx::NodeProto &node);
  bool importRange(const onnx::NodeProto &node);
  // Compile-time only (ImportConstantOps.cpp).
  bool importMod(const onnx::NodeProto &node);
  bool importScatterND(const onnx::NodeProto &node);
  // ImportShapes.cpp
  bool importFlatten(const onnx::NodeProto &node);
  bool importReshape(const onnx::NodeProto &node);
  bool importConstant(const onnx::NodeProto &node);
  bool importConstantOfShape(const onnx::NodeProto &node);
  bool importShape(const onnx::NodeProto &node);
  bool importGather(const onnx::NodeProto &node);
  bool importUnsqueezeSqueeze(const onnx::NodeProto &node);
  bool importSlice(const onnx::NodeProto &node);
  bool importCast(const onnx::NodeProto &node);
  bool importConcat(const onnx::NodeProto &node);
  bool importPad(const onnx::NodeProto &node);
  bool importTranspose(const onnx::NodeProto &node);
  bool importRuntimeSlice(const onnx::NodeProto &node, mlir::Value x,
                          llvm::ArrayRef<int64_t> in,
                          llvm::ArrayRef<int64_t> starts,
                          llvm::ArrayRef<int64_t> ends,
                          llvm::ArrayRef<int64_t> axes,
                          llvm::ArrayRef<int64_t> steps);
  bool importRuntimeGather(const onnx::NodeProto &node, mlir::Value x);
  // ImportGather.cpp: the gathers by run-time indices (circulant.gather).
  bool importGatherOp(const onnx::NodeProto &node, support::GatherKind kind);
  bool importGatherElements(const onnx::NodeProto &node);
  bool importGatherND(const onnx::NodeProto &node);
  /// Fails unless input 1 of `node` holds integers (integer data at run
  /// time, or an integer constant): ONNX indices are INT32 or INT64.
  bool integerIndices(const onnx::NodeProto &node, const Binding &indices);
  bool importDepthToSpace(const onnx::NodeProto &node);
  bool importSpaceToDepth(const onnx::NodeProto &node);
  bool blockOperands(const onnx::NodeProto &node, const Binding &input,
                     std::vector<int64_t> &dims, int64_t &block);
  bool bindBlockRearrange(const onnx::NodeProto &node, const Binding &input,
                          llvm::ArrayRef<int64_t> split,
                          llvm::ArrayRef<int64_t> perm,
                          llvm::ArrayRef<int64_t> result);
  // ImportControlFlow.cpp
  bool importIf(const onnx::NodeProto &node);
  // ImportMicrosoftQLinearUnary.cpp (domain com.microsoft)
  bool importQLinearLookup(const onnx::NodeProto &node);
  bool importQLinearGlobalAveragePool(const onnx::NodeProto &node);
  bool importQLinearAveragePool(const onnx::NodeProto &node);
  // ImportQuantize.cpp
  bool importQuantizeLinear(const onnx::NodeProto &node);
  bool importDequantizeLinear(const onnx::NodeProto &node);
  bool importQLinearLayer(const onnx::NodeProto &node);
  bool importIntegerLayer(const onnx::NodeProto &node);
  bool importDynamicQuantizeLinear(const onnx::NodeProto &node);
  // ImportMicrosoftQLinear.cpp: onnxruntime's QOperator contrib ops.
  bool importQLinearBinary(const onnx::NodeProto &node);
  bool importQLinearConcat(const onnx::NodeProto &node);
  /// One operand's per-tensor constant scale and zero point (0 when
  /// absent) and its type, uint8 or int8.
  struct QLinearOperand {
    float scale = 1, zeroPoint = 0;
    int type = 0;
  };
  /// The operand `name` of `node`: its scale at input `scaleIndex`, its
  /// optional zero point after it; without one, the type of the data at
  /// `dataIndex` (-1: none). One error naming the node otherwise.
  bool qlinearOperand(const onnx::NodeProto &node, int dataIndex,
                      int scaleIndex, const std::string &name,
                      QLinearOperand &q);
  bool qlinearScaleZeroPoint(const onnx::NodeProto &node, int scaleIndex,
                             const std::string &name, QLinearOperand &q);
  mlir::Value scalarConstant(float value, mlir::Location loc,
                             llvm::StringRef name);
  /// QuantizeLinear of `x` whose scale or zero point is run-time data.
  bool quantizeAtRunTime(const onnx::NodeProto &node, mlir::Value x);
  /// DequantizeLinear whose scale or zero point is run-time data.
  bool dequantizeAtRunTime(const onnx::NodeProto &node);
  /// The shape a scale (and zero point) read at run time broadcasts in
  /// against data of `shape`: all ones, or the scale's length at the
  /// normalized `axis` (one error when it does not fit).
  bool runtimeParamShape(const onnx::NodeProto &node,
                         llvm::ArrayRef<int64_t> shape, const Binding &scale,
                         const Binding *zeroPoint,
                         llvm::SmallVectorImpl<int64_t> &along);
  /// A Conv, MatMul or Gemm whose weight is integer (IntegerWeights): the
  /// layer holds the integers and the scale and bias follow it; nullopt
  /// when the weight is not one (or not per output channel).
  std::optional<bool> importIntegerWeightLayer(const onnx::NodeProto &node);

private:
  /// X's and Y's scales and zero points of a QOperator contrib node
  /// (inputs 1, 2, 3, 4; the zero points optional), all constant.
  bool qlinearUnaryParams(const onnx::NodeProto &node, QLinearUnaryParams &p);
  // Graph inputs (ImportInputs.cpp).
  bool importInputs(const onnx::GraphProto &graph, onnx::GraphProto *consumable,
                    const ImportOptions &options,
                    llvm::SmallVectorImpl<mlir::Type> &types);
  /// The value of every symbolic dim the flags fix; fails on a flag that
  /// names no input or symbol, or contradicts the model or another flag.
  bool resolveSymbols(llvm::ArrayRef<const onnx::ValueInfoProto *> inputs,
                      const ImportOptions &options,
                      std::map<std::string, int64_t> &symbols);
  // Subgraphs (ImportControlFlow.cpp).
  /// Counts the readers of each tensor name, in subgraphs too (a branch
  /// reads outer-scope names).
  void countConsumers(const onnx::GraphProto &graph);
  void releaseReadInputs(const onnx::NodeProto &node);
  bool decodePending(llvm::StringRef name);
  bool readDeferred(int index, char *out);
  void releaseInitializerBytes(int index);
  bool takePendingFloats(const onnx::NodeProto &node, int index,
                         std::vector<float> &values);
  /// Imports a subgraph's nodes into the current scope; its outputs stay
  /// bound under their own names.
  bool inlineGraph(const onnx::GraphProto &graph);
  /// Inlines one If branch; `results` receives its outputs' bindings.
  bool importBranch(const onnx::NodeProto &node, const std::string &branchName,
                    const onnx::GraphProto &branch,
                    llvm::SmallVectorImpl<Binding> &results);
  bool importRegion(const onnx::NodeProto &node, const std::string &branchName,
                    const onnx::GraphProto &branch, mlir::Region &region,
                    llvm::SmallVectorImpl<mlir::Value> &yielded);
  void closeBranchScope(const onnx::GraphProto &branch, mlir::Region &region);
  bool importRuntimeRegion(const onnx::NodeProto &node,
                           const std::string &branchName,
                           const onnx::GraphProto &branch,
                           mlir::Region &region,
                           llvm::SmallVectorImpl<mlir::Value> &yielded,
                           std::string &deferred);
  void discardRegion(const onnx::GraphProto &branch, mlir::Region &region);
  bool runtimeBranches(const onnx::NodeProto &node, mlir::Value condition,
                       const onnx::GraphProto &thenBranch,
                       const onnx::GraphProto &elseBranch);
  void bindOutputs(const onnx::NodeProto &node,
                   llvm::ArrayRef<Binding> results);
  bool importNode(const onnx::NodeProto &node);
  /// The nodes of `graph` in the order to import them (NodeOrder.cpp): a
  /// topological order of what they read, in file order where that is
  /// one. Fails naming a node on a cycle, or one reading a name that
  /// neither a node of `graph` nor a binding in scope defines.
  bool sortNodes(const onnx::GraphProto &graph,
                 std::vector<const onnx::NodeProto *> &order);
  bool checkSingleWriters(const onnx::GraphProto &graph);
  bool checkIntegerDataUses(const onnx::GraphProto &graph,
                            llvm::ArrayRef<const onnx::NodeProto *> order);
  /// As checkIntegerDataUses, for the integer results of run-time Casts
  /// (castIntegers), which are known only as the nodes are imported:
  /// fails when `node` reads one and computes in float; records the
  /// outputs of data movement that reads one.
  bool checkCastIntegerUses(const onnx::NodeProto &node);
  /// Warns (once) when `node` computes on the half-precision result of a
  /// run-time Cast (castHalves), which rebocc, ONNX and onnxruntime each
  /// compute differently (docs/SupportedOps.md, "Cast of run-time data").
  void checkCastHalfUses(const onnx::NodeProto &node);
  /// Fails when `node` computes on run-time DOUBLE data (doubleData),
  /// which rebocc carries as float32 (ImportDouble.cpp); records the
  /// outputs of data movement of it.
  bool checkDoubleUses(const onnx::NodeProto &node);
  /// Fails when `node` folds a DOUBLE constant in float32; records the
  /// DOUBLE results of folding them in double (doubleConstants).
  bool checkDoubleFolding(const onnx::NodeProto &node);
  bool isDoubleConstant(const std::string &name) const;
  /// Fails, naming `node` when given, unless every value of the DOUBLE
  /// constant `tensor` (named `name`), which becomes run-time DOUBLE data,
  /// is a float32 value.
  bool checkDoubleConstant(const onnx::NodeProto *node,
                           const std::string &name, const ConstTensor &tensor);
  bool importOutputs(const onnx::GraphProto &graph, mlir::Operation *func);
  bool doubleOutput(const std::string &name);
  /// `value`, or a copy of it when it is already a graph input or output of
  /// another element type than `typeName` ("" for float32): the program
  /// types values, and a Cast to FLOAT or DOUBLE is no instruction.
  mlir::Value outputOfType(mlir::Value value, llvm::StringRef typeName,
                           llvm::DenseMap<mlir::Value, std::string> &typed);

  // Bindings (OnnxImporter.cpp).
  bool fail(const onnx::NodeProto &node, const llvm::Twine &message);
  bool fail(const llvm::Twine &message);
  const Binding *lookup(const onnx::NodeProto &node, int index);
  bool hasInput(const onnx::NodeProto &node, int index) const;
  bool runtimeInput(const onnx::NodeProto &node, int index, mlir::Value &value);
  // Conv's and ConvTranspose's bias B (zeros without it).
  bool convBias(const onnx::NodeProto &node, int64_t cOut,
                std::vector<float> &bias);
  /// The operands of a Conv or ConvTranspose (`what`, in the errors): the
  /// constant weight W (input 1, its dims named by `layout`) and the run-time
  /// input `x` of W's rank, 3 (1-D) or 4 (2-D). Null after an error.
  const ConstTensor *convOperands(const onnx::NodeProto &node,
                                  llvm::StringRef what, llvm::StringRef layout,
                                  mlir::Value &x);
  /// Input `index` as a compile-time constant; `what` names it in errors.
  /// Unless `allowBatch`, a constant carrying the run-time batch size fails.
  const ConstTensor *constantInput(const onnx::NodeProto &node, int index,
                                   const llvm::Twine &what,
                                   bool allowBatch = false);
  /// Integers of a 1-D (or scalar) constant input.
  bool intsInput(const onnx::NodeProto &node, int index,
                 const llvm::Twine &what, std::vector<int64_t> &out);
  /// Fails when output `index` exists and something reads it.
  bool rejectUsedOutput(const onnx::NodeProto &node, int index,
                        const llvm::Twine &what);
  std::vector<int64_t> shapeOfInput(const Binding &binding);
  /// Fails naming `name` when an integer of `tensor` is not a float32 value.
  bool integersFitFloat32(const ConstTensor &tensor, llvm::StringRef name);
  mlir::Value materialize(const ConstTensor &tensor, mlir::Location loc,
                          llvm::StringRef name);
  bool bind(const onnx::NodeProto &node, mlir::Value value);
  bool bindConstant(const onnx::NodeProto &node, ConstTensor tensor);
  /// Binds output `index` (when the node has it) to `value`.
  bool bindOutput(const onnx::NodeProto &node, int index, mlir::Value value) {
    if (index >= node.output_size() || node.output(index).empty())
      return true;
    auto type = mlir::cast<mlir::RankedTensorType>(value.getType());
    if (!checkShape(node, type.getShape(), "the result shape"))
      return false;
    env[node.output(index)] = Binding{value, std::nullopt};
    return true;
  }

  mlir::Location locFor(const onnx::NodeProto &node);
  std::string layerName(const onnx::NodeProto &node);

  // Elementwise operands (ImportElementwise.cpp).
  /// Looks up inputs 0..count-1 and broadcasts their shapes into `shape`.
  bool broadcastInputs(const onnx::NodeProto &node, int count,
                       llvm::SmallVectorImpl<const Binding *> &inputs,
                       std::vector<int64_t> &shape);
  /// Input `index` as run-time data; a boolean or integer constant becomes
  /// a float constant (booleans are 0 / 1 floats at run time).
  bool floatInput(const onnx::NodeProto &node, int index, mlir::Value &value);

  // Reductions (ImportReductions.cpp).
  /// The sorted, distinct axes `node` reduces over, from the attribute or
  /// the input its opset has; empty for noop_with_empty_axes.
  bool reductionAxes(const onnx::NodeProto &node, int64_t rank,
                     std::vector<int64_t> &axes);
  /// `sum` / `count` rounded once, as onnxruntime's ReduceMean and
  /// LayerNormalization divide (a multiplication by 1 / count when that is
  /// exact); the constant is named `name`.
  mlir::Value divideByCount(mlir::Value sum, int64_t count, mlir::Location loc,
                            const std::string &name);
  /// A reduction over no axes (noop_with_empty_axes): its elementwise part.
  mlir::Value noopReduce(llvm::StringRef opType, mlir::Value x,
                         mlir::Location loc);
  /// ReduceLogSumExp of `x` over `axes` (kept); constants named after `name`.
  mlir::Value logSumExp(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                        mlir::Location loc, const std::string &name);
  /// The product of `x` along `axis`, kept as 1 (ReduceProd).
  mlir::Value productAlong(mlir::Value x, int64_t axis, mlir::Location loc);
  /// The first (or `last`) position of the maximum (or minimum) of `x` in
  /// the block of dimensions `axes`, kept as 1; `ramp` gets the position
  /// constant (ImportIndexOps.cpp).
  mlir::Value extremePosition(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                              bool max, bool last, mlir::Location loc,
                              const std::string &name, mlir::Value &ramp);

  // Normalization (ImportNormalization.cpp).
  /// Mean and 1 / sqrt(variance + epsilon) of `x` over the dims from `axis`
  /// on (kept as 1): LayerNormalization's optional outputs.
  /// LayerNormalization over the last dimension of `x` of fewer than
  /// kRunningMeanBelow elements as onnxruntime computes it: the normalized
  /// x, the mean and 1 / sqrt(variance + epsilon) (the last two as x with
  /// the last dimension 1).
  std::tuple<mlir::Value, mlir::Value, mlir::Value>
  runningLayerNorm(mlir::Value x, float epsilon, const std::string &name,
                   mlir::Location loc);
  std::pair<mlir::Value, mlir::Value>
  layerNormStatistics(mlir::Value x, int64_t axis, float epsilon,
                      const std::string &name, mlir::Location loc);

  // Resize (ImportResize.cpp).
  /// Input `index` when it is given and non-empty (a constant), else null;
  /// `failed` when it is given but not a constant.
  const ConstTensor *resizeFactors(const onnx::NodeProto &node, int index,
                                   const llvm::Twine &what, bool &failed);

  // Shape operators (ImportShapeOps.cpp).
  /// `x` repeated `copies` times along `axis` (a concat of copies).
  mlir::Value repeatAlong(mlir::Value x, int64_t axis, int64_t copies,
                          mlir::Location loc);
  /// The piece sizes Split cuts a dimension of `dim` into.
  bool splitSizes(const onnx::NodeProto &node, int64_t dim,
                  std::vector<int64_t> &sizes);

  // Quantization (ImportQuantize.cpp).
  struct QuantParams;
  bool quantParams(const onnx::NodeProto &node, int rank, QuantParams &q);
  bool dequantizeFloat8(const onnx::NodeProto &node, const QuantParams &q);
  bool dequantizeBlocked(const onnx::NodeProto &node, int64_t blockSize);
  /// The quantization axis of `node` (attribute `axis`, default 1) in
  /// [0, rank); one error when it is out of range.
  bool quantAxis(const onnx::NodeProto &node, int64_t rank, int64_t &axis);
  bool recordActivationCodes(const onnx::NodeProto &node, const QuantParams &q,
                             mlir::Value codes);
  /// Data movement of activations on the integer grid, run on their codes
  /// (the scale after it) so a layer behind it still reads the codes;
  /// nullopt when `node` is not such data movement.
  std::optional<bool> importOnCodes(const onnx::NodeProto &node);
  /// An opset 1-6 arithmetic, comparison or logic node with `broadcast` and
  /// `axis` (ImportLegacyBroadcast.cpp): B reshaped so that numpy's rule
  /// aligns it at `axis`; nullopt when numpy's alignment is already the one.
  std::optional<bool> importLegacyBroadcast(const onnx::NodeProto &node);
  /// `codes` * scale, bound to `name`: the float tensor it stands for.
  mlir::Value scaleCodes(const onnx::NodeProto &node, const std::string &name,
                         mlir::Value codes, double scale);
  bool checkPerAxis(const onnx::NodeProto &node, const QuantParams &q,
                    llvm::ArrayRef<int64_t> shape);
  bool bindName(const std::string &name, ConstTensor tensor);
  bool integerLayerInput(const onnx::NodeProto &node, const std::string &name);
  bool importPiece(const onnx::NodeProto &node, llvm::StringRef opType,
                   std::vector<std::string> inputs, const std::string &output,
                   bool copyAttributes, int64_t axis = 1);

  // Layers (ImportLayers.cpp).
  bool createFullyConnected(const onnx::NodeProto &node, mlir::Value input,
                            std::vector<float> weight, std::vector<float> bias,
                            int64_t m, bool fromMatMul);
  /// Binds the node's output to `bound`, by default the layer's result.
  bool bindLayer(const onnx::NodeProto &node, mlir::Operation *layer,
                 mlir::Value bound = mlir::Value());
  mlir::Operation *exclusiveLayer(const onnx::NodeProto &node, int index);
  bool gemmInputA(const onnx::NodeProto &node, mlir::Value &a);
  bool foldScaleShift(const onnx::NodeProto &node, mlir::Operation *layer,
                      llvm::ArrayRef<float> scale, llvm::ArrayRef<float> shift);
  bool foldMatMulBias(const onnx::NodeProto &node);

  // Windows and shapes.
  bool readWindow(const onnx::NodeProto &node, llvm::ArrayRef<int64_t> input,
                  llvm::ArrayRef<int64_t> kernel, Window &window,
                  bool lift1D = false);
  bool readPoolWindow(const onnx::NodeProto &node, llvm::ArrayRef<int64_t> in,
                      llvm::SmallVectorImpl<int64_t> &in4, Window &window,
                      bool &is1D);
  bool spatialAxes(const onnx::NodeProto &node, llvm::ArrayRef<int64_t> in,
                   llvm::SmallVectorImpl<int64_t> &axes,
                   llvm::SmallVectorImpl<int64_t> &reduced);
  mlir::Value reshapeTo(mlir::Value input, llvm::ArrayRef<int64_t> shape,
                        mlir::Location loc);
  bool readPads(const onnx::NodeProto &node, int64_t rank,
                std::vector<int64_t> &full, float &value);
  /// Fails, naming the node and the dims, when the static dims of `shape`
  /// (the dynamic batch left out) do not have an element count that fits in
  /// int64 (support::checkedElementCount), or when that many elements of
  /// `elementBytes` (float32 run-time data; constants are held as double)
  /// exceed the memory budget (support::checkMemory). Called before
  /// allocating a folded constant and on every bound result.
  bool checkShape(const onnx::NodeProto &node, llvm::ArrayRef<int64_t> shape,
                  const llvm::Twine &what, int64_t elementBytes = 4);
  /// Fails when `shape` (run-time data) has more than one dynamic
  /// dimension: only the run-time batch may be dynamic, at any position.
  bool checkOneBatchDim(const onnx::NodeProto &node,
                        llvm::ArrayRef<int64_t> shape, const llvm::Twine &what);
  /// c when `value`'s dynamic dimension is c * N (the batch times a static
  /// factor, which reshapes that merge the batch with other dims change);
  /// 0 when it has none. Follows the definitions back to a graph input
  /// (c = 1) or a value whose multiple was recorded.
  int64_t batchMultipleOf(mlir::Value value);
  /// Records the multiple of `value`'s dynamic dim (a reshape's result).
  void setBatchMultiple(mlir::Value value, int64_t multiple) {
    batchMultiples[value] = multiple;
  }

  mlir::MLIRContext &context;
  mlir::OpBuilder builder;
  std::string fileName;
  int64_t opset;
  std::string error;
  std::vector<std::string> warnings;
  llvm::StringMap<Binding> env;
  /// batchMultipleOf's results and what reshapes recorded.
  llvm::DenseMap<mlir::Value, int64_t> batchMultiples;
  /// fc ops created from a MatMul, whose zero bias a following Add may fill.
  llvm::DenseSet<mlir::Operation *> biaslessFromMatMul;
  /// For each fc/conv op, the ONNX tensor name its raw result is bound to
  /// (updated as a bias or BatchNormalization folds in), so folding can
  /// check that nothing else reads that result.
  llvm::DenseMap<mlir::Operation *, std::string> layerTensor;
  /// IntegerWeights by the name of the DequantizeLinear's output.
  llvm::StringMap<IntegerWeights> integerWeights;
  /// IntegerActivations by the name of the float tensor they stand for.
  llvm::StringMap<IntegerActivations> integerActivations;
  /// ImportOptions::chipInputBits: the widest codes a layer may read.
  int64_t chipInputBits = 16;
  /// Tensors holding a run-time Cast's integer result, or data movement of
  /// one (checkCastIntegerUses).
  llvm::StringSet<> castIntegers;
  /// Tensors holding a run-time Cast's FLOAT16 or BFLOAT16 result, or data
  /// movement of one (checkCastHalfUses); whether that warning was given.
  llvm::StringSet<> castHalves;
  bool warnedHalfUse = false;
  /// Run-time DOUBLE tensors, carried as float32 (ImportDouble.cpp): DOUBLE
  /// graph inputs, run-time Casts to DOUBLE and data movement of them.
  llvm::StringSet<> doubleData;
  /// Constants folded to DOUBLE values (isDoubleConstant).
  llvm::StringSet<> doubleConstants;
  /// The ONNX element type of the run-time tensors that are not float32,
  /// where the importer knows it: graph inputs, a run-time Cast's result,
  /// QuantizeLinear's and DynamicQuantizeLinear's integer outputs, and data
  /// movement of those (recordRuntimeTypes). A run-time zero point gives
  /// QuantizeLinear its type from here.
  llvm::StringMap<int> runtimeTypes;
  /// Records the type of `node`'s outputs when it moves typed data.
  void recordRuntimeTypes(const onnx::NodeProto &node);
  /// The node producing each run-time tensor imported so far, and the
  /// element types the top-level graph declares (inputs, value_info,
  /// outputs): what CastLike takes its target's type from (elementTypeOf).
  struct Producer {
    std::string op;
    std::string inputs[2]; // the first two ("" when absent)
    int output = 0;        // which of the node's outputs the tensor is
    int64_t to = 0;        // Cast's `to`
    bool outputDtype = false; // DequantizeLinear's output_dtype is given
  };
  llvm::StringMap<Producer> producers;
  llvm::StringMap<int> declaredTypes;
  /// The run-time integer tensors checkIntegerDataUses found (graph inputs
  /// of integer types and what integer data flows into): valid indices.
  llvm::StringSet<> integerData;
  /// The multiplications of activation codes by their scale (the float
  /// tensors of IntegerActivations): those nothing reads once the graph is
  /// imported (their readers took the codes) are erased by
  /// dropUnreadScalings.
  llvm::SmallVector<mlir::Operation *> codeScalings;
  void dropUnreadScalings();
  /// How many nodes and graph outputs read each tensor name.
  llvm::StringMap<int> consumers;
  /// How many top-level nodes have yet to read each tensor name (reads
  /// from inside subgraphs are never counted down): a constant none will
  /// read again has its values released.
  llvm::StringMap<int> unreadTopLevel;
  /// Top-level initializers checked but not yet decoded (their bindings
  /// have the shape and no values), by index in `initializers`: each is
  /// decoded when first read, then its bytes are released from
  /// `consumableInitializers` when given.
  llvm::StringMap<int> pendingInitializers;
  const onnx::GraphProto *initializers = nullptr;
  onnx::GraphProto *consumableInitializers = nullptr;
  /// The raw_data of `consumableInitializers` left in the model file.
  const DeferredRawData *deferredRawData = nullptr;
  llvm::StringSet<> usedLayerNames;
  /// Where the nodes being imported sit, for errors: "" at the top level,
  /// " in then_branch of node 'if0' (If)" inside a branch.
  std::string scope;
};

//===----------------------------------------------------------------------===//
// Helpers shared by the importer's files
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     llvm::StringRef name);
int64_t getInt(const onnx::NodeProto &node, llvm::StringRef name,
               int64_t fallback);
float getFloat(const onnx::NodeProto &node, llvm::StringRef name,
               float fallback);
std::string getString(const onnx::NodeProto &node, llvm::StringRef name,
                      llvm::StringRef fallback);
std::optional<std::vector<int64_t>> getInts(const onnx::NodeProto &node,
                                            llvm::StringRef name);
mlir::RankedTensorType tensorType(llvm::ArrayRef<int64_t> shape,
                                  mlir::Builder &builder);
llvm::ArrayRef<int64_t> shapeOf(mlir::Value value);
/// `values` shaped to broadcast along `axis` of rank-`rank` data: a scalar
/// for one value, else (C, 1, ..., 1).
ConstTensor constAlongAxis(llvm::ArrayRef<double> values, int64_t axis,
                           int64_t rank);
std::vector<float> toFloats(const ConstTensor &tensor);
/// Whether x * (1 / d) is x / d for every float32 x, d the float32 value of
/// `divisor`: d is a power of two (either sign) whose reciprocal float32
/// holds exactly, so both are the one rounding of the same real number,
/// subnormal results included.
bool hasExactReciprocal(double divisor);
/// Product of `dims`; kDynamic when any is dynamic.
int64_t product(llvm::ArrayRef<int64_t> dims);
/// A double read from an integer tensor, clamped into int64 (INT64_MAX
/// arrives as 2^63, which does not convert).
int64_t toInt(double value);
/// A TensorProto as a ConstTensor (decodeTensorProto, Support/TensorIO.h).
/// Fails with decodeTensorProto's reason. With `withValues` false, only the
/// shape and type are set (the values decode later without failing).
bool decodeTensor(const onnx::TensorProto &proto, ConstTensor &out,
                  std::string &reason, bool withValues = true,
                  std::optional<uint64_t> rawDataSize = std::nullopt);
/// "node 'name' (Op)", or "node producing 'out' (Op)" when unnamed.
std::string describeNode(const onnx::NodeProto &node);
/// Whether `graph` has operators the importer does not handle, directly or
/// (when `nested`) inside its nodes' subgraphs.
bool hasUnsupportedNodes(const onnx::GraphProto &graph, bool nested);
/// Every unsupported operator type with its node count and first node,
/// subgraphs included ("Cos (2 nodes, first #1); Sin (1 node,
/// if0/then_branch/s1)"), for one diagnostic.
std::string listUnsupported(const onnx::GraphProto &graph);
/// What would help a model with unsupported operators: the flags that fold
/// the If branches holding some, and the flag fixing a graph input's
/// dynamic dims the options leave open. "" or "; ..." to append.
std::string unsupportedHints(const onnx::GraphProto &graph,
                             const ImportOptions &options);
/// The error for a compile-time value that needs the run-time batch size,
/// naming the flags that fix it.
std::string dependsOnBatch(const llvm::Twine &what);
/// "[?,3,224,224]": the dims with the dynamic batch as '?'.
std::string dimsToString(llvm::ArrayRef<int64_t> shape);
/// Conv weights W[C_out][C_in/groups][kh][kw] (`shape`) in the
/// circulant.conv layout for block_size 1 (ImportLayers.cpp).
std::vector<float> convWeight(const ConstTensor &w,
                              llvm::ArrayRef<int64_t> shape, int64_t groups);
/// convWeight of W's float32 values, as takePendingFloats reads them.
std::vector<float> convWeight(llvm::ArrayRef<float> w,
                              llvm::ArrayRef<int64_t> shape, int64_t groups);
/// Normalizes `axis` into [0, rank); false when out of range.
bool normalizeAxis(int64_t &axis, int64_t rank);

} // namespace rebocc::onnxfe

#endif
