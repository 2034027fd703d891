//===- DigitalKernels.cpp - Kernels of the digital instructions -----------===//
//
// Element-wise activations are run in place by the dispatch in
// Interpreter.cpp; the kernels with their own checks or index arithmetic are
// here.
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <cmath>

namespace rebocc::sim {

using namespace program;

int64_t product(const std::vector<int64_t> &shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t d = begin; d < end; ++d)
    p *= shape[d];
  return p;
}

/// Element strides of `shape` aligned to `rank`, 0 on broadcast dims.
std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &shape,
                                      const std::vector<int64_t> &out) {
  size_t rank = out.size(), lead = rank - shape.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t d = rank; d-- > lead;) {
    int64_t dim = shape[d - lead];
    strides[d] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
  return strides;
}

void softmax(const Tensor &in, int64_t axis, Tensor &out) {
  out.shape = in.shape;
  out.data.resize(in.data.size());
  int64_t outer = product(in.shape, 0, axis), len = in.shape[axis],
          inner = product(in.shape, axis + 1, in.shape.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const float *x = &in.data[o * len * inner + i];
      float *y = &out.data[o * len * inner + i];
      // Subtract the max so exp never overflows.
      float mx = -INFINITY;
      for (int64_t e = 0; e < len; ++e)
        mx = std::max(mx, x[e * inner]);
      double sum = 0;
      for (int64_t e = 0; e < len; ++e) {
        y[e * inner] = std::exp(x[e * inner] - mx);
        sum += y[e * inner];
      }
      for (int64_t e = 0; e < len; ++e)
        y[e * inner] = static_cast<float>(y[e * inner] / sum);
    }
}

bool reshape(const Tensor &in, const std::vector<int64_t> &target,
             Tensor &out, std::string &error) {
  std::vector<int64_t> shape = target;
  int64_t known = 1, inferred = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) {
      if (d >= in.shape.size()) {
        error = "reshape dimension " + str(d) + " is 0 (copy) but the input " +
                shapeToString(in.shape) + " has no such dimension";
        return false;
      }
      shape[d] = in.shape[d];
    }
    if (shape[d] == -1 && inferred < 0) {
      inferred = static_cast<int64_t>(d);
      continue;
    }
    // Checked: a wrapped product could match the input's count and let a
    // huge shape through to the kernels that index by it.
    std::optional<int64_t> next =
        shape[d] < 0 ? std::nullopt : llvm::checkedMul(known, shape[d]);
    if (!next) {
      error = "cannot reshape " + shapeToString(in.shape) + " to " +
              shapeToString(target) +
              ": a negative dimension or an element count that overflows";
      return false;
    }
    known = *next;
  }
  int64_t total = static_cast<int64_t>(in.data.size());
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      error = "cannot reshape " + shapeToString(in.shape) + " to " +
              shapeToString(target);
      return false;
    }
    shape[inferred] = total / known;
  } else if (known != total) {
    error = "cannot reshape " + shapeToString(in.shape) + " (" + str(total) +
            " elements) to " + shapeToString(target);
    return false;
  }
  if (!support::checkedElementCount(shape)) {
    error = "cannot reshape " + shapeToString(in.shape) + " to " +
            shapeToString(shape) + ": its dims overflow a 64-bit count";
    return false;
  }
  out.shape = shape;
  out.data = in.data;
  return true;
}

