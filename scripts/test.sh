#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: GoogleTest unit tests, the
# lit/FileCheck regression and end-to-end tests, and the ONNX test-data
# suite, all through ctest (its summary is the last lines printed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
ctest --test-dir "${REBOCC_BUILD_DIR:-$root/build}" --output-on-failure -j 2
