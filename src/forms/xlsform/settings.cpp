#include "forms/xlsform/settings.hpp"

#include "forms/xlsform/column_headers.hpp"

namespace gotong::forms::xlsform {

std::optional<bool> parse_yes_no(std::string_view text) {
  std::string lower = to_lower_ascii(trim(text));
  if (lower == "yes" || lower == "true" || lower == "true()") return true;
  if (lower == "no" || lower == "false" || lower == "false()") return false;
  return std::nullopt;
}

Settings read_settings(const Sheet* sheet, Diagnostics& diagnostics) {
  Settings settings;
  if (sheet == nullptr || sheet->rows.empty()) return settings;
  std::vector<Column> columns = read_header(sheet->rows[0], SheetKind::settings, "settings", diagnostics);
  if (sheet->rows.size() < 2) return settings;
  if (sheet->rows.size() > 2) {
    diagnostics.warning("settings", sheet->rows[2].front().row, 0,
                        "only the first row of values in the settings sheet is used");
  }
  RowValues values = read_row(sheet->rows[1], columns);
  settings.row = values.row;
  for (const auto& [key, value] : values.fields) {
    settings.columns[key] = value.column;
    const std::string& v = value.text;
    if (key == "form_title")
      settings.form_title = v;
    else if (key == "form_id")
      settings.form_id = v;
    else if (key == "version")
      settings.version = v;
    else if (key == "instance_name")
      settings.instance_name = v;
    else if (key == "default_language")
      settings.default_language = v;
    else if (key == "public_key")
      settings.public_key = v;
    else if (key == "submission_url")
      settings.submission_url = v;
    else if (key == "style")
      settings.style = v;
    else if (key == "name")
      settings.name = v;
    else if (key == "auto_send")
      settings.auto_send = v;
    else if (key == "auto_delete")
      settings.auto_delete = v;
    else if (key == "namespaces")
      settings.namespaces = v;
    else if (key == "flat")
      settings.flat = parse_yes_no(v).value_or(false);
    else if (key == "allow_choice_duplicates") {
      auto yes = parse_yes_no(v);
      if (!yes) {
        diagnostics.error("settings", values.row, value.column,
                          "allow_choice_duplicates must be yes or no, not '" + v + "'");
      }
      settings.allow_choice_duplicates = yes.value_or(false);
    }
  }
  for (const auto& [column, value] : values.extras) settings.other.emplace_back(column->header, value.text);
  return settings;
}

}  // namespace gotong::forms::xlsform
