#!/bin/sh
# ctest's install-package test: `cmake --install` the build into a fresh
# prefix, check the tools, headers, hardware descriptions and license are
# there, then configure, build and run a project outside the tree that finds
# rebocc with find_package(Rebocc) (Inputs/consumer). With PYTHON = ON, the
# Python package is installed too and imports from the prefix alone.
#
#   check-install.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR CXX VERSION PYTHON
set -eu
cmake=$1 build=$2 src=$3 work=$4 cxx=$5 version=$6 python=${7:-OFF}
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

"$cmake" --install "$build" --prefix "$prefix" > "$work/install.log"
for f in bin/rebocc bin/rebocc-sim bin/rebocc-opt bin/rebocc-translate \
         bin/rebocc-sweep; do
  test -x "$prefix/$f" || { echo "FAIL: $f not installed"; exit 1; }
done
for f in include/rebocc/Sim/Driver.h include/rebocc/Support/VersionInfo.inc \
         include/rebocc/Dialect/Circulant/CirculantOps.h.inc \
         lib/libReboccSim.a lib/cmake/Rebocc/ReboccConfig.cmake \
         lib/cmake/Rebocc/ReboccConfigVersion.cmake \
         share/rebocc/hw/isaac-ce.json share/rebocc/LICENSE \
         share/rebocc/report.schema.json share/rebocc/rebocc_sweep/cli.py; do
  test -f "$prefix/$f" || { echo "FAIL: $f not installed"; exit 1; }
done
"$prefix/bin/rebocc" --version | grep -q "^rebocc $version (git " ||
  { echo "FAIL: installed rebocc --version"; exit 1; }
# The installed rebocc-sweep imports its package from share/rebocc and runs
# the rebocc next to it: plan a one-point sweep and print its command.
"$prefix/bin/rebocc-sweep" "$src/examples/fashion_mnist/mlp_circulant/model.onnx" \
  --grid adc_bits=6 --out "$work/sweep" --emit-commands > "$work/sweep.cmd" ||
  { echo "FAIL: installed rebocc-sweep"; exit 1; }
grep -q "^$prefix/bin/rebocc-sweep --run-point " "$work/sweep.cmd" &&
  grep -q "\"$prefix/bin/rebocc\"" "$work"/sweep/points/*/point.json ||
  { echo "FAIL: installed rebocc-sweep does not use the installed rebocc"; exit 1; }

if [ "$python" = ON ]; then
  site=$prefix/lib/python3/dist-packages
  test -f "$site/rebocc/__init__.py" ||
    { echo "FAIL: the Python package is not installed in $site"; exit 1; }
  # From an empty directory, so nothing but the prefix provides rebocc.
  mkdir -p "$work/empty"
  (cd "$work/empty" && PYTHONPATH=$site /usr/bin/python3 -c '
import sys, rebocc
assert rebocc.__file__.startswith(sys.argv[1]), rebocc.__file__
program = rebocc.compile(sys.argv[2])
print("python", rebocc.__version__, program.layers)
' "$site" "$src/examples/fashion_mnist/mlp_circulant/model.onnx") > "$work/python.out" ||
    { echo "FAIL: the installed Python package does not import"; exit 1; }
  grep -qx "python $version \['/fc1/Gemm', '/fc2/Gemm', '/fc3/Gemm'\]" "$work/python.out" ||
    { cat "$work/python.out"; echo "FAIL: installed rebocc.compile"; exit 1; }
fi

"$cmake" -G Ninja -S "$src/test/Install/Inputs/consumer" -B "$work/consumer" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log" ||
  { cat "$work/configure.log"; echo "FAIL: find_package(Rebocc)"; exit 1; }
"$cmake" --build "$work/consumer" -j 1 > "$work/build.log" ||
  { cat "$work/build.log"; echo "FAIL: building against the package"; exit 1; }
"$work/consumer/consumer" > "$work/out"
# sha256("abc") is FIPS 180-2's first example; ISAAC-CE has 8-bit ADCs.
cat > "$work/expected" <<EOT
version $version
sha256(abc) ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
hw isaac-ce adc_bits 8 valid 1
EOT
diff -u "$work/expected" "$work/out" || { echo "FAIL: consumer output"; exit 1; }
echo "ok: installed into $prefix, find_package(Rebocc) consumer built and ran" \
     "(Python package: $python)"
