#include "forms/xlsform/xform_compare_test_util.hpp"

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string_view>
#include <vector>

namespace gotong::forms::xlsform::testing {

namespace {

std::string_view local(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local(c.name()) == name) return c;
  }
  return {};
}

// Mixed content as text: "Hi ${/data/name}!".
std::string text_of(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out += c.value();
    } else if (c.type() == pugi::node_element && local(c.name()) == "output") {
      out += "${" + collapse(c.attribute("value").value()) + "}";
    }
  }
  return collapse(out);
}

class Canonicalizer {
 public:
  explicit Canonicalizer(pugi::xml_node html) : html_(html) {
    pugi::xml_node model = child(child(html, "head"), "model");
    for (pugi::xml_node translation : child(model, "itext").children()) {
      if (local(translation.name()) != "translation") continue;
      std::string lang = translation.attribute("lang").value();
      for (pugi::xml_node text : translation.children()) {
        if (local(text.name()) != "text") continue;
        auto& forms = itext_[text.attribute("id").value()][lang];
        for (pugi::xml_node value : text.children()) {
          if (local(value.name()) != "value") continue;
          std::string form = value.attribute("form").value();
          std::string v = form.empty() || form == "guidance" ? text_of(value) : collapse(value.text().get());
          // pyxform writes "-" for a missing translation; treat it as missing.
          if (form.empty() && v == "-") continue;
          forms[form.empty() ? "text" : form] = v;
        }
      }
    }
  }

  // A label/hint/message: plain text, or its itext entries in every language.
  std::string resolve_itext_id(const std::string& id) const {
    auto it = itext_.find(id);
    if (it == itext_.end()) return "<missing itext " + id + ">";
    return format_languages(it->second);
  }

  std::string resolve_label(pugi::xml_node label) const {
    std::string ref = label.attribute("ref").value();
    if (ref.starts_with("jr:itext('")) return resolve_itext_id(ref.substr(10, ref.size() - 12));
    std::string text = text_of(label);
    return text.empty() ? std::string() : "'" + text + "'";
  }

  std::string resolve_message(const std::string& value) const {
    if (value.starts_with("jr:itext('")) return resolve_itext_id(value.substr(10, value.size() - 12));
    return "'" + collapse(value) + "'";
  }

  std::string instance_tree(pugi::xml_node node, int depth) const {
    std::string out(static_cast<std::size_t>(depth * 2), ' ');
    out += node.name();
    std::vector<std::string> attributes;
    for (pugi::xml_attribute a : node.attributes()) {
      std::string name = a.name();
      if (name.starts_with("xmlns")) continue;
      attributes.push_back(name + "=" + collapse(a.value()));
    }
    std::sort(attributes.begin(), attributes.end());
    for (const auto& a : attributes) out += " " + a;
    std::string text = collapse(node.text().get());
    if (!text.empty()) out += " = " + text;
    out += "\n";
    for (pugi::xml_node c : node.children()) {
      if (c.type() == pugi::node_element) out += instance_tree(c, depth + 1);
    }
    return out;
  }

