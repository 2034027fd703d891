//===- ExactGemm.cpp - the lossless crossbar product as a GEMM ------------===//
//
// The lossless fixed-point product (ExactGemm.h) as OpenBLAS dgemm calls:
// a convolution per group and tile of output positions (a stretch of one
// image, or whole images) over the tile's im2col rows (a 1x1 convolution of
// stride 1 without padding reads the image itself), a fully connected layer
// per block of outputs over the whole batch. Each task writes its own outputs;
// the sums are exact, so neither the tiling nor the BLAS kernel's order of
// additions shows.
//
//===----------------------------------------------------------------------===//

#include "ExactGemm.h"
#include "DirectMatrix.h"
#include "Int16Gemm.h"
#include "SimSupport.h"

#include <cblas.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace rebocc::sim {

using namespace program;

namespace {

/// Bytes of im2col codes (gathered and packed) and products per tile of the
/// int16 path (measured on ResNet-50: 512 KiB to 2 MiB are within noise;
/// the im2col budget alone gave tiles of 32 MiB of products for 1x1 layers).
constexpr int64_t kInt16TileBytes = int64_t(1) << 20;

/// The largest double matrix the GEMM path builds (entries; 256 MiB):
/// larger layers (a VGG classifier) run the int16 direct product.
constexpr int64_t kMaxGemmEntries = int64_t(1) << 25;

/// The output positions of the batch, image after image, cut into tiles: a
/// tile is a stretch of one image or a run of whole images. Whole images
/// together let one GEMM pack the weights for several images (deep layers
/// have few positions, and packing the weights then costs about as much as
/// multiplying). About `budget` bytes per tile at most, at `perPosition`
/// bytes per position (at least 64 positions).
struct Tiling {
  int64_t positions = 0; // per image
  int64_t tile = 0;      // positions per tile, a multiple of `positions`
                         // when larger than an image
  int64_t count = 0;     // tiles over the batch

  Tiling(int64_t perPosition, int64_t positions, int64_t images,
         int64_t budget)
      : positions(positions) {
    const int64_t target =
        std::max<int64_t>(64, budget / std::max<int64_t>(perPosition, 1));
    if (target < positions) {
      // Even pieces, whole 32-column panels (Int16Gemm.h) but the last.
      const int64_t pieces = (positions + target - 1) / target;
      tile = ((positions + pieces - 1) / pieces + 31) / 32 * 32;
      count = images * ((positions + tile - 1) / tile);
    } else {
      const int64_t per = std::min(images, target / positions);
      tile = per * positions;
      count = (images + per - 1) / per;
    }
  }
  /// First global position (image * positions + p) and length of tile t.
  void range(int64_t t, int64_t total, int64_t &first, int64_t &n) const {
    if (tile < positions) {
      const int64_t perImage = (positions + tile - 1) / tile;
      first = t / perImage * positions + t % perImage * tile;
      n = std::min(tile, positions - t % perImage * tile);
    } else {
      first = t * tile;
      n = std::min(tile, total - first);
    }
  }
};

/// One output row's stretch of a tile's positions: image, output row, first
/// output column, length and offset in the tile.
struct Stretch {
  int64_t img, oy, ox0, len, at;
};

/// The stretches of global output positions [p0, p0 + n) (position p of
/// image i is i * positions + p), worked out once per tile rather than per
/// im2col row.
void tileStretches(int64_t Wo, int64_t positions, int64_t p0, int64_t n,
                   std::vector<Stretch> &out) {
  out.clear();
  for (int64_t i = 0; i < n;) {
    const int64_t img = (p0 + i) / positions, p = (p0 + i) % positions;
    const int64_t ox0 = p % Wo, len = std::min(n - i, Wo - ox0);
    out.push_back({img, p / Wo, ox0, len, i});
    i += len;
  }
}

/// Row r of the tile's im2col matrix (row ((u*kernelW + v)*q + j)*k + t as
/// gatherWindow orders them) into dst[0, n): each output row's stretch of
/// positions, so the innermost loop walks one image row (with stride 1,
/// contiguously). `image(i)` is the group's first channel of image i.
template <typename T, typename ImageFn>
void gatherRow(const CrossbarLayer &L, ImageFn image, int64_t H, int64_t W,
               const std::vector<Stretch> &stretches, int64_t n, int64_t r,
               T *dst) {
  const int64_t qk = L.q * L.k, c = r % qk, uv = r / qk;
  const int64_t u = uv / L.kernelW, v = uv % L.kernelW, sW = L.strideW;
  if (c >= L.n) { // a padding channel of the last block
    std::fill(dst, dst + n, T(0));
    return;
  }
  for (const Stretch &st : stretches) {
    const int64_t iy = st.oy * L.strideH - L.padTop + u * L.dilationH;
    T *out = dst + st.at;
    const int64_t len = st.len;
    if (iy < 0 || iy >= H) {
      std::fill(out, out + len, T(0));
      continue;
    }
    // Positions e in [lo, hi) read inside the row: ix = x0 + e*stride.
    const int64_t x0 = st.ox0 * sW + v * L.dilationW - L.padLeft;
    const int64_t lo =
        x0 >= 0 ? 0 : std::min(len, (-x0 + sW - 1) / sW);
    const int64_t hi =
        x0 + (len - 1) * sW < W
            ? len
            : std::max(lo, std::min(len, x0 >= W ? 0 : (W - 1 - x0) / sW + 1));
    std::fill(out, out + lo, T(0));
    const T *row = image(st.img) + c * H * W + iy * W;
    if (sW == 1)
      std::copy(row + x0 + lo, row + x0 + hi, out + lo);
    else
      for (int64_t e = lo; e < hi; ++e)
        out[e] = row[x0 + e * sW];
    std::fill(out + hi, out + len, T(0));
  }
}

/// The tile's whole im2col matrix as `rows` rows of `n` (row-major).
template <typename T, typename ImageFn>
void gatherColumns(const CrossbarLayer &L, ImageFn image, int64_t H, int64_t W,
                   int64_t Wo, int64_t positions, int64_t p0, int64_t n,
                   int64_t rows, T *cols) {
  thread_local std::vector<Stretch> stretches;
  tileStretches(Wo, positions, p0, n, stretches);
  for (int64_t r = 0; r < rows; ++r)
    gatherRow(L, image, H, W, stretches, n, r, cols + r * n);
}

/// A sum of products -0.0 (a zero code times a negative one) may be -0.0 in
/// double arithmetic, where the cells' integer sum is 0; with a bias of -0.0
/// the sign would show in the output. x + 0.0 is x except that -0.0 becomes
/// 0.0 (FastPath.ZeroSumHasNoSign).
inline double unsignedZero(double x) { return x + 0.0; }

/// OpenBLAS may start its own threads; the TaskRunner owns threading.
void singleThreadedBlas() {
  static const bool once = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)once;
}

