#!/usr/bin/env bash
# Sets up, builds, then compiles the bundled block-circulant Fashion-MNIST MLP,
# runs it on 200 test images in the interpreter and prints the report. The
# demo keeps ReBoc's compressed mapping (duplication only into idle columns,
# no copies of layers on the chip's spare IMAs); by default rebocc would
# spend the chip's spare crossbars on duplication and copies.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
model="$root/examples/fashion_mnist/mlp_circulant"
out="${REBOCC_DEMO_DIR:-$root/build/demo}"
mkdir -p "$out"
"$root/build/bin/rebocc" "$model/model.onnx" --duplication-budget=idle \
  -o "$out/mlp_circulant.rbp"
"$root/build/bin/rebocc-sim" "$out/mlp_circulant.rbp" \
  --input "$model/test_data_set_0/input_0.pb" \
  --output-dir "$out" --report "$out/report.json" --no-replicas
/usr/bin/python3 "$root/scripts/compare_outputs.py" \
  --expected "$model/test_data_set_0" --actual "$out" \
  --rtol 1e-2 --atol 1e-2 --top1
