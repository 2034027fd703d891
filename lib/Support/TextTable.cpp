//===- TextTable.cpp - aligned plain-text tables --------------------------===//

#include "rebocc/Support/TextTable.h"

#include <algorithm>

namespace rebocc::support {

std::string formatColumns(const std::vector<std::vector<std::string>> &rows,
                          const std::vector<size_t> &leftAligned) {
  std::vector<size_t> width;
  for (const auto &row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto &row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(width[c] - row[c].size(), ' ');
      bool left = std::find(leftAligned.begin(), leftAligned.end(), c) !=
                  leftAligned.end();
      line += (c ? "  " : "") + (left ? row[c] + pad : pad + row[c]);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

} // namespace rebocc::support
