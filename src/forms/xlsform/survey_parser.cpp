#include "forms/xlsform/survey_parser.hpp"

#include <algorithm>
#include <map>

#include "forms/xlsform/column_headers.hpp"
#include "forms/xlsform/question_types.hpp"
#include "forms/xlsform/references.hpp"
#include "forms/xlsform/settings.hpp"

namespace gotong::forms::xlsform {

namespace {

using Structure = ParsedType::Structure;

constexpr std::string_view kPhoneNumberConstraint = "regex(., '^\\d*$')";
// Deeper nesting is refused: every later stage recurses over the tree, and real forms stay
// far below this.
constexpr std::size_t kMaxNesting = 64;
// Loops copy their questions once per choice; this bounds what one loop may create.
constexpr std::size_t kMaxLoopElements = 20000;

// A group, repeat or loop still open while rows are read.
struct OpenSection {
  Element element;
  Structure kind = Structure::begin_group;
  std::string loop_list;
};

class SurveyReader {
 public:
  SurveyReader(std::string sheet_label, std::string default_language, const std::vector<ChoiceList>& choices,
               Diagnostics& diagnostics)
      : sheet_(std::move(sheet_label)),
        default_language_(std::move(default_language)),
        choices_(choices),
        diagnostics_(diagnostics) {}

  std::vector<Element> read(const Sheet& sheet);

 private:
  // Returns false when reading must stop (nesting too deep).
  bool read_row(const RowValues& values, int type_column);
  void fill(Element& element, const RowValues& values);
  void put_translated(Element& element, const std::string& key, LocalizedText& target,
                      const RowValues& values);
  void add(Element element);
  void close(Structure end, const RowValues& values, int type_column);
  void finish_section(OpenSection section);
  void apply_table_list(Element& group);
  void expand_loop(Element& loop, const std::string& list_name);
  void error(int row, int column, std::string message) {
    diagnostics_.error(sheet_, row, column, std::move(message));
  }

  std::string sheet_;
  std::string default_language_;
  const std::vector<ChoiceList>& choices_;
  Diagnostics& diagnostics_;
  // Column of a header key, for pointing at an empty cell ("name" when the name is missing).
  int header_column(const std::string& key) const {
    auto it = header_columns_.find(key);
    return it == header_columns_.end() ? 0 : it->second;
  }

  std::vector<Element> top_;
  std::vector<OpenSection> open_;
  std::map<std::string, int> header_columns_;
};

std::string structure_word(Structure s) {
  switch (s) {
    case Structure::begin_group:
    case Structure::end_group:
      return "group";
    case Structure::begin_repeat:
    case Structure::end_repeat:
      return "repeat";
    case Structure::begin_loop:
    case Structure::end_loop:
      return "loop";
    case Structure::none:
      return "";
  }
  return "";
}

std::string normalize_yes_no_expression(const std::string& text) {
  auto yes = parse_yes_no(text);
  if (!yes) return text;
  return *yes ? "true()" : "false()";
}

bool is_single_reference(std::string_view text) {
  text = trim(text);
  ReferenceScan scan = scan_references(text);
  return !scan.malformed && scan.references.size() == 1 && scan.references[0].position == 0 &&
         scan.references[0].length == text.size() && !scan.references[0].last_saved;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

}  // namespace

Attributes parse_parameters(std::string_view text, std::string* error) {
  Attributes out;
  std::string normalized(text);
  // "start = 0" is written by hand often enough to accept it.
  for (std::size_t pos; (pos = normalized.find(" =")) != std::string::npos;) normalized.erase(pos, 1);
  for (std::size_t pos; (pos = normalized.find("= ")) != std::string::npos;) normalized.erase(pos + 1, 1);
  std::size_t i = 0;
  auto is_separator = [](char c) {
    return c == ' ' || c == ';' || c == ',' || c == '\t' || c == '\n' || c == '\r';
  };
  while (i < normalized.size()) {
    while (i < normalized.size() && is_separator(normalized[i])) ++i;
    std::size_t start = i;
    while (i < normalized.size() && !is_separator(normalized[i])) ++i;
    if (i == start) break;
    std::string item = normalized.substr(start, i - start);
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      if (error != nullptr && error->empty())
        *error = "parameter '" + item + "' is not written as name=value";
      continue;
    }
    out.emplace_back(to_lower_ascii(item.substr(0, eq)), item.substr(eq + 1));
  }
  return out;
}

std::vector<Element> SurveyReader::read(const Sheet& sheet) {
  if (sheet.rows.empty()) {
    error(1, 0, "the survey sheet is empty");
    return {};
  }
  std::vector<Column> columns = read_header(sheet.rows[0], SheetKind::survey, sheet_, diagnostics_);
  for (const Column& c : columns) {
    if (c.kind == ColumnKind::field || c.kind == ColumnKind::translated)
      header_columns_.emplace(c.key, c.column);
  }
  const int type_column = header_column("type");
  if (type_column == 0) {
    error(sheet.rows[0].front().row, 0, "the survey sheet has no 'type' column");
    return {};
  }
  for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
    RowValues values = xlsform::read_row(sheet.rows[r], columns);
    if (values.empty()) continue;
    if (!read_row(values, type_column)) break;
  }
  while (!open_.empty()) {
    OpenSection section = std::move(open_.back());
    open_.pop_back();
    error(section.element.row, section.element.columns["type"],
          structure_word(section.kind) + " '" + section.element.name + "' is never closed (no 'end " +
              structure_word(section.kind) + "')");
    finish_section(std::move(section));
  }
  return std::move(top_);
}

