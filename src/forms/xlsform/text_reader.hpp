// Reads the plain-text XLSForm layouts pyxform accepts (.csv and markdown tables): a row whose
// first cell is filled starts a sheet of that name; the following rows hold it, from column 2.
#pragma once

#include <string_view>

#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

ReadResult read_csv_workbook(std::string_view text, const WorkbookLimits& limits = {});
ReadResult read_markdown_workbook(std::string_view text, const WorkbookLimits& limits = {});

}  // namespace gotong::forms::xlsform
