// The parsed XLSForm: settings, a tree of questions/groups/repeats and the choice lists, as the
// rest of the app uses it (XForm writing, submission validation, data export).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotong::forms::xlsform {

// Text keyed by language. Columns without a language ("label") use the form's default
// language key: the settings' default_language, or "default" as pyxform does.
using LocalizedText = std::map<std::string, std::string>;

// Ordered name/value pairs (extra bind::, body::, instance:: columns, parameters).
using Attributes = std::vector<std::pair<std::string, std::string>>;

struct Media {
  LocalizedText image;
  LocalizedText big_image;
  LocalizedText audio;
  LocalizedText video;
  bool empty() const { return image.empty() && big_image.empty() && audio.empty() && video.empty(); }
};

enum class ElementKind { question, group, repeat };

// What a question is, independent of how the XLSForm spelled its type.
enum class QuestionType {
  text,
  integer,
  decimal,
  range,
  date,
  time,
  date_time,
  geopoint,
  geotrace,
  geoshape,
  select_one,
  select_multiple,
  rank,
  select_one_from_file,
  select_multiple_from_file,
  select_one_external,
  note,
  acknowledge,
  image,
  audio,
  video,
  file,
  background_audio,
  barcode,
  calculate,
  hidden,
  xml_external,
  csv_external,
  // metadata: filled by the client, never shown
  start,
  end,
  today,
  deviceid,
  username,
  phonenumber,
  email,
  simserial,
  subscriberid,
  audit,
  start_geopoint,
  uri_property,
  none,  // groups and repeats
};

struct Element {
  ElementKind kind = ElementKind::question;
  QuestionType type = QuestionType::none;
  std::string type_text;  // the type cell as written, e.g. "select_one colors or_other"
  std::string name;
  std::string path;  // absolute instance path, e.g. "/household/member/age"
  int row = 0;       // survey sheet row that defined it (0 for generated elements)

  LocalizedText label;
  LocalizedText hint;
  LocalizedText guidance_hint;
  LocalizedText constraint_message;
  LocalizedText required_message;
  Media media;

  // Expressions exactly as written, still holding ${name} references.
  std::string relevant;
  std::string constraint;
  std::string required;   // "true()", "false()" or an expression; empty when not given
  std::string read_only;  // likewise
  std::string calculation;
  std::string default_value;
  std::string trigger;
  std::string choice_filter;
  std::string repeat_count;
  std::string appearance;
  std::string autoplay;

  std::string list_name;           // select_one/select_multiple/rank/select_*_external
  std::string itemset_file;        // select_*_from_file: "fruits.csv"; xml/csv-external: instance id
  bool or_other = false;           // "select_one x or_other": an "other" choice and text question
  Attributes parameters;           // "start=0 end=10" -> {{"start","0"},{"end","10"}}
  Attributes bind_attributes;      // bind::x columns and other bind extras
  Attributes body_attributes;      // body::x / control::x columns
  Attributes instance_attributes;  // instance::x columns

  bool generated = false;  // added by the converter (or_other text, repeat count, table-list)
  // Sheet column of each field as read ("name", "relevant", "label::English"...), so later
  // checks can point at the exact cell.
  std::map<std::string, int> columns;
  std::vector<Element> children;

  bool is_section() const { return kind != ElementKind::question; }
};

struct Choice {
  std::string name;
  LocalizedText label;
  Media media;
  Attributes extra;  // other columns, used by choice_filter expressions
  int row = 0;
};

struct ChoiceList {
  std::string name;
  std::vector<Choice> choices;
  int row = 0;  // first row of the list
};

struct Settings {
  std::string form_title;
  std::string form_id;
  std::string version;
  std::string instance_name;
  std::string default_language;
  std::string public_key;
  std::string submission_url;
  std::string style;
  std::string name;  // root element name
  std::string auto_send;
  std::string auto_delete;
  std::string namespaces;
  bool allow_choice_duplicates = false;
  // Old pyxform "flat" forms: groups shape the screens but add no level to the instance.
  bool flat = false;
  Attributes other;                    // unrecognised columns, kept as written
  int row = 0;                         // settings sheet row of the values
  std::map<std::string, int> columns;  // column of each recognised setting, for diagnostics
};

struct Form {
  Settings settings;
  std::string title;                   // settings form_title, else the form id
  std::string id;                      // settings form_id, else the file name stem
  std::string root_name;               // element name of the primary instance root
  std::string default_language;        // language key of columns without a language
  std::vector<std::string> languages;  // every language with text, default language first
  Element root;                        // kind group; its children are the survey
  std::vector<ChoiceList> choices;
  std::vector<ChoiceList> external_choices;

  const ChoiceList* find_list(std::string_view name) const;
  // Element by absolute path ("/data/group/q"), or nullptr.
  const Element* find(std::string_view path) const;
};

// Calls `visit` for every element below `root`, depth first in document order.
template <typename Visit>
void for_each_element(const Element& root, Visit&& visit) {
  for (const Element& child : root.children) {
    visit(child);
    for_each_element(child, visit);
  }
}

}  // namespace gotong::forms::xlsform
