//===- OnnxLoaderTest.cpp - parseModelFile's deferred raw_data ------------===//
//
// The oracle is protobuf itself: the model parseModelFile builds, with each
// deferred raw_data read back from the file, must serialize to the bytes
// that were written.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxLoader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <unistd.h>

using namespace rebocc::onnxfe;

namespace {

std::string scratchPath(const std::string &name) {
  std::string dir = REBOCC_TEST_OUTPUT_DIR;
  std::string mk = "mkdir -p '" + dir + "'";
  EXPECT_EQ(std::system(mk.c_str()), 0);
  return dir + "/" + name;
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

onnx::TensorProto *addTensor(onnx::GraphProto &graph, const std::string &name,
                             std::vector<int64_t> dims) {
  onnx::TensorProto *t = graph.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims)
    t->add_dims(d);
  return t;
}

/// Initializers 0 and 3 in raw_data (deferred); 1 in float_data, 2 external
/// and 4 an empty raw_data (all kept in the proto); fields after the graph.
onnx::ModelProto sampleModel() {
  onnx::ModelProto model;
  model.set_ir_version(8);
  onnx::GraphProto &graph = *model.mutable_graph();
  graph.set_name("g");
  addTensor(graph, "w", {2, 2})
      ->set_raw_data(std::string("\x00\x00\x80\x3f\x00\x00\x00\x40"
                                 "\x00\x00\x40\x40\x00\x00\x80\x40",
                                 16));
  onnx::TensorProto *typed = addTensor(graph, "b", {2});
  typed->add_float_data(0.5f);
  typed->add_float_data(-0.5f);
  onnx::TensorProto *external = addTensor(graph, "e", {1});
  external->set_data_location(onnx::TensorProto::EXTERNAL);
  onnx::StringStringEntryProto *location = external->add_external_data();
  location->set_key("location");
  location->set_value("e.bin");
  addTensor(graph, "v", {3})->set_raw_data(std::string(12, '\x7f'));
  addTensor(graph, "z", {0})->set_raw_data("");
  for (onnx::ValueInfoProto *value : {graph.add_input(), graph.add_output()}) {
    value->set_name(value == &graph.input(0) ? "x" : "y");
    onnx::TypeProto::Tensor &type =
        *value->mutable_type()->mutable_tensor_type();
    type.set_elem_type(onnx::TensorProto::FLOAT);
    type.mutable_shape()->add_dim()->set_dim_value(2);
  }
  onnx::NodeProto *node = graph.add_node();
  node->set_op_type("Relu");
  node->add_input("x");
  node->add_output("y");
  model.set_producer_name("test");
  model.add_opset_import()->set_version(13);
  return model;
}

TEST(OnnxLoaderTest, DefersTopLevelRawData) {
  onnx::ModelProto original = sampleModel();
  std::string bytes = original.SerializeAsString();
  std::string path = scratchPath("deferred.onnx");
  writeFile(path, bytes);

  onnx::ModelProto model;
  DeferredRawData deferred;
  ASSERT_TRUE(parseModelFile(path, model, deferred));
  ASSERT_EQ(model.graph().initializer_size(), 5);
  ASSERT_NE(deferred.find(0), nullptr);
  ASSERT_NE(deferred.find(3), nullptr);
  EXPECT_EQ(deferred.find(1), nullptr);
  EXPECT_EQ(deferred.find(2), nullptr);
  EXPECT_EQ(deferred.find(4), nullptr);
  EXPECT_EQ(deferred.find(0)->length, 16u);
  EXPECT_EQ(bytes.substr(deferred.find(0)->offset, 16),
            original.graph().initializer(0).raw_data());
  EXPECT_FALSE(model.graph().initializer(0).has_raw_data());
  EXPECT_TRUE(model.graph().initializer(4).has_raw_data());

  for (int index : {0, 3}) {
    std::string raw(deferred.find(index)->length, '\0');
    std::string error;
    ASSERT_TRUE(deferred.read(index, raw.data(), error)) << error;
    model.mutable_graph()->mutable_initializer(index)->set_raw_data(raw);
  }
  EXPECT_EQ(model.SerializeAsString(), bytes);
}

TEST(OnnxLoaderTest, CheckerSeesDeferredTensorsAsStored) {
  std::string path = scratchPath("checked.onnx");
  onnx::ModelProto original = sampleModel();
  // The external tensor would send the checker looking for e.bin.
  original.mutable_graph()->mutable_initializer()->DeleteSubrange(2, 1);
  writeFile(path, original.SerializeAsString());
  onnx::ModelProto model;
  DeferredRawData deferred;
  ASSERT_TRUE(parseModelFile(path, model, deferred));
  ASSERT_EQ(checkModel(original), std::vector<std::string>());
  // Without the stand-ins the checker would call the tensor empty.
  ASSERT_FALSE(checkModel(model).empty());
  EXPECT_NE(checkModel(model).front().find("one and only one value field"),
            std::string::npos);
  EXPECT_TRUE(checkModel(model, deferred).empty());
  EXPECT_FALSE(model.graph().initializer(0).has_raw_data());
}

TEST(OnnxLoaderTest, TruncatedFileIsRejected) {
  std::string bytes = sampleModel().SerializeAsString();
  std::string path = scratchPath("truncated.onnx");
  // Cut inside the first raw_data: its declared length runs past the end.
  size_t cut = bytes.find(std::string("\x00\x00\x80\x3f", 4)) + 4;
  writeFile(path, bytes.substr(0, cut));
  onnx::ModelProto model;
  DeferredRawData deferred;
  EXPECT_FALSE(parseModelFile(path, model, deferred));
  EXPECT_FALSE(model.has_graph());
  EXPECT_EQ(deferred.find(0), nullptr);
  onnx::ModelProto whole;
  EXPECT_FALSE(whole.ParseFromString(bytes.substr(0, cut)));
}

TEST(OnnxLoaderTest, FileShrunkAfterParseFailsToRead) {
  std::string bytes = sampleModel().SerializeAsString();
  std::string path = scratchPath("shrunk.onnx");
  writeFile(path, bytes);
  onnx::ModelProto model;
  DeferredRawData deferred;
  ASSERT_TRUE(parseModelFile(path, model, deferred));
  ASSERT_EQ(::truncate(path.c_str(), (off_t)deferred.find(3)->offset), 0);
  std::string raw(12, '\0'), error;
  EXPECT_FALSE(deferred.read(3, raw.data(), error));
  EXPECT_NE(error.find("shrunk.onnx: cannot read the tensor data"),
            std::string::npos)
      << error;
}

} // namespace
