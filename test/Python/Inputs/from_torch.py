"""rebocc.from_torch on a small MLP (test/Python/from-torch.test): the
program's outputs against torch's own, within the 16-bit fixed point's
tolerance (e2e/fashion-mnist.test's: 1e-2 absolute + 1e-2 relative)."""
import numpy as np
import torch

import rebocc

torch.manual_seed(0)
module = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(),
                             torch.nn.Linear(32, 4))
x = torch.randn(8, 16)
program = rebocc.from_torch(module, x)
print("program:", program.inputs, program.outputs, program.layers)
(y,), report = program.run([x.numpy()])
with torch.no_grad():
    expected = module(x).numpy()
assert np.allclose(y, expected, rtol=1e-2, atol=1e-2), abs(y - expected).max()
print("outputs: %s match torch within 1e-2; top-1 %d/8" % (
    y.shape, (y.argmax(1) == expected.argmax(1)).sum()))
# The batch is dynamic: another batch size runs too.
(y3,), _ = program.run([x[:3].numpy()])
assert y3.tobytes() == y[:3].tobytes()
print("batch 3: the first 3 rows of batch 8")
# A float-reference run is float32 throughout: torch's to 1e-5.
(yf,), _ = program.run([x.numpy()], float_reference=True)
assert np.allclose(yf, expected, rtol=1e-5, atol=1e-5), abs(yf - expected).max()
print("float reference: matches torch within 1e-5")