bool SurveyReader::read_row(const RowValues& values, int type_column) {
  if (auto disabled = parse_yes_no(values.field("disabled")); disabled && *disabled) return true;
  const std::string& type_text = values.field("type");
  if (type_text.starts_with('#')) return true;  // a comment row
  if (type_text.empty()) {
    if (!values.field("name").empty()) {
      error(values.row, type_column, "question '" + values.field("name") + "' has no type");
    } else {
      diagnostics_.warning(sheet_, values.row, 0, "row without a type or name is skipped");
    }
    return true;
  }
  std::optional<ParsedType> parsed = parse_type(type_text);
  if (!parsed) {
    error(values.row, type_column, "unknown question type '" + type_text + "'");
    return true;
  }
  if (!parsed->error.empty()) error(values.row, type_column, parsed->error);

  switch (parsed->structure) {
    case Structure::begin_group:
    case Structure::begin_repeat:
    case Structure::begin_loop: {
      if (open_.size() >= kMaxNesting) {
        error(values.row, type_column,
              "groups and repeats are nested more than " + std::to_string(kMaxNesting) +
                  " deep; the rest of the survey is not read");
        return false;
      }
      OpenSection section;
      section.kind = parsed->structure;
      section.loop_list = parsed->list_name;
      section.element.kind =
          parsed->structure == Structure::begin_repeat ? ElementKind::repeat : ElementKind::group;
      fill(section.element, values);
      if (section.element.name.empty()) {
        int column = header_column("name");
        error(values.row, column != 0 ? column : type_column,
              structure_word(parsed->structure) + " has no name");
      }
      open_.push_back(std::move(section));
      return true;
    }
    case Structure::end_group:
    case Structure::end_repeat:
    case Structure::end_loop:
      close(parsed->structure, values, type_column);
      return true;
    case Structure::none:
      break;
  }
  if (!parsed->error.empty()) return true;

  Element element;
  element.kind = ElementKind::question;
  element.type = parsed->type;
  element.or_other = parsed->or_other;
  if (parsed->type == QuestionType::select_one_from_file ||
      parsed->type == QuestionType::select_multiple_from_file) {
    element.itemset_file = parsed->list_name;
  } else {
    element.list_name = parsed->list_name;
  }
  fill(element, values);
  if (to_lower_ascii(type_text) == "phone number" && element.constraint.empty()) {
    element.constraint = kPhoneNumberConstraint;
  }
  if (element.name.empty()) {
    if (parsed->type == QuestionType::note) {
      element.name = "generated_note_name_" + std::to_string(values.row);
    } else {
      int column = header_column("name");
      error(values.row, column != 0 ? column : type_column,
            "question of type '" + type_text + "' has no name");
    }
  }
  if (parsed->type == QuestionType::xml_external || parsed->type == QuestionType::csv_external) {
    element.itemset_file = element.name;
  }
  bool or_other = element.or_other;
  std::string select_name = element.name;
  LocalizedText select_label = element.label;
  add(std::move(element));
  if (or_other) {
    Element other;
    other.kind = ElementKind::question;
    other.type = QuestionType::text;
    other.type_text = "text";
    other.name = select_name + "_other";
    other.row = values.row;
    other.generated = true;
    for (const auto& [language, text] : select_label) {
      (void)text;
      other.label[language] = "Specify other.";
    }
    if (other.label.empty()) other.label[default_language_] = "Specify other.";
    other.relevant = "selected(../" + select_name + ", 'other')";
    add(std::move(other));
  }
  return true;
}

