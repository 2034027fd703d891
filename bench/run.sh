#!/usr/bin/env bash
# Benchmarks: wall time and peak memory of compiling and simulating
#  - the bundled Fashion-MNIST MLPs (200 images),
#  - a VGG-16-classifier-sized FC stack (25088-4096-4096-1000, 123M dense
#    weights, block-circulant with k = 16, 16, 8), one input vector,
#    with the ReBoc mapping and with the dense baseline.
#  - torchvision ResNet-18, ResNet-50 and VGG-16 at 3x224x224 (random weights), one
#    image, when python3-torch is installed, with each compile's peak RSS over
#    the .onnx file's size (issue 15: at most 1.5 on VGG-16);
#  - rebocc-sim against onnxruntime-node on ResNet-18 and ResNet-50, in the same
#    run, as ratios (bench/sim_vs_ort.py: compute per image at -j 1 and on every
#    core, whole process on one image; wall and CPU time; REPEATS interleaved
#    repeats, default 3), when node can run onnxruntime-node.
# Usage: bench/run.sh [BUILD_DIR] [REPEATS]   (results go to stdout; RESULTS.md records them)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
work="$build/bench"
mkdir -p "$work"

# CPU = user + system time: on a shared machine it varies less than wall.
measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/last.log" 2>&1 \
    || { echo "$label: FAILED"; tail -3 "$work/last.log"; return 1; }
  read -r secs user sys kb < "$work/time.txt"
  awk -v l="$label" -v w="$secs" -v u="$user" -v s="$sys" \
    -v m="$((kb / 1024))" 'BEGIN { printf "| %-52s | %8.2f s | %8.2f s | %8.0f MiB |\n", l, w, u + s, m }'
}

echo "| what | wall | CPU | peak RSS |"
echo "|---|---|---|---|"
for m in mlp_dense mlp_circulant; do
  dir="$root/examples/fashion_mnist/$m"
  measure "$m: compile" "$build/bin/rebocc" "$dir/model.onnx" -o "$work/$m.rbp"
  measure "$m: simulate 200 images, fixed point" "$build/bin/rebocc-sim" "$work/$m.rbp" \
    --input "$dir/test_data_set_0/input_0.pb" --output-dir "$work/$m.out"
done

if [[ ! -f "$work/fc_stack/model.onnx" ]]; then
  /usr/bin/python3 "$root/bench/gen_fc_stack.py" "$work/fc_stack"
fi
ls -l "$work/fc_stack/model.onnx" | awk '{printf "fc_stack model.onnx: %d MB\n", $5/1e6}' >&2
measure "fc_stack: compile (reboc)" "$build/bin/rebocc" "$work/fc_stack/model.onnx" \
  --duplication-budget=idle -o "$work/fc_stack.rbp"
ls -l "$work/fc_stack.rbp" | awk '{printf "fc_stack.rbp: %d MB\n", $5/1e6}' >&2
measure "fc_stack: simulate 1 vector (reboc)" "$build/bin/rebocc-sim" "$work/fc_stack.rbp" \
  --input "$work/fc_stack/test_data_set_0/input_0.pb" --output-dir "$work/fc_stack.out" \
  --report "$work/fc_stack.json"
measure "fc_stack: compile (dense baseline E)" "$build/bin/rebocc" "$work/fc_stack/model.onnx" \
  --mapping=dense -o "$work/fc_stack_e.rbp"
measure "fc_stack: simulate 1 vector (dense baseline E)" "$build/bin/rebocc-sim" "$work/fc_stack_e.rbp" \
  --input "$work/fc_stack/test_data_set_0/input_0.pb" --output-dir "$work/fc_stack_e.out" \
  --report "$work/fc_stack_e.json"

# Real CNNs at ImageNet resolution (random weights; needs python3-torch).
if /usr/bin/python3 -c "import torch, torchvision" 2>/dev/null; then
  ratios=""
  for m in resnet18 resnet50 vgg16; do
    if [[ ! -f "$work/tv/$m/model.onnx" ]]; then
      /usr/bin/python3 "$root/scripts/gen_torchvision_models.py" "$work/tv" --only "$m" \
        --size "$m=224" > /dev/null
    fi
    measure "$m 3x224x224: compile" "$build/bin/rebocc" "$work/tv/$m/model.onnx" -o "$work/$m.rbp"
    # Issue 15's memory goal: compile peak RSS at most 1.5x the .onnx file.
    read -r _ _ _ kb < "$work/time.txt"
    ratios+=$(awk -v m="$m" -v kb="$kb" -v b="$(stat -c %s "$work/tv/$m/model.onnx")" \
      'BEGIN { printf "| %s | %.1f MiB | %.0f MiB | %.2f |\\n", m, b / 1048576, kb / 1024, kb * 1024 / b }')
    ls -l "$work/$m.rbp" | awk -v m="$m" '{printf "%s.rbp: %d MB\n", m, $5/1e6}' >&2
    measure "$m 3x224x224: simulate 1 image, float reference" "$build/bin/rebocc-sim" \
      "$work/$m.rbp" --input "$work/tv/$m/test_data_set_0/input_0.pb" \
      --output-dir "$work/$m.fout" --float-reference
    measure "$m 3x224x224: simulate 1 image, fixed point" "$build/bin/rebocc-sim" \
      "$work/$m.rbp" --input "$work/tv/$m/test_data_set_0/input_0.pb" \
      --output-dir "$work/$m.out" --report "$work/$m.json"
    if [[ "$m" == resnet18 ]]; then
      # The analog model (docs/Accuracy.md): the cells bit-serially through
      # a lossless ADC, a lossy 6-bit ADC, and device noise.
      measure "$m 3x224x224: simulate 1 image, --bit-sliced" "$build/bin/rebocc-sim" \
        "$work/$m.rbp" --input "$work/tv/$m/test_data_set_0/input_0.pb" \
        --output-dir "$work/$m.bout" --bit-sliced
      measure "$m 3x224x224: simulate 1 image, adc_bits=6" "$build/bin/rebocc-sim" \
        "$work/$m.rbp" --input "$work/tv/$m/test_data_set_0/input_0.pb" \
        --output-dir "$work/$m.aout" --hw-set adc_bits=6
      measure "$m 3x224x224: simulate 1 image, cell+read noise" "$build/bin/rebocc-sim" \
        "$work/$m.rbp" --input "$work/tv/$m/test_data_set_0/input_0.pb" \
        --output-dir "$work/$m.nout" --hw-set cell_sigma=0.05 --hw-set read_sigma=0.01
    fi
  done
  echo
  echo "| model | .onnx size | compile peak RSS | RSS / size |"
  echo "|---|---|---|---|"
  printf "%b" "$ratios"
fi

# Against onnxruntime, same machine, same run (issue 15).
if command -v node > /dev/null 2>&1 && /usr/bin/python3 -c "import torch, torchvision" 2>/dev/null; then
  echo
  /usr/bin/python3 "$root/bench/sim_vs_ort.py" "$build" --repeats "${2:-3}"
fi
