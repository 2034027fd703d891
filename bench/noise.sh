#!/usr/bin/env bash
# What a noisy run costs (issue 11): ResNet-18 at 3x224x224 (torchvision,
# random weights), one image, `rebocc-sim --no-cost` on the exact path (the
# default direct product), `--bit-sliced` (ideal cells through the ADCs) and
# with device noise (`cell_sigma=0.05 read_sigma=0.01`). The runs alternate,
# REPS rounds of the three, so that a shared machine's load hits all of them
# alike; CPU time (user + system) varies less than wall time there. Prints
# each run, the median per path and the ratios to the exact path's median.
# Usage: bench/noise.sh [BUILD_DIR] [REPS]   (RESULTS.md records the numbers)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
reps="${2:-3}"
work="$build/bench"
mkdir -p "$work"

if [[ ! -f "$work/tv/resnet18/model.onnx" ]]; then
  /usr/bin/python3 "$root/scripts/gen_torchvision_models.py" "$work/tv" \
    --only resnet18 --size resnet18=224 > /dev/null
fi
"$build/bin/rebocc" "$work/tv/resnet18/model.onnx" -o "$work/resnet18.rbp"
input="$work/tv/resnet18/test_data_set_0/input_0.pb"

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' (modified)')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A flags=(
  [exact]=""
  [bit-sliced]="--bit-sliced"
  [noisy]="--hw-set cell_sigma=0.05 --hw-set read_sigma=0.01"
)
paths=(exact bit-sliced noisy)
declare -A times
for ((rep = 1; rep <= reps; ++rep)); do
  for p in "${paths[@]}"; do
    # shellcheck disable=SC2086 # the flags are words
    /usr/bin/time -f "%U %S" -o "$work/noise-time.txt" "$build/bin/rebocc-sim" \
      "$work/resnet18.rbp" --no-cost --input "$input" --output-dir "$work/noise-$p" \
      ${flags[$p]} > /dev/null
    cpu=$(awk '{printf "%.2f", $1 + $2}' "$work/noise-time.txt")
    times[$p]="${times[$p]:-} $cpu"
    echo "round $rep: $p $cpu s CPU"
  done
done
cmp -s "$work/noise-exact/output_0.pb" "$work/noise-bit-sliced/output_0.pb" \
  || { echo "error: --bit-sliced outputs differ from the exact path's"; exit 1; }

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {
  print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
exact=$(echo "${times[exact]}" | median)
echo "| path | CPU per run | median | against exact |"
echo "|---|---|---|---|"
for p in "${paths[@]}"; do
  m=$(echo "${times[$p]}" | median)
  awk -v p="$p" -v t="${times[$p]}" -v m="$m" -v e="$exact" \
    'BEGIN { printf "| %s |%s s | %.2f s | %.1fx |\n", p, t, m, m / e }'
done
