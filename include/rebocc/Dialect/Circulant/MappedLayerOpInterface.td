//===- MappedLayerOpInterface.td - layers mapped to crossbars -*- tablegen -*-===//
//
// Block partitioning, the mapping passes and the conversion treat a fully
// connected layer and a convolution alike: after im2col a convolution group
// is a fully connected layer with kernelH*kernelW*q input blocks.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_CIRCULANT_MAPPEDLAYEROPINTERFACE
#define REBOCC_CIRCULANT_MAPPEDLAYEROPINTERFACE

include "mlir/IR/OpBase.td"

def MappedLayerOpInterface : OpInterface<"MappedLayerOpInterface"> {
  let description = [{
    A block-circulant layer that the mapping passes place on crossbars
    (`circulant.fc`, `circulant.conv`). It exposes one group's matrix: `m`
    output and `n` input features (channels per group for a convolution,
    before padding to the block size k), `p x q` blocks of `k x k`, and
    `kernelH * kernelW` kernel positions (1 x 1 for a fully connected
    layer). It reads and records the mapping decision (`mapping`,
    `duplication`, `crossbars`, `shared_input`) and describes the layer to the
    program's layout code (`toProgramLayer`), so the passes count crossbars
    with the same code the conversion and the interpreter use.
  }];
  let cppNamespace = "::rebocc::circulant";

  let methods = [
    InterfaceMethod<"The layer's name (the ONNX node's).",
      "::llvm::StringRef", "getName", (ins), [{ return $_op.getName(); }]>,
    InterfaceMethod<"The layer input.",
      "::mlir::Value", "getInput", (ins), [{ return $_op.getInput(); }]>,
    InterfaceMethod<"The block size k (1 for a dense layer).",
      "int64_t", "getBlockSize", (ins),
      [{ return static_cast<int64_t>($_op.getBlockSize()); }]>,
    InterfaceMethod<"Output features per group (m).",
      "int64_t", "getOutFeatures">,
    InterfaceMethod<"Input features per group (n).",
      "int64_t", "getInFeatures">,
    InterfaceMethod<"Number of groups.",
      "int64_t", "getGroupCount", (ins), /*methodBody=*/"",
      /*defaultImplementation=*/[{ return 1; }]>,
    InterfaceMethod<"Kernel height (1 for a fully connected layer).",
      "int64_t", "getKernelH", (ins), "", [{ return 1; }]>,
    InterfaceMethod<"Kernel width (1 for a fully connected layer).",
      "int64_t", "getKernelW", (ins), "", [{ return 1; }]>,
    InterfaceMethod<[{
        The shape of the defining-vector weight tensor for block size `k`:
        p x q x k for a fully connected layer, groups x p x kh x kw x q x k
        for a convolution.
      }],
      "::llvm::SmallVector<int64_t>", "getWeightShape", (ins "int64_t":$k)>,
    InterfaceMethod<"The defining vectors (dense weights when k = 1).",
      "::mlir::ElementsAttr", "getWeight", (ins),
      [{ return $_op.getWeight(); }]>,
    InterfaceMethod<"Replaces the weights by defining vectors of block size `k`.",
      "void", "setWeight", (ins "::mlir::ElementsAttr":$weight, "int64_t":$k),
      [{
        $_op.setWeightAttr(weight);
        $_op.setBlockSize(k);
      }]>,
    InterfaceMethod<"The mapping, when a mapping pass has chosen one.",
      "std::optional<::rebocc::circulant::Mapping>", "getMapping", (ins),
      [{ return $_op.getMapping(); }]>,
    InterfaceMethod<"The duplication factor d (1 when unmapped).",
      "int64_t", "getDuplication", (ins),
      [{ return static_cast<int64_t>($_op.getDuplication().value_or(1)); }]>,
    InterfaceMethod<"Records a mapping decision.",
      "void", "setMapping",
      (ins "::rebocc::circulant::Mapping":$mapping, "int64_t":$duplication,
           "int64_t":$crossbars),
      [{
        $_op.setMapping(mapping);
        $_op.setDuplication(duplication);
        $_op.setCrossbars(crossbars);
      }]>,
    InterfaceMethod<"Whether the layer reads a shared input buffer.",
      "bool", "hasSharedInput", (ins), [{ return $_op.getSharedInput(); }]>,
    InterfaceMethod<"Marks the layer to read a shared input buffer.",
      "void", "setSharedInput", (ins), [{ $_op.setSharedInput(true); }]>,
    InterfaceMethod<[{
        The program's description of this layer mapped with `mapping` and
        `duplication`: geometry and input sharing only (no weights, no arrays
        yet).
      }],
      "::rebocc::program::CrossbarLayer", "toProgramLayer",
      (ins "::rebocc::circulant::Mapping":$mapping, "int64_t":$duplication)>
  ];

  let extraSharedClassDeclaration = [{
    /// Block-rows p and block-columns q of one group's matrix.
    int64_t getBlockRows() {
      int64_t k = $_op.getBlockSize();
      return ($_op.getOutFeatures() + k - 1) / k;
    }
    int64_t getBlockCols() {
      int64_t k = $_op.getBlockSize();
      return ($_op.getInFeatures() + k - 1) / k;
    }
    int64_t getKernelPositions() {
      return $_op.getKernelH() * $_op.getKernelW();
    }
  }];
}

#endif // REBOCC_CIRCULANT_MAPPEDLAYEROPINTERFACE