/// MaxPool / AveragePool over N x C x H x W (ONNX semantics; see
/// docs/ProgramFormat.md): padding never wins a max; with ceil_mode the last
/// window must start inside the input or its leading padding;
/// count_include_pad divides by the window clipped to the padded input,
/// otherwise by the real elements. A window without any input element (only
/// possible with dilation) yields 0.
bool pool(const Tensor &in, const Instruction &I, Tensor &out,
          std::string &error) {
  const bool isMax = I.op == OpCode::MaxPool;
  if (in.shape.size() != 4) {
    error = "pooling input must have rank 4 (N, C, H, W), got " +
            shapeToString(in.shape);
    return false;
  }
  const int64_t N = in.shape[0], C = in.shape[1], H = in.shape[2],
                W = in.shape[3];
  const int64_t kH = I.kernel[0], kW = I.kernel[1], sH = I.strides[0],
                sW = I.strides[1], pt = I.pads[0], pl = I.pads[1],
                pb = I.pads[2], pr = I.pads[3], dH = I.dilations[0],
                dW = I.dilations[1];
  int64_t Ho = support::windowOutput(H, kH, sH, pt, pb, dH, I.ceilMode);
  int64_t Wo = support::windowOutput(W, kW, sW, pl, pr, dW, I.ceilMode);
  if (Ho < 1 || Wo < 1) {
    error = "pooling window " + str(kH) + "x" + str(kW) + " (dilations " +
            str(dH) + "x" + str(dW) + ", with pads) does not fit input " +
            shapeToString(in.shape);
    return false;
  }
  out.shape = {N, C, Ho, Wo};
  int64_t count = boundedCount(out.shape);
  if (count < 0) {
    error = "pooling output " + shapeToString(out.shape) + " is too large";
    return false;
  }
  out.data.assign(count, 0.0f);
  // Per output row/column: the sampled input positions inside the input, and
  // (count_include_pad) the number inside the padded input.
  auto positions = [](int64_t o, int64_t stride, int64_t padBegin,
                      int64_t padEnd, int64_t kernel, int64_t dilation,
                      int64_t size, std::vector<int64_t> &real,
                      int64_t &padded) {
    real.clear();
    padded = 0;
    int64_t start = o * stride - padBegin;
    for (int64_t u = 0; u < kernel; ++u) {
      int64_t i = start + u * dilation;
      if (i >= -padBegin && i < size + padEnd)
        ++padded;
      if (i >= 0 && i < size)
        real.push_back(i);
    }
  };
  std::vector<std::vector<int64_t>> rowsAt(Ho), colsAt(Wo);
  std::vector<int64_t> paddedRows(Ho), paddedCols(Wo);
  for (int64_t oy = 0; oy < Ho; ++oy)
    positions(oy, sH, pt, pb, kH, dH, H, rowsAt[oy], paddedRows[oy]);
  for (int64_t ox = 0; ox < Wo; ++ox)
    positions(ox, sW, pl, pr, kW, dW, W, colsAt[ox], paddedCols[ox]);
  for (int64_t nc = 0; nc < N * C; ++nc) {
    const float *plane = &in.data[nc * H * W];
    float *dst = &out.data[nc * Ho * Wo];
    for (int64_t oy = 0; oy < Ho; ++oy)
      for (int64_t ox = 0; ox < Wo; ++ox) {
        const std::vector<int64_t> &ys = rowsAt[oy], &xs = colsAt[ox];
        float result = 0.0f;
        if (isMax) {
          bool any = false;
          for (int64_t iy : ys)
            for (int64_t ix : xs) {
              float v = plane[iy * W + ix];
              if (!any || v > result || std::isnan(v))
                result = v;
              any = true;
            }
        } else {
          double sum = 0;
          for (int64_t iy : ys)
            for (int64_t ix : xs)
              sum += plane[iy * W + ix];
          int64_t divisor =
              I.countIncludePad
                  ? paddedRows[oy] * paddedCols[ox]
                  : static_cast<int64_t>(ys.size() * xs.size());
          result = divisor > 0 ? static_cast<float>(sum / divisor) : 0.0f;
        }
        dst[oy * Wo + ox] = result;
      }
  }
  return true;
}

/// Mean over every dimension after the first two; those become 1.
bool globalAveragePool(const Tensor &in, Tensor &out, std::string &error) {
  if (in.shape.size() < 3) {
    error = "global_average_pool input must have rank >= 3, got " +
            shapeToString(in.shape);
    return false;
  }
  int64_t outer = in.shape[0] * in.shape[1];
  int64_t inner = product(in.shape, 2, in.shape.size());
  out.shape = in.shape;
  for (size_t d = 2; d < out.shape.size(); ++d)
    out.shape[d] = 1;
  out.data.assign(outer, 0.0f);
  for (int64_t o = 0; o < outer; ++o) {
    double sum = 0;
    for (int64_t e = 0; e < inner; ++e)
      sum += in.data[o * inner + e];
    out.data[o] = inner > 0 ? static_cast<float>(sum / inner) : 0.0f;
  }
  return true;
}

bool concat(const std::vector<const Tensor *> &ins, int64_t axis, Tensor &out,
            std::string &error) {
  const std::vector<int64_t> &first = ins[0]->shape;
  int64_t rank = static_cast<int64_t>(first.size());
  if (axis < 0 || axis >= rank) {
    error = "concat axis " + str(axis) + " out of range for input " +
            shapeToString(first);
    return false;
  }
  out.shape = first;
  out.shape[axis] = 0;
  for (const Tensor *t : ins) {
    bool ok = static_cast<int64_t>(t->shape.size()) == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == axis || t->shape[d] == first[d];
    if (!ok) {
      error = "concat operands " + shapeToString(first) + " and " +
              shapeToString(t->shape) + " differ outside axis " + str(axis);
      return false;
    }
    out.shape[axis] += t->shape[axis];
  }
  int64_t outer = product(first, 0, axis);
  out.data.clear();
  out.data.reserve(product(out.shape, 0, out.shape.size()));
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : ins) {
      int64_t chunk = product(t->shape, axis, t->shape.size());
      out.data.insert(out.data.end(), t->data.begin() + o * chunk,
                      t->data.begin() + (o + 1) * chunk);
    }
  return true;
}

