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

}  // namespace gotong::csv
