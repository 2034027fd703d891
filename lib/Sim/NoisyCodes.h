//===- NoisyCodes.h - The ADC codes of noisy reads -------------*- C++ -*-===//
//
// Private to lib/Sim: the ADC pass of AnalogEngine<true>'s reads
// (NoisyReads.cpp), apart because it is where a noisy run spends most of its
// time (docs/Accuracy.md, "How a noisy run is evaluated").
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_NOISYCODES_H
#define REBOCC_LIB_SIM_NOISYCODES_H

#include <cstdint>

namespace rebocc::sim {

/// The ADC codes of one weight column's reads: code[i * lanes + k] =
/// AdcLaw::convert (step, maxCode <= INT32_MAX) of the column sum
/// sum[i * w + k] plus, when readSigma > 0, its read noise readSigma *
/// sqrt(sum[i * w + lanes + k]) * normal(mix(key[k] ^ read[i])), the sums of
/// squares at lanes + k and key[k] the hash of the key words up to the column
/// (docs/Accuracy.md, sections 3 and 4).
void columnCodes(const uint64_t *key, const uint64_t *read, const double *sum,
                 int64_t reads, int64_t lanes, int64_t w, double readSigma,
                 double step, double maxCode, int32_t *code);

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_NOISYCODES_H
