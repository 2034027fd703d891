# -*- Python -*-
import os
import shutil

import lit.formats
import lit.util
from lit.llvm import llvm_config

config.name = "REBOCC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.rebocc_obj_root, "test")

# FileCheck, not and count from LLVM 22 (the unversioned ones are LLVM 14).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.rebocc_tools_dir, append_path=True)

# The rebocc tools the RUN lines call by name (found on PATH above). A
# missing one is a build problem, not a test failure to puzzle over.
tools = ["rebocc", "rebocc-opt", "rebocc-sim", "rebocc-sweep", "rebocc-translate"]
for tool in tools:
    if not os.path.exists(os.path.join(config.rebocc_tools_dir, tool)):
        lit_config.fatal("%s not built in %s" % (tool, config.rebocc_tools_dir))
llvm_config.use_default_substitutions()

# The ASan+UBSan build (REBOCC_ENABLE_FUZZERS, scripts/build.sh --sanitize).
# A sanitizer report aborts the tool (a signal, not exit 1), so `not` and the
# scripts that expect a clean error fail on it; UBSan does not recover
# (-fno-sanitize-recover). Tests marked `UNSUPPORTED: asan` are the largest
# end-to-end models, left to the release build to keep CI under 40 minutes
# (docs/Hostile.md lists them). allow_user_poisoning=0: LLVM's
# BumpPtrAllocator poisons its slabs in ASan builds, and its inline functions
# exist both in our instrumented code and in Debian's uninstrumented MLIR
# libraries, so a slab one copy poisons is handed out by the other: a false
# use-after-poison in MLIRContext's constructor.
if lit.util.pythonize_bool(config.rebocc_sanitized):
    config.available_features.add("asan")
    symbolizer = os.path.join(config.llvm_tools_dir, "llvm-symbolizer")
    config.environment["ASAN_OPTIONS"] = (
        "abort_on_error=1:detect_leaks=1:allow_user_poisoning=0")
    config.environment["UBSAN_OPTIONS"] = "abort_on_error=1:print_stacktrace=1"
    config.environment["ASAN_SYMBOLIZER_PATH"] = symbolizer

config.substitutions.append(("%rebocc_src", config.rebocc_src_root))
# The project version, from CMakeLists.txt's project(): its one place.
config.substitutions.append(("%rebocc_version", config.rebocc_version))
config.substitutions.append(("%rebocc_obj", config.rebocc_obj_root))
config.substitutions.append(("%rebocc_tools", config.rebocc_tools_dir))
config.substitutions.append(("%python", "/usr/bin/python3"))

# Tests that need python3-onnx, python3-jsonschema, torch or the ONNX test
# data say so.
if os.path.exists("/usr/bin/python3"):
    import subprocess
    if subprocess.call(["/usr/bin/python3", "-c", "import onnx"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("python-onnx")
    if subprocess.call(["/usr/bin/python3", "-c", "import jsonschema"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("python-jsonschema")
    if subprocess.call(["/usr/bin/python3", "-c", "import torch, torchvision"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("torch")
    if subprocess.call(["/usr/bin/python3", "-c", "import matplotlib"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("matplotlib")
# The Python package (python/, docs/Python.md), importable with
# PYTHONPATH=%rebocc_python_path.
config.substitutions.append(("%rebocc_python_path",
                             os.path.join(config.rebocc_obj_root, "python")))
if config.rebocc_python_enabled.upper() in ("ON", "TRUE", "1", "YES"):
    config.available_features.add("rebocc-python")
# Debian's dataset-fashion-mnist (scripts/accuracy_study.py reads it).
if os.path.exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"):
    config.available_features.add("fashion-mnist")
if os.path.isdir("/usr/share/libonnx-testdata/data"):
    config.available_features.add("onnx-testdata")
# onnxruntime reference runs (scripts/ort_reference.sh): node on PATH and
# onnxruntime-node installed under the source tree by `ort_reference.sh install`.
if shutil.which("node") and os.path.isdir(
        os.path.join(config.rebocc_src_root, ".cache", "ort", "node_modules", "onnxruntime-node")):
    config.available_features.add("onnxruntime")
# Debian's chromium loads the HTML report headless (test/Sim/html-report.test).
if shutil.which("chromium"):
    config.available_features.add("chromium")

# In CI (CI=true, as .ci/run runs) every test must run: a missing dependency
# is an error, never a silently UNSUPPORTED test. scripts/setup.sh installs
# them all.
if os.environ.get("CI"):
    missing = sorted({"python-onnx", "python-jsonschema", "torch", "onnx-testdata",
                      "onnxruntime", "matplotlib", "fashion-mnist", "chromium",
                      "rebocc-python"} -
                     set(config.available_features))
    # The ASan+UBSan build has no Python package (CMakeLists.txt says why):
    # test/Python runs in the release build.
    if "asan" in config.available_features:
        missing = [m for m in missing if m != "rebocc-python"]
    if missing:
        lit_config.fatal("CI: missing test dependencies " + ", ".join(missing) +
                         " (scripts/setup.sh installs them)")
