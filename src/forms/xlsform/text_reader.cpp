#include "forms/xlsform/text_reader.hpp"

#include <string>
#include <vector>

namespace gotong::forms::xlsform {

namespace {

using Record = std::vector<std::string>;

std::string_view strip_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<Record> parse_csv(std::string_view text) {
  std::vector<Record> records;
  Record record;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    any = true;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<Record> parse_markdown(std::string_view text, std::vector<int>& line_numbers) {
  std::vector<Record> records;
  int line_number = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    line = trim(line);
    if (!line.starts_with('|')) continue;
    line.remove_prefix(1);
    if (line.ends_with('|')) line.remove_suffix(1);
    Record record;
    std::size_t start = 0;
    for (;;) {
      auto bar = line.find('|', start);
      record.emplace_back(
          line.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
      if (bar == std::string_view::npos) break;
      start = bar + 1;
    }
    records.push_back(std::move(record));
    line_numbers.push_back(line_number);
  }
  return records;
}

ReadResult to_workbook(const std::vector<Record>& records, const std::vector<int>& row_numbers,
                       const WorkbookLimits& limits) {
  ReadResult result;
  std::size_t cells = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    int row = row_numbers.empty() ? static_cast<int>(i) + 1 : row_numbers[i];
    if (row > limits.max_rows) {
      result.error = "the file has more than " + std::to_string(limits.max_rows) + " rows";
      return result;
    }
    std::string_view first = record.empty() ? std::string_view() : trim(record[0]);
    if (!first.empty()) {
      if (result.workbook.sheets.size() >= limits.max_sheets) {
        result.error = "the file has too many sheets";
        return result;
      }
      result.workbook.sheets.push_back(Sheet{std::string(first), {}});
      continue;
    }
    if (result.workbook.sheets.empty()) continue;  // rows before the first sheet name
    std::vector<Cell> row_cells;
    for (std::size_t c = 1; c < record.size(); ++c) {
      std::string_view value = trim(record[c]);
      if (value.empty()) continue;
      if (static_cast<int>(c) + 1 > limits.max_columns || ++cells > limits.max_cells ||
          value.size() > limits.max_cell_bytes) {
        result.error = "the file is too large";
        return result;
      }
      row_cells.push_back(Cell{row, static_cast<int>(c) + 1, CellType::text, std::string(value)});
    }
    if (!row_cells.empty()) result.workbook.sheets.back().rows.push_back(std::move(row_cells));
  }
  return result;
}

}  // namespace

ReadResult read_csv_workbook(std::string_view text, const WorkbookLimits& limits) {
  if (text.size() > limits.max_total_uncompressed) return ReadResult{{}, "the file is too large"};
  return to_workbook(parse_csv(strip_bom(text)), {}, limits);
}

ReadResult read_markdown_workbook(std::string_view text, const WorkbookLimits& limits) {
  if (text.size() > limits.max_total_uncompressed) return ReadResult{{}, "the file is too large"};
  std::vector<int> line_numbers;
  auto records = parse_markdown(strip_bom(text), line_numbers);
  return to_workbook(records, line_numbers, limits);
}

}  // namespace gotong::forms::xlsform
