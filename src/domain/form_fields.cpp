#include "domain/form_fields.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "domain/forms.hpp"
#include "domain/submissions.hpp"
#include "forms/xform/schema.hpp"

namespace gotong::domain::forms {

namespace bj = boost::json;
namespace xf = ::gotong::forms::xform;

namespace {

bj::object texts(const std::map<std::string, std::string>& by_language) {
  bj::object o;
  for (const auto& [lang, text] : by_language) o[lang.empty() ? "default" : lang] = text;
  return o;
}

const char* kind_name(xf::NodeKind k) {
  switch (k) {
    case xf::NodeKind::group: return "group";
    case xf::NodeKind::repeat: return "repeat";
    case xf::NodeKind::field: return "field";
  }
  return "field";
}

bj::object node_json(const xf::Schema& schema, const xf::Node& n) {
  bj::object o{{"path", n.path}, {"name", n.name}, {"kind", kind_name(n.kind)}};
  if (n.kind == xf::NodeKind::field) {
    o["type"] = n.type;
    o["control"] = n.control;
    if (!n.appearance.empty()) o["appearance"] = n.appearance;
    if (!n.mediatype.empty()) o["mediatype"] = n.mediatype;
    if (!n.preload.empty()) o["preload"] = n.preload;
    if (n.is_select()) o["multiple"] = n.multiple();
  }
  if (!n.labels.empty()) o["label"] = texts(n.labels);
  if (!n.hints.empty()) o["hint"] = texts(n.hints);
  if (n.repeat >= 0) o["repeat"] = schema.nodes[static_cast<std::size_t>(n.repeat)].path;
  for (const auto& [key, expr] : {std::pair{"required", &n.required}, std::pair{"relevant", &n.relevant},
                                  std::pair{"constraint", &n.constraint}, std::pair{"calculate", &n.calculate},
                                  std::pair{"readonly", &n.readonly}})
    if (!expr->empty()) o[key] = *expr;
  if (!n.constraint_msg.empty()) o["constraint_message"] = texts(n.constraint_msg);
  if (!n.choices.empty()) {
    bj::array choices;
    for (const auto& ch : n.choices) choices.push_back(bj::object{{"value", ch.value}, {"label", texts(ch.labels)}});
    o["choices"] = std::move(choices);
  }
  if (!n.itemset.empty()) o["itemset"] = n.itemset;
  return o;
}

}  // namespace

bj::object fields(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft) {
  Form f = get(c, s, form_id);
  const auto& version = draft ? f.draft : f.published;
  if (!version) throw Error(ErrorCode::not_found, draft ? "the form has no draft" : "the form is not published yet");
  auto compiled = submissions::compiled_version(c, version->id);
  const xf::Schema& schema = compiled->schema;
  bj::array nodes;
  for (std::size_t i = 1; i < schema.nodes.size(); ++i) nodes.push_back(node_json(schema, schema.nodes[i]));
  bj::array languages;
  for (const auto& l : schema.languages) languages.emplace_back(l);
  return bj::object{{"form_id", schema.form_id},
                    {"version", schema.version},
                    {"title", schema.title},
                    {"languages", std::move(languages)},
                    {"default_language", schema.default_language},
                    {"fields", std::move(nodes)}};
}

}  // namespace gotong::domain::forms
