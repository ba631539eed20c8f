// Reads the choices and external_choices sheets into choice lists, checking names and
// duplicates the way pyxform does.
#pragma once

#include <string>
#include <vector>

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/form.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

// `default_language` is the language key for columns without one ("label").
std::vector<ChoiceList> read_choices(const Sheet& sheet, const std::string& sheet_label,
                                     const std::string& default_language, bool allow_duplicates,
                                     Diagnostics& diagnostics);

}  // namespace gotong::forms::xlsform
