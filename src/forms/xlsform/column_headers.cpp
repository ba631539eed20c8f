#include "forms/xlsform/column_headers.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace gotong::forms::xlsform {

namespace {

struct Meaning {
  ColumnKind kind = ColumnKind::extra;
  std::string key;
  std::string language;
};

std::string collapse_spaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : trim(text)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::string> split(std::string_view text, std::string_view separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = text.find(separator, start);
    out.emplace_back(
        trim(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + separator.size();
  }
  return out;
}

// "label:English" style headers split on single colons, but "jr:count" and friends are one name.
std::vector<std::string> tokenize(const std::string& header) {
  if (header.find("::") != std::string::npos) return split(header, "::");
  std::vector<std::string> raw = split(header, ":");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string lower = to_lower_ascii(raw[i]);
    if ((lower == "jr" || lower == "odk" || lower == "orx" || lower == "entities") && i + 1 < raw.size()) {
      out.push_back(raw[i] + ":" + raw[i + 1]);
      ++i;
    } else {
      out.push_back(raw[i]);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t from, std::string_view separator) {
  std::string out;
  for (std::size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += separator;
    out += parts[i];
  }
  return out;
}

// Lower-cased, spaces as underscores: "Constraint Message" -> "constraint_message".
std::string normalize(std::string_view token) {
  std::string out = to_lower_ascii(token);
  std::replace(out.begin(), out.end(), ' ', '_');
  return out;
}

const std::unordered_map<std::string, std::string>& survey_fields() {
  static const std::unordered_map<std::string, std::string> table = {
      {"type", "type"},
      {"command", "type"},
      {"name", "name"},
      {"value", "name"},
      {"tag", "name"},
      {"relevant", "relevant"},
      {"relevance", "relevant"},
      {"constraint", "constraint"},
      {"required", "required"},
      {"read_only", "read_only"},
      {"readonly", "read_only"},
      {"calculation", "calculation"},
      {"calculate", "calculation"},
      {"default", "default"},
      {"appearance", "appearance"},
      {"choice_filter", "choice_filter"},
      {"repeat_count", "repeat_count"},
      {"count", "repeat_count"},
      {"jr:count", "repeat_count"},
      {"parameters", "parameters"},
      {"trigger", "trigger"},
      {"disabled", "disabled"},
      {"autoplay", "autoplay"},
  };
  return table;
}

const std::unordered_map<std::string, std::string>& survey_translated() {
  static const std::unordered_map<std::string, std::string> table = {
      {"label", "label"},
      {"caption", "label"},
      {"hint", "hint"},
      {"guidance_hint", "guidance_hint"},
      {"constraint_message", "constraint_message"},
      {"constraining_message", "constraint_message"},
      {"jr:constraintmsg", "constraint_message"},
      {"required_message", "required_message"},
      {"requiredmsg", "required_message"},
      {"jr:requiredmsg", "required_message"},
      {"image", "image"},
      {"big-image", "big-image"},
      {"big_image", "big-image"},
      {"audio", "audio"},
      {"video", "video"},
  };
  return table;
}

const std::unordered_map<std::string, std::string>& settings_fields() {
  static const std::unordered_map<std::string, std::string> table = {
      {"form_title", "form_title"},
      {"set_form_title", "form_title"},
      {"title", "form_title"},
      {"form_id", "form_id"},
      {"id_string", "form_id"},
      {"set_form_id", "form_id"},
      {"version", "version"},
      {"instance_name", "instance_name"},
      {"default_language", "default_language"},
      {"public_key", "public_key"},
      {"submission_url", "submission_url"},
      {"style", "style"},
      {"name", "name"},
      {"allow_choice_duplicates", "allow_choice_duplicates"},
      {"auto_send", "auto_send"},
      {"auto_delete", "auto_delete"},
      {"namespaces", "namespaces"},
      {"flat", "flat"},
  };
  return table;
}

bool is_media_key(const std::string& key) {
  return key == "image" || key == "big-image" || key == "audio" || key == "video";
}

// A bind:: column naming something the survey sheet also has a plain column for.
std::optional<Meaning> bind_alias(const std::string& attribute) {
  std::string lower = to_lower_ascii(attribute);
  if (lower == "relevant") return Meaning{ColumnKind::field, "relevant", ""};
  if (lower == "required") return Meaning{ColumnKind::field, "required", ""};
  if (lower == "constraint") return Meaning{ColumnKind::field, "constraint", ""};
  if (lower == "readonly") return Meaning{ColumnKind::field, "read_only", ""};
  if (lower == "calculate") return Meaning{ColumnKind::field, "calculation", ""};
  if (lower == "jr:constraintmsg") return Meaning{ColumnKind::translated, "constraint_message", ""};
  if (lower == "jr:requiredmsg") return Meaning{ColumnKind::translated, "required_message", ""};
  if (lower == "jr:noapperrorstring") return Meaning{ColumnKind::bind, "jr:noAppErrorString", ""};
  return std::nullopt;
}

Meaning interpret(const std::string& header, SheetKind sheet) {
  std::vector<std::string> tokens = tokenize(header);
  std::string base = normalize(tokens[0]);
  std::string rest = join(tokens, 1, ":");
  bool has_rest = tokens.size() > 1;

  if (sheet == SheetKind::settings) {
    auto it = settings_fields().find(normalize(header));
    if (it != settings_fields().end()) return {ColumnKind::field, it->second, ""};
    return {ColumnKind::extra, header, ""};
  }

  bool survey = sheet == SheetKind::survey;
  if (base == "media" && has_rest) {
    std::string media = normalize(tokens[1]);
    if (media == "big_image") media = "big-image";
    if (is_media_key(media)) return {ColumnKind::translated, media, join(tokens, 2, ":")};
    return {ColumnKind::extra, header, ""};
  }
  if (survey && base == "bind" && has_rest) {
    if (auto alias = bind_alias(rest)) return *alias;
    return {ColumnKind::bind, rest, ""};
  }
  if (survey && (base == "body" || base == "control") && has_rest) {
    std::string lower = to_lower_ascii(rest);
    if (lower == "appearance") return {ColumnKind::field, "appearance", ""};
    if (lower == "jr:count") return {ColumnKind::field, "repeat_count", ""};
    return {ColumnKind::body, rest, ""};
  }
  if (survey && base == "instance" && has_rest) return {ColumnKind::instance, rest, ""};

  if (survey) {
    std::string whole = normalize(header);
    if (whole == "noapperrorstring" || whole == "no_app_error_string" || whole == "jr:noapperrorstring") {
      return {ColumnKind::bind, "jr:noAppErrorString", ""};
    }
    if (whole == "rows") return {ColumnKind::body, "rows", ""};
    if (auto it = survey_translated().find(base); it != survey_translated().end()) {
      return {ColumnKind::translated, it->second, rest};
    }
    if (!has_rest || base == "jr:count") {
      if (auto it = survey_fields().find(base); it != survey_fields().end()) {
        return {ColumnKind::field, it->second, ""};
      }
    }
    return {ColumnKind::extra, header, ""};
  }

  // choices and external_choices
  if (!has_rest && (base == "list_name" || base == "list" || base == "listname")) {
    return {ColumnKind::field, "list_name", ""};
  }
  if (!has_rest && (base == "name" || base == "value")) return {ColumnKind::field, "name", ""};
  if (base == "label" || base == "caption") return {ColumnKind::translated, "label", rest};
  if (base == "big_image") base = "big-image";
  if (is_media_key(base)) return {ColumnKind::translated, base, rest};
  return {ColumnKind::extra, header, ""};
}

}  // namespace

std::vector<Column> read_header(const std::vector<Cell>& header_row, SheetKind kind,
                                const std::string& sheet_name, Diagnostics& diagnostics) {
  std::vector<Column> columns;
  std::map<std::tuple<int, std::string, std::string>, std::size_t> seen;
  for (const Cell& cell : header_row) {
    std::string header = collapse_spaces(cell.value);
    if (header.empty() || header.starts_with('#')) continue;
    Meaning meaning = interpret(header, kind);
    Column column{cell.column, header, meaning.kind, meaning.key, meaning.language};
    auto id = std::make_tuple(static_cast<int>(meaning.kind),
                              meaning.kind == ColumnKind::extra ? to_lower_ascii(meaning.key) : meaning.key,
                              meaning.language);
    auto [it, inserted] = seen.emplace(id, columns.size());
    if (!inserted) {
      const Column& first = columns[it->second];
      if (iequals(first.header, header)) {
        diagnostics.error(
            sheet_name, cell.row, cell.column,
            "duplicate column '" + header + "' (also column " + column_name(first.column) + ")");
        continue;
      }
      // Two spellings of one column (e.g. "relevant" and "relevance"): like pyxform, a value in
      // the later column wins.
      diagnostics.warning(sheet_name, cell.row, cell.column,
                          "column '" + header + "' means the same as column " + column_name(first.column) +
                              " ('" + first.header + "'); where both have a value, this one is used");
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

const std::string& RowValues::field(const std::string& key) const {
  static const std::string empty;
  auto it = fields.find(key);
  return it == fields.end() ? empty : it->second.text;
}

int RowValues::column_of(const std::string& key) const {
  auto it = fields.find(key);
  if (it != fields.end()) return it->second.column;
  auto t = translated.find(key);
  if (t != translated.end() && !t->second.empty()) return t->second.begin()->second.column;
  return 0;
}

RowValues read_row(const std::vector<Cell>& cells, const std::vector<Column>& columns) {
  RowValues values;
  if (!cells.empty()) values.row = cells.front().row;
  for (const Cell& cell : cells) {
    // Columns are in sheet order (read_header keeps the header row's order), so search.
    auto column = std::lower_bound(columns.begin(), columns.end(), cell.column,
                                   [](const Column& c, int number) { return c.column < number; });
    if (column == columns.end() || column->column != cell.column) continue;
    std::string text(trim(cell.value));
    for (std::size_t pos = text.find("\xC2\xA0"); pos != std::string::npos;
         pos = text.find("\xC2\xA0", pos)) {
      text.replace(pos, 2, " ");
    }
    if (text.empty()) continue;
    RowValues::Value value{std::move(text), cell.column};
    switch (column->kind) {
      case ColumnKind::field:
        values.fields[column->key] = std::move(value);
        break;
      case ColumnKind::translated:
        values.translated[column->key][column->language] = std::move(value);
        break;
      case ColumnKind::bind:
      case ColumnKind::body:
      case ColumnKind::instance:
        values.attributes.emplace_back(&*column, std::move(value));
        break;
      case ColumnKind::extra:
        values.extras.emplace_back(&*column, std::move(value));
        break;
    }
  }
  return values;
}

}  // namespace gotong::forms::xlsform
