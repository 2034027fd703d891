//===- ImportResize.cpp - ONNX Resize as per-axis tap tables --------------===//
//
// Nearest, linear and cubic interpolation are separable: along each resized
// axis, output index x reads a few input indices (one, two or four) with
// weights that depend only on x, the sizes, the scale and the attributes.
// The importer computes those tables with the ONNX reference's rules (the
// coordinate transformation, the neighbours' edge padding, the nearest
// rounding, cubic's coefficients and exclude_outside), and the program's
// one resize instruction applies them on the digital units.
//
// Opsets: 10 (scales; asymmetric coordinates, nearest rounds down, as
// Upsample), 11 and 13 (roi, scales or sizes; the coordinate_transformation_
// mode, nearest_mode, cubic_coeff_a and exclude_outside attributes), 18
// (axes, keep_aspect_ratio_policy, antialias) and 19 (half_pixel_symmetric).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <array>
#include <cmath>
#include <set>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

namespace {
/// The interpolation attributes of one Resize node.
struct ResizeMode {
  std::string mode, coordinates, nearest;
  double cubicA = -0.75;
  bool excludeOutside = false;
};

/// One axis's table: `taps` (source, weight) pairs per output index.
struct TapTable {
  int64_t taps = 1;
  std::vector<int64_t> sources;
  std::vector<float> weights;
};
} // namespace

