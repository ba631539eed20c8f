// Decides from a spreadsheet number format whether a number cell shows a date, a time or a
// duration, so both readers (.xlsx and .xls) turn such cells into ISO-8601 text.
#pragma once

#include <string>
#include <string_view>

#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

struct DateKind {
  bool has_date = false;
  bool has_time = false;
  bool elapsed = false;  // "[h]:mm:ss": a duration, hours may exceed 24
  bool is_date() const { return has_date || has_time; }
};

// Excel's built-in formats 14-22 and 45-47 (and the CJK date ids 27-36, 50-58).
DateKind builtin_format_kind(int id);
// A custom format code such as "yyyy-mm-dd hh:mm" or "[h]:mm:ss"; quoted text, escaped
// characters, colours and locales in brackets are ignored.
DateKind custom_format_kind(std::string_view code);

// The text of a number cell under `kind`: a plain number, an ISO date/time, or "HH:MM:SS".
std::string format_number_cell(double value, const DateKind& kind, bool date1904, CellType& type);

}  // namespace gotong::forms::xlsform
