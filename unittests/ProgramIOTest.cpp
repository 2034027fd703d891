//===- ProgramIOTest.cpp - Program file round trip and hostile input ------===//

#include "TestUtil.h"
#include "rebocc/Model/Placement.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include <gtest/gtest.h>

using namespace rebocc;
using namespace rebocc::program;

namespace {

/// A small program using every instruction kind, two layers, one constant
/// and names that need escaping.
Program sampleProgram() {
  model::HardwareDesc hw;
  hw.name = "tiny \"xbar\"";
  hw.xbarRows = 16;
  hw.xbarCols = 16;
  hw.weightBits = 8;
  hw.cellBits = 2;
  hw.readCycleNs = 12.5;
  // One array per IMA, two IMAs per tile: fc1's arrays on tile 0, fc2's on
  // tile 1.
  hw.xbarsPerIma = 1;
  hw.imasPerTile = 2;
  Program P;
  P.hw = hw;
  P.values = {{"in put", {-1, 2, 6}}, {"flat", {-1, 12}}, {"h", {-1, 10}},
              {"r", {-1, 10}},       {"c", {10}},         {"sum", {-1, 10}},
              {"y", {-1, 5}},        {"sm", {-1, 5}},     {"rs", {-1, 5, 1}},
              {"m", {-1, 5, 1}},     {"sg", {-1, 5, 1}},  {"out\n", {-1, 5, 1}}};
  P.inputs = {0};
  P.values[0].declared = std::vector<int64_t>{-1, 2, 6};
  P.outputs = {11, 7};
  P.constants = {{"c", {10}, test::randomVector(10, 3)}};
  P.layers = {test::makeLayer("fc1", 10, 12, 4, 2, Mapping::B, true, hw, 1),
              test::makeLayer("fc2", 5, 10, 1, 1, Mapping::E, false, hw, 2)};
  auto I = [](OpCode op, std::vector<int> ops, int result, const char *name) {
    Instruction i;
    i.op = op;
    i.operands = std::move(ops);
    i.result = result;
    i.name = name;
    return i;
  };
  Instruction flat = I(OpCode::Flatten, {0}, 1, "flatten");
  flat.axis = 1;
  Instruction fc1 = I(OpCode::Crossbar, {1}, 2, "fc1");
  fc1.index = 0;
  Instruction c = I(OpCode::Constant, {}, 4, "const");
  c.index = 0;
  Instruction fc2 = I(OpCode::Crossbar, {5}, 6, "fc2");
  fc2.index = 1;
  Instruction sm = I(OpCode::Softmax, {6}, 7, "softmax");
  sm.axis = 1;
  Instruction rs = I(OpCode::Reshape, {7}, 8, "reshape");
  rs.shape = {0, -1, 1};
  P.instructions = {flat,
                    fc1,
                    I(OpCode::Relu, {2}, 3, "relu"),
                    c,
                    I(OpCode::Add, {3, 4}, 5, "add"),
                    fc2,
                    sm,
                    rs,
                    I(OpCode::Mul, {8, 8}, 9, "mul"),
                    I(OpCode::Sigmoid, {9}, 10, "sigmoid"),
                    I(OpCode::Identity, {10}, 11, "id")};
  EXPECT_EQ(model::placeProgram(P, hw, model::OverflowPolicy::MultiChip), "");
  return P;
}

/// A convolutional program: a grouped conv layer (B(2), asymmetric pads,
/// stride 1x2), a 1x1 conv layer with mapping C(2), every new digital
/// instruction, dynamic spatial sizes.
Program convProgram() {
  model::HardwareDesc hw;
  hw.name = "conv32";
  hw.xbarRows = 32;
  hw.xbarCols = 32;
  hw.weightBits = 8;
  hw.cellBits = 2;
  Program P;
  P.hw = hw;
  P.values = {{"x", {-1, 4, -1, -1}},   {"c1", {-1, 6, -1, -1}},
              {"mp", {-1, 6, -1, -1}},  {"ap", {-1, 6, -1, -1}},
              {"cl", {-1, 6, -1, -1}},  {"lr", {-1, 6, -1, -1}},
              {"hs", {-1, 6, -1, -1}},  {"hw", {-1, 6, -1, -1}},
              {"slope", {6, 1, 1}},     {"pr", {-1, 6, -1, -1}},
              {"pd", {-1, 6, -1, -1}},  {"cat", {-1, 12, -1, -1}},
              {"c2", {-1, 4, -1, -1}},  {"gap", {-1, 4, 1, 1}},
              {"t", {-1, 1, 1, 4}}};
  P.inputs = {0};
  // As the model declares it: open batch, a 9 x 7 image.
  P.values[0].declared = std::vector<int64_t>{-1, 4, 9, 7};
  P.outputs = {14};
  P.constants = {{"slope", {6, 1, 1}, test::randomVector(6, 7)}};
  test::ConvGeometry g1;
  g1.groups = 2;
  g1.kernelH = g1.kernelW = 3;
  g1.strideW = 2;
  g1.padTop = 1;
  g1.padBottom = 1;
  g1.padRight = 2;
  test::ConvGeometry g2;
  P.layers = {
      test::makeConvLayer("conv1", 3, 2, 2, 2, Mapping::B, true, g1, hw, 11),
      test::makeConvLayer("conv2", 4, 12, 4, 2, Mapping::C, false, g2, hw,
                          12)};
  auto I = [](OpCode op, std::vector<int> ops, int result, const char *name) {
    Instruction i;
    i.op = op;
    i.operands = std::move(ops);
    i.result = result;
    i.name = name;
    return i;
  };
  Instruction c1 = I(OpCode::Crossbar, {0}, 1, "conv1");
  c1.index = 0;
  Instruction mp = I(OpCode::MaxPool, {1}, 2, "pool1");
  mp.kernel = {2, 2};
  mp.strides = {2, 2};
  mp.pads = {0, 0, 1, 1};
  mp.dilations = {1, 1};
  mp.ceilMode = true;
  Instruction ap = I(OpCode::AveragePool, {2}, 3, "pool2");
  ap.kernel = {3, 3};
  ap.strides = {1, 1};
  ap.pads = {1, 1, 1, 1};
  ap.dilations = {1, 1};
  ap.countIncludePad = true;
  Instruction cl = I(OpCode::Clip, {3}, 4, "clip");
  cl.alpha = -1.0f;
  cl.beta = 6.0f;
  Instruction lr = I(OpCode::LeakyRelu, {4}, 5, "leaky");
  lr.alpha = 0.1f;
  Instruction hs = I(OpCode::HardSigmoid, {5}, 6, "hsig");
  hs.alpha = 0.2f;
  hs.beta = 0.5f;
  Instruction k = I(OpCode::Constant, {}, 8, "slope");
  k.index = 0;
  Instruction pd = I(OpCode::Pad, {9}, 10, "pad");
  pd.pads = {0, 0, 1, 1, 0, 0, 1, 1};
  pd.mode = "reflect";
  Instruction cat = I(OpCode::Concat, {10, 10}, 11, "cat");
  cat.axis = 1;
  Instruction c2 = I(OpCode::Crossbar, {11}, 12, "conv2");
  c2.index = 1;
  Instruction tr = I(OpCode::Transpose, {13}, 14, "tr");
  tr.perm = {0, 2, 3, 1};
  P.instructions = {c1,
                    mp,
                    ap,
                    cl,
                    lr,
                    hs,
                    I(OpCode::HardSwish, {6}, 7, "hswish"),
                    k,
                    I(OpCode::PRelu, {7, 8}, 9, "prelu"),
                    pd,
                    cat,
                    c2,
                    I(OpCode::GlobalAveragePool, {12}, 13, "gap"),
                    tr};
  // Placed for reprogramming although it fits: one load, and the header
  // says reprogram.
  EXPECT_EQ(model::placeProgram(P, hw, model::OverflowPolicy::Reprogram), "");
  return P;
}

void expectEqual(const Program &a, const Program &b) {
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.overflow, b.overflow);
  for (const model::HardwareField *f = model::hardwareFieldsBegin();
       f != model::hardwareFieldsEnd(); ++f) {
    SCOPED_TRACE(f->key);
    if (f->kind == model::HardwareField::String)
      EXPECT_EQ(a.hw.*(f->str), b.hw.*(f->str));
    else if (f->kind == model::HardwareField::Int)
      EXPECT_EQ(model::isAutoValue(*f, a.hw)
                    ? -1
                    : a.hw.*(f->integer),
                model::isAutoValue(*f, b.hw) ? -1 : b.hw.*(f->integer));
    else
      EXPECT_EQ(a.hw.*(f->real), b.hw.*(f->real));
  }
  ASSERT_EQ(a.values.size(), b.values.size());
  for (size_t i = 0; i < a.values.size(); ++i) {
    EXPECT_EQ(a.values[i].name, b.values[i].name);
    EXPECT_EQ(a.values[i].shape, b.values[i].shape);
    EXPECT_EQ(a.values[i].declared, b.values[i].declared);
  }
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.outputs, b.outputs);
  ASSERT_EQ(a.constants.size(), b.constants.size());
  for (size_t i = 0; i < a.constants.size(); ++i) {
    EXPECT_EQ(a.constants[i].name, b.constants[i].name);
    EXPECT_EQ(a.constants[i].shape, b.constants[i].shape);
    EXPECT_EQ(a.constants[i].data, b.constants[i].data);
  }
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t l = 0; l < a.layers.size(); ++l) {
    const CrossbarLayer &x = a.layers[l], &y = b.layers[l];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.m, y.m);
    EXPECT_EQ(x.n, y.n);
    EXPECT_EQ(x.k, y.k);
    EXPECT_EQ(x.p, y.p);
    EXPECT_EQ(x.q, y.q);
    EXPECT_EQ(x.dup, y.dup);
    EXPECT_EQ(x.mapping, y.mapping);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.groups, y.groups);
    EXPECT_EQ(x.kernelH, y.kernelH);
    EXPECT_EQ(x.kernelW, y.kernelW);
    EXPECT_EQ(x.strideH, y.strideH);
    EXPECT_EQ(x.strideW, y.strideW);
    EXPECT_EQ(x.dilationH, y.dilationH);
    EXPECT_EQ(x.dilationW, y.dilationW);
    EXPECT_EQ(x.padTop, y.padTop);
    EXPECT_EQ(x.padLeft, y.padLeft);
    EXPECT_EQ(x.padBottom, y.padBottom);
    EXPECT_EQ(x.padRight, y.padRight);
    EXPECT_EQ(x.sharedInput, y.sharedInput);
    EXPECT_EQ(x.rowsPerArray, y.rowsPerArray);
    EXPECT_EQ(x.weightColsPerArray, y.weightColsPerArray);
    EXPECT_EQ(x.rowTiles, y.rowTiles);
    EXPECT_EQ(x.colTiles, y.colTiles);
    EXPECT_EQ(x.weightScale, y.weightScale);
    EXPECT_EQ(x.weights, y.weights);
    EXPECT_EQ(x.bias, y.bias);
    ASSERT_EQ(x.arrays.size(), y.arrays.size());
    for (size_t i = 0; i < x.arrays.size(); ++i) {
      EXPECT_EQ(x.arrays[i].group, y.arrays[i].group);
      EXPECT_EQ(x.arrays[i].rowTile, y.arrays[i].rowTile);
      EXPECT_EQ(x.arrays[i].colTile, y.arrays[i].colTile);
      EXPECT_EQ(x.arrays[i].rowBegin, y.arrays[i].rowBegin);
      EXPECT_EQ(x.arrays[i].rowCount, y.arrays[i].rowCount);
      EXPECT_EQ(x.arrays[i].weightColBegin, y.arrays[i].weightColBegin);
      EXPECT_EQ(x.arrays[i].weightColCount, y.arrays[i].weightColCount);
      const ArrayPlace &p = x.arrays[i].place, &q = y.arrays[i].place;
      EXPECT_EQ(std::make_tuple(p.chip, p.load, p.tile, p.ima, p.xbar),
                std::make_tuple(q.chip, q.load, q.tile, q.ima, q.xbar));
    }
  }
  ASSERT_EQ(a.instructions.size(), b.instructions.size());
  for (size_t i = 0; i < a.instructions.size(); ++i) {
    const Instruction &x = a.instructions[i], &y = b.instructions[i];
    EXPECT_EQ(x.op, y.op);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.operands, y.operands);
    EXPECT_EQ(x.result, y.result);
    EXPECT_EQ(x.index, y.index);
    EXPECT_EQ(x.axis, y.axis);
    EXPECT_EQ(x.shape, y.shape);
    EXPECT_EQ(x.kernel, y.kernel);
    EXPECT_EQ(x.strides, y.strides);
    EXPECT_EQ(x.pads, y.pads);
    EXPECT_EQ(x.dilations, y.dilations);
    EXPECT_EQ(x.ceilMode, y.ceilMode);
    EXPECT_EQ(x.countIncludePad, y.countIncludePad);
    EXPECT_EQ(x.alpha, y.alpha);
    EXPECT_EQ(x.beta, y.beta);
    EXPECT_EQ(x.mode, y.mode);
    EXPECT_EQ(x.perm, y.perm);
  }
}

