//===- ProgramIO.h - Program file writer and reader -------------*- C++ -*-===//
//
// The on-disk program (.rbp): a line-oriented text section that a person can
// read and grep, ending with `data <nbytes>`, then a little-endian binary data
// section (unique weights, biases, constants) and an 8-byte FNV-1a 64 checksum
// of the data section. docs/ProgramFormat.md is the specification.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_TARGET_PROGRAM_PROGRAMIO_H
#define REBOCC_TARGET_PROGRAM_PROGRAMIO_H

#include "rebocc/Target/Program/Program.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace rebocc::program {

/// Conventional file extension of a program file.
constexpr const char *kProgramFileExtension = ".rbp";

/// Human-readable form (`rebocc --emit=program`, FileCheck tests): the text
/// section of the file without data offsets and without the `data` line.
/// Works on any Program, valid or not.
std::string printText(const Program &program);

/// Serializes a valid program. Returns false (with `error`) when verify()
/// rejects it, so every written file can be read back.
bool writeProgram(const Program &program, std::string &bytes,
                  std::string &error);
/// As above, for callers that only need success/failure.
bool writeProgram(const Program &program, std::string &bytes);
bool writeProgramFile(const Program &program, const std::string &path,
                      std::string &error);

/// Parses and fully validates a program file's bytes (syntax, sizes, offsets,
/// checksums, then verify()). Never crashes on any input. On error returns
/// false with one message `fileName:line: ...` (text section) or
/// `fileName: byte offset N: ...` (data section).
bool readProgram(llvm::StringRef bytes, const std::string &fileName,
                 Program &program, std::string &error);
/// Reads the file mapped into memory rather than copied (a program is tens
/// of MB; its floats are copied out once, by the reader).
bool readProgramFile(const std::string &path, Program &program,
                     std::string &error);

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_PROGRAMIO_H
