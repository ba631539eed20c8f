// Reads the settings sheet (one header row, one value row) into Settings.
#pragma once

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/form.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

// `sheet` may be null (no settings sheet): then all settings are empty.
Settings read_settings(const Sheet* sheet, Diagnostics& diagnostics);

// "yes", "true", "TRUE", "true()" -> true; "no", "false", "false()" -> false; else nullopt.
std::optional<bool> parse_yes_no(std::string_view text);

}  // namespace gotong::forms::xlsform