/// Quantizes `count` values per item into integer codes (doubles or
/// int16), one scale per item, items spread over `tasks`. `stride` is the
/// distance of two items' codes in `codes` (zero padded). False with `error`
/// naming the first failing item (`what`).
template <typename T>
bool quantizeItems(const float *x, int64_t items, int64_t count, int64_t stride,
                   double maxX, bool integer, TaskRunner &tasks,
                   std::vector<T> &codes, std::vector<double> &scale,
                   const char *what, std::string &error) {
  codes.resize(items * stride);
  scale.assign(items, 0.0);
  std::vector<std::string> errors(items);
  tasks.forEach(items, [&](int64_t i, unsigned) {
    T *out = codes.data() + i * stride;
    if (quantizeInput(x + i * count, count, maxX, out, scale[i], errors[i],
                      integer))
      std::fill(out + count, out + stride, T(0));
  });
  for (int64_t i = 0; i < items; ++i)
    if (!errors[i].empty()) {
      error = errors[i] + " (" + what + " " + str(i) + ")";
      return false;
    }
  return true;
}

/// Whether a convolution's im2col rows are its image's channels, read in
/// place: a 1x1 window of stride 1 over an unpadded image.
bool readsInPlace(const CrossbarLayer &L, int64_t positions, int64_t HW) {
  return L.kernelH == 1 && L.kernelW == 1 && L.strideH == 1 &&
         L.strideW == 1 && L.padTop == 0 && L.padLeft == 0 &&
         L.q * L.k == L.n && positions == HW && HW <= INT32_MAX;
}

