#!/usr/bin/env bash
# Configures (once) and builds rebocc. Uses clang-22 and lld-22 (faster
# builds and links) and ccache when present.
#   scripts/build.sh                       the release build, in build/
#   scripts/build.sh --sanitize [TARGETS]  the ASan+UBSan build, in build-asan/:
#       everything instrumented (-fsanitize=address,undefined, no UBSan
#       recovery, libFuzzer coverage) and the fuzz targets; the whole suite
#       runs on it too (docs/Hostile.md). Needs clang-22 and
#       libclang-rt-22-dev (scripts/setup.sh).
# REBOCC_BUILD_DIR / REBOCC_ASAN_BUILD_DIR move the build directories,
# REBOCC_JOBS sets ninja's parallelism (default 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sanitize=0
if [[ "${1:-}" == "--sanitize" ]]; then
  sanitize=1
  shift
  build="${REBOCC_ASAN_BUILD_DIR:-$root/build-asan}"
else
  build="${REBOCC_BUILD_DIR:-$root/build}"
fi

if [[ ! -f "$build/build.ninja" ]]; then
  args=(-G Ninja -S "$root" -B "$build"
        -DCMAKE_BUILD_TYPE=Release
        -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
        -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit)
  if ((sanitize)) ||
     (command -v clang++-22 >/dev/null && command -v ld.lld-22 >/dev/null); then
    args+=(-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
           -DLLVM_USE_LINKER=lld-22)
  fi
  if ((sanitize)); then
    args+=(-DREBOCC_ENABLE_FUZZERS=ON)
  fi
  if command -v ccache >/dev/null; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake "${args[@]}"
fi
ninja -C "$build" -j "${REBOCC_JOBS:-2}" "$@"
