//===- TextTable.h - aligned plain-text tables ------------------*- C++ -*-===//

#ifndef REBOCC_SUPPORT_TEXTTABLE_H
#define REBOCC_SUPPORT_TEXTTABLE_H

#include <cstddef>
#include <string>
#include <vector>

namespace rebocc::support {

/// `rows` as lines of columns two spaces apart, each column as wide as its
/// widest cell: the columns listed in `leftAligned` (names) padded on the
/// right, the others (numbers) on the left; no trailing spaces.
std::string formatColumns(const std::vector<std::vector<std::string>> &rows,
                          const std::vector<size_t> &leftAligned);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_TEXTTABLE_H