void SurveyReader::put_translated(Element& element, const std::string& key, LocalizedText& target,
                                  const RowValues& values) {
  auto it = values.translated.find(key);
  if (it == values.translated.end()) return;
  for (const auto& [language, value] : it->second) {
    std::string lang = language.empty() ? default_language_ : language;
    target[lang] = value.text;
    element.columns[key + "::" + lang] = value.column;
  }
}

void SurveyReader::fill(Element& element, const RowValues& values) {
  element.row = values.row;
  // Header columns first, so a missing value can be reported at its (empty) cell.
  element.columns = header_columns_;
  for (const auto& [key, value] : values.fields) element.columns[key] = value.column;
  element.type_text = values.field("type");
  element.name = values.field("name");
  put_translated(element, "label", element.label, values);
  put_translated(element, "hint", element.hint, values);
  put_translated(element, "guidance_hint", element.guidance_hint, values);
  put_translated(element, "constraint_message", element.constraint_message, values);
  put_translated(element, "required_message", element.required_message, values);
  put_translated(element, "image", element.media.image, values);
  put_translated(element, "big-image", element.media.big_image, values);
  put_translated(element, "audio", element.media.audio, values);
  put_translated(element, "video", element.media.video, values);
  element.relevant = values.field("relevant");
  element.constraint = values.field("constraint");
  element.required = normalize_yes_no_expression(values.field("required"));
  element.read_only = normalize_yes_no_expression(values.field("read_only"));
  element.calculation = values.field("calculation");
  element.default_value = values.field("default");
  element.trigger = values.field("trigger");
  element.choice_filter = values.field("choice_filter");
  element.repeat_count = values.field("repeat_count");
  element.appearance = values.field("appearance");
  element.autoplay = values.field("autoplay");
  if (const std::string& parameters = values.field("parameters"); !parameters.empty()) {
    std::string problem;
    element.parameters = parse_parameters(parameters, &problem);
    if (!problem.empty()) error(values.row, values.column_of("parameters"), problem);
  }
  for (const auto& [column, value] : values.attributes) {
    element.columns[std::string(column->kind == ColumnKind::bind   ? "bind::"
                                : column->kind == ColumnKind::body ? "body::"
                                                                   : "instance::") +
                    column->key] = value.column;
    switch (column->kind) {
      case ColumnKind::bind:
        element.bind_attributes.emplace_back(column->key, value.text);
        break;
      case ColumnKind::body:
        element.body_attributes.emplace_back(column->key, value.text);
        break;
      case ColumnKind::instance:
        element.instance_attributes.emplace_back(column->key, value.text);
        break;
      default:
        break;
    }
  }
}

void SurveyReader::add(Element element) {
  if (open_.empty()) {
    top_.push_back(std::move(element));
  } else {
    open_.back().element.children.push_back(std::move(element));
  }
}

void SurveyReader::close(Structure end, const RowValues& values, int type_column) {
  std::string word = structure_word(end);
  if (open_.empty()) {
    error(values.row, type_column, "'end " + word + "' without a matching 'begin " + word + "'");
    return;
  }
  OpenSection section = std::move(open_.back());
  open_.pop_back();
  if (structure_word(section.kind) != word) {
    error(values.row, type_column,
          "'end " + word + "' closes " + structure_word(section.kind) + " '" + section.element.name +
              "' begun on row " + std::to_string(section.element.row) + "; expected 'end " +
              structure_word(section.kind) + "'");
  }
  finish_section(std::move(section));
}

void SurveyReader::finish_section(OpenSection section) {
  Element& element = section.element;
  if (section.kind == Structure::begin_loop) expand_loop(element, section.loop_list);
  if (element.kind == ElementKind::group && element.appearance.find("table-list") != std::string::npos) {
    apply_table_list(element);
  }
  if (element.kind == ElementKind::repeat && !element.repeat_count.empty() &&
      !is_single_reference(element.repeat_count)) {
    // pyxform turns a constant or expression count into a calculate node named <repeat>_count.
    Element count;
    count.kind = ElementKind::question;
    count.type = QuestionType::calculate;
    count.type_text = "calculate";
    count.name = element.name + "_count";
    count.row = element.row;
    count.calculation = element.repeat_count;
    count.read_only = "true()";
    count.generated = true;
    count.columns["calculation"] = element.columns["repeat_count"];
    element.repeat_count = "${" + count.name + "}";
    add(std::move(count));
  }
  add(std::move(element));
}

