//===- TargetClones.h - Attributes for the simulator's AVX2 clones -*- C++ -*-===//
//
// Part of rebocc, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The noisy-read kernels are compiled twice: as written, and as clones with
// REBOCC_AVX2 chosen at run time (noise::hasAvx2). REBOCC_INLINE forces the
// helpers into each clone, so that they are compiled for its target too.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_TARGETCLONES_H
#define REBOCC_LIB_SIM_TARGETCLONES_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define REBOCC_AVX2 __attribute__((target("avx2")))
#define REBOCC_AVX512                                                          \
  __attribute__((target("avx512f,avx512dq,avx512vl")))
#else
#define REBOCC_AVX2
#endif
#define REBOCC_INLINE inline __attribute__((always_inline))

#endif // REBOCC_LIB_SIM_TARGETCLONES_H
