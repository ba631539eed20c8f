// Turns the survey sheet into the element tree: types, begin/end nesting, labels in every
// language, expressions, and the expansions pyxform performs (or_other, table-list, loops,
// repeat_count calculations, generated note names).
#pragma once

#include <string>
#include <vector>

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/form.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

// Returns the survey's top-level elements. `choices` is used to expand loops. Paths are not
// set yet (the root name is decided later).
std::vector<Element> read_survey(const Sheet& sheet, const std::string& sheet_label,
                                 const std::string& default_language, const std::vector<ChoiceList>& choices,
                                 Diagnostics& diagnostics);

// "start=0 end=10 step=1" or "start=0;end=10" -> pairs; malformed items are reported.
Attributes parse_parameters(std::string_view text, std::string* error);

}  // namespace gotong::forms::xlsform