  std::string binds(pugi::xml_node model) const {
    std::vector<std::string> lines;
    for (pugi::xml_node bind : model.children()) {
      if (local(bind.name()) != "bind") continue;
      std::vector<std::string> attributes;
      for (pugi::xml_attribute a : bind.attributes()) {
        std::string name = a.name();
        std::string value = a.value();
        if (name == "jr:constraintMsg" || name == "jr:requiredMsg") {
          value = resolve_message(value);
        } else {
          value = collapse(value);
        }
        attributes.push_back(name + "=" + value);
      }
      std::sort(attributes.begin(), attributes.end());
      std::string line;
      for (const auto& a : attributes) line += (line.empty() ? "" : " ") + a;
      lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }

  std::string items(pugi::xml_node control) const {
    std::string out;
    pugi::xml_node itemset = child(control, "itemset");
    if (itemset) {
      std::string nodeset = itemset.attribute("nodeset").value();
      std::string value_ref = child(itemset, "value").attribute("ref").value();
      std::string label_ref = child(itemset, "label").attribute("ref").value();
      auto open = nodeset.find("instance('");
      auto close = nodeset.find("')", open);
      if (open == std::string::npos || close == std::string::npos) return " itemset=" + nodeset;
      std::string id = nodeset.substr(open + 10, close - open - 10);
      auto predicate = nodeset.find('[', close);
      if (predicate != std::string::npos) {
        out += " filter=" + collapse(nodeset.substr(predicate + 1, nodeset.rfind(']') - predicate - 1));
      }
      pugi::xml_node instance = find_instance(id);
      if (!instance) return out + " items-from=" + id;
      for (pugi::xml_node item : child(instance, "root").children()) {
        if (local(item.name()) != "item") continue;
        std::string label;
        if (label_ref == "jr:itext(itextId)") {
          label = resolve_itext_id(child(item, "itextId").text().get());
        } else {
          label = "'" + collapse(child(item, label_ref).text().get()) + "'";
        }
        out += "\n    item " + collapse(child(item, value_ref).text().get()) + " => " + label;
      }
      return out;
    }
    for (pugi::xml_node item : control.children()) {
      if (local(item.name()) != "item") continue;
      out += "\n    item " + collapse(child(item, "value").text().get()) + " => " +
             resolve_label(child(item, "label"));
    }
    return out;
  }

  pugi::xml_node find_instance(const std::string& id) const {
    pugi::xml_node model = child(child(html_, "head"), "model");
    for (pugi::xml_node instance : model.children()) {
      if (local(instance.name()) == "instance" && id == instance.attribute("id").value()) return instance;
    }
    return {};
  }

  std::string body(pugi::xml_node node, int depth) const {
    std::string out;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = local(c.name());
      if (name == "label" || name == "hint" || name == "itemset" || name == "item") continue;
      out += std::string(static_cast<std::size_t>(depth * 2), ' ') + c.name();
      std::vector<std::string> attributes;
      for (pugi::xml_attribute a : c.attributes())
        attributes.push_back(std::string(a.name()) + "=" + collapse(a.value()));
      std::sort(attributes.begin(), attributes.end());
      for (const auto& a : attributes) out += " " + a;
      if (pugi::xml_node label = child(c, "label")) {
        std::string resolved = resolve_label(label);
        if (!resolved.empty()) out += " label=" + resolved;
      }
      if (pugi::xml_node hint = child(c, "hint")) {
        std::string resolved = resolve_label(hint);
        if (!resolved.empty()) out += " hint=" + resolved;
      }
      out += items(c);
      out += "\n";
      out += body(c, depth + 1);
    }
    return out;
  }

 private:
  static std::string format_languages(
      const std::map<std::string, std::map<std::string, std::string>>& langs) {
    std::string out = "{";
    for (const auto& [lang, forms] : langs) {
      if (forms.empty()) continue;
      out += lang + ":";
      for (const auto& [form, value] : forms) out += form + "=" + value + ";";
      out += " ";
    }
    return out + "}";
  }

  pugi::xml_node html_;
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> itext_;
};

}  // namespace

CanonicalXForm canonicalize(const std::string& xml) {
  CanonicalXForm out;
  pugi::xml_document doc;
  if (!doc.load_string(xml.c_str())) {
    out.error = "XML does not parse";
    return out;
  }
  pugi::xml_node html = doc.document_element();
  pugi::xml_node head = child(html, "head");
  pugi::xml_node model = child(head, "model");
  Canonicalizer canonicalizer(html);
  out.title = collapse(child(head, "title").text().get());
  if (pugi::xml_node submission = child(model, "submission")) {
    std::vector<std::string> attributes;
    for (pugi::xml_attribute a : submission.attributes())
      attributes.push_back(std::string(a.name()) + "=" + a.value());
    std::sort(attributes.begin(), attributes.end());
    for (const auto& a : attributes) out.submission += a + "\n";
  }
  std::vector<std::string> files, choices;
  bool primary = true;
  for (pugi::xml_node instance : model.children()) {
    if (local(instance.name()) != "instance") continue;
    if (primary) {
      primary = false;
      out.primary_instance = canonicalizer.instance_tree(instance.first_child(), 0);
      continue;
    }
    if (instance.attribute("src")) {
      files.push_back(std::string(instance.attribute("id").value()) + " " +
                      instance.attribute("src").value());
    } else {
      choices.push_back(instance.attribute("id").value());
    }
  }
  std::sort(files.begin(), files.end());
  std::sort(choices.begin(), choices.end());
  for (const auto& f : files) out.file_instances += f + "\n";
  for (const auto& c : choices) out.choice_instances += c + "\n";
  out.binds = canonicalizer.binds(model);
  out.body = canonicalizer.body(child(html, "body"), 0);
  return out;
}

}  // namespace gotong::forms::xlsform::testing
