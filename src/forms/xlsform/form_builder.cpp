#include "forms/xlsform/form_builder.hpp"

#include <algorithm>

#include "forms/xlsform/choices.hpp"
#include "forms/xlsform/form_checks.hpp"
#include "forms/xlsform/references.hpp"
#include "forms/xlsform/settings.hpp"
#include "forms/xlsform/survey_parser.hpp"

namespace gotong::forms::xlsform {

namespace {

constexpr std::string_view kDefaultLanguage = "default";

// Turns a file stem into an element name: invalid characters become '_'.
std::string element_name_from(std::string_view stem) {
  std::string out;
  for (char c : stem) {
    unsigned char u = static_cast<unsigned char>(c);
    bool ok = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '_' ||
              c == '-' || c == '.' || u >= 0x80;
    out += ok ? c : '_';
  }
  if (!out.empty() && !is_valid_name(out)) out.insert(out.begin(), '_');
  return is_valid_name(out) ? out : std::string("data");
}

// In a flat form a group's children sit at the group's parent level in the instance.
void set_paths(Element& element, const std::string& parent_path, bool flat) {
  for (Element& child : element.children) {
    child.path = parent_path + "/" + child.name;
    bool flattened = flat && child.kind == ElementKind::group;
    set_paths(child, flattened ? parent_path : child.path, flat);
  }
}

void collect_languages(const LocalizedText& text, std::vector<std::string>& languages) {
  for (const auto& [language, value] : text) {
    (void)value;
    if (std::find(languages.begin(), languages.end(), language) == languages.end())
      languages.push_back(language);
  }
}

void collect_languages(const Media& media, std::vector<std::string>& languages) {
  collect_languages(media.image, languages);
  collect_languages(media.big_image, languages);
  collect_languages(media.audio, languages);
  collect_languages(media.video, languages);
}

// pyxform's or_other: the list gains an "other" choice labelled "Other" in each language.
void add_other_choices(Form& form) {
  std::vector<const Element*> selects;
  for_each_element(form.root, [&](const Element& e) {
    if (e.or_other) selects.push_back(&e);
  });
  for (const Element* select : selects) {
    auto list = std::find_if(form.choices.begin(), form.choices.end(),
                             [&](const ChoiceList& l) { return l.name == select->list_name; });
    if (list == form.choices.end()) continue;  // reported by the checks
    bool has_other = std::any_of(list->choices.begin(), list->choices.end(),
                                 [](const Choice& c) { return c.name == "other"; });
    if (has_other) continue;  // written in the sheet already, or added for an earlier select
    Choice other;
    other.name = "other";
    for (const Choice& c : list->choices) {
      for (const auto& [language, text] : c.label) {
        (void)text;
        other.label[language] = "Other";
      }
    }
    if (other.label.empty()) other.label[form.default_language] = "Other";
    list->choices.push_back(std::move(other));
  }
}

}  // namespace

std::string file_stem(std::string_view file_name) {
  auto slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) file_name = file_name.substr(0, dot);
  return std::string(file_name);
}

ParseResult parse_form(const Workbook& workbook, std::string_view file_name, const ParseOptions& options) {
  ParseResult result;
  Diagnostics diagnostics;
  Form& form = result.form;

  const Sheet* survey = workbook.find_sheet("survey");
  if (survey == nullptr && workbook.sheets.size() == 1) {
    survey = &workbook.sheets.front();
    diagnostics.warning("survey", 0, 0,
                        "no sheet is named 'survey'; using the only sheet, '" + survey->name + "'");
  }
  if (survey == nullptr) {
    std::string names;
    for (const Sheet& s : workbook.sheets) names += (names.empty() ? "'" : ", '") + s.name + "'";
    diagnostics.error("survey", 0, 0,
                      "the workbook has no sheet named 'survey'" +
                          (names.empty() ? std::string() : " (sheets: " + names + ")"));
    result.errors = diagnostics.take_errors();
    result.warnings = diagnostics.take_warnings();
    return result;
  }

  form.settings = read_settings(workbook.find_sheet("settings"), diagnostics);
  form.default_language =
      form.settings.default_language.empty() ? std::string(kDefaultLanguage) : form.settings.default_language;
  if (const Sheet* choices = workbook.find_sheet("choices")) {
    form.choices = read_choices(*choices, "choices", form.default_language,
                                form.settings.allow_choice_duplicates, diagnostics);
  }
  if (const Sheet* external = workbook.find_sheet("external_choices")) {
    form.external_choices = read_choices(*external, "external_choices", form.default_language,
                                         form.settings.allow_choice_duplicates, diagnostics);
  }

  form.root.kind = ElementKind::group;
  form.root.children = read_survey(*survey, "survey", form.default_language, form.choices, diagnostics);

  std::string stem = file_stem(file_name);
  form.id = !form.settings.form_id.empty() ? form.settings.form_id : stem;
  if (form.id.empty()) form.id = "data";
  form.title = !form.settings.form_title.empty() ? form.settings.form_title : form.id;
  if (!form.settings.name.empty()) {
    form.root_name = form.settings.name;
    if (!is_valid_name(form.root_name)) {
      diagnostics.error("settings", 2, 0,
                        "settings name '" + form.root_name + "' is not a valid element name");
    }
  } else if (!options.form_name.empty()) {
    form.root_name = element_name_from(options.form_name);
  } else {
    form.root_name = element_name_from(stem);
  }
  form.root.name = form.root_name;
  form.root.path = "/" + form.root_name;
  set_paths(form.root, form.root.path, form.settings.flat);

  add_other_choices(form);

  // Languages: the default first, then in order of appearance.
  std::vector<std::string> languages;
  for_each_element(form.root, [&](const Element& e) {
    collect_languages(e.label, languages);
    collect_languages(e.hint, languages);
    collect_languages(e.guidance_hint, languages);
    collect_languages(e.constraint_message, languages);
    collect_languages(e.required_message, languages);
    collect_languages(e.media, languages);
  });
  for (const ChoiceList& list : form.choices) {
    for (const Choice& c : list.choices) {
      collect_languages(c.label, languages);
      collect_languages(c.media, languages);
    }
  }
  auto def = std::find(languages.begin(), languages.end(), form.default_language);
  if (def != languages.end()) std::rotate(languages.begin(), def, def + 1);
  form.languages = std::move(languages);

  check_form(form, workbook, diagnostics);

  result.errors = diagnostics.take_errors();
  result.warnings = diagnostics.take_warnings();
  return result;
}

}  // namespace gotong::forms::xlsform
