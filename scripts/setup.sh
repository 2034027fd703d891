#!/usr/bin/env bash
# Installs every Debian package rebocc's build and tests need. Idempotent:
# only missing packages are installed. Runs as root or through sudo.
#   scripts/setup.sh            build + test dependencies: torch and
#                               torchvision export the real CNNs the
#                               end-to-end tests run; Fashion-MNIST and
#                               matplotlib are what scripts/accuracy_study.py
#                               (and test/Sim/accuracy-study.test) read and
#                               plot, and what scripts/gen_fashion_*.py train on;
#                               chromium checks the HTML report in a browser
set -euo pipefail

packages=(
  cmake ninja-build g++ clang-22 lld-22 ccache
  libclang-rt-22-dev  # sanitizer + libFuzzer runtimes (scripts/fuzz.sh); clang only recommends it
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenblas-serial-dev  # the simulator's exact GEMMs (lib/Sim/ExactGemm.cpp)
  python3-onnx python3-numpy libonnx-testdata
  python3-jsonschema  # validates reports against docs/report.schema.json
  python3-pybind11 python3-dev  # the Python package (python/, docs/Python.md)
  python3-torch python3-torchvision
  dataset-fashion-mnist python3-matplotlib
  chromium  # loads the HTML report headless (test/Sim/html-report.test)
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# The onnxruntime reference executor. Its install script downloads a binary
# and fails offline, so scripts/ort_reference.sh installs it with
# --ignore-scripts. Outside CI the tests that use it skip when it is absent;
# in CI (CI set) every test must run, so a failed install stops here.
if ! command -v npm >/dev/null 2>&1 && [[ -n "${CI:-}" ]]; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
fi
if command -v npm >/dev/null 2>&1 &&
   "$(dirname "$0")/ort_reference.sh" install >/dev/null 2>&1; then
  echo "setup: onnxruntime-node reference available"
elif [[ -n "${CI:-}" ]]; then
  echo "setup: error: could not install onnxruntime-node (npm)" >&2
  exit 1
else
  echo "setup: onnxruntime-node not installed; reference cross-checks will skip"
fi
