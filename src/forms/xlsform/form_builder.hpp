// Builds a Form from a Workbook: finds the XLSForm sheets, reads settings, choices and survey,
// names the instance root, sets every element's path and runs the form-wide checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/form.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

struct ParseOptions {
  // Root element name when the settings sheet has no `name`; empty: the file name stem
  // (made a valid XML name), or "data" when the stem cannot be one.
  std::string form_name;
};

struct ParseResult {
  Form form;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  bool ok() const { return errors.empty(); }
};

ParseResult parse_form(const Workbook& workbook, std::string_view file_name,
                       const ParseOptions& options = {});

// "forms/My Survey.xlsx" -> "My Survey".
std::string file_stem(std::string_view file_name);

}  // namespace gotong::forms::xlsform
