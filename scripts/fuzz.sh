#!/usr/bin/env bash
# Builds one libFuzzer target in build-fuzz/ (everything instrumented with
# ASan, UBSan and coverage; its own build directory, apart from the release
# build) and runs it on its seed corpus for SECONDS.
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-FLAGS...]
#   TARGET: onnx | tensor | hardware | program (tools/rebocc-TARGET-fuzzer)
# The seeds (test/fuzz/TARGET/) are read, never written: new corpus entries go
# to build-fuzz/corpus/TARGET/, crash, leak and timeout reproducers to
# build-fuzz/artifacts/TARGET/. Needs clang-22 and libclang-rt-22-dev
# (scripts/setup.sh). REBOCC_JOBS sets the build's parallelism (default 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${REBOCC_FUZZ_BUILD_DIR:-$root/build-fuzz}"

if (($# < 2)); then
  echo "usage: scripts/fuzz.sh onnx|tensor|hardware|program SECONDS [FLAGS...]" >&2
  exit 2
fi
target="$1" seconds="$2"
shift 2
case "$target" in
  onnx|tensor|hardware|program) ;;
  *) echo "fuzz.sh: error: unknown target '$target'" >&2; exit 2 ;;
esac

if [[ ! -f "$build/build.ninja" ]]; then
  args=(-G Ninja -S "$root" -B "$build"
        -DCMAKE_BUILD_TYPE=Release
        -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
        -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
        -DLLVM_USE_LINKER=lld-22
        -DREBOCC_ENABLE_FUZZERS=ON -DREBOCC_ENABLE_TESTS=OFF)
  if command -v ccache >/dev/null; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake "${args[@]}"
fi
ninja -C "$build" -j "${REBOCC_JOBS:-2}" "rebocc-$target-fuzzer"

corpus="$build/corpus/$target"
artifacts="$build/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
# The first directory receives new inputs; the committed seeds follow.
exec "$build/bin/rebocc-$target-fuzzer" "$corpus" "$root/test/fuzz/$target" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
