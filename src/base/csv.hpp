// Comma-separated text (RFC 4180: quoted fields with doubled quotes, CRLF or LF line ends, an
// optional UTF-8 byte order mark): reading it into rows of fields, with the line each row began on
// so an import can name the row at fault, and writing a field.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::csv {

struct Row {
  std::size_t line = 0;  // 1-based line of the file where the row starts
  std::vector<std::string> fields;
};

// A syntax error (an unterminated quote, text after a closing quote) at `line`.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t line, const std::string& message) : std::runtime_error(message), line(line) {}
  std::size_t line;
};

// Every row, blank lines skipped. Throws ParseError; stops with ParseError past `max_rows`.
std::vector<Row> parse(std::string_view text, std::size_t max_rows = 100000);

// Appends `v` as one field: quoted, with quotes doubled, when it holds a comma, quote, CR or LF.
void append_field(std::string& out, std::string_view v);

// append_field for files that people open in a spreadsheet: a text that Excel, LibreOffice or
// Google Sheets would run as a formula gets a leading apostrophe, so it is shown, never run
// (OWASP, "CSV injection"): one starting with =, @, a tab or a carriage return, or with + or -
// followed by more than numbers ("=HYPERLINK(...)", "-2+cmd|' /C calc'!A0" typed into a survey).
// Numbers and number-like texts starting with a sign ("-5", "-8.5 124.3 0 5", "+62 812-3456")
// are left as they are: they can call nothing.
void append_cell(std::string& out, std::string_view v);

}  // namespace gotong::csv