/// Group g's products of global positions [p0, p0 + n) (m rows of `ldc`)
/// back to N x Cout x Ho x Wo, one image's stretch at a time.
template <bool Avx512>
void storeOutputs(const CrossbarLayer &L, const double *prod, int64_t ldc,
                  int64_t g, int64_t p0, int64_t n, int64_t positions,
                  const std::vector<double> &scale, support::Tensor &y) {
  const int64_t Cout = y.shape[1], m = L.m;
  for (int64_t i = 0; i < n;) {
    const int64_t img = (p0 + i) / positions, p = (p0 + i) % positions;
    const int64_t len = std::min(n - i, positions - p);
    for (int64_t o = 0; o < m; ++o) {
      float *out = y.data.data() + (img * Cout + g * m + o) * positions + p;
      const double *acc = prod + o * ldc + i;
      const float ws = L.scaleOfOutput(g * m + o);
      if (Avx512) {
        int16gemm::finishRow(acc, len, ws, scale[img],
                             L.bias[g * m + o], out);
        continue;
      }
      for (int64_t e = 0; e < len; ++e)
        out[e] = finishFixed(ws, unsignedZero(acc[e]), scale[img],
                             L.bias[g * m + o]);
    }
    i += len;
  }
}

bool runConvolution(const CrossbarLayer &L, const LayerPlan &S,
                    const std::vector<double> &D, double maxX,
                    const support::Tensor &x, support::Tensor &y,
                    TaskRunner &tasks, std::string &error) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t Wo = y.shape[3];
  const int64_t HW = H * W, positions = y.shape[2] * Wo, R = S.rows, m = L.m;
  // Kept from layer to layer: no fresh pages for every layer's input. (A
  // reference, so that the workers' tasks see this thread's buffer.)
  thread_local std::vector<double> inputCodes;
  std::vector<double> &xd = inputCodes;
  std::vector<double> scale;
  // One input scale per image: max |x| over all its channels.
  if (!quantizeItems(x.data.data(), N, C * HW, C * HW, maxX,
                     L.inputBits > 0, tasks, xd, scale,
                     "image", error))
    return false;
  const bool inPlace = readsInPlace(L, positions, HW);
  if (N == 0 || positions == 0)
    return true; // nothing to compute (and no tile to cut)
  const Tiling tiling(R * 8, positions, N, int64_t(4) << 20); // im2col rows
  tasks.forEach(L.groups * tiling.count, [&](int64_t task, unsigned) {
    // Per thread, kept from layer to layer: no fresh pages per tile.
    thread_local std::vector<double> cols, prod;
    const int64_t g = task % L.groups;
    int64_t p0, n;
    tiling.range(task / L.groups, N * positions, p0, n);
    auto image = [&](int64_t img) {
      return xd.data() + (img * C + g * L.n) * HW;
    };
    const double *weights = D.data() + g * m * R;
    prod.resize(m * n);
    if (inPlace && p0 % positions + n <= positions) {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, R, 1.0,
                  weights, R, image(p0 / positions) + p0 % positions, HW, 0.0,
                  prod.data(), n);
    } else {
      cols.resize(n * R);
      gatherColumns(L, image, H, W, Wo, positions, p0, n, R, cols.data());
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, R, 1.0,
                  weights, R, cols.data(), n, 0.0, prod.data(), n);
    }
    storeOutputs<false>(L, prod.data(), n, g, p0, n, positions, scale, y);
  });
  return true;
}

/// runConvolution on the VNNI kernel (Int16Gemm.h): int16 codes, each
/// group's weights split and packed once per call.
bool runConvolutionInt16(const CrossbarLayer &L, const LayerPlan &S,
                         const std::vector<double> &D, double maxX,
                         const support::Tensor &x, support::Tensor &y,
                         TaskRunner &tasks, std::string &error) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t Wo = y.shape[3], positions = y.shape[2] * Wo, HW = H * W;
  const int64_t R = S.rows, m = L.m;
  thread_local std::vector<int16_t> inputCodes;
  std::vector<int16_t> &xq = inputCodes;
  std::vector<double> scale;
  if (!quantizeItems(x.data.data(), N, C * HW, C * HW, maxX,
                     L.inputBits > 0, tasks, xq, scale,
                     "image", error))
    return false;
  if (N == 0 || positions == 0)
    return true;
  std::vector<int16gemm::PackedWeights> A(L.groups);
  tasks.forEach(L.groups, [&](int64_t g, unsigned) {
    int16gemm::packWeights(D.data() + g * m * R, m, R, R, A[g]);
  });
  const bool inPlace = readsInPlace(L, positions, HW);
  // The tile's im2col codes and its double products within L2, where the
  // kernel adds into the products once per kBlockPairs pairs.
  const Tiling tiling(4 * R + 8 * int16gemm::paddedRows(m), positions, N,
                      kInt16TileBytes);
  tasks.forEach(L.groups * tiling.count, [&](int64_t task, unsigned) {
    thread_local std::vector<int16_t> rowPair, packed;
    thread_local std::vector<double> prod;
    const int64_t g = task % L.groups;
    int64_t p0, n;
    tiling.range(task / L.groups, N * positions, p0, n);
    auto image = [&](int64_t img) {
      return xq.data() + (img * C + g * L.n) * HW;
    };
    packed.resize(int16gemm::packedColumnsSize(R, n));
    if (inPlace && p0 % positions + n <= positions) {
      int16gemm::packColumns(image(p0 / positions) + p0 % positions, HW, R, n,
                             packed.data());
    } else {
      // Two im2col rows at a time (in L1), packed as they come.
      thread_local std::vector<Stretch> stretches;
      tileStretches(Wo, positions, p0, n, stretches);
      rowPair.resize(2 * n);
      for (int64_t kp = 0; kp < int16gemm::pairsOf(R); ++kp) {
        gatherRow(L, image, H, W, stretches, n, 2 * kp, rowPair.data());
        const bool second = 2 * kp + 1 < R;
        if (second)
          gatherRow(L, image, H, W, stretches, n, 2 * kp + 1,
                    rowPair.data() + n);
        int16gemm::packPair(rowPair.data(), second ? rowPair.data() + n : nullptr,
                            kp, R, n, packed.data());
      }
    }
    const int64_t ldc = int16gemm::paddedCols(n);
    prod.resize(int16gemm::paddedRows(m) * ldc);
    int16gemm::multiply(A[g], packed.data(), n, prod.data(), ldc);
    storeOutputs<true>(L, prod.data(), ldc, g, p0, n, positions, scale, y);
  });
  return true;
}

