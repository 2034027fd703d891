#!/bin/sh
# onnxruntime reference runs for cross-checking rebocc.
#
#   scripts/ort_reference.sh install
#       npm install --ignore-scripts onnxruntime-node@1.30.0 into <repo>/.cache/ort
#       (the package's install script tries to download and fails offline; the
#       native library ships inside the package, so --ignore-scripts is enough).
#   scripts/ort_reference.sh MODEL.onnx --input input_0.pb [...] --output-dir DIR
#       run the model with onnxruntime (scripts/ort_run.js).
#   scripts/ort_reference.sh check MODEL_DIR [compare_outputs.py options]
#       run MODEL_DIR/model.onnx on every MODEL_DIR/test_data_set_* and compare
#       with its output_*.pb (default --rtol 1e-4 --atol 1e-5).
#
# Exit 77 (ctest SKIP) when node or onnxruntime-node is not available.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ORT_VERSION=1.30.0
PYTHON=${PYTHON:-/usr/bin/python3}

if ! command -v node >/dev/null 2>&1; then
  echo "ort_reference: node is not installed -- skipping" >&2
  exit 77
fi

case "${1:-}" in
  install)
    command -v npm >/dev/null 2>&1 || { echo "ort_reference: npm is not installed" >&2; exit 77; }
    mkdir -p "$repo/.cache/ort"
    cd "$repo/.cache/ort"
    [ -f package.json ] || echo '{"name":"rebocc-ort-cache","private":true}' > package.json
    npm install --ignore-scripts --no-audit --no-fund "onnxruntime-node@$ORT_VERSION"
    ;;
  check)
    dir=${2:?usage: ort_reference.sh check MODEL_DIR [compare options]}
    shift 2
    [ $# -gt 0 ] || set -- --rtol 1e-4 --atol 1e-5
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    status=0
    for ds in "$dir"/test_data_set_*; do
      [ -d "$ds" ] || { echo "ort_reference: no test_data_set_* in $dir" >&2; exit 1; }
      out="$tmp/$(basename "$ds")"
      ins=""
      for f in "$ds"/input_*.pb; do [ -f "$f" ] && ins="$ins --input $f"; done
      # shellcheck disable=SC2086
      node "$here/ort_run.js" "$dir/model.onnx" $ins --output-dir "$out" || exit $?
      echo "== $ds"
      "$PYTHON" "$here/compare_outputs.py" --expected "$ds" --actual "$out" "$@" || status=1
    done
    exit $status
    ;;
  ""|-h|--help)
    sed -n '2,16p' "$0"
    exit 2
    ;;
  *)
    exec node "$here/ort_run.js" "$@"
    ;;
esac
