// Test helper: writes a Workbook as literal rows ({"type", "name", "label"}, ...) so parser and
// writer tests read like the spreadsheet they stand for. Row 1 is the first row given.
#pragma once

#include <string>
#include <vector>

#include "forms/xlsform/convert.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform::testing {

inline Sheet sheet(std::string name, const std::vector<std::vector<std::string>>& rows) {
  Sheet out{std::move(name), {}};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<Cell> cells;
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      cells.push_back(Cell{static_cast<int>(r) + 1, static_cast<int>(c) + 1, CellType::text, rows[r][c]});
    }
    if (!cells.empty()) out.rows.push_back(std::move(cells));
  }
  return out;
}

inline Workbook workbook(std::vector<Sheet> sheets) { return Workbook{std::move(sheets)}; }

inline ConvertResult convert_rows(const std::vector<std::vector<std::string>>& survey,
                                  const std::vector<std::vector<std::string>>& choices = {},
                                  const std::vector<std::vector<std::string>>& settings = {}) {
  std::vector<Sheet> sheets{sheet("survey", survey)};
  if (!choices.empty()) sheets.push_back(sheet("choices", choices));
  if (!settings.empty()) sheets.push_back(sheet("settings", settings));
  return convert_workbook(workbook(std::move(sheets)), "test_form.xlsx");
}

inline std::vector<std::string> formatted(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(format_diagnostic(d));
  return out;
}

}  // namespace gotong::forms::xlsform::testing
