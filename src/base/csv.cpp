#include "base/csv.hpp"

namespace gotong::csv {

std::vector<Row> parse(std::string_view text, std::size_t max_rows) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Row> rows;
  std::size_t i = 0, line = 1;
  const std::size_t n = text.size();
  while (i < n) {
    Row row;
    row.line = line;
    std::string field;
    bool row_done = false;
    while (!row_done) {
      field.clear();
      if (i < n && text[i] == '"') {
        const std::size_t opened = line;
        ++i;
        for (;;) {
          if (i >= n) throw ParseError(opened, "a quoted field is not closed");
          const char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field.push_back('"');
              ++i;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            field.push_back(c);
          }
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw ParseError(line, "text after a closing quote");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field.push_back(text[i++]);
      }
      row.fields.push_back(field);
      if (i >= n) {
        row_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        ++line;
        row_done = true;
      }
    }
    const bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) {
      if (rows.size() == max_rows)
        throw ParseError(row.line, "more than " + std::to_string(max_rows) + " rows");
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

void append_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char ch : v) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

namespace {

// [+-]digits[.digits][e[+-]digits], or with the digits after the point only.
bool plain_number(std::string_view v) {
  std::size_t i = 0;
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return i - start;
  };
  std::size_t n = digits();
  if (i < v.size() && v[i] == '.') {
    ++i;
    n += digits();
  }
  if (n == 0) return false;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == v.size();
}

// Digits with signs, points, separators and spaces only: at worst arithmetic, with no function,
// name or cell reference to run. Geopoints south of the equator ("-8.5 124.3 0 5"), phone
// numbers ("+62 812-3456-7890") and UTC offsets ("-05:00") look like this.
bool arithmetic_only(std::string_view v) {
  for (char ch : v)
    if (!(ch >= '0' && ch <= '9') && std::string_view(" .,;:+-/").find(ch) == std::string_view::npos)
      return false;
  return true;
}

}  // namespace

void append_cell(std::string& out, std::string_view v) {
  bool formula = false;
  if (!v.empty()) {
    const char first = v.front();
    if (first == '=' || first == '@' || first == '\t' || first == '\r')
      formula = true;
    else if (first == '+' || first == '-')
      formula = !plain_number(v) && !arithmetic_only(v);
  }
  if (!formula) {
    append_field(out, v);
    return;
  }
  std::string shown;
  shown.reserve(v.size() + 1);
  shown.push_back('\'');
  shown.append(v);
  append_field(out, shown);
}

}  // namespace gotong::csv
