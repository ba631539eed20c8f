#include "forms/xlsform/form_checks.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "forms/xlsform/expression_check.hpp"
#include "forms/xlsform/question_types.hpp"
#include "forms/xlsform/references.hpp"
#include "forms/xlsform/settings.hpp"

namespace gotong::forms::xlsform {

namespace {

std::string quote(std::string_view text) { return "'" + std::string(text) + "'"; }

bool is_number(std::string_view text) {
  double value = 0;
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

class FormChecker {
 public:
  FormChecker(const Form& form, const Workbook& workbook, Diagnostics& diagnostics)
      : form_(form), workbook_(workbook), diagnostics_(diagnostics), resolver_(form) {}

  void run() {
    check_children(form_.root);
    if (const std::string& name = form_.settings.instance_name; !name.empty()) {
      int col =
          form_.settings.columns.count("instance_name") ? form_.settings.columns.at("instance_name") : 0;
      if (check_references("settings", form_.settings.row, col, "instance_name", name)) {
        if (auto problem = validate_expression(name)) {
          diagnostics_.error("settings", form_.settings.row, col,
                             "instance_name " + quote(name) +
                                 " is not a valid expression: " + problem->message + " (at character " +
                                 std::to_string(problem->position + 1) + ")");
        }
      }
    }
    for (const ChoiceList& list : form_.choices) {
      for (const Choice& choice : list.choices) {
        for (const auto& [language, text] : choice.label) {
          (void)language;
          check_references("choices", choice.row, 0, "label", text);
        }
      }
    }
  }

 private:
  int column(const Element& e, const std::string& key) const {
    auto it = e.columns.find(key);
    if (it != e.columns.end()) return it->second;
    // translated fields are stored per language
    for (const auto& [k, c] : e.columns) {
      if (k.starts_with(key + "::")) return c;
    }
    return 0;
  }

  void error(const Element& e, int col, std::string message) {
    diagnostics_.error("survey", e.row, col, std::move(message));
  }

  // Names must be unique among the nodes that share a parent in the instance, i.e. unique
  // by path (in flat forms, a group's children share its parent's level).
  void check_children(const Element& parent) {
    for (const Element& child : parent.children) {
      check_name(child, paths_, lower_paths_);
      check_element(child);
      if (child.is_section()) check_children(child);
    }
  }

  void check_name(const Element& e, std::map<std::string, const Element*>& paths,
                  std::map<std::string, const Element*>& lower_paths) {
    if (e.name.empty()) return;  // reported while reading the row
    if (!is_valid_name(e.name)) {
      error(e, column(e, "name"),
            "invalid name " + quote(e.name) +
                ": a name must start with a letter or '_' and hold only letters, digits, '-', '_' or '.'");
      return;
    }
    auto [it, inserted] = paths.emplace(e.path, &e);
    if (!inserted) {
      error(e, column(e, "name"),
            "duplicate name " + quote(e.name) + " (already used on row " + std::to_string(it->second->row) +
                " in the same group)");
      return;
    }
    auto [lit, linserted] = lower_paths.emplace(to_lower_ascii(e.path), &e);
    if (!linserted) {
      diagnostics_.warning("survey", e.row, column(e, "name"),
                           "name " + quote(e.name) + " differs only in case from " +
                               quote(lit->second->name) + " on row " + std::to_string(lit->second->row));
    }
  }

  void check_element(const Element& e) {
    const int type_column = column(e, "type");
    if (e.is_section()) {
      if (!e.required.empty() && e.required != "false()") {
        error(e, column(e, "required"),
              "groups and repeats cannot be required; put 'required' on the questions inside");
      }
    } else {
      check_question(e, type_column);
    }
    check_expression(e, "relevant", e.relevant);
    check_expression(e, "constraint", e.constraint);
    check_expression(e, "calculation", e.calculation);
    if (e.required != "true()" && e.required != "false()") check_expression(e, "required", e.required);
    if (e.read_only != "true()" && e.read_only != "false()") check_expression(e, "read_only", e.read_only);
    check_expression(e, "choice_filter", e.choice_filter);
    if (!e.generated) check_expression(e, "repeat_count", e.repeat_count);
    if (is_dynamic_default(e.default_value)) check_expression(e, "default", e.default_value);
    check_trigger(e);
    check_texts(e, "label", e.label);
    check_texts(e, "hint", e.hint);
    check_texts(e, "guidance_hint", e.guidance_hint);
    check_texts(e, "constraint_message", e.constraint_message);
    check_texts(e, "required_message", e.required_message);
    for (const auto& [name, value] : e.bind_attributes)
      check_references("survey", e.row, column(e, "bind::" + name), name, value);
    for (const auto& [name, value] : e.body_attributes)
      check_references("survey", e.row, column(e, "body::" + name), name, value);
    for (const auto& [name, value] : e.instance_attributes) {
      check_references("survey", e.row, column(e, "instance::" + name), name, value);
    }
  }

  void check_question(const Element& e, int type_column) {
    const TypeInfo& info = type_info(e.type);
    if (uses_choice_list(e.type)) {
      if (form_.find_list(e.list_name) == nullptr) error(e, type_column, missing_list_message(e, "choices"));
    }
    if (e.type == QuestionType::select_one_external) {
      bool found = std::any_of(form_.external_choices.begin(), form_.external_choices.end(),
                               [&](const ChoiceList& l) { return l.name == e.list_name; });
      if (!found) error(e, type_column, missing_list_message(e, "external_choices"));
    }
    if (e.type == QuestionType::select_one_from_file || e.type == QuestionType::select_multiple_from_file) {
      std::string lower = to_lower_ascii(e.itemset_file);
      if (!lower.ends_with(".csv") && !lower.ends_with(".xml") && !lower.ends_with(".geojson")) {
        error(e, type_column,
              "the file of " + quote(e.name) + " must end in .csv, .xml or .geojson, not " +
                  quote(e.itemset_file));
      }
    }
    if (e.type == QuestionType::calculate && e.calculation.empty() && e.default_value.empty() &&
        e.trigger.empty()) {
      int col = column(e, "calculation");
      error(e, col != 0 ? col : type_column, "calculate " + quote(e.name) + " has no calculation");
    }
    if (!info.control.empty() && !e.generated && e.label.empty() && e.hint.empty() &&
        e.guidance_hint.empty() && e.media.empty()) {
      int col = column(e, "label");
      error(e, col != 0 ? col : column(e, "name"), "question " + quote(e.name) + " has no label or hint");
    }
    check_parameters(e);
  }

  std::string missing_list_message(const Element& e, const std::string& sheet) {
    std::string message =
        "list " + quote(e.list_name) + " used by " + quote(e.name) + " is not in the " + sheet + " sheet";
    if (workbook_.find_sheet(sheet) == nullptr) {
      message =
          "list " + quote(e.list_name) + " used by " + quote(e.name) + " needs a sheet named " + quote(sheet);
      for (const Sheet& s : workbook_.sheets) {
        std::string lower = to_lower_ascii(s.name);
        if (lower != sheet && lower.find(sheet.substr(0, 6)) != std::string::npos) {
          message += " (is sheet " + quote(s.name) + " meant to be " + quote(sheet) + "?)";
          break;
        }
      }
    }
    return message;
  }

  void check_parameters(const Element& e) {
    if (e.parameters.empty()) return;
    std::set<std::string> accepted;
    switch (e.type) {
      case QuestionType::range:
        accepted = {"start", "end", "step"};
        break;
      case QuestionType::image:
        accepted = {"max-pixels", "app"};
        break;
      case QuestionType::audio:
      case QuestionType::background_audio:
        accepted = {"quality"};
        break;
      case QuestionType::select_one:
      case QuestionType::select_multiple:
      case QuestionType::rank:
        accepted = {"randomize", "seed"};
        break;
      case QuestionType::select_one_from_file:
      case QuestionType::select_multiple_from_file:
        accepted = {"randomize", "seed", "value", "label"};
        break;
      case QuestionType::geopoint:
        accepted = {"capture-accuracy", "warning-accuracy", "allow-mock-accuracy"};
        break;
      case QuestionType::geotrace:
      case QuestionType::geoshape:
        accepted = {"allow-mock-accuracy", "incremental"};
        break;
      case QuestionType::audit:
        accepted = {"location-priority", "location-min-interval", "location-max-age",
                    "track-changes",     "identify-user",         "track-changes-reasons"};
        break;
      default:
        break;
    }
    const int col = column(e, "parameters");
    bool randomize = false, seed = false;
    for (const auto& [name, value] : e.parameters) {
      if (!accepted.count(name)) {
        std::string list;
        for (const std::string& a : accepted) list += (list.empty() ? "" : ", ") + a;
        error(e, col,
              "parameter " + quote(name) + " is not accepted by type " + quote(type_name(e.type)) +
                  (list.empty() ? std::string(" (it takes no parameters)") : " (accepted: " + list + ")"));
        continue;
      }
      if ((name == "start" || name == "end" || name == "step" || name == "max-pixels" ||
           name == "capture-accuracy" || name == "warning-accuracy" || name == "location-min-interval" ||
           name == "location-max-age") &&
          !is_number(value)) {
        error(e, col, "parameter " + quote(name) + " must be a number, not " + quote(value));
      }
      if (name == "step" && is_number(value) && std::stod(value) == 0)
        error(e, col, "parameter 'step' cannot be 0");
      if (name == "randomize") {
        auto yes = parse_yes_no(value);
        if (!yes) error(e, col, "parameter 'randomize' must be true or false, not " + quote(value));
        randomize = yes.value_or(false);
      }
      if (name == "seed") {
        seed = true;
        check_references("survey", e.row, col, "seed", value);
      }
    }
    if (seed && !randomize) error(e, col, "parameter 'seed' needs randomize=true");
  }

  void check_trigger(const Element& e) {
    if (e.trigger.empty()) return;
    const int col = column(e, "trigger");
    ReferenceScan scan = scan_references(e.trigger);
    if (scan.references.empty() && !scan.malformed) {
      error(e, col, "trigger " + quote(e.trigger) + " must name questions as ${name}");
      return;
    }
    if (!check_references("survey", e.row, col, "trigger", e.trigger)) return;
    for (const ReferenceToken& token : scan.references) {
      const Element* target = resolver_.lookup(token.name).front();
      if (target->kind != ElementKind::question || type_info(target->type).control.empty()) {
        error(e, col,
              "trigger ${" + token.name +
                  "} must be a question shown on screen (it fires when its value changes)");
      }
    }
  }

  void check_texts(const Element& e, const std::string& field, const LocalizedText& texts) {
    for (const auto& [language, text] : texts) {
      auto it = e.columns.find(field + "::" + language);
      check_references("survey", e.row, it != e.columns.end() ? it->second : 0, field, text);
    }
  }

  // Every ${name} must name exactly one element. Returns false when a problem was reported.
  bool check_references(const std::string& sheet, int row, int col, const std::string& field,
                        std::string_view text) {
    if (text.find("${") == std::string_view::npos) return true;
    ReferenceScan scan = scan_references(text);
    bool ok = true;
    if (scan.malformed) {
      diagnostics_.error(sheet, row, col,
                         "bad reference in " + field + ": " + scan.malformed->message + " (at character " +
                             std::to_string(scan.malformed->position + 1) + ")");
      ok = false;
    }
    for (const ReferenceToken& token : scan.references) {
      const auto& found = resolver_.lookup(token.name);
      if (found.empty()) {
        diagnostics_.error(sheet, row, col,
                           "${" + token.name + "} in " + field + " does not name any question");
        ok = false;
      } else if (found.size() > 1) {
        std::string rows;
        for (const Element* f : found) rows += (rows.empty() ? "" : ", ") + std::to_string(f->row);
        diagnostics_.error(sheet, row, col,
                           "${" + token.name + "} in " + field +
                               " is ambiguous: " + std::to_string(found.size()) + " elements are named " +
                               quote(token.name) + " (rows " + rows + ")");
        ok = false;
      }
    }
    return ok;
  }

  void check_expression(const Element& e, const std::string& field, const std::string& text) {
    if (text.empty()) return;
    const int col = column(e, field);
    if (!check_references("survey", e.row, col, field, text)) return;
    if (auto problem = validate_expression(text)) {
      error(e, col,
            field + " " + quote(text) + " is not a valid expression: " + problem->message +
                " (at character " + std::to_string(problem->position + 1) + ")");
    }
  }

  const Form& form_;
  const Workbook& workbook_;
  Diagnostics& diagnostics_;
  ReferenceResolver resolver_;
  std::map<std::string, const Element*> paths_;
  std::map<std::string, const Element*> lower_paths_;
};

}  // namespace

bool is_dynamic_default(std::string_view value) {
  if (value.find("${") != std::string_view::npos) return true;
  // A function call: a name directly (or after spaces) followed by '('.
  for (std::size_t i = value.find('('); i != std::string_view::npos; i = value.find('(', i + 1)) {
    std::size_t j = i;
    while (j > 0 && value[j - 1] == ' ') --j;
    if (j > 0) {
      char c = value[j - 1];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        return true;
    }
  }
  return false;
}

void check_form(const Form& form, const Workbook& workbook, Diagnostics& diagnostics) {
  FormChecker(form, workbook, diagnostics).run();
}

}  // namespace gotong::forms::xlsform
