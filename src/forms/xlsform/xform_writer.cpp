#include "forms/xlsform/xform_writer.hpp"

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <vector>

#include "forms/xlsform/form_checks.hpp"
#include "forms/xlsform/question_types.hpp"
#include "forms/xlsform/references.hpp"
#include "forms/xlsform/settings.hpp"
#include "forms/xlsform/workbook.hpp"

namespace gotong::forms::xlsform {

namespace {

// One <text id="..."> of the itext block: per language, its <value> forms ("" = plain text).
struct TextEntry {
  std::string id;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> values;  // lang -> (form, value)
};

std::string media_prefix(const std::string& form) {
  if (form == "image" || form == "big-image") return "jr://images/";
  if (form == "audio") return "jr://audio/";
  if (form == "video") return "jr://video/";
  return "";
}

const std::string* find_parameter(const Element& e, const std::string& name) {
  for (const auto& [k, v] : e.parameters) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool has_non_integer(const Element& e) {
  for (const char* name : {"start", "end", "step"}) {
    const std::string* v = find_parameter(e, name);
    if (v != nullptr && v->find_first_of(".eE") != std::string::npos) return true;
  }
  return false;
}

std::string escape_xml(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Pretty-prints like pugixml, except that an element holding text or <output> is written on
// one line exactly as built: indenting inside a label would add spaces to what users read.
void print_node(std::string& out, pugi::xml_node node, int depth) {
  std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  out += indent + "<" + node.name();
  for (pugi::xml_attribute a : node.attributes()) {
    out += std::string(" ") + a.name() + "=\"" + escape_xml(a.value(), true) + "\"";
  }
  if (!node.first_child()) {
    out += "/>\n";
    return;
  }
  bool inline_content = false;
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element || std::string_view(c.name()) == "output") inline_content = true;
  }
  if (inline_content) {
    out += ">";
    for (pugi::xml_node c : node.children()) {
      if (c.type() == pugi::node_element) {
        out += std::string("<") + c.name();
        for (pugi::xml_attribute a : c.attributes()) {
          out += std::string(" ") + a.name() + "=\"" + escape_xml(a.value(), true) + "\"";
        }
        out += "/>";
      } else {
        out += escape_xml(c.value(), false);
      }
    }
  } else {
    out += ">\n";
    for (pugi::xml_node c : node.children()) print_node(out, c, depth + 1);
    out += indent;
  }
  out += std::string("</") + node.name() + ">\n";
}

class XFormWriter {
 public:
  explicit XFormWriter(const Form& form) : form_(form), resolver_(form) {}

  std::string write();

 private:
  // itext decisions
  bool translated(const LocalizedText& text) const {
    for (const auto& [language, value] : text) {
      (void)value;
      if (language != form_.default_language) return true;
    }
    return false;
  }
  bool label_uses_itext(const Element& e) const { return translated(e.label) || !e.media.empty(); }
  bool hint_uses_itext(const Element& e) const { return translated(e.hint) || !e.guidance_hint.empty(); }
  bool list_uses_itext(const ChoiceList& list) const {
    for (const Choice& c : list.choices) {
      if (translated(c.label) || !c.media.empty()) return true;
      for (const auto& [language, text] : c.label) {
        (void)language;
        if (text.find("${") != std::string::npos) return true;
      }
    }
    return false;
  }

  void collect_itext();
  void collect_element_itext(const Element& e);
  void add_text(TextEntry& entry, const LocalizedText& text, const std::string& form);
  void add_media(TextEntry& entry, const Media& media);
  void write_itext(pugi::xml_node model);

  void write_text_with_outputs(pugi::xml_node parent, const std::string& text);
  void write_primary_instance(pugi::xml_node model);
  void write_instance_children(pugi::xml_node node, const Element& parent, bool inside_repeat_copy);
  void write_instance_node(pugi::xml_node parent, const Element& e, bool template_copy,
                           bool inside_repeat_copy);
  void write_meta(pugi::xml_node meta);
  void write_secondary_instances(pugi::xml_node model);
  void write_binds(pugi::xml_node model, const Element& parent, const std::string& inherited_relevant);
  void write_bind(pugi::xml_node model, const Element& e, const std::string& inherited_relevant);
  void write_model_actions(pugi::xml_node model);
  void write_body_children(pugi::xml_node body, const Element& parent);
  void write_control(pugi::xml_node parent, const Element& e);
  void write_label(pugi::xml_node control, const Element& e);
  void write_hint(pugi::xml_node control, const Element& e);
  void write_itemset(pugi::xml_node control, const Element& e);
  void write_repeat_setvalues(pugi::xml_node repeat, const Element& repeat_element);

