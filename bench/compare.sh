#!/usr/bin/env bash
# The ReBoc-vs-dense comparison (docs/Comparison.md records it).
#
# Runs `rebocc --compare=reboc,dense --cost-only --input FILE` at the ISAAC-CE chip
# size. --cost-only counts the events from the shapes instead of simulating; its
# report equals a `--run` report bit for bit (test/Sim/cost-only.test), and the
# inputs are still given because they fix the CNNs' image size and the batch.
# Models:
#  - examples/fashion_mnist/mlp_circulant and examples/fashion_cnn/lenet_circulant
#    as shipped (block-size=auto, the trained block sizes; their bundled inputs:
#    batches of 200 and 16 images),
#  - torchvision alexnet, vgg16, resnet18, resnet50 at 3x224x224 (random weights,
#    projected onto k = 4, 8, 16 with --projection; one image),
# in these configurations (every run names its flags; the rest are rebocc's
# defaults: idle units power-gated, --objective=latency, --overflow=chips):
#  - intra          --pipeline=intra --duplication-budget=idle
#  - inter          --pipeline=inter --duplication-budget=idle (the default budget)
#  - reprog         --pipeline=intra --overflow=reprogram --duplication-budget=idle,
#                   only when the dense mapping does not fit one chip in the intra run
#  - chipdup-intra  --pipeline=intra --duplication-budget=chip (intra's default budget when recorded, now idle:
#                   ReBoc spends the chip's spare crossbars on duplication d)
#  - chipdup-inter  --pipeline=inter --duplication-budget=chip
#  - noreplicas   --pipeline=intra --duplication-budget=idle --no-replicas: the spare
#                   IMAs stay idle, so each mapping runs on its own footprint (what
#                   compression alone does, without the replicas it makes room for)
#  - ungated-intra, ungated-inter  --no-gate-idle-tiles (ISAAC has no power gating:
#                   every tile of every provisioned chip leaks for the whole run),
#                   idle budget; the Fashion models and every ImageNet CNN at k = 8
#                   (a sensitivity check)
# In both pipelines the cost model also spends the chip's spare IMAs on replicas of
# layers (docs/CostModel.md); the budget decides how much of the chip duplication
# takes first. The dense baseline is the same in every run of a model (mapping E;
# the budget does not apply to it).
# Then prints Markdown tables (bench/compare_table.py).
#
# Usage: bench/compare.sh [BUILD_DIR]
#   Models go to BUILD_DIR/bench/tv (reused when present), reports and logs to
#   BUILD_DIR/bench/compare/{json,log}, the tables to BUILD_DIR/bench/compare/table.md.
# Environment:
#   COMPARE_MODELS="mlp lenet resnet18 resnet50 alexnet vgg16"   which models
#   COMPARE_KS="4 8 16"                                          which k (torchvision)
#   COMPARE_REUSE=1       keep reports already in json/ (only re-make the tables)
#   COMPARE_NO_CHIPDUP=1  skip the --duplication-budget=chip runs
#   COMPARE_NO_UNGATED=1  skip the --no-gate-idle-tiles runs
#   REBOCC=PATH           the rebocc binary (default BUILD_DIR/bin/rebocc); give a copy
#                         to keep a rebuild during the runs from mixing two binaries
# Runtime on the project's 2-core machine: see docs/Comparison.md (most of it is
# compiling VGG-16, a 553 MB model, twice per run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
rebocc="${REBOCC:-$build/bin/rebocc}"
tv="$build/bench/tv"
work="$build/bench/compare"
mkdir -p "$work/json" "$work/log"
models="${COMPARE_MODELS:-mlp lenet resnet18 resnet50 alexnet vgg16}"
ks="${COMPARE_KS:-4 8 16}"
start=$SECONDS

[[ -x "$rebocc" ]] || { echo "compare.sh: no $rebocc (build first)" >&2; exit 1; }

