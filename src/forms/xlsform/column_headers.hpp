// Understands the header row of an XLSForm sheet: case-insensitive names, the aliases pyxform
// accepts ("caption", "constraint message", "bind:jr:constraintMsg"...), "::" or ":" language
// and media suffixes, and bind::/body::/instance:: attribute columns.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "forms/xlsform/diagnostics.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

enum class SheetKind { survey, choices, settings, external_choices };

enum class ColumnKind {
  field,       // a plain column: key "type", "name", "relevant", "list_name"...
  translated,  // may carry a language: key "label", "hint", "image", "audio"...
  bind,        // key is the bind attribute, e.g. "jr:noAppErrorString", "saveIncomplete"
  body,        // key is the body attribute, e.g. "rows", "autoplay"
  instance,    // key is the instance attribute
  extra,       // not an XLSForm column: kept by its header (choice filter columns, notes)
};

struct Column {
  int column = 0;      // 1-based sheet column
  std::string header;  // as written, trimmed
  ColumnKind kind = ColumnKind::extra;
  std::string key;
  std::string language;  // translated columns only; "" when none given
};

// Interprets the header row, in column order. Comment columns ("#...") and empty headers are
// dropped; two columns with the same header are an error.
std::vector<Column> read_header(const std::vector<Cell>& header_row, SheetKind kind,
                                const std::string& sheet_name, Diagnostics& diagnostics);

// A data row seen through its sheet's columns.
struct RowValues {
  int row = 0;
  struct Value {
    std::string text;
    int column = 0;
  };
  std::map<std::string, Value> fields;                             // field columns
  std::map<std::string, std::map<std::string, Value>> translated;  // key -> language -> text
  std::vector<std::pair<const Column*, Value>> attributes;         // bind/body/instance
  std::vector<std::pair<const Column*, Value>> extras;             // extra columns

  bool empty() const { return fields.empty() && translated.empty() && attributes.empty() && extras.empty(); }
  // The trimmed text of a field column, or "" when absent.
  const std::string& field(const std::string& key) const;
  // The column of a field, or 0 when absent.
  int column_of(const std::string& key) const;
};

// Cell text is trimmed and non-breaking spaces become plain spaces, as pyxform does.
RowValues read_row(const std::vector<Cell>& cells, const std::vector<Column>& columns);

}  // namespace gotong::forms::xlsform
