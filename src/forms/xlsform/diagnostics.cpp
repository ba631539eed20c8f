#include "forms/xlsform/diagnostics.hpp"

#include <utility>

namespace gotong::forms::xlsform {

std::string diagnostic_location(const Diagnostic& d) {
  std::string out = d.sheet.empty() ? std::string("workbook") : d.sheet;
  // A missing sheet or an unreadable file has no cell: "survey:0:0" would send a person looking
  // for row 0.
  if (d.row > 0) {
    out += ':' + std::to_string(d.row);
    if (d.column > 0) out += ':' + std::to_string(d.column);
  }
  return out;
}

std::string format_diagnostic(const Diagnostic& d) { return diagnostic_location(d) + ": " + d.message; }

void Diagnostics::error(std::string sheet, int row, int column, std::string message) {
  errors_.push_back({std::move(sheet), row, column, std::move(message)});
}

void Diagnostics::warning(std::string sheet, int row, int column, std::string message) {
  warnings_.push_back({std::move(sheet), row, column, std::move(message)});
}

}  // namespace gotong::forms::xlsform