/// The input coordinate output index `x` maps to (ONNX's
/// coordinate_transformation_mode), for an axis resized from `in` to `out`
/// by `scale`. `length` is scale * in, which align_corners and
/// half_pixel_symmetric use as the output length, as the reference does
/// (it passes the node tests whose scale * in is not an integer).
static double originalCoordinate(const std::string &mode, double x,
                                 double scale, int64_t in, int64_t out) {
  double length = scale * in;
  if (mode == "asymmetric")
    return x / scale;
  if (mode == "align_corners")
    return length == 1 ? 0 : x * (in - 1) / (length - 1);
  // The specification's 0 for a single output (onnxruntime's too; the
  // reference's -0.5 reads the same edge value for nearest and linear).
  if (mode == "pytorch_half_pixel")
    return out > 1 ? (x + 0.5) / scale - 0.5 : 0;
  if (mode == "tf_half_pixel_for_nn")
    return (x + 0.5) / scale;
  if (mode == "half_pixel_symmetric") {
    double adjustment = out / length;
    double offset = in / 2.0 * (1 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  return (x + 0.5) / scale - 0.5; // half_pixel
}

/// Cubic convolution weights of the four neighbours at distance 1 + r, r,
/// 1 - r and 2 - r (Keys, with the coefficient `a`).
static std::array<double, 4> cubicWeights(double r, double a) {
  auto near = [a](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };
  auto far = [a](double d) {
    return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  };
  return {far(1 + r), near(r), near(1 - r), far(2 - r)};
}

/// The table of one axis. The neighbours of coordinate c are counted from
/// i = ceil(c) - 1 with r = c - i in (0, 1], as the reference picks them
/// (an integer c is the right-hand neighbour at r = 1); indices outside the
/// axis read its edge (the reference's edge padding).
static TapTable axisTable(const ResizeMode &m, int64_t in, int64_t out,
                          double scale) {
  TapTable table;
  table.taps = m.mode == "nearest" ? 1 : m.mode == "linear" ? 2 : 4;
  auto clampIndex = [in](int64_t i) {
    return std::min<int64_t>(std::max<int64_t>(i, 0), in - 1);
  };
  for (int64_t x = 0; x < out; ++x) {
    double c = originalCoordinate(m.coordinates, x, scale, in, out);
    int64_t i = (int64_t)std::ceil(c) - 1;
    double r = c - i;
    if (m.mode == "nearest") {
      bool right = r == 1 || m.nearest == "ceil" ||
                   (m.nearest == "round_prefer_floor" && r > 0.5) ||
                   (m.nearest == "round_prefer_ceil" && r >= 0.5);
      table.sources.push_back(clampIndex(right ? i + 1 : i));
      table.weights.push_back(1.0f);
      continue;
    }
    std::vector<int64_t> index;
    std::vector<double> weight;
    if (m.mode == "linear") {
      index = {i, i + 1};
      weight = {1 - r, r};
    } else {
      index = {i - 1, i, i + 1, i + 2};
      std::array<double, 4> w = cubicWeights(r, m.cubicA);
      weight.assign(w.begin(), w.end());
    }
    if (m.excludeOutside) {
      double sum = 0;
      for (size_t t = 0; t < index.size(); ++t) {
        if (index[t] < 0 || index[t] >= in)
          weight[t] = 0;
        sum += weight[t];
      }
      for (double &w : weight)
        w /= sum;
    }
    for (size_t t = 0; t < index.size(); ++t) {
      table.sources.push_back(clampIndex(index[t]));
      table.weights.push_back((float)weight[t]);
    }
  }
  return table;
}

/// Whether `table` maps every output index to the same input index alone.
static bool isIdentity(const TapTable &table, int64_t in, int64_t out) {
  if (in != out)
    return false;
  for (int64_t x = 0; x < out; ++x)
    for (int64_t t = 0; t < table.taps; ++t) {
      size_t e = x * table.taps + t;
      float expected = table.sources[e] == x ? 1.0f : 0.0f;
      // Several taps may read the (clamped) edge index: sum them.
      if (table.sources[e] == x) {
        double sum = 0;
        for (int64_t u = 0; u < table.taps; ++u)
          if (table.sources[x * table.taps + u] == x)
            sum += table.weights[x * table.taps + u];
        if (sum != 1.0)
          return false;
      } else if (table.weights[e] != expected) {
        return false;
      }
    }
  return true;
}

/// Reads and checks the mode attributes for `opset`; false with `error`.
static bool readResizeMode(const onnx::NodeProto &node, int64_t opset,
                           ResizeMode &m, std::string &error) {
  m.mode = getString(node, "mode", "nearest");
  if (m.mode != "nearest" && m.mode != "linear" && m.mode != "cubic") {
    error = "mode '" + m.mode +
            "' is not supported (nearest, linear and "
            "cubic are)";
    return false;
  }
  if (opset < 11) {
    if (m.mode == "cubic") {
      error = "mode 'cubic' needs opset 11";
      return false;
    }
    m.coordinates = "asymmetric";
    m.nearest = "floor";
    return true;
  }
  m.coordinates =
      getString(node, "coordinate_transformation_mode", "half_pixel");
  m.nearest = getString(node, "nearest_mode", "round_prefer_floor");
  m.cubicA = getFloat(node, "cubic_coeff_a", -0.75f);
  m.excludeOutside = getInt(node, "exclude_outside", 0) != 0;
  static const char *const kModes[] = {
      "half_pixel", "pytorch_half_pixel",   "align_corners",
      "asymmetric", "tf_half_pixel_for_nn", "half_pixel_symmetric"};
  if (!llvm::is_contained(kModes, m.coordinates) ||
      (m.coordinates == "half_pixel_symmetric" && opset < 19)) {
    error = "coordinate_transformation_mode '" + m.coordinates +
            "' is not supported (half_pixel, pytorch_half_pixel, "
            "align_corners, asymmetric, tf_half_pixel_for_nn, and "
            "half_pixel_symmetric from opset 19, are)";
    return false;
  }
  static const char *const kNearest[] = {"round_prefer_floor",
                                         "round_prefer_ceil", "floor", "ceil"};
  if (!llvm::is_contained(kNearest, m.nearest)) {
    error = "nearest_mode '" + m.nearest +
            "' is not supported "
            "(round_prefer_floor, round_prefer_ceil, floor and ceil are)";
    return false;
  }
  return true;
}

/// A non-empty scales or sizes input (index `index`), or null.
const ConstTensor *Importer::resizeFactors(const onnx::NodeProto &node,
                                           int index, const Twine &what,
                                           bool &failed) {
  failed = false;
  if (!hasInput(node, index))
    return nullptr;
  const ConstTensor *t = constantInput(node, index, what, /*allowBatch=*/true);
  if (!t)
    failed = true;
  return t && t->numElements() ? t : nullptr;
}

bool Importer::importResize(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  std::vector<int64_t> in(shapeOf(x));
  int64_t rank = in.size();
  ResizeMode mode;
  std::string reason;
  if (!readResizeMode(node, opset, mode, reason))
    return fail(node, reason);
  bool failed = false;
  const ConstTensor *scales =
      resizeFactors(node, opset < 11 ? 1 : 2, "scales", failed);
  if (failed)
    return false;
  const ConstTensor *sizes =
      opset < 11 ? nullptr : resizeFactors(node, 3, "sizes", failed);
  if (failed)
    return false;
  if (!scales == !sizes)
    return fail(node, "needs exactly one of scales and sizes (non-empty)");
  std::vector<int64_t> axes(rank);
  for (int64_t d = 0; d < rank; ++d)
    axes[d] = d;
  if (std::optional<std::vector<int64_t>> given = getInts(node, "axes")) {
    axes = *given;
    for (int64_t &axis : axes)
      if (!normalizeAxis(axis, rank))
        return fail(node, "axis " + Twine(axis) + " is out of range");
    if (std::set<int64_t>(axes.begin(), axes.end()).size() != axes.size())
      return fail(node, "axes must be distinct");
  }
  const ConstTensor *factors = scales ? scales : sizes;
  if (factors->numElements() != (int64_t)axes.size())
    return fail(node, Twine(scales ? "scales" : "sizes") + " has " +
                          Twine(factors->numElements()) +
                          " entries; the input has " + Twine(axes.size()) +
                          " axes to resize");
  // The scale and output size of each listed axis.
  std::vector<double> scale(axes.size());
  std::vector<int64_t> out = in;
  std::string policy = getString(node, "keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return fail(node, "keep_aspect_ratio_policy '" + policy +
                          "' is not supported (stretch, not_larger and "
                          "not_smaller are)");
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    double f = factors->data[i];
    if (ShapedType::isDynamic(in[axis])) {
      if ((scales && f != 1) || (sizes && batchMultiple(f) != batchMultipleOf(x)))
        return fail(node, "resizing the run-time batch dimension is not "
                          "supported");
      scale[i] = 1;
      continue;
    }
    if (!(f > 0) || f > (double)kMaxWindow * in[axis])
      return fail(node, Twine(scales ? "scale " : "size ") + std::to_string(f) +
                            " of axis " + Twine(axis) + " is out of range");
    scale[i] = scales ? f : f / in[axis];
    out[axis] = scales ? (int64_t)std::floor(f * in[axis]) : (int64_t)f;
  }
  if (sizes && policy != "stretch") {
    double common = policy == "not_larger" ? INFINITY : 0;
    for (size_t i = 0; i < axes.size(); ++i)
      if (!ShapedType::isDynamic(in[axes[i]]))
        common = policy == "not_larger" ? std::min(common, scale[i])
                                        : std::max(common, scale[i]);
    for (size_t i = 0; i < axes.size(); ++i)
      if (!ShapedType::isDynamic(in[axes[i]])) {
        scale[i] = common;
        out[axes[i]] = (int64_t)std::floor(common * in[axes[i]] + 0.5);
      }
  }
  bool antialias = getInt(node, "antialias", 0) != 0;
  SmallVector<int64_t> resized, taps, sources;
  SmallVector<float> weights;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (ShapedType::isDynamic(in[axis]))
      continue;
    if (out[axis] < 1)
      return fail(node, "axis " + Twine(axis) + " would be resized to " +
                            Twine(out[axis]) +
                            "; empty tensors are not "
                            "supported");
    if (antialias && mode.mode != "nearest" && scale[i] < 1)
      return fail(node, "antialias = 1 when downsampling is not supported");
    TapTable table = axisTable(mode, in[axis], out[axis], scale[i]);
    if (isIdentity(table, in[axis], out[axis]))
      continue;
    resized.push_back(axis);
    taps.push_back(table.taps);
    sources.append(table.sources.begin(), table.sources.end());
    weights.append(table.weights.begin(), table.weights.end());
  }
  if (!checkShape(node, out, "the result shape"))
    return false;
  if (resized.empty())
    return bind(node, x);
  // The tables are in increasing axis order, as the op requires.
  SmallVector<size_t> order(resized.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  llvm::sort(order,
             [&](size_t a, size_t b) { return resized[a] < resized[b]; });
  SmallVector<int64_t> begin(resized.size() + 1, 0);
  for (size_t i = 0; i < resized.size(); ++i)
    begin[i + 1] = begin[i] + out[resized[i]] * taps[i];
  SmallVector<int64_t> sortedAxes, sortedTaps, sortedSources;
  SmallVector<float> sortedWeights;
  for (size_t i : order) {
    sortedAxes.push_back(resized[i]);
    sortedTaps.push_back(taps[i]);
    sortedSources.append(sources.begin() + begin[i],
                         sources.begin() + begin[i + 1]);
    sortedWeights.append(weights.begin() + begin[i],
                         weights.begin() + begin[i + 1]);
  }
  return bind(node, ResizeOp::create(builder, locFor(node),
                                     tensorType(out, builder), x, sortedAxes,
                                     sortedTaps, sortedSources, sortedWeights));
}

/// Upsample (opsets 7 to 9; deprecated in 10) is the Resize of opset 10:
/// asymmetric coordinates, nearest rounding down, and linear. Its scales
/// are an attribute before opset 9 and input 1 from it on, where Resize 10
/// has them.
bool Importer::importUpsample(const onnx::NodeProto &node) {
  if (opset < 7)
    return fail(node, "Upsample before opset 7 (mode 'bilinear') is not "
                      "supported");
  if (opset >= 9)
    return importResize(node);
  const onnx::AttributeProto *attr = findAttr(node, "scales");
  if (!attr || attr->floats_size() == 0)
    return fail(node, "attribute 'scales' is required");
  for (float f : attr->floats())
    if (!(f >= 1.0f))
      return fail(node, "scales must be 1 or more (Upsample)");
  ConstTensor scales;
  scales.shape = {(int64_t)attr->floats_size()};
  scales.data.assign(attr->floats().begin(), attr->floats().end());
  std::string name = node.output(0) + "_scales";
  env[name] = Binding{Value(), std::move(scales)};
  onnx::NodeProto resize = node;
  while (resize.input_size() > 1)
    resize.mutable_input()->RemoveLast();
  resize.add_input(name);
  return importResize(resize);
}

} // namespace rebocc::onnxfe
