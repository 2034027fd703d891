// Options that would silently change the network, or make no sense, are
// rejected.
// RUN: not rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{tolerance=nan})' 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: circulant-block-partition: tolerance must lie in [0, 0.5], got nan
// RUN: not rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{tolerance=0.9})' 2>&1 | FileCheck %s --check-prefix=BIGTOL
// BIGTOL: circulant-block-partition: tolerance must lie in [0, 0.5], got 9.000000e-01
// RUN: not rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{candidates=0})' 2>&1 | FileCheck %s --check-prefix=CANDS
// CANDS: circulant-block-partition: candidates must lie in [2, 65536], got 0
// RUN: not rebocc-opt %s -split-input-file --pass-pipeline='builtin.module(circulant-block-partition{projection=maybe})' 2>&1 | FileCheck %s --check-prefix=PROJOPT
// PROJOPT: circulant-block-partition: projection must be on or off, got 'maybe'
func.func @options(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %y = circulant.fc %x {name = "o", block_size = 1 : i64,
         weight = dense<1.0> : tensor<2x2x1xf32>,
         bias = dense<0.0> : tensor<2xf32>} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
