// Form-wide checks that need the whole tree: names, choice lists, ${} references, expressions,
// parameters, labels. Each problem is reported at the cell that holds it.
#pragma once

#include <string_view>

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/form.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

// `form` must have its paths set.
void check_form(const Form& form, const Workbook& workbook, Diagnostics& diagnostics);

// A default that must be computed when the form opens (has ${...} or calls a function) rather
// than written into the instance as text.
bool is_dynamic_default(std::string_view value);

}  // namespace gotong::forms::xlsform
