"""rebocc from Python: compile ONNX networks for block-circulant ReRAM
crossbars, run them on the simulator and estimate their cost.

    import rebocc
    program = rebocc.compile("model.onnx", block_size=4)
    outputs, report = program.run([x])
    report = rebocc.estimate("model.onnx", hw_set={"adc_bits": 6})
    outputs, report = rebocc.compare("model.onnx")   # --compare=reboc,dense

Options are rebocc's flags as keyword arguments (--block-size=4 is
block_size=4); reports are the JSON reports rebocc --report writes, as
dicts. docs/Python.md has the walkthrough and the list of options.
"""

import json
import os

from ._rebocc import Error, __version__, _compare, _compile, _estimate, _load

Error.__module__ = __name__  # rebocc.Error, as the docs name it

__all__ = ["Error", "Program", "compare", "compile", "estimate", "from_torch", "load",
           "__version__"]


class Program:
    """A compiled program (what rebocc writes to a .rbp file)."""

    def __init__(self, impl):
        self._impl = impl

    def run(self, inputs, labels=None, calibration_inputs=None, **options):
        """Runs the program on the simulator.

        inputs: one numpy array per program input, in order, of the input's
        element type (float32; bool or an integer type for a typed input),
        as rebocc --input takes files; another dtype is a rebocc.Error.
        labels: optional integer array, one class per batch row of the first
        output; the report then has accuracy.top1 and top5.
        calibration_inputs: with adc_range = calibrated, one array per
        program input to calibrate the ADCs on (--calibration-input).
        options: run options (seed, pipeline, float_reference, trials, ...),
        overriding those given to compile().

        Returns (outputs, report): a list of arrays of the outputs' element
        types (float32; bool, an integer type or float16 where the model's
        output has it, bfloat16 as float32), the values rebocc --run's
        --output-dir files hold, and the report as a dict (rebocc --run
        --report).
        """
        calibration = None if calibration_inputs is None else list(
            calibration_inputs)
        outputs, report = self._impl.run(list(inputs), labels, calibration,
                                         options)
        return outputs, json.loads(report)

    def estimate(self, **options):
        """The cost from the shapes, without simulating (rebocc --cost-only):
        the report as a dict."""
        return json.loads(self._impl.estimate(options))

    def save(self, path):
        """Writes the program file (.rbp) that rebocc-sim runs."""
        self._impl.save(os.fspath(path))

    @property
    def text(self):
        """The program's text form (rebocc --emit=program)."""
        return self._impl.text

    @property
    def inputs(self):
        """[(name, shape)] of the inputs; -1 is any size (the batch)."""
        return self._impl.inputs

    @property
    def outputs(self):
        """[(name, shape)] of the outputs."""
        return self._impl.outputs

    @property
    def layers(self):
        """The names of the crossbar layers, in program order."""
        return self._impl.layers


def _source(model):
    """(path, bytes or None) of a model given as a path or a ModelProto."""
    if isinstance(model, (str, os.PathLike)):
        return os.fspath(model), None
    serialize = getattr(model, "SerializeToString", None)
    if serialize is None:
        raise TypeError("model: expected a path or an onnx.ModelProto, got "
                        + type(model).__name__)
    return "<onnx.ModelProto>", serialize()


def compile(model, **options):
    """Compiles an ONNX model (a path, or an onnx.ModelProto) into a
    Program. Raises rebocc.Error with rebocc's message when it cannot."""
    path, data = _source(model)
    return Program(_compile(path, data, options))


def estimate(model, hw=None, hw_set=None, **options):
    """Compiles `model` and estimates its cost from the shapes (rebocc
    --cost-only): the report as a dict. hw is a hardware description file,
    hw_set a dict of overrides ({"adc_bits": 6} is --hw-set adc_bits=6).
    Options that only act on a simulation (seed, ...) are a TypeError."""
    path, data = _source(model)
    options.update(hw=hw, hw_set=hw_set)
    return json.loads(_estimate(path, data, options))


def compare(model, inputs=None, mappings=("reboc", "dense"), labels=None,
            calibration_inputs=None, **options):
    """Compiles `model` with each mapping and reports them side by side, as
    rebocc --compare=reboc,dense: the report (a dict) has "compare" (each
    program's report), "ratios" (each later mapping's latency, throughput,
    energy, area and crossbars over the first's, keyed "dense/reboc") and
    "attribution". Without inputs the cost is counted from the shapes (as
    with --cost-only); with inputs each program runs on them.

    Returns (outputs, report): outputs maps each mapping to its list of
    output arrays (empty without inputs)."""
    path, data = _source(model)
    mappings = [mappings] if isinstance(mappings, str) else list(mappings)
    if inputs is not None:
        inputs = list(inputs)
    if calibration_inputs is not None:
        calibration_inputs = list(calibration_inputs)
    outputs, report = _compare(path, data, options, mappings, inputs, labels,
                               calibration_inputs)
    return outputs, json.loads(report)


def load(path):
    """Loads a program file (.rbp) written by rebocc or Program.save()."""
    return Program(_load(os.fspath(path)))


def from_torch(module, example_input, **options):
    """Exports a torch.nn.Module through torch.onnx (opset 13, the batch
    dimension dynamic) and compiles it. example_input is a tensor, or a
    tuple of tensors for a module of several inputs."""
    import io
    import torch

    args = example_input if isinstance(example_input, tuple) else (example_input,)
    names = ["input"] if len(args) == 1 else [
        "input_%d" % i for i in range(len(args))]
    buffer = io.BytesIO()
    torch.onnx.export(module, args, buffer, opset_version=13,
                      input_names=names, output_names=["output"],
                      dynamic_axes={name: {0: "batch"} for name in names + ["output"]},
                      do_constant_folding=True)
    return Program(_compile("<torch %s>" % type(module).__name__,
                            buffer.getvalue(), options))
