// Submissions as JSON: answers read from the XML (groups → objects, repeats → arrays), XML built
// from JSON answers (the web app and scripts post JSON), and the API representations.
#include <boost/json.hpp>
#include <charconv>
#include <set>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/submission_rows.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::submissions {

namespace bj = boost::json;
namespace xform = gotong::forms::xform;
namespace xpath = gotong::forms::xpath;

namespace {

void fill_answers(const xform::Schema& schema, const xpath::Instance& in, xpath::NodeId element,
                  const std::string& path, bj::object& out) {
  for (xpath::NodeId ch = in.first_child(element); ch != xpath::kNoNode; ch = in.next_sibling(ch)) {
    std::string name(in.name(ch));
    std::string child_path = path + "/" + name;
    const xform::Node* node = schema.find(child_path);
    if (node && node->kind == xform::NodeKind::repeat) {
      bj::object item;
      fill_answers(schema, in, ch, child_path, item);
      bj::value& slot = out[name];
      if (!slot.is_array()) slot = bj::array();
      slot.as_array().push_back(std::move(item));
    } else if (in.first_child(ch) != xpath::kNoNode || (node && node->kind == xform::NodeKind::group)) {
      bj::object group;
      fill_answers(schema, in, ch, child_path, group);
      out[name] = std::move(group);
    } else {
      out[name] = std::string(in.text(ch));
    }
  }
}

void escape_into(std::string& out, std::string_view s) {
  for (char ch : s) switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(ch);
    }
}

std::string scalar_text(const bj::value& v, const std::string& where) {
  switch (v.kind()) {
    case bj::kind::string: return std::string(v.as_string());
    case bj::kind::int64: return std::to_string(v.as_int64());
    case bj::kind::uint64: return std::to_string(v.as_uint64());
    case bj::kind::double_: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_double());
      return ec == std::errc() ? std::string(buf, end) : std::string();
    }
    case bj::kind::bool_: return v.as_bool() ? "true" : "false";
    case bj::kind::null: return "";
    default: throw invalid_field(where, "must be a string, number or boolean");
  }
}

class XmlBuilder {
 public:
  XmlBuilder(const xform::Schema& schema, std::string_view instance_id) : schema_(schema), instance_id_(instance_id) {}

  std::string build(const bj::object& answers) {
    const xform::Node& root = schema_.nodes.at(0);
    out_ = "<" + root.name + " id=\"";
    escape_into(out_, schema_.form_id);
    out_ += "\"";
    if (!schema_.version.empty()) {
      out_ += " version=\"";
      escape_into(out_, schema_.version);
      out_ += "\"";
    }
    out_ += ">";
    bool has_meta = false;
    for (int child : root.children)
      if (schema_.nodes[static_cast<std::size_t>(child)].name == "meta") has_meta = true;
    children(root, &answers, "");
    if (!has_meta) {
      out_ += "<meta><instanceID>";
      escape_into(out_, instance_id_);
      out_ += "</instanceID></meta>";
    }
    out_ += "</" + root.name + ">";
    if (!errors_.empty()) throw Error(ErrorCode::validation, "the answers name fields the form does not have", errors_);
    return std::move(out_);
  }

 private:
  void children(const xform::Node& parent, const bj::object* answers, const std::string& where) {
    std::set<std::string> known;
    for (int i : parent.children) {
      const xform::Node& n = schema_.nodes[static_cast<std::size_t>(i)];
      known.insert(n.name);
      const bj::value* v = answers ? answers->if_contains(n.name) : nullptr;
      node(n, v, where.empty() ? n.name : where + "." + n.name);
    }
    if (answers)
      for (const auto& [key, value] : *answers)
        if (!known.count(std::string(key)))
          errors_.push_back({where.empty() ? std::string(key) : where + "." + std::string(key), "is not in the form"});
  }

  void node(const xform::Node& n, const bj::value* v, const std::string& where) {
    if (n.kind == xform::NodeKind::repeat) {
      if (!v || v->is_null()) return;
      if (!v->is_array()) throw invalid_field(where, "is a repeat: give an array of objects");
      std::size_t k = 0;
      for (const auto& item : v->as_array()) {
        ++k;
        if (!item.is_object()) throw invalid_field(where, "is a repeat: give an array of objects");
        open(n.name);
        children(n, &item.as_object(), where + "[" + std::to_string(k) + "]");
        close(n.name);
      }
      return;
    }
    if (n.kind == xform::NodeKind::group) {
      if (v && !v->is_null() && !v->is_object()) throw invalid_field(where, "is a group: give an object");
      open(n.name);
      children(n, v && v->is_object() ? &v->as_object() : nullptr, where);
      close(n.name);
      return;
    }
    std::string text;
    if (n.name == "instanceID" && where.starts_with("meta.")) {
      text = std::string(instance_id_);
    } else if (v && v->is_array()) {
      for (const auto& item : v->as_array()) {
        if (!text.empty()) text.push_back(' ');
        text += scalar_text(item, where);
      }
    } else if (v) {
      text = scalar_text(*v, where);
    }
    open(n.name);
    escape_into(out_, text);
    close(n.name);
  }