  std::string expr(const std::string& text) const { return resolver_.expression(text); }
  const Element* top_level_meta() const {
    for (const Element& c : form_.root.children) {
      if (c.name == "meta" && c.kind == ElementKind::group) return &c;
    }
    return nullptr;
  }

  const Form& form_;
  ReferenceResolver resolver_;
  std::vector<TextEntry> itext_;
  std::vector<std::string> itext_languages_;
  std::vector<const Element*> audits_;
  std::map<std::string, std::vector<const Element*>> triggered_by_;  // trigger path -> elements
  bool uses_last_saved_ = false;  // some ${last-saved#name}: declare the last-saved instance
};

void XFormWriter::add_text(TextEntry& entry, const LocalizedText& text, const std::string& form) {
  for (const auto& [language, value] : text) entry.values[language].emplace_back(form, value);
}

void XFormWriter::add_media(TextEntry& entry, const Media& media) {
  auto put = [&](const LocalizedText& text, const std::string& form) {
    for (const auto& [language, file] : text)
      entry.values[language].emplace_back(form, media_prefix(form) + file);
  };
  put(media.image, "image");
  put(media.big_image, "big-image");
  put(media.audio, "audio");
  put(media.video, "video");
}

void XFormWriter::collect_element_itext(const Element& e) {
  if (label_uses_itext(e)) {
    TextEntry entry{e.path + ":label", {}};
    add_text(entry, e.label, "");
    add_media(entry, e.media);
    itext_.push_back(std::move(entry));
  }
  if (hint_uses_itext(e)) {
    TextEntry entry{e.path + ":hint", {}};
    add_text(entry, e.hint, "");
    add_text(entry, e.guidance_hint, "guidance");
    itext_.push_back(std::move(entry));
  }
  if (translated(e.constraint_message)) {
    TextEntry entry{e.path + ":jr:constraintMsg", {}};
    add_text(entry, e.constraint_message, "");
    itext_.push_back(std::move(entry));
  }
  if (translated(e.required_message)) {
    TextEntry entry{e.path + ":jr:requiredMsg", {}};
    add_text(entry, e.required_message, "");
    itext_.push_back(std::move(entry));
  }
  for (const Element& child : e.children) collect_element_itext(child);
}

void XFormWriter::collect_itext() {
  for (const ChoiceList& list : form_.choices) {
    if (!list_uses_itext(list)) continue;
    for (std::size_t i = 0; i < list.choices.size(); ++i) {
      TextEntry entry{list.name + "-" + std::to_string(i), {}};
      add_text(entry, list.choices[i].label, "");
      add_media(entry, list.choices[i].media);
      itext_.push_back(std::move(entry));
    }
  }
  for (const Element& child : form_.root.children) collect_element_itext(child);

  // Languages in the form's order (default first).
  std::set<std::string> used;
  for (const TextEntry& entry : itext_) {
    for (const auto& [language, values] : entry.values) {
      (void)values;
      used.insert(language);
    }
  }
  for (const std::string& language : form_.languages) {
    if (used.count(language)) itext_languages_.push_back(language);
  }
  // pyxform shows "-" where a translation is missing, so every language has some text.
  for (TextEntry& entry : itext_) {
    bool has_text = false;
    for (const auto& [language, values] : entry.values) {
      (void)language;
      for (const auto& [form, value] : values) has_text |= form.empty();
    }
    if (!has_text) continue;
    for (const std::string& language : itext_languages_) {
      auto& values = entry.values[language];
      bool language_has_text =
          std::any_of(values.begin(), values.end(), [](const auto& v) { return v.first.empty(); });
      if (!language_has_text) values.emplace_back("", "-");
    }
  }
}

void XFormWriter::write_text_with_outputs(pugi::xml_node parent, const std::string& text) {
  for (const ReferenceResolver::Piece& piece : resolver_.pieces(text)) {
    if (piece.reference) {
      parent.append_child("output").append_attribute("value") = (" " + piece.text + " ").c_str();
    } else {
      parent.append_child(pugi::node_pcdata).set_value(piece.text.c_str());
    }
  }
}

void XFormWriter::write_itext(pugi::xml_node model) {
  if (itext_.empty()) return;
  pugi::xml_node itext = model.append_child("itext");
  for (const std::string& language : itext_languages_) {
    pugi::xml_node translation = itext.append_child("translation");
    translation.append_attribute("lang") = language.c_str();
    if (language == form_.default_language) translation.append_attribute("default") = "true()";
    for (const TextEntry& entry : itext_) {
      pugi::xml_node text = translation.append_child("text");
      text.append_attribute("id") = entry.id.c_str();
      auto it = entry.values.find(language);
      if (it == entry.values.end()) continue;
      // Media first, plain text last, as pyxform writes them.
      for (int pass = 0; pass < 2; ++pass) {
        for (const auto& [form, value] : it->second) {
          if ((pass == 0) == form.empty()) continue;
          pugi::xml_node v = text.append_child("value");
          if (!form.empty()) v.append_attribute("form") = form.c_str();
          if (form.empty() || form == "guidance") {
            write_text_with_outputs(v, value);
          } else {
            v.text().set(value.c_str());
          }
        }
      }
    }
  }
}

void XFormWriter::write_instance_node(pugi::xml_node parent, const Element& e, bool template_copy,
                                      bool inside_repeat_copy) {
  if (e.kind == ElementKind::question) {
    if (e.type == QuestionType::xml_external || e.type == QuestionType::csv_external ||
        e.type == QuestionType::audit) {
      return;
    }
  }
  pugi::xml_node node = parent.append_child(e.name.c_str());
  if (template_copy) node.append_attribute("jr:template") = "";
  for (const auto& [name, value] : e.instance_attributes)
    node.append_attribute(name.c_str()) = expr(value).c_str();
  if (e.is_section()) {
    write_instance_children(node, e, inside_repeat_copy || (e.kind == ElementKind::repeat && !template_copy));
    if (&e == top_level_meta()) write_meta(node);
    return;
  }
  if (!e.default_value.empty() && !is_dynamic_default(e.default_value))
    node.text().set(e.default_value.c_str());
}

void XFormWriter::write_instance_children(pugi::xml_node node, const Element& parent,
                                          bool inside_repeat_copy) {
  for (const Element& child : parent.children) {
    if (child.kind == ElementKind::repeat) {
      // pyxform writes a jr:template and one plain copy (the first repeat instance); inside a
      // copy, nested repeats appear as plain copies only.
      if (!inside_repeat_copy) write_instance_node(node, child, true, false);
      write_instance_node(node, child, false, true);
    } else if (form_.settings.flat && child.kind == ElementKind::group) {
      write_instance_children(node, child, inside_repeat_copy);
    } else {
      write_instance_node(node, child, false, inside_repeat_copy);
    }
  }
}

void XFormWriter::write_meta(pugi::xml_node meta) {
  meta.append_child("instanceID");
  if (!form_.settings.instance_name.empty()) meta.append_child("instanceName");
  for (const Element* audit : audits_) meta.append_child(audit->name.c_str());
}

void XFormWriter::write_primary_instance(pugi::xml_node model) {
  pugi::xml_node instance = model.append_child("instance");
  pugi::xml_node root = instance.append_child(form_.root_name.c_str());
  root.append_attribute("id") = form_.id.c_str();
  if (!form_.settings.version.empty()) root.append_attribute("version") = form_.settings.version.c_str();
  write_instance_children(root, form_.root, false);
  if (top_level_meta() == nullptr) write_meta(root.append_child("meta"));
}

void XFormWriter::write_secondary_instances(pugi::xml_node model) {
  for (const ChoiceList& list : form_.choices) {
    bool itext = list_uses_itext(list);
    pugi::xml_node root = model.append_child("instance");
    root.append_attribute("id") = list.name.c_str();
    pugi::xml_node items = root.append_child("root");
    for (std::size_t i = 0; i < list.choices.size(); ++i) {
      const Choice& choice = list.choices[i];
      pugi::xml_node item = items.append_child("item");
      if (itext) {
        item.append_child("itextId").text().set((list.name + "-" + std::to_string(i)).c_str());
      } else {
        auto label = choice.label.find(form_.default_language);
        item.append_child("label").text().set(label != choice.label.end() ? label->second.c_str() : "");
      }
      item.append_child("name").text().set(choice.name.c_str());
      for (const auto& [column, value] : choice.extra)
        item.append_child(column.c_str()).text().set(value.c_str());
    }
  }
  // Files the form reads: select_*_from_file, xml-/csv-external, pulldata() sources.
  std::set<std::string> declared;
  for (const ChoiceList& list : form_.choices) declared.insert(list.name);
  auto declare = [&](const std::string& id, const std::string& src) {
    if (!declared.insert(id).second) return;
    pugi::xml_node instance = model.append_child("instance");
    instance.append_attribute("id") = id.c_str();
    instance.append_attribute("src") = src.c_str();
  };
  std::vector<std::string> expressions;
  for_each_element(form_.root, [&](const Element& e) {
    if (e.kind == ElementKind::question) {
      if (e.type == QuestionType::select_one_from_file || e.type == QuestionType::select_multiple_from_file) {
        std::string lower = to_lower_ascii(e.itemset_file);
        std::string id = e.itemset_file.substr(0, e.itemset_file.rfind('.'));
        declare(id, (lower.ends_with(".csv") ? "jr://file-csv/" : "jr://file/") + e.itemset_file);
      } else if (e.type == QuestionType::xml_external) {
        declare(e.name, "jr://file/" + e.name + ".xml");
      } else if (e.type == QuestionType::csv_external) {
        declare(e.name, "jr://file-csv/" + e.name + ".csv");
      }
    }
    for (const std::string* text :
         {&e.calculation, &e.relevant, &e.constraint, &e.default_value, &e.choice_filter}) {
      if (!text->empty()) expressions.push_back(*text);
    }
  });
  for (const std::string& text : expressions) {
    for (auto pos = text.find("pulldata("); pos != std::string::npos; pos = text.find("pulldata(", pos + 1)) {
      std::size_t start = text.find_first_not_of(' ', pos + 9);
      if (start == std::string::npos || (text[start] != '\'' && text[start] != '"')) continue;
      auto end = text.find(text[start], start + 1);
      if (end == std::string::npos) continue;
      std::string id = text.substr(start + 1, end - start - 1);
      if (is_valid_name(id)) declare(id, "jr://file-csv/" + id + ".csv");
    }
  }
  if (uses_last_saved_) declare("__last-saved", "jr://instance/last-saved");
}

void XFormWriter::write_bind(pugi::xml_node model, const Element& e, const std::string& inherited_relevant) {
  const TypeInfo& info = type_info(e.type);
  if (e.kind == ElementKind::question &&
      (e.type == QuestionType::xml_external || e.type == QuestionType::csv_external)) {
    return;
  }
  std::vector<std::pair<std::string, std::string>> attributes;
  auto set = [&](const std::string& name, const std::string& value) {
    for (auto& [n, v] : attributes) {
      if (n == name) {
        v = value;
        return;
      }
    }
    attributes.emplace_back(name, value);
  };
  std::string path = e.path;
  if (e.type == QuestionType::audit) path = form_.root.path + "/meta/" + e.name;
  set("nodeset", path);
  if (e.kind == ElementKind::question) {
    std::string type(info.bind_type);
    if (e.type == QuestionType::range && has_non_integer(e)) type = "decimal";
    if (!type.empty()) set("type", type);
    if (info.read_only) set("readonly", "true()");
    if (!info.preload.empty()) set("jr:preload", std::string(info.preload));
    if (!info.preload_params.empty()) set("jr:preloadParams", std::string(info.preload_params));
    if (e.type == QuestionType::uri_property) set("jr:preloadParams", to_lower_ascii(e.type_text));
    if (!e.calculation.empty() && e.trigger.empty()) set("calculate", expr(e.calculation));
    if (!e.constraint.empty()) set("constraint", expr(e.constraint));
    if (!e.required.empty()) set("required", expr(e.required));
  }
  if (!e.read_only.empty()) set("readonly", expr(e.read_only));
  // In flat forms group binds have no node, so their relevance moves onto the questions.
  std::string relevant = e.relevant.empty() ? std::string() : expr(e.relevant);
  if (!inherited_relevant.empty()) {
    relevant = relevant.empty() ? inherited_relevant : "(" + inherited_relevant + ") and (" + relevant + ")";
  }
  if (!relevant.empty()) set("relevant", relevant);
  auto message = [&](const LocalizedText& text, const std::string& attribute) {
    if (text.empty()) return;
    if (translated(text)) {
      set(attribute, "jr:itext('" + e.path + ":" + attribute + "')");
    } else {
      set(attribute, expr(text.begin()->second));
    }
  };
  message(e.constraint_message, "jr:constraintMsg");
  message(e.required_message, "jr:requiredMsg");
  if (e.type == QuestionType::audit || e.type == QuestionType::geopoint || e.type == QuestionType::geotrace ||
      e.type == QuestionType::geoshape) {
    for (const auto& [name, value] : e.parameters) {
      if (e.type == QuestionType::audit || name == "allow-mock-accuracy") set("odk:" + name, value);
    }
  }
  for (const auto& [name, value] : e.bind_attributes) set(name, expr(value));
  if (e.is_section() && attributes.size() == 1) return;  // a group with nothing to bind
  pugi::xml_node bind = model.append_child("bind");
  for (const auto& [name, value] : attributes) bind.append_attribute(name.c_str()) = value.c_str();
}

void XFormWriter::write_binds(pugi::xml_node model, const Element& parent,
                              const std::string& inherited_relevant) {
  for (const Element& e : parent.children) {
    if (form_.settings.flat && e.kind == ElementKind::group) {
      std::string relevant = e.relevant.empty() ? inherited_relevant
                             : inherited_relevant.empty()
                                 ? expr(e.relevant)
                                 : "(" + inherited_relevant + ") and (" + expr(e.relevant) + ")";
      write_binds(model, e, relevant);
      continue;
    }
    write_bind(model, e, inherited_relevant);
    if (e.is_section()) write_binds(model, e, inherited_relevant);
  }
}

void XFormWriter::write_model_actions(pugi::xml_node model) {
  for_each_element(form_.root, [&](const Element& e) {
    if (e.kind != ElementKind::question) return;
    if (is_dynamic_default(e.default_value)) {
      pugi::xml_node setvalue = model.append_child("setvalue");
      setvalue.append_attribute("event") = "odk-instance-first-load";
      setvalue.append_attribute("ref") = e.path.c_str();
      setvalue.append_attribute("value") = expr(e.default_value).c_str();
    }
    if (e.type == QuestionType::start_geopoint) {
      pugi::xml_node action = model.append_child("odk:setgeopoint");
      action.append_attribute("event") = "odk-instance-first-load";
      action.append_attribute("ref") = e.path.c_str();
    }
    if (e.type == QuestionType::background_audio) {
      pugi::xml_node action = model.append_child("odk:recordaudio");
      action.append_attribute("event") = "odk-instance-load";
      action.append_attribute("ref") = e.path.c_str();
      if (const std::string* quality = find_parameter(e, "quality")) {
        action.append_attribute("odk:quality") = quality->c_str();
      }
    }
  });
}

void XFormWriter::write_label(pugi::xml_node control, const Element& e) {
  if (label_uses_itext(e)) {
    control.append_child("label").append_attribute("ref") = ("jr:itext('" + e.path + ":label')").c_str();
  } else if (!e.label.empty()) {
    write_text_with_outputs(control.append_child("label"), e.label.begin()->second);
  }
}

void XFormWriter::write_hint(pugi::xml_node control, const Element& e) {
  if (hint_uses_itext(e)) {
    control.append_child("hint").append_attribute("ref") = ("jr:itext('" + e.path + ":hint')").c_str();
  } else if (!e.hint.empty()) {
    write_text_with_outputs(control.append_child("hint"), e.hint.begin()->second);
  }
}

void XFormWriter::write_itemset(pugi::xml_node control, const Element& e) {
  std::string instance_id = e.list_name;
  std::string value_ref = "name", label_ref = "label";
  bool itext = false;
  if (e.type == QuestionType::select_one_from_file || e.type == QuestionType::select_multiple_from_file) {
    instance_id = e.itemset_file.substr(0, e.itemset_file.rfind('.'));
    if (to_lower_ascii(e.itemset_file).ends_with(".geojson")) {
      value_ref = "id";
      label_ref = "title";
    }
    if (const std::string* v = find_parameter(e, "value")) value_ref = *v;
    if (const std::string* l = find_parameter(e, "label")) label_ref = *l;
  } else if (const ChoiceList* list = form_.find_list(e.list_name)) {
    itext = list_uses_itext(*list);
  }
  std::string nodeset = "instance('" + instance_id + "')/root/item";
  if (!e.choice_filter.empty()) nodeset += "[" + resolver_.predicate(e.choice_filter, e) + "]";
  if (const std::string* randomize = find_parameter(e, "randomize");
      randomize && parse_yes_no(*randomize).value_or(false)) {
    const std::string* seed = find_parameter(e, "seed");
    nodeset = "randomize(" + nodeset + (seed != nullptr ? ", " + expr(*seed) : std::string()) + ")";
  }
  pugi::xml_node itemset = control.append_child("itemset");
  itemset.append_attribute("nodeset") = nodeset.c_str();
  itemset.append_child("value").append_attribute("ref") = value_ref.c_str();
  itemset.append_child("label").append_attribute("ref") = itext ? "jr:itext(itextId)" : label_ref.c_str();
}

void XFormWriter::write_repeat_setvalues(pugi::xml_node repeat, const Element& repeat_element) {
  // Dynamic defaults of questions in this repeat (not in nested ones) are set for each new instance.
  struct Walk {
    XFormWriter& self;
    pugi::xml_node repeat;
    void operator()(const Element& parent) {
      for (const Element& e : parent.children) {
        if (e.kind == ElementKind::repeat) continue;
        if (e.kind == ElementKind::question && is_dynamic_default(e.default_value)) {
          pugi::xml_node setvalue = repeat.append_child("setvalue");
          setvalue.append_attribute("event") = "odk-new-repeat";
          setvalue.append_attribute("ref") = e.path.c_str();
          setvalue.append_attribute("value") = self.expr(e.default_value).c_str();
        }
        if (e.kind == ElementKind::group) (*this)(e);
      }
    }
  };
  Walk{*this, repeat}(repeat_element);
}

void XFormWriter::write_control(pugi::xml_node parent, const Element& e) {
  if (e.kind == ElementKind::group) {
    pugi::xml_node group = parent.append_child("group");
    if (!form_.settings.flat) group.append_attribute("ref") = e.path.c_str();
    if (!e.appearance.empty()) group.append_attribute("appearance") = e.appearance.c_str();
    for (const auto& [name, value] : e.body_attributes)
      group.append_attribute(name.c_str()) = expr(value).c_str();
    write_label(group, e);
    write_body_children(group, e);
    return;
  }
  if (e.kind == ElementKind::repeat) {
    pugi::xml_node group = parent.append_child("group");
    group.append_attribute("ref") = e.path.c_str();
    write_label(group, e);
    pugi::xml_node repeat = group.append_child("repeat");
    repeat.append_attribute("nodeset") = e.path.c_str();
    if (!e.repeat_count.empty()) repeat.append_attribute("jr:count") = expr(e.repeat_count).c_str();
    if (!e.appearance.empty()) repeat.append_attribute("appearance") = e.appearance.c_str();
    for (const auto& [name, value] : e.body_attributes)
      repeat.append_attribute(name.c_str()) = expr(value).c_str();
    write_body_children(repeat, e);
    write_repeat_setvalues(repeat, e);
    return;
  }
  const TypeInfo& info = type_info(e.type);
  if (info.control.empty()) return;
  pugi::xml_node control = parent.append_child(std::string(info.control).c_str());
  control.append_attribute("ref") = e.path.c_str();
  if (!e.appearance.empty()) control.append_attribute("appearance") = e.appearance.c_str();
  if (!e.autoplay.empty()) control.append_attribute("autoplay") = e.autoplay.c_str();
  if (!info.mediatype.empty()) control.append_attribute("mediatype") = std::string(info.mediatype).c_str();
  if (e.type == QuestionType::range) {
    const std::string* start = find_parameter(e, "start");
    const std::string* end = find_parameter(e, "end");
    const std::string* step = find_parameter(e, "step");
    control.append_attribute("start") = start ? start->c_str() : "1";
    control.append_attribute("end") = end ? end->c_str() : "10";
    control.append_attribute("step") = step ? step->c_str() : "1";
  }
  for (const auto& [name, value] : e.parameters) {
    if (name == "max-pixels") control.append_attribute("orx:max-pixels") = value.c_str();
    if (name == "app") control.append_attribute("intent") = value.c_str();
    if (name == "quality" && e.type == QuestionType::audio)
      control.append_attribute("odk:quality") = value.c_str();
    if (name == "capture-accuracy") control.append_attribute("accuracyThreshold") = value.c_str();
    if (name == "warning-accuracy") control.append_attribute("unacceptableAccuracyThreshold") = value.c_str();
    if (name == "incremental") control.append_attribute("incremental") = value.c_str();
  }
  if (e.type == QuestionType::select_one_external) {
    std::string query = "instance('" + e.list_name + "')/root/item";
    if (!e.choice_filter.empty()) query += "[" + resolver_.predicate(e.choice_filter, e) + "]";
    control.append_attribute("query") = query.c_str();
  }
  for (const auto& [name, value] : e.body_attributes)
    control.append_attribute(name.c_str()) = expr(value).c_str();
  write_label(control, e);
  write_hint(control, e);
  if (is_select(e.type) && e.type != QuestionType::select_one_external) write_itemset(control, e);
  if (auto it = triggered_by_.find(e.path); it != triggered_by_.end()) {
    for (const Element* target : it->second) {
      pugi::xml_node setvalue = control.append_child("setvalue");
      setvalue.append_attribute("event") = "xforms-value-changed";
      setvalue.append_attribute("ref") = target->path.c_str();
      if (!target->calculation.empty())
        setvalue.append_attribute("value") = expr(target->calculation).c_str();
    }
  }
}

void XFormWriter::write_body_children(pugi::xml_node body, const Element& parent) {
  for (const Element& child : parent.children) write_control(body, child);
}

std::string XFormWriter::write() {
  for_each_element(form_.root, [&](const Element& e) {
    if (e.kind == ElementKind::question && e.type == QuestionType::audit) audits_.push_back(&e);
    for (const std::string* text : {&e.relevant, &e.constraint, &e.calculation, &e.default_value, &e.required,
                                    &e.read_only, &e.choice_filter, &e.repeat_count}) {
      if (text->find("${last-saved#") != std::string::npos) uses_last_saved_ = true;
    }
    if (!e.trigger.empty()) {
      for (const ReferenceToken& token : scan_references(e.trigger).references) {
        const auto& found = resolver_.lookup(token.name);
        if (!found.empty()) triggered_by_[found.front()->path].push_back(&e);
      }
    }
  });
  collect_itext();

  pugi::xml_document doc;
  pugi::xml_node html = doc.append_child("h:html");
  html.append_attribute("xmlns") = "http://www.w3.org/2002/xforms";
  html.append_attribute("xmlns:ev") = "http://www.w3.org/2001/xml-events";
  html.append_attribute("xmlns:h") = "http://www.w3.org/1999/xhtml";
  html.append_attribute("xmlns:jr") = "http://openrosa.org/javarosa";
  html.append_attribute("xmlns:odk") = "http://www.opendatakit.org/xforms";
  html.append_attribute("xmlns:orx") = "http://openrosa.org/xforms";
  html.append_attribute("xmlns:xsd") = "http://www.w3.org/2001/XMLSchema";
  // settings `namespaces`: 'esri="http://esri.com/xforms" enk="http://enketo.org/xforms"'
  {
    std::string ns = form_.settings.namespaces;
    std::size_t pos = 0;
    while ((pos = ns.find("=\"", pos)) != std::string::npos) {
      std::size_t start = ns.find_last_of(" \t", pos);
      start = start == std::string::npos ? 0 : start + 1;
      std::size_t end = ns.find('"', pos + 2);
      if (end == std::string::npos) break;
      std::string prefix = ns.substr(start, pos - start);
      if (is_valid_name(prefix) && !html.attribute(("xmlns:" + prefix).c_str())) {
        html.append_attribute(("xmlns:" + prefix).c_str()) = ns.substr(pos + 2, end - pos - 2).c_str();
      }
      pos = end + 1;
    }
  }
  pugi::xml_node head = html.append_child("h:head");
  head.append_child("h:title").text().set(form_.title.c_str());
  pugi::xml_node model = head.append_child("model");
  model.append_attribute("odk:xforms-version") = "1.0.0";
  const Settings& settings = form_.settings;
  if (!settings.submission_url.empty() || !settings.public_key.empty() || !settings.auto_send.empty() ||
      !settings.auto_delete.empty()) {
    pugi::xml_node submission = model.append_child("submission");
    if (!settings.submission_url.empty())
      submission.append_attribute("action") = settings.submission_url.c_str();
    if (!settings.public_key.empty())
      submission.append_attribute("base64RsaPublicKey") = settings.public_key.c_str();
    if (!settings.auto_send.empty())
      submission.append_attribute("orx:auto-send") = settings.auto_send.c_str();
    if (!settings.auto_delete.empty())
      submission.append_attribute("orx:auto-delete") = settings.auto_delete.c_str();
    submission.append_attribute("method") = "post";
  }
  write_itext(model);
  write_primary_instance(model);
  write_secondary_instances(model);
  write_binds(model, form_.root, "");
  {
    std::string meta = form_.root.path + "/meta/";
    pugi::xml_node id = model.append_child("bind");
    id.append_attribute("nodeset") = (meta + "instanceID").c_str();
    id.append_attribute("type") = "string";
    id.append_attribute("readonly") = "true()";
    id.append_attribute("jr:preload") = "uid";
    if (!settings.instance_name.empty()) {
      pugi::xml_node name = model.append_child("bind");
      name.append_attribute("nodeset") = (meta + "instanceName").c_str();
      name.append_attribute("type") = "string";
      name.append_attribute("calculate") = expr(settings.instance_name).c_str();
    }
  }
  write_model_actions(model);
  pugi::xml_node body = html.append_child("h:body");
  if (!settings.style.empty()) body.append_attribute("class") = settings.style.c_str();
  write_body_children(body, form_.root);

  std::string out = "<?xml version=\"1.0\"?>\n";
  print_node(out, html, 0);
  return out;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string write_xform(const Form& form) { return XFormWriter(form).write(); }

std::string write_external_itemsets_csv(const Form& form) {
  if (form.external_choices.empty()) return {};
  // Columns: list_name, name, one label column per language, then every extra column.
  std::vector<std::string> languages;
  std::vector<std::string> extras;
  for (const ChoiceList& list : form.external_choices) {
    for (const Choice& c : list.choices) {
      for (const auto& [language, text] : c.label) {
        (void)text;
        if (std::find(languages.begin(), languages.end(), language) == languages.end())
          languages.push_back(language);
      }
      for (const auto& [column, value] : c.extra) {
        (void)value;
        if (std::find(extras.begin(), extras.end(), column) == extras.end()) extras.push_back(column);
      }
    }
  }
  std::string out = "list_name,name";
  for (const std::string& language : languages) {
    out += "," + csv_field(language == form.default_language ? std::string("label") : "label::" + language);
  }
  for (const std::string& column : extras) out += "," + csv_field(column);
  out += "\n";
  for (const ChoiceList& list : form.external_choices) {
    for (const Choice& c : list.choices) {
      out += csv_field(list.name) + "," + csv_field(c.name);
      for (const std::string& language : languages) {
        auto it = c.label.find(language);
        out += "," + csv_field(it != c.label.end() ? it->second : std::string());
      }
      for (const std::string& column : extras) {
        std::string value;
        for (const auto& [k, v] : c.extra) {
          if (k == column) value = v;
        }
        out += "," + csv_field(value);
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace gotong::forms::xlsform