class ProgramIOSamples : public ::testing::TestWithParam<int> {};

Program sample(int which) { return which == 0 ? sampleProgram() : convProgram(); }

TEST_P(ProgramIOSamples, RoundTrip) {
  Program P = sample(GetParam());
  ASSERT_EQ(verify(P), "");
  std::string bytes, error;
  ASSERT_TRUE(writeProgram(P, bytes, error)) << error;
  Program Q;
  ASSERT_TRUE(readProgram(bytes, "sample.rbp", Q, error)) << error;
  expectEqual(P, Q);
  std::string again;
  ASSERT_TRUE(writeProgram(Q, again));
  EXPECT_EQ(bytes, again);
  EXPECT_EQ(printText(P), printText(Q));
}

TEST(ProgramIO, AdcBitsAutoRoundTrips) {
  Program P = sampleProgram();
  P.hw.adcBitsAuto = true;
  std::string bytes, error;
  ASSERT_TRUE(writeProgram(P, bytes, error)) << error;
  EXPECT_NE(bytes.find(" adc_bits=auto "), std::string::npos);
  Program Q;
  ASSERT_TRUE(readProgram(bytes, "sample.rbp", Q, error)) << error;
  EXPECT_TRUE(Q.hw.adcBitsAuto);
  expectEqual(P, Q);
}

