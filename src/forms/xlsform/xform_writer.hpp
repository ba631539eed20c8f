// Writes a parsed Form as an ODK XForms 1.0 document (the XML that ODK Collect, Enketo and
// @getodk/web-forms load), following pyxform's output conventions.
#pragma once

#include <string>

#include "forms/xlsform/form.hpp"

namespace gotong::forms::xlsform {

// `form` must come from parse_form without errors.
std::string write_xform(const Form& form);

// The CSV (list_name,name,label,...) ODK expects as itemsets.csv for select_one_external
// questions; empty when the form has no external_choices.
std::string write_external_itemsets_csv(const Form& form);

}  // namespace gotong::forms::xlsform
