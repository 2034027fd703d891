//===- ProgramFormat.h - Shared by the writer and the reader ----*- C++ -*-===//
//
// Private to lib/Target/Program. ProgramWriter.cpp writes a program file,
// ProgramReader.cpp parses one line by line, and ProgramFields.cpp holds the
// reader's tokenizer and typed field accessors.
//
// Layout of a file (docs/ProgramFormat.md is the specification):
//
//   rebocc-program 7 overflow=chips checksum=0x<seal64 of the body>
//   hw name="isaac-ce" xbar_rows=128 ...      <- the body: every byte after
//   value %0 name="x" shape=[-1,784]             the header line
//   ...
//   data <nbytes>
//   <nbytes of little-endian float32> <8-byte little-endian seal64>
//
// The text section is printText() plus the checksum and `data=OFFSET+BYTES`
// references into the data section. The reader trusts nothing: it checks
// the body against the header's checksum first, and every size against the
// bytes actually present before anything proportional to it is allocated.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_TARGET_PROGRAM_PROGRAMFORMAT_H
#define REBOCC_LIB_TARGET_PROGRAM_PROGRAMFORMAT_H

#include "rebocc/Target/Program/Program.h"

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rebocc::program {

// Shared by the writer and the reader (defined in ProgramWriter.cpp) --------

extern const char *kMagic;

std::string fmtShape(const std::vector<int64_t> &shape);
std::string fmtRange(uint64_t begin, uint64_t size);
/// "0x" and 16 lower-case hex digits.
std::string fmtHex(uint64_t v);
/// The header line without its checksum field and newline:
/// "rebocc-program 7 overflow=chips".
std::string fmtHeader(const Program &program);

// Reader (ProgramFields.cpp and ProgramReader.cpp) --------------------------

bool parseInt64(const std::string &s, int64_t &out);

/// One line split into positional tokens and key=value fields.
struct Fields {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> kv;
  std::vector<bool> used;
};

enum class RefKind { Constant, Weights, Bias };

/// A data-section reference recorded while reading the text section.
struct PendingRef {
  RefKind kind;
  size_t index;
  uint64_t offset, size;
  uint64_t seal;
  int line;
  const char *key;
};

class Reader {
public:
  /// With `keepBytes` (owning `bytes`), the data references become views
  /// into `bytes`; without, copies.
  Reader(llvm::StringRef bytes, const std::string &file, Program &program,
         std::string &error, std::shared_ptr<const void> keepBytes)
      : bytes(bytes), file(file), P(program), error(error),
        keepBytes(std::move(keepBytes)) {}

  bool read();

private:
  llvm::StringRef bytes;
  const std::string &file;
  Program &P;
  std::string &error;
  std::shared_ptr<const void> keepBytes;
  int lineNo = 0;
  Fields F;
  std::vector<PendingRef> refs;
  int phase = 0; // rank of the last keyword seen, see keywordRank()
  bool haveHw = false, haveInputs = false, haveOutputs = false;
  int64_t declaredArrays = 0; // arrays= of the last layer line

  bool fail(const std::string &msg) {
    error = file + ":" + std::to_string(lineNo) + ": " + msg;
    return false;
  }
  bool failAt(uint64_t offset, const std::string &msg) {
    error = file + ": byte offset " + std::to_string(offset) + ": " + msg;
    return false;
  }

  bool parseHeader(const std::string &text, size_t bodyStart);
  bool tokenize(const std::string &text);
  bool parseLine(const std::string &text);
  bool finishFields();
  bool checkArraysComplete();

  // Field accessors: each marks the field used and reports its own errors.
  const std::string *field(const char *key);
  /// Whether the line has `key` (an optional field, or one appended in a
  /// later version).
  bool hasField(const char *key) const;
  bool getInt(const char *key, int64_t &out);
  /// An Int hardware field: an integer, or `auto` where the field takes it.
  bool getIntOrAuto(const model::HardwareField &f, model::HardwareDesc &hw);
  bool getFloat(const char *key, float &out);
  bool getDouble(const char *key, double &out);
  bool getString(const char *key, std::string &out);
  bool getShape(const char *key, std::vector<int64_t> &out);
  bool getList(const char *key, char sep, std::vector<int64_t> &out);
  /// Comma-separated numbers ("" is the empty list).
  bool getFloatList(const char *key, std::vector<float> &out);
  bool getPair(const char *key, int64_t &a, int64_t &b);
  bool getBool(const char *key, bool &out);
  bool getHex(const char *key, uint64_t &out);
  bool getRef(const char *key, char sigil, int64_t &out);
  bool getDataRef(const char *key, uint64_t elements, RefKind kind,
                  size_t index, uint64_t seal);

  bool parseHw();
  bool parseValue();
  bool parseValueList(std::vector<int> &ids, const char *what);
  bool parseConstant();
  bool parseLayer();
  bool parseArray();
  bool parseInst();
  bool readData(uint64_t dataStart);
  /// seal64 of the `size`-byte data section; fills `refSeals` with each
  /// reference's seal when it could compute them in the same pass.
  uint64_t sealData(const char *data, uint64_t size,
                    std::vector<uint64_t> &refSeals) const;
  /// `count` values at `at` in the data section, sealed already.
  support::FloatArray decodeRef(const char *at, size_t count) const;
};

} // namespace rebocc::program

#endif // REBOCC_LIB_TARGET_PROGRAM_PROGRAMFORMAT_H
