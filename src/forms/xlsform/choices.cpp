#include "forms/xlsform/choices.hpp"

#include <map>

#include "forms/xlsform/column_headers.hpp"
#include "forms/xlsform/references.hpp"

namespace gotong::forms::xlsform {

namespace {

void put_translated(LocalizedText& target, const std::map<std::string, RowValues::Value>& values,
                    const std::string& default_language) {
  for (const auto& [language, value] : values) {
    target[language.empty() ? default_language : language] = value.text;
  }
}

}  // namespace

std::vector<ChoiceList> read_choices(const Sheet& sheet, const std::string& sheet_label,
                                     const std::string& default_language, bool allow_duplicates,
                                     Diagnostics& diagnostics) {
  std::vector<ChoiceList> lists;
  if (sheet.rows.empty()) return lists;
  const int header_row = sheet.rows[0].front().row;
  std::vector<Column> columns = read_header(sheet.rows[0], SheetKind::choices, sheet_label, diagnostics);
  bool has_list_name = false, has_name = false;
  for (const Column& c : columns) {
    if (c.kind == ColumnKind::extra && !is_valid_name(c.header)) {
      diagnostics.warning(
          sheet_label, header_row, c.column,
          "column '" + c.header +
              "' is ignored: a choice property name may hold only letters, digits, '_', '-' or '.'");
    }
    has_list_name |= c.kind == ColumnKind::field && c.key == "list_name";
    has_name |= c.kind == ColumnKind::field && c.key == "name";
  }
  if (!has_list_name || !has_name) {
    if (sheet.rows.size() > 1) {
      diagnostics.error(sheet_label, header_row, 0,
                        std::string("the ") + sheet_label + " sheet needs a '" +
                            (has_list_name ? "name" : "list_name") + "' column");
    }
    return lists;
  }
  std::map<std::string, std::size_t> list_index;
  std::map<std::pair<std::string, std::string>, int> seen;  // (list, choice) -> first row
  for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
    RowValues values = read_row(sheet.rows[r], columns);
    if (values.empty()) continue;
    const std::string& list_name = values.field("list_name");
    const std::string& name = values.field("name");
    if (list_name.starts_with('#')) continue;  // a comment row
    if (list_name.empty()) {
      diagnostics.error(sheet_label, values.row, values.column_of("name"),
                        "choice '" + name + "' has no list_name");
      continue;
    }
    if (name.empty()) {
      diagnostics.error(sheet_label, values.row, values.column_of("list_name"),
                        "choice in list '" + list_name + "' has no name");
      continue;
    }
    auto [it, inserted] = seen.emplace(std::make_pair(list_name, name), values.row);
    if (!inserted && !allow_duplicates) {
      diagnostics.error(sheet_label, values.row, values.column_of("name"),
                        "duplicate choice name '" + name + "' in list '" + list_name + "' (first on row " +
                            std::to_string(it->second) +
                            "); set allow_choice_duplicates to yes in the settings sheet to allow it");
      continue;
    }
    if (list_name.find_first_of("'\"") != std::string::npos) {
      diagnostics.error(sheet_label, values.row, values.column_of("list_name"),
                        "list name '" + list_name + "' cannot contain quotes");
      continue;
    }
    auto [li, new_list] = list_index.emplace(list_name, lists.size());
    if (new_list) lists.push_back(ChoiceList{list_name, {}, values.row});
    Choice choice;
    choice.name = name;
    choice.row = values.row;
    for (const auto& [key, by_language] : values.translated) {
      if (key == "label")
        put_translated(choice.label, by_language, default_language);
      else if (key == "image")
        put_translated(choice.media.image, by_language, default_language);
      else if (key == "big-image")
        put_translated(choice.media.big_image, by_language, default_language);
      else if (key == "audio")
        put_translated(choice.media.audio, by_language, default_language);
      else if (key == "video")
        put_translated(choice.media.video, by_language, default_language);
    }
    for (const auto& [column, value] : values.extras) {
      if (is_valid_name(column->header)) choice.extra.emplace_back(column->header, value.text);
    }
    lists[li->second].choices.push_back(std::move(choice));
  }
  return lists;
}

}  // namespace gotong::forms::xlsform