namespace {

/// Visits every element of an output of shape `shape` in row-major order;
/// `source(d, i)` maps output index i of dimension d to an input offset
/// contribution, or -1 when the element is not taken from the input.
/// Calls emit(offset) or emit(-1).
template <typename Source, typename Emit>
void gatherOdometer(const std::vector<int64_t> &shape, Source source,
                    Emit emit) {
  size_t rank = shape.size();
  if (rank == 0) {
    emit(int64_t(0));
    return;
  }
  for (int64_t dim : shape)
    if (dim == 0)
      return;
  std::vector<int64_t> index(rank, 0);
  const size_t last = rank - 1;
  while (true) {
    bool outside = false;
    int64_t base = 0;
    for (size_t d = 0; d < last; ++d) {
      int64_t off = source(d, index[d]);
      if (off < 0)
        outside = true;
      else
        base += off;
    }
    for (int64_t i = 0; i < shape[last]; ++i) {
      int64_t off = outside ? -1 : source(last, i);
      emit(off < 0 ? int64_t(-1) : base + off);
    }
    size_t d = last;
    while (d-- > 0) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
    if (d == size_t(-1))
      return;
  }
}

std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

} // namespace

bool pad(const Tensor &in, const Instruction &I, Tensor &out,
         std::string &error) {
  size_t rank = in.shape.size();
  if (I.pads.size() != 2 * rank) {
    error = "pad needs 2 x rank pads for input " + shapeToString(in.shape);
    return false;
  }
  out.shape = in.shape;
  // map[d][i]: input index of output index i along d, -1 = the constant.
  std::vector<std::vector<int64_t>> map(rank);
  std::vector<int64_t> strides = rowMajorStrides(in.shape);
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = in.shape[d], before = I.pads[d], after = I.pads[rank + d];
    if (before + after > 0 && I.mode != "constant" &&
        (size == 0 ||
         (I.mode == "reflect" && (before > size - 1 || after > size - 1)))) {
      error = I.mode + " padding of " + str(before) + "," + str(after) +
              " needs dimension " + str(static_cast<int64_t>(d)) +
              " of input " + shapeToString(in.shape) + " to be " +
              (I.mode == "reflect" ? "larger than each pad" : "non-empty");
      return false;
    }
    out.shape[d] = size + before + after;
    if (out.shape[d] > (int64_t(1) << 30)) {
      error = "pad output is too large";
      return false;
    }
    map[d].resize(out.shape[d]);
    for (int64_t i = 0; i < out.shape[d]; ++i) {
      int64_t j = i - before;
      if (j < 0 || j >= size) {
        if (I.mode == "constant")
          j = -1;
        else if (I.mode == "edge")
          j = j < 0 ? 0 : size - 1;
        else
          j = j < 0 ? -j : 2 * (size - 1) - j;
      }
      map[d][i] = j < 0 ? -1 : j * strides[d];
    }
  }
  int64_t count = boundedCount(out.shape);
  if (count < 0) {
    error = "pad output " + shapeToString(out.shape) + " is too large";
    return false;
  }
  out.data.clear();
  out.data.reserve(count);
  gatherOdometer(
      out.shape, [&](size_t d, int64_t i) { return map[d][i]; },
      [&](int64_t off) {
        out.data.push_back(off < 0 ? I.alpha : in.data[off]);
      });
  return true;
}

bool transpose(const Tensor &in, const std::vector<int64_t> &perm,
               Tensor &out, std::string &error) {
  size_t rank = in.shape.size();
  if (perm.size() != rank) {
    error = "perm does not match input " + shapeToString(in.shape);
    return false;
  }
  std::vector<int64_t> strides = rowMajorStrides(in.shape), permStrides(rank);
  out.shape.resize(rank);
  for (size_t d = 0; d < rank; ++d) {
    out.shape[d] = in.shape[perm[d]];
    permStrides[d] = strides[perm[d]];
  }
  out.data.clear();
  out.data.reserve(in.data.size());
  gatherOdometer(
      out.shape, [&](size_t d, int64_t i) { return i * permStrides[d]; },
      [&](int64_t off) { out.data.push_back(in.data[off]); });
  return true;
}

void slice(const Tensor &in, const Instruction &I, Tensor &out) {
  std::vector<int64_t> strides = rowMajorStrides(in.shape),
                       first(in.shape.size(), 0);
  out.shape = in.shape;
  for (size_t i = 0; i < I.axes.size(); ++i) {
    first[I.axes[i]] = I.starts[i];
    out.shape[I.axes[i]] = I.ends[i] - I.starts[i];
  }
  out.data.clear();
  out.data.reserve(product(out.shape, 0, out.shape.size()));
  gatherOdometer(
      out.shape,
      [&](size_t d, int64_t i) { return (first[d] + i) * strides[d]; },
      [&](int64_t off) { out.data.push_back(in.data[off]); });
}

} // namespace rebocc::sim
