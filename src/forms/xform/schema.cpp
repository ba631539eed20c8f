#include "forms/xform/schema.hpp"

#include <pugixml.hpp>

#include "forms/xform/xml_limits.hpp"

#include <functional>
#include <sstream>

namespace gotong::forms::xform {

namespace {


pugi::xml_node child(pugi::xml_node n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

std::string attr(pugi::xml_node n, std::string_view name) {
  for (auto a : n.attributes())
    if (local_name(a.name()) == name) return a.value();
  return {};
}

std::string inner_text(pugi::xml_node n) {
  std::string out;
  for (auto c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
    else if (c.type() == pugi::node_element) {
      // <output value="/data/x"/> inside a label: keep a readable placeholder.
      if (local_name(c.name()) == "output") {
        std::string v = attr(c, "value");
        out += "${" + v.substr(v.rfind('/') + 1) + "}";
      }
      else out += inner_text(c);
    }
  }
  return out;
}

// itext: translation lang → (text id → {form → value}); the plain form is "".
using Itext = std::map<std::string, std::map<std::string, std::map<std::string, std::string>>>;

Itext read_itext(pugi::xml_node model, std::vector<std::string>& languages, std::string& default_lang) {
  Itext out;
  auto itext = child(model, "itext");
  if (!itext) return out;
  for (auto tr : itext.children()) {
    if (local_name(tr.name()) != "translation") continue;
    std::string lang = attr(tr, "lang");
    languages.push_back(lang);
    std::string def = attr(tr, "default");
    if (!def.empty() && def != "false()") default_lang = lang;
    for (auto text : tr.children()) {
      if (local_name(text.name()) != "text") continue;
      auto& forms = out[lang][attr(text, "id")];
      for (auto value : text.children()) {
        if (local_name(value.name()) != "value") continue;
        forms[attr(value, "form")] = inner_text(value);
      }
    }
  }
  if (default_lang.empty() && !languages.empty()) default_lang = languages.front();
  return out;
}

// A label/hint/message element or attribute: either jr:itext('id') or literal text.
std::map<std::string, std::string> resolve_text(const Itext& itext, std::string_view ref_or_text, bool is_ref,
                                                const std::string& literal) {
  std::map<std::string, std::string> out;
  std::string_view ref = ref_or_text;
  auto open = ref.find("itext(");
  if (is_ref && open != std::string_view::npos) {
    auto q1 = ref.find_first_of("'\"", open);
    auto q2 = q1 == std::string_view::npos ? q1 : ref.find(ref[q1], q1 + 1);
    if (q2 != std::string_view::npos) {
      std::string id(ref.substr(q1 + 1, q2 - q1 - 1));
      for (const auto& [lang, texts] : itext) {
        auto t = texts.find(id);
        if (t == texts.end()) continue;
        auto plain = t->second.find("");
        if (plain != t->second.end()) out[lang] = plain->second;
        else if (!t->second.empty()) out[lang] = t->second.begin()->second;
      }
      return out;
    }
  }
  if (!literal.empty()) out[""] = literal;
  return out;
}

std::map<std::string, std::string> text_of(const Itext& itext, pugi::xml_node n) {
  if (!n) return {};
  std::string ref = attr(n, "ref");
  return resolve_text(itext, ref, !ref.empty(), inner_text(n));
}

void check_depth(pugi::xml_node n, int depth) {
  if (depth > kMaxXmlDepth) throw XFormError("the form nests deeper than " + std::to_string(kMaxXmlDepth) + " levels");
  for (auto c : n.children())
    if (c.type() == pugi::node_element) check_depth(c, depth + 1);
}

}  // namespace

const Node* Schema::find(std::string_view path) const {
  int i = index_of(path);
  return i < 0 ? nullptr : &nodes[static_cast<std::size_t>(i)];
}

int Schema::index_of(std::string_view path) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].path == path) return static_cast<int>(i);
  return -1;
}

