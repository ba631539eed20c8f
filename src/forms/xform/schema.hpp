// What the server needs to know about a form, read from its XForm (ours, converted from an
// XLSForm, or one uploaded as is): the instance's fields in document order with their bind
// rules, controls, labels and choices. Submissions are validated and exported with it.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::forms::xform {

class XFormError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Choice {
  std::string value;
  std::map<std::string, std::string> labels;  // language ("" when untranslated) → label
};

enum class NodeKind { group, repeat, field };

struct Node {
  NodeKind kind = NodeKind::field;
  std::string path;         // "/data/household/member/age"
  std::string name;         // "age"
  int parent = -1;          // index of the enclosing group or repeat node, -1 at the top
  int repeat = -1;          // index of the nearest enclosing repeat, -1 when not in one
  std::string type = "string";  // bind type, namespace prefix removed: int, decimal, date, ...
  std::string control;      // body control: input, select1, select, upload, trigger, range, rank, odk:rank; empty for calculate/hidden/meta
  std::string appearance, mediatype;
  std::string required, relevant, constraint, calculate, readonly;  // XPath as written
  std::string preload, preload_params;  // jr:preload (metadata: start, end, deviceid, ...)
  std::map<std::string, std::string> constraint_msg, required_msg;  // language → message
  std::map<std::string, std::string> labels, hints;
  std::vector<Choice> choices;  // static choices (from <item>s or a static secondary instance)
  std::string itemset;          // itemset nodeset when choices are filtered (choice_filter)
  std::vector<int> children;    // for groups and repeats

  bool is_select() const { return control == "select1" || control == "select" || control == "rank" || control == "odk:rank"; }
  bool multiple() const { return control == "select" || control == "rank" || control == "odk:rank"; }
};

struct Schema {
  std::string form_id, version, title;
  std::string root;  // name of the primary instance's root element
  std::vector<std::string> languages;
  std::string default_language;
  std::vector<Node> nodes;  // document order; nodes[0] is the root group
  std::map<std::string, std::string> secondary_instances;  // id → XML of the instance content (for evaluation)

  const Node* find(std::string_view path) const;
  int index_of(std::string_view path) const;
  // The label in `lang`, else the default language, else any, else the name.
  static std::string label_in(const std::map<std::string, std::string>& labels, std::string_view lang,
                              std::string_view fallback_lang, std::string_view name);
};

// Throws XFormError naming what is missing or malformed (no model, no primary instance, a bind
// to a node that does not exist, DOCTYPE present, nesting deeper than 64).
Schema read_schema(std::string_view xform_xml);

}  // namespace gotong::forms::xform
