#!/usr/bin/env bash
# The ReBoc-vs-dense comparison of issue 4 (docs/Comparison.md records it).
#
# Runs `rebocc --compare=reboc,dense --run --float-reference` (the counts, and so
# every cost figure, are identical to fixed point) at the ISAAC-CE chip size on
#  - examples/fashion_mnist/mlp_circulant and examples/fashion_cnn/lenet_circulant
#    as shipped (block-size=auto, the trained block sizes; their bundled inputs:
#    200 and 16 images),
#  - torchvision alexnet, vgg16, resnet18, resnet50 at 3x224x224 (random weights,
#    projected onto k = 4, 8, 16 with --projection; one image),
# in these configurations:
#  - intra        --pipeline=intra (ReBoc's intra-layer pipeline; default)
#  - inter        --pipeline=inter (ISAAC's inter-layer pipeline with replication)
#  - reprog       --overflow=reprogram, only when the dense mapping does not fit
#                 one chip in the intra run (then the default is several chips)
#  - chipdup      --duplication-budget=chip (ReBoc spends the chip's spare IMAs
#                 on the duplication the cost model picks; the default with the
#                 intra-layer pipeline), intra and inter
#  - gated        --gate-idle-tiles (static power only for used tiles), intra
#                 only (with inter the replicas fill nearly every tile), small
#                 models and k = 8 only (a sensitivity check)
# and prints Markdown tables (bench/compare_table.py).
#
# Usage: bench/compare.sh [BUILD_DIR]
#   Models go to BUILD_DIR/bench/tv (reused when present), reports and logs to
#   BUILD_DIR/bench/compare/{json,log}, the tables to BUILD_DIR/bench/compare/table.md.
# Environment:
#   COMPARE_MODELS="mlp lenet resnet18 resnet50 alexnet vgg16"   which models
#   COMPARE_KS="4 8 16"                                          which k (torchvision)
#   COMPARE_REUSE=1     keep reports already in json/ (only re-make the tables)
#   COMPARE_NO_CHIPDUP=1  skip the --duplication-budget=chip runs (saves ~1/3)
# Runtime on the project's 2-core machine: about 7.5 minutes, two thirds of it VGG-16
# (~20 s per compare run: two compiles of a 553 MB model and two simulations).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
rebocc="$build/bin/rebocc"
tv="$build/bench/tv"
work="$build/bench/compare"
mkdir -p "$work/json" "$work/log" "$work/out"
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
  if ! "$rebocc" "$(model_path "$name")" "${bs[@]}" --compare=reboc,dense --run \
      --float-reference --input "$(input_path "$name")" --output-dir "$work/out/$tag" \
      --report "$json" "$@" > "$work/log/$tag.log" 2>&1; then
    echo "$tag: FAILED (see $work/log/$tag.log)" >&2
    tail -3 "$work/log/$tag.log" >&2
    rm -f "$json"
    return 0
  fi
  rm -rf "$work/out/$tag" # outputs are not compared here (the tests do that)
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
    if [[ "${COMPARE_NO_CHIPDUP:-0}" != 1 ]]; then
      run "$m" "$k" chipdup-intra --pipeline=intra --duplication-budget=chip
      run "$m" "$k" chipdup-inter --pipeline=inter --duplication-budget=chip
    fi
    case "$m:$k" in
      mlp:auto|lenet:auto|resnet18:8|resnet50:8)
        run "$m" "$k" gated-intra --pipeline=intra --gate-idle-tiles --duplication-budget=idle ;;
    esac
  done
done

echo "runs: $((SECONDS - start)) s" >&2
/usr/bin/python3 "$root/bench/compare_table.py" "$work/json" | tee "$work/table.md"
