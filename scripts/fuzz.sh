#!/usr/bin/env bash
# Runs one libFuzzer target of the ASan+UBSan build (build-asan/, built by
# `scripts/build.sh --sanitize`) on its corpus for SECONDS.
#   scripts/fuzz.sh [--no-build] TARGET SECONDS [LIBFUZZER-FLAGS...]
#   TARGET: onnx | tensor | hardware | program (tools/rebocc-TARGET-fuzzer)
# It builds the target first unless --no-build (ctest's fuzz-TARGET tests,
# which run in a finished build). The seeds (test/fuzz/TARGET/) are read,
# never written: new corpus entries go to BUILD/corpus/TARGET/, crash, leak
# and timeout reproducers to BUILD/artifacts/TARGET/, and any of them ends
# the run with a non-zero status. REBOCC_FUZZ_BUILD_DIR moves the build
# directory (default build-asan/); REBOCC_JOBS sets the build's parallelism.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${REBOCC_FUZZ_BUILD_DIR:-$root/build-asan}"

build_first=1
if [[ "${1:-}" == "--no-build" ]]; then
  build_first=0
  shift
fi
if (($# < 2)); then
  echo "usage: scripts/fuzz.sh [--no-build] onnx|tensor|hardware|program SECONDS [FLAGS...]" >&2
  exit 2
fi
target="$1" seconds="$2"
shift 2
case "$target" in
  onnx|tensor|hardware|program) ;;
  *) echo "fuzz.sh: error: unknown target '$target'" >&2; exit 2 ;;
esac

if ((build_first)); then
  REBOCC_ASAN_BUILD_DIR="$build" "$root/scripts/build.sh" --sanitize \
    "rebocc-$target-fuzzer"
fi

# allow_user_poisoning=0: see test/lit.cfg.py.
export ASAN_OPTIONS="${ASAN_OPTIONS:-allow_user_poisoning=0}"
corpus="$build/corpus/$target"
artifacts="$build/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
# The first directory receives new inputs; the committed seeds follow.
exec "$build/bin/rebocc-$target-fuzzer" "$corpus" "$root/test/fuzz/$target" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