TEST(ProgramIO, ConvTextIsReadable) {
  std::string text = printText(convProgram());
  EXPECT_EQ(text.rfind("rebocc-program 12 overflow=reprogram\n", 0), 0u);
  EXPECT_NE(text.find("value %0 name=\"x\" shape=[-1,4,-1,-1] "
                      "declared=[-1,4,9,7]\n"),
            std::string::npos);
  EXPECT_NE(text.find("layer @0 name=\"conv1\" m=3 n=2 k=2 p=2 q=1 d=2 "
                      "mapping=B shared=1 "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(" arrays=2 kind=conv groups=2 kernel=3x3 stride=1x2 "
                      "dilation=1x1 pads=1,0,1,2 weights_seal="),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("array @0.1 row_tile=0 col_tile=0 rows=0+18 "
                      "weight_cols=0+4 group=1 chip=0 load=0 tile=0 ima=0 "
                      "xbar=1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mapping=C shared=0 rows_per_array=32 "
                      "weight_cols_per_array=8 row_tiles=1 col_tiles=1 "),
            std::string::npos)
      << text;
  for (const char *line :
       {"inst %1 = crossbar %0 layer=@0 name=\"conv1\"\n",
        "inst %2 = max_pool %1 kernel=2x2 strides=2x2 pads=0,0,1,1 "
        "dilations=1x1 ceil=1 name=\"pool1\"\n",
        "inst %3 = average_pool %2 kernel=3x3 strides=1x1 pads=1,1,1,1 "
        "dilations=1x1 ceil=0 count_include_pad=1 name=\"pool2\"\n",
        "inst %4 = clip %3 min=-1 max=6 name=\"clip\"\n",
        "inst %5 = leaky_relu %4 alpha=0.1 name=\"leaky\"\n",
        "inst %6 = hard_sigmoid %5 alpha=0.2 beta=0.5 name=\"hsig\"\n",
        "inst %7 = hard_swish %6 name=\"hswish\"\n",
        "inst %9 = prelu %7 %8 name=\"prelu\"\n",
        "inst %10 = pad %9 pads=0,0,1,1,0,0,1,1 mode=reflect value=0 "
        "name=\"pad\"\n",
        "inst %11 = concat %10 %10 axis=1 name=\"cat\"\n",
        "inst %13 = global_average_pool %12 name=\"gap\"\n",
        "inst %14 = transpose %13 perm=0,2,3,1 name=\"tr\"\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

TEST(ProgramIO, TextIsReadable) {
  Program P = sampleProgram();
  std::string text = printText(P);
  EXPECT_EQ(text.rfind("rebocc-program 12 overflow=chips\n", 0), 0u);
  EXPECT_NE(text.find("\nhw name=\"tiny \\\"xbar\\\"\" xbar_rows=16 "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("read_cycle_ns=12.5"), std::string::npos);
  EXPECT_NE(text.find("value %0 name=\"in put\" shape=[-1,2,6] "
                      "declared=[-1,2,6]\n"),
            std::string::npos);
  EXPECT_NE(text.find("value %11 name=\"out\\x0a\""), std::string::npos);
  EXPECT_NE(text.find("\ninputs %0\noutputs %11 %7\n"), std::string::npos);
  EXPECT_NE(text.find("constant #0 name=\"c\" shape=[10] elements=10 min="),
            std::string::npos);
  EXPECT_NE(text.find("layer @0 name=\"fc1\" m=10 n=12 k=4 p=3 q=3 d=2 "
                      "mapping=B shared=1 rows_per_array=16 "
                      "weight_cols_per_array=4 row_tiles=1 col_tiles=2 "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("array @0.1 row_tile=0 col_tile=1 rows=0+12 "
                      "weight_cols=4+2 group=0 chip=0 load=0 tile=0 ima=1 "
                      "xbar=0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("array @1.1 row_tile=0 col_tile=1 rows=0+10 "
                      "weight_cols=4+1 group=0 chip=0 load=0 tile=1 ima=1 "
                      "xbar=0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("inst %2 = crossbar %1 layer=@0 name=\"fc1\"\n"),
            std::string::npos);
  EXPECT_NE(text.find("inst %8 = reshape %7 shape=[0,-1,1] name=\"reshape\""),
            std::string::npos);
  EXPECT_NE(text.find("inst %5 = add %3 %4 name=\"add\""), std::string::npos);
  EXPECT_EQ(text.find("data"), std::string::npos); // no offsets in print form

  // The file's text section is the printed form plus data references.
  std::string bytes;
  ASSERT_TRUE(writeProgram(P, bytes));
  EXPECT_NE(bytes.find(" weights=40+144 bias=184+40\n"), std::string::npos)
      << bytes.substr(0, bytes.find("\ndata "));
  // Compact: the data section holds p*q*k unique weights, not m*n.
  size_t dataLine = bytes.find("\ndata ");
  ASSERT_NE(dataLine, std::string::npos);
  EXPECT_EQ(bytes.substr(dataLine + 1, 9), "data 444\n");
}

/// seal64 against values from test/Sim/Inputs/reseal.py, an independent
/// implementation from docs/ProgramFormat.md ("seal64"): the empty input,
/// one byte, one full block, a padded tail, and zero bytes (which differ
/// from the padding only by the byte count).
TEST(ProgramIO, Seal64MatchesTheSpecification) {
  std::string counting;
  for (int i = 0; i < 100; ++i)
    counting += static_cast<char>(i);
  EXPECT_EQ(seal64("", 0), 0x7f18cccd920e0692ULL);
  EXPECT_EQ(seal64("a", 1), 0xf0131d937f4af88aULL);
  EXPECT_EQ(seal64(counting.data(), 64), 0xd482a90f7f605f45ULL);
  EXPECT_EQ(seal64(counting.data(), 100), 0xc3303391e4857b2aULL);
  EXPECT_EQ(seal64(std::string(100, '\0').data(), 100), 0x95bfb02171af6bccULL);
  EXPECT_NE(seal64(std::string(99, '\0').data(), 99), 0x95bfb02171af6bccULL);
}

/// The streaming form gives seal64 of the concatenation however the bytes
/// are cut: pieces inside a block, across blocks, empty ones, whole blocks.
TEST(ProgramIO, Seal64StreamedEqualsWhole) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i)
    bytes += static_cast<char>(i * 37 + 11);
  for (size_t piece : {1, 7, 63, 64, 65, 200, 999, 1000}) {
    Seal64 streamed;
    for (size_t at = 0; at < bytes.size(); at += piece) {
      streamed.update(bytes.data() + at, std::min(piece, bytes.size() - at));
      streamed.update(bytes.data(), 0);
    }
    EXPECT_EQ(streamed.digest(), seal64(bytes.data(), bytes.size())) << piece;
  }
  EXPECT_EQ(Seal64().digest(), 0x7f18cccd920e0692ULL);
}

uint64_t seal(const std::string &bytes) {
  return seal64(bytes.data(), bytes.size());
}

/// `bytes` with the header's checksum replaced by the one of its (edited)
/// body: what a writer of the edited program would have sealed. Unchanged
/// when the header has no " checksum=0x" field.
std::string reseal(std::string bytes) {
  size_t eol = bytes.find('\n'), at = bytes.find(" checksum=0x");
  if (eol == std::string::npos || at > eol)
    return bytes;
  char hex[24];
  std::snprintf(hex, sizeof(hex), "0x%016llx",
                static_cast<unsigned long long>(seal(bytes.substr(eol + 1))));
  return bytes.substr(0, at) + " checksum=" + hex + bytes.substr(eol);
}

TEST(ProgramIO, HeaderSealsTheBody) {
  std::string bytes;
  ASSERT_TRUE(writeProgram(sampleProgram(), bytes));
  size_t eol = bytes.find('\n');
  char expected[80];
  std::snprintf(expected, sizeof(expected),
                "rebocc-program 12 overflow=chips checksum=0x%016llx",
                static_cast<unsigned long long>(seal(bytes.substr(eol + 1))));
  EXPECT_EQ(bytes.substr(0, eol), expected);
  EXPECT_EQ(reseal(bytes), bytes);
}

TEST(ProgramIO, ReaderAcceptsCommentsAndBlankLines) {
  std::string bytes;
  ASSERT_TRUE(writeProgram(sampleProgram(), bytes));
  size_t hw = bytes.find("\nhw ");
  bytes.insert(hw + 1, "# hand-written comment\n\n");
  Program Q;
  std::string error;
  // An annotated file must be sealed again, like any other edit.
  EXPECT_FALSE(readProgram(bytes, "c.rbp", Q, error));
  EXPECT_NE(error.find("c.rbp:1: checksum mismatch"), std::string::npos)
      << error;
  EXPECT_TRUE(readProgram(reseal(bytes), "c.rbp", Q, error)) << error;
}

/// Reads `bytes`; on success the program must be fully valid and survive
/// another round trip, on failure there must be a message.
void expectSafe(const std::string &bytes, const std::string &what) {
  Program Q;
  std::string error;
  if (readProgram(bytes, "f.rbp", Q, error)) {
    EXPECT_EQ(verify(Q), "") << what;
    std::string again;
    EXPECT_TRUE(writeProgram(Q, again)) << what;
    Program R;
    EXPECT_TRUE(readProgram(again, "g.rbp", R, error)) << what << error;
  } else {
    EXPECT_FALSE(error.empty()) << what;
    EXPECT_EQ(error.rfind("f.rbp", 0), 0u) << what << ": " << error;
  }
}

TEST_P(ProgramIOSamples, TruncationAtEveryLengthFails) {
  std::string bytes;
  ASSERT_TRUE(writeProgram(sample(GetParam()), bytes));
  for (size_t len = 0; len < bytes.size(); ++len) {
    Program Q;
    std::string error;
    ASSERT_FALSE(readProgram(bytes.substr(0, len), "t.rbp", Q, error))
        << "length " << len;
    ASSERT_FALSE(error.empty()) << "length " << len;
  }
}

TEST_P(ProgramIOSamples, ByteFlipsAreRejected) {
  std::string bytes;
  ASSERT_TRUE(writeProgram(sample(GetParam()), bytes));
  // Every byte is covered: the header line is only accepted in its one
  // canonical spelling, and its checksum covers every byte after it (names
  // included; seal64 changes with any single changed byte).
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned mask : {0x01u, 0x08u, 0x20u, 0x80u, 0xffu}) {
      std::string mutated = bytes;
      mutated[i] = static_cast<char>(mutated[i] ^ mask);
      Program Q;
      std::string error;
      ASSERT_FALSE(readProgram(mutated, "f.rbp", Q, error))
          << "offset " << i << " mask " << mask;
      ASSERT_EQ(error.rfind("f.rbp", 0), 0u) << error;
    }
  }
}

TEST_P(ProgramIOSamples, ResealedByteFlipsNeverCrash) {
  // The parser behind the checksum still trusts nothing: the same flips,
  // sealed again, are each a clean error or a fully valid program (a flip
  // inside a name gives another valid program).
  std::string bytes;
  ASSERT_TRUE(writeProgram(sample(GetParam()), bytes));
  size_t body = bytes.find('\n') + 1;
  int accepted = 0;
  for (size_t i = body; i < bytes.size(); ++i) {
    std::string mutated = bytes;
    mutated[i] = static_cast<char>(mutated[i] ^ 0x01);
    Program Q;
    std::string error;
    accepted += readProgram(reseal(mutated), "f.rbp", Q, error);
    expectSafe(reseal(mutated), "offset " + std::to_string(i));
  }
  EXPECT_GT(accepted, 0);
}

INSTANTIATE_TEST_SUITE_P(Programs, ProgramIOSamples, ::testing::Values(0, 1),
                         [](const ::testing::TestParamInfo<int> &info) {
                           return info.param == 0 ? std::string("fc")
                                                  : std::string("conv");
                         });

TEST(ProgramIO, RandomGarbage) {
  std::vector<float> noise = test::randomVector(4096, 99, 0, 255);
  std::string garbage;
  for (float f : noise)
    garbage += static_cast<char>(static_cast<int>(f));
  expectSafe(garbage, "garbage");
  expectSafe("rebocc-program 12\n" + garbage, "header + garbage");
  expectSafe(reseal("rebocc-program 12 overflow=chips checksum=0x0\n" +
                    garbage),
             "sealed header + garbage");
  expectSafe("", "empty");
}

/// The reader's message on `bytes` with `from` replaced by `to`, sealed
/// again (so the message is the parser's, not the checksum's).
std::string firstError(std::string bytes, const std::string &from,
                       const std::string &to) {
  size_t at = bytes.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos)
    return "";
  bytes.replace(at, from.size(), to);
  Program Q;
  std::string error;
  EXPECT_FALSE(readProgram(reseal(bytes), "e.rbp", Q, error))
      << from << " -> " << to;
  return error;
}

// Each declared size may be up to 2^31, but their product must still fit a
// 64-bit element count: checked before anything is sized by it.
TEST(ProgramIO, DeclaredShapeElementCountOverflows) {
  Program P = sampleProgram();
  P.values[0].shape = {-1, -1, -1};
  P.values[0].declared = std::vector<int64_t>{2147483648, 2147483648, 4};
  EXPECT_EQ(verify(P), "input 0 ('in put'): declared shape "
                       "[2147483648,2147483648,4] has more elements than a "
                       "64-bit count holds");
  P.values[0].declared = std::vector<int64_t>{2147483648, 2147483648, 1};
  EXPECT_EQ(verify(P).find("declared"), std::string::npos);
}

TEST(ProgramIO, ErrorMessages) {
  std::string bytes;
  ASSERT_TRUE(writeProgram(sampleProgram(), bytes));
  auto has = [](const std::string &error, const std::string &part) {
    EXPECT_NE(error.find(part), std::string::npos)
        << "'" << part << "' not in: " << error;
  };
  has(firstError(bytes, "rebocc-program 12", "rebocc-program 10"),
      "e.rbp:1: format version 10 is not supported (this reader reads "
      "version 12)");
  has(firstError(bytes, "overflow=chips", "overflow=swap"),
      "e.rbp:1: malformed header line 'rebocc-program 12 overflow=swap "
      "checksum=0x");
  has(firstError(bytes, " overflow=chips", ""), "malformed header line");
  // A graph input's declared shape (version 10) must agree with its
  // program shape: rank, sizes, static dims.
  has(firstError(bytes, "declared=[-1,2,6]", "declared=[-1,3,6]"),
      "e.rbp: invalid program: input 0 ('in put'): declared shape [-1,3,6]: "
      "dimension 1 is 3, the input's shape [-1,2,6] has 2");
  has(firstError(bytes, "declared=[-1,2,6]", "declared=[-1,-1,6]"),
      "e.rbp: invalid program: input 0 ('in put'): declared shape "
      "[-1,-1,6]: dimension 1 is -1, the input's shape [-1,2,6] has 2");
  has(firstError(bytes, "declared=[-1,2,6]", "declared=[-1,2]"),
      "e.rbp: invalid program: input 0 ('in put'): declared shape [-1,2] "
      "has rank 2, the input's shape [-1,2,6] has rank 3");
  has(firstError(bytes, "declared=[-1,2,6]", "declared=[0,2,6]"),
      "input 0 ('in put'): declared shape [0,2,6]: dimension 0 is 0 (a "
      "declared size is 1 .. 2^31, or -1 for an open one)");
  has(firstError(bytes, "declared=[-1,2,6]", "declared=[4611686018427387904,2,6]"),
      "input 0 ('in put'): declared shape [4611686018427387904,2,6]: "
      "dimension 0 is 4611686018427387904 (a declared size is 1 .. 2^31");
  has(firstError(bytes, "declared=[-1,2,6]", "declared=[-1,2,6"),
      "field 'declared': expected [d0,d1,...] of integers, got '[-1,2,6'");
  has(firstError(bytes, "name=\"flat\" shape=[-1,12]",
                 "name=\"flat\" shape=[-1,12] declared=[1,12]"),
      "e.rbp: invalid program: value %1 ('flat'): only a graph input has a "
      "declared shape");
  has(firstError(bytes, "checksum=0x", "checksum=0X"), "malformed header line");
  has(firstError(bytes, "rebocc-program", "ONNX-program"),
      "not a rebocc program");
  has(firstError(bytes, "xbar_rows=16", "xbar_rows=sixteen"),
      "e.rbp:2: field 'xbar_rows': expected an integer");
  has(firstError(bytes, " xbar_cols=16", ""), "missing field 'xbar_cols'");
  has(firstError(bytes, "adc_bits=8", "adc_bits=8 colour=3"),
      "e.rbp:2: hardware: unknown key 'colour'");
  has(firstError(bytes, "adc_bits=8", "adc_bit=8"),
      "e.rbp:2: hardware: unknown key 'adc_bit'; did you mean 'adc_bits'?");
  has(firstError(bytes, "value %1 ", "value %4 "), "e.rbp:4: value %4 out of order");
  has(firstError(bytes, "inputs %0", "inputs %99"), "not a value id");
  has(firstError(bytes, "m=10 n=12", "m=1000000000000 n=12"),
      "bytes, expected");
  has(firstError(bytes, "m=10 n=12", "m=99999999999999999999999 n=12"),
      "expected an integer");
  has(firstError(bytes, "mapping=B", "mapping=Z"), "expected A, B, C or E");
  has(firstError(bytes, "weights=40+144", "weights=400000+144"),
      "outside the 444-byte data section");
  has(firstError(bytes, "rows=0+12 weight_cols=4+2",
                 "rows=0+12 weight_cols=4+3"),
      "array 1 does not match the planned layout");
  has(firstError(bytes, "arrays=2", "arrays=3"), "declares 3 arrays but 2");
  has(firstError(bytes, "inst %5 = add %3 %4", "inst %5 = add %3 %9"),
      "used before it is defined");
  has(firstError(bytes, "= relu", "= cosh"), "unknown instruction 'cosh'");
  has(firstError(bytes, "name=\"relu\"", "name=\"relu"), "unterminated string");
  has(firstError(bytes, "data 444\n", "data 468\n"), "file truncated");
  has(firstError(bytes, "outputs %11 %7\n", ""), "missing 'outputs' line");
  has(firstError(bytes, "tile=1 ima=1", "tile=168 ima=1"),
      "e.rbp: invalid placement: layer 1 'fc2' array 1: chip 0 load 0 tile 168 "
      "ima 1 xbar 0 is outside the chip (tiles_per_chip = 168, imas_per_tile "
      "= 2, xbars_per_ima = 1)");
  has(firstError(bytes, "tile=1 ima=1", "tile=1 ima=0"),
      "e.rbp: invalid placement: layer 1 'fc2' array 0 and layer 1 'fc2' "
      "array 1 sit on the same crossbar (chip 0 load 0 tile 1 ima 0 xbar 0)");
  has(firstError(bytes, "tile=1 ima=1", "tile=0 ima=1"),
      "layer 0 'fc1' array 1 and layer 1 'fc2' array 1 sit on the same "
      "crossbar");
  has(firstError(bytes, "chip=0 load=0 tile=1 ima=1",
                 "chip=0 load=1 tile=1 ima=1"),
      "a program placed for overflow=chips has one load (0)");
  has(firstError(bytes, "chip=0 load=0 tile=1 ima=1",
                 "chip=2 load=0 tile=1 ima=1"),
      "chips must be numbered 0, 1, 2, ... with none empty");
  has(firstError(bytes, " xbar=0\ninst", "\ninst"), "missing field 'xbar'");
  // A changed byte anywhere after the header: the header's checksum.
  std::string corrupt = bytes;
  corrupt[corrupt.size() - 20] ^= 0x10;
  Program Q;
  std::string error;
  EXPECT_FALSE(readProgram(corrupt, "e.rbp", Q, error));
  has(error, "e.rbp:1: checksum mismatch");
  EXPECT_FALSE(readProgram(bytes + "x", "e.rbp", Q, error));
  has(error, "e.rbp:1: checksum mismatch");
  // Sealed again, the data section's own checksum names the byte offset.
  EXPECT_FALSE(readProgram(reseal(corrupt), "e.rbp", Q, error));
  has(error, "e.rbp: byte offset ");
  has(error, "data section checksum mismatch");
  EXPECT_FALSE(readProgram(reseal(bytes + "x"), "e.rbp", Q, error));
  has(error, "unexpected bytes after the checksum");
}

TEST(ProgramIO, WriterRefusesAnUnplacedProgram) {
  Program P = sampleProgram();
  P.layers[1].arrays[0].place = ArrayPlace();
  std::string bytes, error;
  EXPECT_FALSE(writeProgram(P, bytes, error));
  EXPECT_EQ(error, "refusing to write an invalid program: placement: layer 1 "
                   "'fc2' array 0: is not placed (the compiler's "
                   "crossbar-place-arrays pass places every array)");
}

TEST(ProgramIO, VerifyCatchesBadGeometry) {
  auto expectError = [](Program P, const std::string &part) {
    std::string e = verify(P);
    EXPECT_NE(e.find(part), std::string::npos) << "'" << part << "' not in '"
                                               << e << "'";
    std::string bytes, error;
    EXPECT_FALSE(writeProgram(P, bytes, error));
    EXPECT_NE(error.find(part), std::string::npos) << error;
  };
  Program P = sampleProgram();
  {
    Program Q = P;
    Q.layers[0].arrays[1].rowCount = 16;
    expectError(Q, "array 1 does not match");
  }
  {
    Program Q = P;
    Q.layers[0].arrays.pop_back();
    expectError(Q, "has 1 arrays, expected groups*row_tiles*col_tiles = 2");
  }
  {
    Program Q = P;
    Q.layers[0].dup = 3;
    expectError(Q, "must divide k");
  }
  {
    Program Q = P;
    Q.layers[0].mapping = Mapping::A;
    expectError(Q, "mapping A requires d = 1");
  }
  {
    Program Q = P;
    Q.layers[0].mapping = Mapping::E;
    expectError(Q, "mapping E requires d = k");
  }
  {
    Program Q = P;
    Q.layers[0].p = 2;
    expectError(Q, "p = 2, expected 3");
  }
  {
    Program Q = P;
    Q.layers[0].weights.pop_back();
    expectError(Q, "expected groups*p*(kernelH*kernelW*q)*k = 36");
  }
  {
    Program Q = P;
    Q.layers[0].rowsPerArray = 12;
    expectError(Q, "rows_per_array = 12, expected 16");
  }
  {
    Program Q = P;
    Q.layers[0].weightScale = 0;
    expectError(Q, "weight scale");
  }
  {
    Program Q = P;
    Q.layers[1].weights.data()[0] = NAN;
    expectError(Q, "not finite");
  }
  {
    // The first non-finite weight is named, whatever the largest |w|.
    Program Q = P;
    Q.layers[1].weights.data()[2] = -INFINITY;
    Q.layers[1].weights.data()[3] = NAN;
    expectError(Q, "weight 2 is not finite");
  }
  {
    Program Q = P;
    Q.instructions[1].index = 7;
    expectError(Q, "layer index 7 out of range");
  }
  {
    Program Q = P;
    Q.values[1].shape = {4, -2};
    expectError(Q, "is invalid");
  }
  {
    Program Q = P;
    Q.instructions.pop_back();
    expectError(Q, "never defined");
  }
  {
    Program Q = P;
    Q.hw.cellBits = 9;
    expectError(Q, "cell_bits");
  }
}

TEST(ProgramIO, ConvErrorMessages) {
  std::string bytes;
  ASSERT_TRUE(writeProgram(convProgram(), bytes));
  auto has = [](const std::string &error, const std::string &part) {
    EXPECT_NE(error.find(part), std::string::npos)
        << "'" << part << "' not in: " << error;
  };
  has(firstError(bytes, "kind=conv", "kind=deconv"), "expected fc or conv");
  has(firstError(bytes, "kernel=3x3", "kernel=3"), "field 'kernel': expected HxW");
  has(firstError(bytes, "kernel=3x3", "kernel=3xx3"), "expected integers");
  has(firstError(bytes, "pads=1,0,1,2", "pads=1,0,1"),
      "expected TOP,LEFT,BOTTOM,RIGHT");
  has(firstError(bytes, "groups=2", "groups=3"), "bytes, expected");
  has(firstError(bytes, "weight_cols=0+4 group=1", "weight_cols=0+4 group=0"),
      "array 1 does not match the planned layout (group 1");
  has(firstError(bytes, "ceil=1", "ceil=2"), "field 'ceil': expected 0 or 1");
  has(firstError(bytes, "mode=reflect", "mode=wrap"),
      "expected constant, reflect or edge");
  has(firstError(bytes, "perm=0,2,3,1", "perm=0,2,2,1"), "not a permutation");
  has(firstError(bytes, "strides=2x2", "strides=0x2"), "strides [0,2]");
  has(firstError(bytes, "min=-1 max=6", "min=7 max=6"), "need min <= max");
  has(firstError(bytes, " dilations=1x1 ceil=1", " ceil=1"),
      "missing field 'dilations'");
}

TEST(ProgramIO, InfiniteClipBoundsRoundTrip) {
  Program P = convProgram();
  P.instructions[3].alpha = -INFINITY;
  P.instructions[3].beta = INFINITY;
  std::string bytes, error;
  ASSERT_TRUE(writeProgram(P, bytes, error)) << error;
  EXPECT_NE(bytes.find(" min=-inf max=inf "), std::string::npos);
  Program Q;
  ASSERT_TRUE(readProgram(bytes, "inf.rbp", Q, error)) << error;
  EXPECT_EQ(Q.instructions[3].alpha, -INFINITY);
  EXPECT_EQ(Q.instructions[3].beta, INFINITY);
}

TEST(ProgramIO, VerifyCatchesBadConv) {
  Program P = convProgram();
  auto expectError = [](const Program &Q, const std::string &part) {
    std::string e = verify(Q);
    EXPECT_NE(e.find(part), std::string::npos)
        << "'" << part << "' not in '" << e << "'";
  };
  {
    Program Q = P;
    Q.values[0].shape = {-1, 5, -1, -1};
    Q.values[0].declared.reset(); // else that contradiction is the error
    expectError(Q, "C = groups*n = 4");
  }
  {
    Program Q = P;
    Q.values[1].shape = {-1, 6, 7};
    expectError(Q, "C = groups*m = 6");
  }
  {
    Program Q = P;
    Q.layers[0].strideH = 0;
    expectError(Q, "stride 0x2 must be in [1, 2^20]");
  }
  {
    Program Q = P;
    Q.layers[0].padLeft = -1;
    expectError(Q, "pads (top, left)");
  }
  {
    Program Q = P;
    Q.layers[0].bias.pop_back();
    expectError(Q, "expected groups*m = 6");
  }
  {
    // C(4) of conv2 needs 4*12 = 48 rows: more than one 32-row array.
    Program Q = P;
    Q.layers[1].dup = 4;
    expectError(Q, "mapping C(4) needs one group's 4 block-diagonal copies");
  }
  {
    Program Q = P;
    Q.layers[1].kind = LayerKind::FullyConnected;
    Q.layers[1].groups = 1;
    Q.layers[1].strideW = 2;
    expectError(Q, "a fully connected layer needs groups = 1");
  }
  {
    Program Q = P;
    Q.instructions[1].pads = {0, 0, 1};
    expectError(Q, "pads [0,0,1] must have 4 entries");
  }
  {
    Program Q = P;
    Q.instructions[9].pads = {0, 0, 1, 1};
    expectError(Q, "must have 2 x rank = 8 entries");
  }
  {
    Program Q = P;
    Q.instructions[9].mode = "wrap";
    expectError(Q, "pad mode 'wrap'");
  }
  {
    Program Q = P;
    Q.instructions[10].axis = 0;
    expectError(Q, "run-time batch dimension");
  }
  {
    Program Q = P;
    Q.instructions[4].alpha = INFINITY;
    expectError(Q, "alpha must be finite");
  }
  {
    Program Q = P;
    Q.values[13].shape = {-1, 4};
    expectError(Q, "the result the same rank");
  }
}

TEST(ProgramIO, FileRoundTrip) {
  std::string dir = REBOCC_TEST_OUTPUT_DIR;
  std::string mk = "mkdir -p '" + dir + "'";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  std::string path = dir + "/sample.rbp", error;
  Program P = sampleProgram();
  ASSERT_TRUE(writeProgramFile(P, path, error)) << error;
  Program Q;
  ASSERT_TRUE(readProgramFile(path, Q, error)) << error;
  expectEqual(P, Q);
  EXPECT_FALSE(readProgramFile(dir + "/missing.rbp", Q, error));
  EXPECT_NE(error.find("missing.rbp: cannot open"), std::string::npos) << error;
}

TEST(ProgramIO, LargeDataSectionStreamsToTheSameBytes) {
  // A constant of more floats than one streamed chunk (2^18), so that the
  // data section is written and hashed in several pieces.
  Program P = sampleProgram();
  const size_t count = (size_t(1) << 18) + 3;
  P.values.push_back({"big", {(int64_t)count}});
  P.constants.push_back({"big", {(int64_t)count}, test::randomVector(count, 5)});
  Instruction big;
  big.op = OpCode::Constant;
  big.result = P.values.size() - 1;
  big.index = 1;
  big.name = "big";
  P.instructions.push_back(big);
  P.outputs.push_back(big.result);
  std::string bytes, error;
  ASSERT_TRUE(writeProgram(P, bytes, error)) << error;
  // The data section's trailer: seal64 of the bytes between the `data` line
  // and the last 8, hashed here in one piece (the writer streams it).
  size_t dataLine = bytes.rfind("\ndata ");
  ASSERT_NE(dataLine, std::string::npos);
  size_t start = bytes.find('\n', dataLine + 1) + 1;
  std::string data = bytes.substr(start, bytes.size() - 8 - start);
  EXPECT_EQ(data.size(), 4 * (count + 10 + P.layers[0].weights.size() +
                              P.layers[0].bias.size() +
                              P.layers[1].weights.size() +
                              P.layers[1].bias.size()));
  uint64_t trailer = 0;
  for (int b = 7; b >= 0; --b)
    trailer = trailer << 8 | (unsigned char)bytes[bytes.size() - 8 + b];
  EXPECT_EQ(trailer, seal(data));
  EXPECT_EQ(reseal(bytes), bytes);

  std::string dir = REBOCC_TEST_OUTPUT_DIR;
  std::string mk = "mkdir -p '" + dir + "'";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  std::string path = dir + "/large.rbp", file;
  ASSERT_TRUE(writeProgramFile(P, path, error)) << error;
  ASSERT_TRUE(readFileBytes(path, file, error)) << error;
  EXPECT_EQ(file, bytes);
  Program Q;
  ASSERT_TRUE(readProgram(file, path, Q, error)) << error;
  expectEqual(P, Q);
  EXPECT_FALSE(Q.constants[1].data.isView()); // readProgram copies

  // readProgramFile leaves the data in the file's buffer: views that keep
  // it alive, read at whatever alignment the data section has in the file
  // (FloatArrayTest reads misaligned ones).
  Program R;
  ASSERT_TRUE(readProgramFile(path, R, error)) << error;
  expectEqual(P, R);
  EXPECT_TRUE(R.constants[1].data.isView());
  EXPECT_TRUE(R.layers[1].weights.isView());
  Program S = R;
  S.constants[1].data.data()[0] += 1.0f; // a copy of that constant alone
  EXPECT_FALSE(S.constants[1].data.isView());
  EXPECT_EQ(R.constants[1].data, P.constants[1].data);
  EXPECT_NE(S.constants[1].data, P.constants[1].data);
  R = Program(); // S's views keep the buffer
  EXPECT_TRUE(S.layers[1].weights.isView());
  EXPECT_EQ(S.layers[1].weights, P.layers[1].weights);
}

} // namespace