// pyxform's table-list: a field-list whose selects share one list, drawn as a grid. The group
// label moves into a generated note, a label-only select heads the table and every select
// shows its choices without labels.
void SurveyReader::apply_table_list(Element& group) {
  replace_all(group.appearance, "table-list", "field-list");
  const Element* first_select = nullptr;
  for (const Element& child : group.children) {
    if (child.kind == ElementKind::question &&
        (child.type == QuestionType::select_one || child.type == QuestionType::select_multiple)) {
      first_select = &child;
      break;
    }
  }
  std::vector<Element> prefix;
  if (!group.label.empty() || !group.hint.empty()) {
    Element note;
    note.kind = ElementKind::question;
    note.type = QuestionType::note;
    note.type_text = "note";
    note.name = "generated_table_list_label_" + std::to_string(group.row);
    note.row = group.row;
    note.label = std::move(group.label);
    note.hint = std::move(group.hint);
    note.generated = true;
    group.label.clear();
    group.hint.clear();
    prefix.push_back(std::move(note));
  }
  if (first_select != nullptr) {
    Element header;
    header.kind = ElementKind::question;
    header.type = first_select->type;
    header.type_text = first_select->type_text;
    header.list_name = first_select->list_name;
    header.name = "reserved_name_for_field_list_labels_" + std::to_string(first_select->row);
    header.row = first_select->row;
    header.label[default_language_] = "";
    header.appearance = "label";
    header.generated = true;
    const std::string list = first_select->list_name;
    for (Element& child : group.children) {
      if (child.kind != ElementKind::question) continue;
      if (child.type == QuestionType::select_one || child.type == QuestionType::select_multiple) {
        if (child.list_name != list) {
          error(child.row, child.columns["type"],
                "in table-list group '" + group.name + "' every select must use the same list ('" + list +
                    "'), not '" + child.list_name + "'");
        }
        child.appearance = "list-nolabel";
      }
    }
    prefix.push_back(std::move(header));
  }
  group.children.insert(group.children.begin(), std::make_move_iterator(prefix.begin()),
                        std::make_move_iterator(prefix.end()));
}

// "begin loop over list": one group per choice, the children repeated inside each, with
// %(label)s / %(name)s in their labels and hints replaced by the choice's.
void SurveyReader::expand_loop(Element& loop, const std::string& list_name) {
  const ChoiceList* list = nullptr;
  for (const ChoiceList& l : choices_) {
    if (l.name == list_name) list = &l;
  }
  if (list == nullptr) {
    if (!list_name.empty()) {
      error(loop.row, loop.columns["type"],
            "loop over list '" + list_name + "', which is not in the choices sheet");
    }
    return;
  }
  std::size_t per_choice = 1;
  for_each_element(loop, [&](const Element&) { ++per_choice; });
  if (per_choice * list->choices.size() > kMaxLoopElements) {
    error(
        loop.row, loop.columns["type"],
        "loop '" + loop.name + "' would create more than " + std::to_string(kMaxLoopElements) + " elements");
    return;
  }
  std::vector<Element> template_children = std::move(loop.children);
  loop.children.clear();
  for (const Choice& choice : list->choices) {
    Element group;
    group.kind = ElementKind::group;
    group.name = choice.name;
    group.row = loop.row;
    group.label = choice.label;
    group.generated = true;
    group.children = template_children;
    struct Substitute {
      const Choice& choice;
      const std::string& default_language;
      void text(LocalizedText& texts) {
        for (auto& [language, value] : texts) {
          auto label = choice.label.find(language);
          if (label == choice.label.end()) label = choice.label.find(default_language);
          replace_all(value, "%(label)s", label != choice.label.end() ? label->second : choice.name);
          replace_all(value, "%(name)s", choice.name);
        }
      }
      void operator()(Element& element) {
        text(element.label);
        text(element.hint);
        for (Element& child : element.children) (*this)(child);
      }
    };
    Substitute substitute{choice, default_language_};
    for (Element& child : group.children) substitute(child);
    loop.children.push_back(std::move(group));
  }
}

std::vector<Element> read_survey(const Sheet& sheet, const std::string& sheet_label,
                                 const std::string& default_language, const std::vector<ChoiceList>& choices,
                                 Diagnostics& diagnostics) {
  SurveyReader reader(sheet_label, default_language, choices, diagnostics);
  return reader.read(sheet);
}

}  // namespace gotong::forms::xlsform
