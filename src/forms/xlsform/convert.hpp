// The entry point for the rest of the app: XLSForm bytes in, ODK XForm XML and the parsed
// Form out, or every problem found, each located at its sheet cell.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/form.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

struct ConvertOptions {
  WorkbookLimits limits;
  // Root element name when the settings sheet has no `name` (default: the file name stem).
  std::string form_name;
};

struct ConvertResult {
  std::string xform_xml;              // empty when there are errors
  std::string external_itemsets_csv;  // itemsets.csv for select_one_external, if any
  Form form;                          // as far as it could be read, even with errors
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

// Reads .xlsx/.xlsm and .xls (recognised by their bytes), .csv and .md (by file name), all
// from memory.
ConvertResult convert(std::span<const std::byte> bytes, std::string_view file_name,
                      const ConvertOptions& options = {});

// Converts an already-read workbook; `file_name` names the form when the settings do not.
ConvertResult convert_workbook(const Workbook& workbook, std::string_view file_name,
                               const ConvertOptions& options = {});

}  // namespace gotong::forms::xlsform
