#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite twice: on the release build
# (build/: GoogleTest unit tests, the lit/FileCheck regression and
# end-to-end tests, the ONNX test-data suite, the install check) and on the
# ASan+UBSan build (build-asan/: the same suite but the largest end-to-end
# models and the release-only checks, plus 60 s of each libFuzzer target),
# all through ctest. The sanitizer run's ctest summary is the last lines
# printed; a failure in the release run stops before it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
"$root/scripts/build.sh" --sanitize
ctest --test-dir "${REBOCC_BUILD_DIR:-$root/build}" --output-on-failure -j 2
ctest --test-dir "${REBOCC_ASAN_BUILD_DIR:-$root/build-asan}" --output-on-failure -j 2