model_path() { # name -> model.onnx
  case "$1" in
    mlp) echo "$root/examples/fashion_mnist/mlp_circulant/model.onnx" ;;
    lenet) echo "$root/examples/fashion_cnn/lenet_circulant/model.onnx" ;;
    *) echo "$tv/$1/model.onnx" ;;
  esac
}
input_path() { echo "$(dirname "$(model_path "$1")")/test_data_set_0/input_0.pb"; }

# Torchvision models at 3x224x224 (random weights, fixed seed).
missing=()
for m in $models; do
  case "$m" in mlp|lenet) continue ;; esac
  [[ -f "$tv/$m/model.onnx" && -f "$tv/$m/test_data_set_0/input_0.pb" ]] || missing+=("$m")
done
if ((${#missing[@]})); then
  sizes=()
  for m in "${missing[@]}"; do sizes+=(--size "$m=224"); done
  echo "generating ${missing[*]} into $tv" >&2
  /usr/bin/python3 "$root/scripts/gen_torchvision_models.py" "$tv" --only "${missing[@]}" \
    "${sizes[@]}" >&2
fi

# run NAME K VARIANT [rebocc options...]: one --compare run -> json/NAME__kK__VARIANT.json
run() {
  local name="$1" k="$2" variant="$3"; shift 3
  local tag="${name}__k${k}__${variant}"
  local json="$work/json/$tag.json"
  if [[ "${COMPARE_REUSE:-0}" == 1 && -s "$json" ]]; then return 0; fi
  local bs=(--block-size="$k" --projection)
  [[ "$k" == auto ]] && bs=(--block-size=auto)
  local t0=$SECONDS
  if ! "$rebocc" "$(model_path "$name")" "${bs[@]}" --compare=reboc,dense --cost-only \
      --input "$(input_path "$name")" --report "$json" "$@" > "$work/log/$tag.log" 2>&1; then
    echo "$tag: FAILED (see $work/log/$tag.log)" >&2
    tail -3 "$work/log/$tag.log" >&2
    rm -f "$json"
    return 0
  fi
  printf "%-32s %4d s\n" "$tag" "$((SECONDS - t0))" >&2
}

# Does the dense mapping of this intra run need more than one chip?
dense_overflows() {
  /usr/bin/python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if not d["compare"][1]["cost"]["fits"] else 1)' "$1"
}

for m in $models; do
  case "$m" in mlp|lenet) mks=auto ;; *) mks="$ks" ;; esac
  for k in $mks; do
    run "$m" "$k" intra --pipeline=intra --duplication-budget=idle
    run "$m" "$k" inter --pipeline=inter --duplication-budget=idle
    if [[ -s "$work/json/${m}__k${k}__intra.json" ]] &&
       dense_overflows "$work/json/${m}__k${k}__intra.json"; then
      run "$m" "$k" reprog --pipeline=intra --overflow=reprogram --duplication-budget=idle
    fi
    run "$m" "$k" noreplicas --pipeline=intra --duplication-budget=idle --no-replicas
    if [[ "${COMPARE_NO_CHIPDUP:-0}" != 1 ]]; then
      run "$m" "$k" chipdup-intra --pipeline=intra --duplication-budget=chip
      run "$m" "$k" chipdup-inter --pipeline=inter --duplication-budget=chip
    fi
    if [[ "${COMPARE_NO_UNGATED:-0}" != 1 ]]; then
      case "$k" in
        auto|8)
          run "$m" "$k" ungated-intra --pipeline=intra --no-gate-idle-tiles --duplication-budget=idle
          run "$m" "$k" ungated-inter --pipeline=inter --no-gate-idle-tiles --duplication-budget=idle ;;
      esac
    fi
  done
done

echo "runs: $((SECONDS - start)) s ($(md5sum < "$rebocc" | cut -c1-12) $rebocc)" >&2
/usr/bin/python3 "$root/bench/compare_table.py" "$work/json" "$root/hw/isaac-ce.json" | tee "$work/table.md"
