#include "forms/xlsform/diagnostics.hpp"

#include <utility>

namespace gotong::forms::xlsform {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.sheet.empty() ? std::string("workbook") : d.sheet;
  out += ':';
  out += std::to_string(d.row);
  out += ':';
  out += std::to_string(d.column);
  out += ": ";
  out += d.message;
  return out;
}

void Diagnostics::error(std::string sheet, int row, int column, std::string message) {
  errors_.push_back({std::move(sheet), row, column, std::move(message)});
}

void Diagnostics::warning(std::string sheet, int row, int column, std::string message) {
  warnings_.push_back({std::move(sheet), row, column, std::move(message)});
}

}  // namespace gotong::forms::xlsform
