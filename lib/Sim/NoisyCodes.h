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
#include <vector>

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

/// columnCodes for 8 lanes with read noise from single-precision sums (sum:
/// 16 floats per read, the 8 sums then the 8 sums of squares, each a float
/// sum over at most `rows` nonnegative terms in some order): where bounds of
/// the double sums (the floats' rounding error bound) and of the normal
/// decide all 8 codes of a read, they are its codes; the reads they do not
/// decide are appended to `redo`, their codes left unset. AVX-512 only.
void boundedColumnCodes(const uint64_t *key, const uint64_t *read,
                        const float *sum, int64_t reads, int64_t rows,
                        double readSigma, double step, double maxCode,
                        int32_t *code, std::vector<int64_t> &redo);

/// boundedColumnCodes with the float sums formed here, for the reads of one
/// weight column through its array: cell holds groups * groupBits rows of
/// 16 floats (the 8 conductances, then their squares, as floats), of which
/// the first `rows` are cells; read i drives, of group g (rows g * groupBits
/// onwards), the subset whose 16-float sum is entry entry[i * groups + g] of
/// the groups' tables (group g's 2^groupBits subsets from g * 2^groupBits,
/// bit t of the subset for row g * groupBits + t). table is scratch for
/// groups * 2^groupBits * 16 floats. AVX-512 only.
void subsetTableColumnCodes(const float *cell, int64_t rows,
                            const uint16_t *entry, int64_t groups,
                            int64_t groupBits, int64_t reads, float *table,
                            const uint64_t *key, const uint64_t *read,
                            double readSigma, double step, double maxCode,
                            int32_t *code, std::vector<int64_t> &redo);

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_NOISYCODES_H
