// Errors and warnings found while reading a workbook or converting an XLSForm, each located by
// sheet, row and column as a spreadsheet user sees them (1-based; 0 when not applicable).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gotong::forms::xlsform {

struct Diagnostic {
  std::string sheet;  // "survey", "choices", ...; "workbook" for file-level problems
  int row = 0;
  int column = 0;
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// "survey:7:1: unknown question type 'integr'"
// "sheet:row:column", shortened to "sheet:row" or "sheet" when there is no column or row.
std::string diagnostic_location(const Diagnostic& diagnostic);
std::string format_diagnostic(const Diagnostic& diagnostic);

// Collects every problem instead of stopping at the first, so a form author can fix them all
// in one round trip.
class Diagnostics {
 public:
  void error(std::string sheet, int row, int column, std::string message);
  void warning(std::string sheet, int row, int column, std::string message);

  bool has_errors() const { return !errors_.empty(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  std::vector<Diagnostic> take_errors() { return std::move(errors_); }
  std::vector<Diagnostic> take_warnings() { return std::move(warnings_); }

 private:
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace gotong::forms::xlsform
