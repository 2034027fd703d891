//===- FloatArray.h - float32 values, owned or viewed in a file -*- C++ -*-===//
//
// The weights, biases and constants of a program. The compiler and the tests
// fill them as a vector; the program reader leaves them in the mapped file
// (little-endian binary32, at whatever alignment the data section has), so
// loading ResNet-50's 100 MB of weights maps file pages that are already in
// the page cache instead of copying them into fresh pages (each fresh page is
// cleared by the kernel first; on the benchmark machine that alone was a
// quarter of a whole rebocc-sim run).
//
// A view may be misaligned for float, so it is only ever read through
// memcpy (operator[], the iterators, copyTo) or as bytes(), never through a
// float pointer. Anything that changes the values makes the array own a copy
// first, so the file is never written.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_FLOATARRAY_H
#define REBOCC_SUPPORT_FLOATARRAY_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <vector>

namespace rebocc::support {

class FloatArray {
public:
  /// Reads values through memcpy, at any alignment.
  class const_iterator {
  public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = float;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = float;

    const_iterator() = default;
    explicit const_iterator(const char *at) : at(at) {}
    float operator*() const {
      float v;
      std::memcpy(&v, at, 4);
      return v;
    }
    float operator[](difference_type i) const { return *(*this + i); }
    const_iterator &operator++() { return at += 4, *this; }
    const_iterator operator++(int) { return const_iterator((at += 4) - 4); }
    const_iterator &operator--() { return at -= 4, *this; }
    const_iterator operator--(int) { return const_iterator((at -= 4) + 4); }
    const_iterator &operator+=(difference_type n) { return at += 4 * n, *this; }
    const_iterator &operator-=(difference_type n) { return at -= 4 * n, *this; }
    friend const_iterator operator+(const_iterator i, difference_type n) {
      return i += n;
    }
    friend const_iterator operator+(difference_type n, const_iterator i) {
      return i += n;
    }
    friend const_iterator operator-(const_iterator i, difference_type n) {
      return i -= n;
    }
    friend difference_type operator-(const_iterator a, const_iterator b) {
      return (a.at - b.at) / 4;
    }
    friend bool operator==(const_iterator a, const_iterator b) {
      return a.at == b.at;
    }
    friend bool operator!=(const_iterator a, const_iterator b) {
      return a.at != b.at;
    }
    friend bool operator<(const_iterator a, const_iterator b) {
      return a.at < b.at;
    }
    friend bool operator>(const_iterator a, const_iterator b) { return b < a; }
    friend bool operator<=(const_iterator a, const_iterator b) {
      return !(b < a);
    }
    friend bool operator>=(const_iterator a, const_iterator b) {
      return !(a < b);
    }

  private:
    const char *at = nullptr;
  };

  FloatArray() = default;
  FloatArray(std::vector<float> values) : owned(std::move(values)) { point(); }
  FloatArray(std::initializer_list<float> values) : owned(values) { point(); }
  FloatArray(const FloatArray &o)
      : owned(o.owned), keep(o.keep), view(o.view), count(o.count) {
    point();
  }
  FloatArray(FloatArray &&o) noexcept { *this = std::move(o); }
  FloatArray &operator=(const FloatArray &o) {
    if (this != &o) {
      owned = o.owned;
      keep = o.keep;
      view = o.view;
      count = o.count;
      point();
    }
    return *this;
  }
  FloatArray &operator=(FloatArray &&o) noexcept {
    if (this != &o) {
      owned = std::move(o.owned);
      keep = std::move(o.keep);
      view = o.view;
      count = o.count;
      point();
      o.clear();
    }
    return *this;
  }

  /// `count` little-endian binary32 values at `bytes` (any alignment), which
  /// `keep` keeps alive. Only for a little-endian host.
  static FloatArray viewOf(const char *bytes, size_t count,
                           std::shared_ptr<const void> keep) {
    FloatArray a;
    a.keep = std::move(keep);
    a.view = bytes;
    a.count = count;
    a.point();
    return a;
  }

  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  /// Whether the values are read in place from memory someone else owns.
  bool isView() const { return view != nullptr; }

  float operator[](size_t i) const {
    float v;
    std::memcpy(&v, first + 4 * i, 4);
    return v;
  }
  const_iterator begin() const { return const_iterator(first); }
  const_iterator end() const { return const_iterator(first + 4 * count); }

  /// The values as host-order binary32 bytes (4 * size() of them).
  const char *bytes() const { return first; }
  /// Copies values [begin, begin + n) to `out`.
  void copyTo(size_t begin, size_t n, float *out) const {
    if (n)
      std::memcpy(out, first + 4 * begin, 4 * n);
  }
  std::vector<float> toVector() const {
    std::vector<float> v(count);
    copyTo(0, count, v.data());
    return v;
  }

  // Changing the values: a view becomes an owned copy first.
  float *data() { return own().data(); }
  float *begin() { return own().data(); }
  float *end() { return own().data() + count; }
  void resize(size_t n) { own().resize(n), point(); }
  void push_back(float v) { own().push_back(v), point(); }
  void pop_back() { own().pop_back(), point(); }
  void clear() {
    owned.clear();
    keep.reset();
    view = nullptr;
    point();
  }

  friend bool operator==(const FloatArray &a, const FloatArray &b) {
    if (a.count != b.count)
      return false;
    for (size_t i = 0; i < a.count; ++i)
      if (a[i] != b[i])
        return false;
    return true;
  }
  friend bool operator!=(const FloatArray &a, const FloatArray &b) {
    return !(a == b);
  }

private:
  std::vector<float> owned;         // the values, unless `view` is set
  std::shared_ptr<const void> keep; // keeps `view`'s memory alive
  const char *view = nullptr;
  size_t count = 0;
  const char *first = nullptr; // `view`, or owned's data

  void point() {
    if (view) {
      first = view;
    } else {
      first = reinterpret_cast<const char *>(owned.data());
      count = owned.size();
    }
  }
  std::vector<float> &own() {
    if (view) {
      owned = toVector();
      keep.reset();
      view = nullptr;
      point();
    }
    return owned;
  }
};

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_FLOATARRAY_H
