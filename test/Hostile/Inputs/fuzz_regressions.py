"""The inputs libFuzzer found (scripts/fuzz.sh; docs/Hostile.md), reduced to
the smallest model that shows each problem.

fuzz_regressions.py OUT_DIR writes:
  conv-no-output.onnx  a Conv node without outputs (and a Relu that gives
                       the graph its output): the importer read output(0)
                       of an empty list (rebocc-onnx-fuzzer)
"""
import sys

from onnx import TensorProto, helper

out = sys.argv[1]


def save(name, nodes, initializers):
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 1, 3, 3])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 1, 3, 3])
    graph = helper.make_graph(nodes, "g", [x], [y], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open(out + "/" + name, "wb").write(model.SerializeToString())


save("conv-no-output.onnx",
     [helper.make_node("Conv", ["X", "W"], [], name="conv"),
      helper.make_node("Relu", ["X"], ["Y"], name="relu")],
     [helper.make_tensor("W", TensorProto.FLOAT, [1, 1, 1, 1], [2.0])])