/// Fully connected: x is (batch, n) or (n); blocks of outputs over the
/// whole batch.
bool runFullyConnected(const CrossbarLayer &L, const LayerPlan &S,
                       const std::vector<double> &D, double maxX,
                       const support::Tensor &x, support::Tensor &y,
                       TaskRunner &tasks, std::string &error) {
  const int64_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
  const int64_t R = S.rows, block = 256;
  std::vector<double> xd, scale;
  if (!quantizeItems(x.data.data(), batch, L.n, R, maxX,
                     L.inputBits > 0, tasks, xd, scale,
                     "batch row", error))
    return false;
  if (batch == 0)
    return true; // BLAS refuses a leading dimension of 0
  std::vector<std::vector<double>> prod(tasks.workers());
  tasks.forEach((L.m + block - 1) / block, [&](int64_t task, unsigned w) {
    const int64_t o0 = task * block, n = std::min(block, L.m - o0);
    prod[w].resize(n * batch);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, batch, R, 1.0,
                D.data() + o0 * R, R, xd.data(), R, 0.0, prod[w].data(), batch);
    for (int64_t o = 0; o < n; ++o)
      for (int64_t b = 0; b < batch; ++b)
        y.data[b * L.m + o0 + o] =
            finishFixed(L.scaleOfOutput(o0 + o),
                        unsignedZero(prod[w][o * batch + b]), scale[b],
                        L.bias[o0 + o]);
  });
  return true;
}

} // namespace

bool fitsDoubleGemm(int64_t rows, int64_t maxWeight, int64_t maxInput) {
  int64_t bound;
  return !__builtin_mul_overflow(maxWeight, maxInput, &bound) &&
         !__builtin_mul_overflow(bound, rows, &bound) &&
         bound <= (int64_t(1) << 53);
}

bool runExactGemm(const CrossbarLayer &L, const model::HardwareDesc &hw,
                  const LayerPlan &S, const support::Tensor &x,
                  support::Tensor &y, TaskRunner &tasks, bool &ran,
                  std::string &error) {
  ran = false;
  const int64_t maxW = (int64_t(1) << (hw.weightBits - 1)) - 1;
  const int64_t maxX = (int64_t(1) << (hw.inputBits - 1)) - 1;
  std::vector<double> D;
  int64_t maxEntry = 0;
  if (!fitsDoubleGemm(S.rows, maxW, maxX) ||
      !buildDirectMatrix(L, hw, S, D, maxEntry, kMaxGemmEntries))
    return true;
  ran = true;
  if (L.kind == LayerKind::Convolution && int16gemm::available() &&
      int16gemm::fits(maxEntry, maxX))
    return runConvolutionInt16(L, S, D, static_cast<double>(maxX), x, y, tasks,
                               error);
  singleThreadedBlas();
  return L.kind == LayerKind::Convolution
             ? runConvolution(L, S, D, static_cast<double>(maxX), x, y, tasks,
                              error)
             : runFullyConnected(L, S, D, static_cast<double>(maxX), x, y,
                                 tasks, error);
}

} // namespace rebocc::sim