  void open(const std::string& name) { out_ += "<" + name + ">"; }
  void close(const std::string& name) { out_ += "</" + name + ">"; }

  const xform::Schema& schema_;
  std::string_view instance_id_;
  std::string out_;
  std::vector<FieldError> errors_;
};

bj::value time_or_null(const std::optional<std::int64_t>& t) {
  return t ? bj::value(format_iso8601(*t)) : bj::value();
}

}  // namespace

bj::object answers_json(const xform::Schema& schema, const xform::Submission& sub) {
  bj::object out;
  const auto& in = sub.data;
  if (in.root() == xpath::kNoNode) return out;
  fill_answers(schema, in, in.root(), "/" + std::string(in.name(in.root())), out);
  return out;
}

std::string xml_from_json(const xform::Schema& schema, const bj::object& answers, std::string_view instance_id) {
  if (!instance_id.starts_with("uuid:") || instance_id.size() < 10 || instance_id.size() > 100)
    throw invalid_field("instance_id", "must be \"uuid:\" followed by a UUID the client chose (retries reuse it)");
  for (char ch : instance_id)
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == '<' || ch == '&')
      throw invalid_field("instance_id", "must not contain spaces or markup");
  if (schema.nodes.empty()) throw Error(ErrorCode::internal, "the form has no instance");
  return XmlBuilder(schema, instance_id).build(answers);
}

bj::object to_json(const Summary& s) {
  bj::array issues;
  for (const auto& i : s.issues) issues.push_back(bj::object{{"path", i.path}, {"rule", i.rule}, {"message", i.message}});
  return bj::object{
      {"id", std::to_string(s.id)},
      {"form_id", std::to_string(s.form_id)},
      {"form_version", s.form_version},
      {"instance_id", s.instance_id},
      {"current_instance_id", s.current_instance_id},
      {"instance_name", s.instance_name},
      {"state", s.state},
      {"source", s.source},
      {"device_id", s.device_id},
      {"submitter", s.submitter_id ? bj::value(bj::object{{"id", std::to_string(*s.submitter_id)},
                                                          {"name", s.submitter_name}})
                                   : bj::value()},
      {"area_code", s.area_code ? bj::value(*s.area_code) : bj::value()},
      {"issues", std::move(issues)},
      {"attachments_expected", s.attachments_expected},
      {"attachments_present", s.attachments_present},
      {"submitted_at", format_iso8601(s.submitted_at)},
      {"updated_at", format_iso8601(s.updated_at)},
      {"deleted_at", time_or_null(s.deleted_at)},
      {"version", s.version},
  };
}

bj::object to_json(const Comment& c) {
  return bj::object{{"id", std::to_string(c.id)},
                    {"author", c.author_id ? bj::value(bj::object{{"id", std::to_string(*c.author_id)},
                                                                  {"name", c.author_name}})
                                           : bj::value()},
                    {"body", c.body},
                    {"created_at", format_iso8601(c.created_at)}};
}

bj::object to_json(const Detail& d) {
  bj::object o = to_json(d.summary);
  o["xml"] = d.xml;
  o["answers"] = d.answers;
  bj::array attachments, comments, edits;
  for (const auto& a : d.attachments)
    attachments.push_back(
        bj::object{{"name", a.name}, {"content_type", a.content_type}, {"size", a.size}, {"sha256", a.sha256}});
  for (const auto& c : d.comments) comments.push_back(to_json(c));
  for (const auto& e : d.edits)
    edits.push_back(bj::object{{"id", std::to_string(e.id)},
                               {"instance_id", e.instance_id},
                               {"reason", e.reason},
                               {"edited_by", e.edited_by ? bj::value(bj::object{{"id", std::to_string(*e.edited_by)},
                                                                               {"name", e.edited_by_name}})
                                                         : bj::value()},
                               {"edited_at", format_iso8601(e.edited_at)},
                               {"issue_count", e.issue_count}});
  o["attachments"] = std::move(attachments);
  o["comments"] = std::move(comments);
  o["edits"] = std::move(edits);
  return o;
}

}  // namespace gotong::domain::submissions
