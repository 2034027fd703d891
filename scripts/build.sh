#!/usr/bin/env bash
# Configures (once) and builds rebocc into build/. Uses clang-22 and lld-22
# (faster builds and links) and ccache when present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${REBOCC_BUILD_DIR:-$root/build}"

if [[ ! -f "$build/build.ninja" ]]; then
  args=(-G Ninja -S "$root" -B "$build"
        -DCMAKE_BUILD_TYPE=Release
        -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
        -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit)
  if command -v clang++-22 >/dev/null && command -v ld.lld-22 >/dev/null; then
    args+=(-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
           -DLLVM_USE_LINKER=lld-22)
  fi
  if command -v ccache >/dev/null; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake "${args[@]}"
fi
ninja -C "$build" -j "${REBOCC_JOBS:-2}"