std::string Schema::label_in(const std::map<std::string, std::string>& labels, std::string_view lang,
                             std::string_view fallback_lang, std::string_view name) {
  for (auto l : {lang, fallback_lang, std::string_view()}) {
    auto it = labels.find(std::string(l));
    if (it != labels.end() && !it->second.empty()) return it->second;
  }
  for (const auto& [l, text] : labels)
    if (!text.empty()) return text;
  return std::string(name);
}

Schema read_schema(std::string_view xml) {
  if (xml.find("<!DOCTYPE") != std::string_view::npos || xml.find("<!ENTITY") != std::string_view::npos)
    throw XFormError("the XForm contains a DOCTYPE; document type declarations are not allowed");
  pugi::xml_document doc;
  auto ok = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!ok)
    throw XFormError(std::string("the XForm is not well-formed XML: ") + ok.description() + " at byte " +
                     std::to_string(ok.offset));
  auto html = doc.document_element();
  check_depth(html, 0);
  auto head = child(html, "head");
  auto model = head ? child(head, "model") : pugi::xml_node();
  if (!model) throw XFormError("the XForm has no <model> in <h:head>");
  Schema s;
  s.title = inner_text(child(head, "title"));
  Itext itext = read_itext(model, s.languages, s.default_language);

  pugi::xml_node primary;
  for (auto inst : model.children()) {
    if (local_name(inst.name()) != "instance") continue;
    std::string id = attr(inst, "id");
    if (id.empty() && !primary) {
      primary = inst;
    } else if (!id.empty()) {
      std::ostringstream os;
      for (auto c : inst.children()) c.print(os, "", pugi::format_raw);
      s.secondary_instances[id] = os.str();
    }
  }
  auto root = primary ? primary.first_child() : pugi::xml_node();
  while (root && root.type() != pugi::node_element) root = root.next_sibling();
  if (!root) throw XFormError("the XForm has no primary <instance> with a root element");
  s.root = root.name();
  s.form_id = attr(root, "id");
  if (s.form_id.empty()) throw XFormError("the primary instance's root element has no id attribute (the form id)");
  s.version = attr(root, "version");

  // Instance tree → nodes (groups for elements with children, fields for leaves).
  std::function<void(pugi::xml_node, const std::string&, int, int)> walk =
      [&](pugi::xml_node el, const std::string& parent_path, int parent, int repeat) {
        for (auto c : el.children()) {
          if (c.type() != pugi::node_element) continue;
          Node n;
          n.name = c.name();
          n.path = parent_path + "/" + n.name;
          n.parent = parent;
          n.repeat = repeat;
          bool has_children = false;
          for (auto cc : c.children()) has_children = has_children || cc.type() == pugi::node_element;
          n.kind = has_children ? NodeKind::group : NodeKind::field;
          int index = static_cast<int>(s.nodes.size());
          // The template and the default repeat instances share a path: keep the first.
          if (s.index_of(n.path) >= 0) continue;
          s.nodes.push_back(n);
          s.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
          if (has_children) walk(c, n.path, index, repeat);
        }
      };
  Node top;
  top.kind = NodeKind::group;
  top.name = s.root;
  top.path = "/" + s.root;
  s.nodes.push_back(top);
  walk(root, top.path, 0, -1);

  for (auto bind : model.children()) {
    if (local_name(bind.name()) != "bind") continue;
    std::string nodeset = attr(bind, "nodeset");
    if (nodeset.empty()) nodeset = attr(bind, "ref");
    int i = s.index_of(nodeset);
    if (i < 0) throw XFormError("a <bind> refers to " + nodeset + ", which is not in the primary instance");
    Node& n = s.nodes[static_cast<std::size_t>(i)];
    std::string type = attr(bind, "type");
    if (!type.empty()) n.type = std::string(local_name(type));
    n.required = attr(bind, "required");
    n.relevant = attr(bind, "relevant");
    n.constraint = attr(bind, "constraint");
    n.calculate = attr(bind, "calculate");
    n.readonly = attr(bind, "readonly");
    n.preload = attr(bind, "preload");
    n.preload_params = attr(bind, "preloadParams");
    std::string cm = attr(bind, "constraintMsg"), rm = attr(bind, "requiredMsg");
    n.constraint_msg = resolve_text(itext, cm, cm.find("itext(") != std::string::npos, cm);
    n.required_msg = resolve_text(itext, rm, rm.find("itext(") != std::string::npos, rm);
  }

  // Body controls: labels, hints, choices, appearance; repeats.
  auto body = child(html, "body");
  std::function<void(pugi::xml_node, int)> controls = [&](pugi::xml_node el, int depth) {
    for (auto c : el.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string tag(local_name(c.name()));
      std::string ref = attr(c, "ref");
      if (tag == "repeat") ref = attr(c, "nodeset");
      int i = ref.empty() ? -1 : s.index_of(ref);
      if (i >= 0) {
        Node& n = s.nodes[static_cast<std::size_t>(i)];
        n.appearance = attr(c, "appearance");
        if (n.labels.empty()) n.labels = text_of(itext, child(c, "label"));
        n.hints = text_of(itext, child(c, "hint"));
        if (tag == "repeat") {
          n.kind = NodeKind::repeat;
        } else if (tag != "group") {
          n.control = std::string(c.name()) == "odk:rank" ? "odk:rank" : tag;
          n.mediatype = attr(c, "mediatype");
          for (auto item : c.children()) {
            std::string it(local_name(item.name()));
            if (it == "item") {
              Choice ch;
              ch.value = inner_text(child(item, "value"));
              ch.labels = text_of(itext, child(item, "label"));
              n.choices.push_back(std::move(ch));
            } else if (it == "itemset") {
              n.itemset = attr(item, "nodeset");
            }
          }
        }
      }
      if (depth < kMaxXmlDepth) controls(c, depth + 1);
    }
  };
  if (body) controls(body, 0);

  // Repeat membership: every node under a repeat points at its nearest repeat.
  for (std::size_t i = 1; i < s.nodes.size(); ++i) {
    int p = s.nodes[i].parent;
    s.nodes[i].repeat = -1;
    if (p >= 0) {
      const Node& parent = s.nodes[static_cast<std::size_t>(p)];
      s.nodes[i].repeat = parent.kind == NodeKind::repeat ? p : parent.repeat;
    }
  }

  // Itemsets over a static secondary instance without a filter: list its choices so that
  // values can be checked and labelled. Filtered itemsets are checked against the whole list.
  for (auto& n : s.nodes) {
    if (n.itemset.empty() || !n.choices.empty()) continue;
    auto q1 = n.itemset.find_first_of("'\"");
    auto q2 = q1 == std::string::npos ? q1 : n.itemset.find(n.itemset[q1], q1 + 1);
    if (q2 == std::string::npos) continue;
    auto inst = s.secondary_instances.find(n.itemset.substr(q1 + 1, q2 - q1 - 1));
    if (inst == s.secondary_instances.end()) continue;
    pugi::xml_document sec;
    if (!sec.load_buffer(inst->second.data(), inst->second.size())) continue;
    for (auto item : sec.document_element().children()) {
      if (item.type() != pugi::node_element) continue;
      Choice ch;
      ch.value = inner_text(child(item, "name"));
      if (ch.value.empty()) ch.value = inner_text(child(item, "value"));
      auto itext_id = inner_text(child(item, "itextId"));
      if (!itext_id.empty()) ch.labels = resolve_text(itext, "jr:itext('" + itext_id + "')", true, "");
      else ch.labels = text_of(itext, child(item, "label"));
      n.choices.push_back(std::move(ch));
    }
  }
  return s;
}

}  // namespace gotong::forms::xform
