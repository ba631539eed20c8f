#include "forms/xform/submission.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <pugixml.hpp>
#include <unordered_map>

#include "forms/xform/xml_limits.hpp"
#include "forms/xpath/expression.hpp"

namespace gotong::forms::xform {

namespace {


void copy_element(pugi::xml_node from, xpath::Instance& to, xpath::NodeId parent, int depth) {
  if (depth > kMaxXmlDepth) throw SubmissionError("the submission nests deeper than 64 levels");
  // Text made of several pieces (text around comments, CDATA sections) is joined; a single
  // piece, the usual case, is copied straight into the instance.
  std::string joined;
  std::string_view text;
  int pieces = 0;
  for (auto c : from.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      if (++pieces == 1) {
        text = c.value();
        continue;
      }
      if (pieces == 2) joined = text;
      joined += c.value();
      text = joined;
    }
  xpath::NodeId id = to.add_element(parent, from.name(), text);
  for (auto a : from.attributes()) to.set_attribute(id, a.name(), a.value());
  for (auto c : from.children())
    if (c.type() == pugi::node_element) copy_element(c, to, id, depth + 1);
}

std::string meta_value(const xpath::Instance& data, std::string_view name) {
  xpath::NodeId root = data.root();
  for (xpath::NodeId c = data.first_child(root); c != xpath::kNoNode; c = data.next_sibling(c)) {
    if (local_name(data.name(c)) != "meta") continue;
    for (xpath::NodeId m = data.first_child(c); m != xpath::kNoNode; m = data.next_sibling(m))
      if (local_name(data.name(m)) == name) return std::string(data.text(m));
  }
  return {};
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2))) return false;
  int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

bool valid_time(std::string_view s) {
  // hh:mm[:ss[.fff]][Z|±hh:mm]
  if (s.size() < 5 || s[2] != ':' || !all_digits(s.substr(0, 2)) || !all_digits(s.substr(3, 2))) return false;
  std::size_t i = 5;
  if (i < s.size() && s[i] == ':') {
    if (!all_digits(s.substr(i + 1, 2))) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
  }
  std::string_view zone = s.substr(i);
  return zone.empty() || zone == "Z" ||
         ((zone[0] == '+' || zone[0] == '-') && zone.size() == 6 && zone[3] == ':' && all_digits(zone.substr(1, 2)) &&
          all_digits(zone.substr(4, 2)));
}

bool valid_point(std::string_view s) {
  double parts[4];
  int n = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) {
      if (n == 4 || !parse_double(s.substr(i, j - i), parts[n])) return false;
      ++n;
    }
    i = j;
  }
  return n >= 2 && std::fabs(parts[0]) <= 90 && std::fabs(parts[1]) <= 180;
}

bool valid_points(std::string_view s, std::size_t min_points) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find(';', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view p = s.substr(i, j - i);
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    if (!p.empty()) {
      if (!valid_point(p)) return false;
      ++count;
    }
    i = j + 1;
  }
  return count >= min_points;
}

}  // namespace

bool valid_for_type(std::string_view type, std::string_view v) {
  if (type == "int" || type == "integer" || type == "long" || type == "short") {
    std::string_view digits = v;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    return all_digits(digits) && digits.size() <= 18;
  }
  if (type == "decimal" || type == "double" || type == "float") {
    double d;
    return v.find_first_of("xXpP") == std::string_view::npos && v.find("inf") == std::string_view::npos &&
           parse_double(v[0] == '+' ? v.substr(1) : v, d);
  }
  if (type == "date") return valid_date(v);
  if (type == "time") return valid_time(v);
  if (type == "dateTime") return v.size() > 11 && v[10] == 'T' && valid_date(v.substr(0, 10)) && valid_time(v.substr(11));
  if (type == "geopoint") return valid_point(v);
  if (type == "geotrace") return valid_points(v, 2);
  if (type == "geoshape") return valid_points(v, 3);
  return true;
}

Submission read_submission(std::string_view xml) {
  if (xml.find("<!DOCTYPE") != std::string_view::npos || xml.find("<!ENTITY") != std::string_view::npos)
    throw SubmissionError("the submission contains a DOCTYPE; document type declarations are not allowed");
  pugi::xml_document doc;
  auto ok = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!ok)
    throw SubmissionError(std::string("the submission is not well-formed XML: ") + ok.description() +
                          " at byte " + std::to_string(ok.offset));
  auto root = doc.document_element();
  if (!root) throw SubmissionError("the submission has no root element");
  Submission s;
  // Every element name and text fits in the XML's own size: one allocation for the text pool.
  s.data.reserve(xml.size() / 24 + 8, xml.size());
  s.root = root.name();
  s.form_id = root.attribute("id").value();
  s.version = root.attribute("version").value();
  copy_element(root, s.data, s.data.document(), 0);
  s.instance_id = meta_value(s.data, "instanceID");
  s.deprecated_id = meta_value(s.data, "deprecatedID");
  s.instance_name = meta_value(s.data, "instanceName");
  if (s.form_id.empty()) throw SubmissionError("the submission's root element has no id attribute (the form id)");
  if (s.instance_id.empty()) throw SubmissionError("the submission has no meta/instanceID");
  if (s.instance_id.size() > 200) throw SubmissionError("the instanceID is longer than 200 characters");
  return s;
}

struct Validator::Impl {
  const Schema& schema;
  int tz;
  std::vector<xpath::Expression> required, relevant, constraint;  // per schema node; empty when none
  // Per group or repeat node: child name → position in its `children` (read_schema keeps one
  // node per path, so sibling names are unique).
  std::vector<std::unordered_map<std::string_view, std::uint32_t>> child_positions;
  xpath::InstanceSet secondary;

  Impl(const Schema& s, int tz_minutes) : schema(s), tz(tz_minutes) {
    auto compile = [](const std::string& text) {
      if (text.empty()) return xpath::Expression();
      try {
        return xpath::compile(text);
      } catch (const xpath::ExpressionError&) {
        return xpath::Expression();  // a form that slipped past checks: do not blame the data
      }
    };
    for (const auto& n : s.nodes) {
      required.push_back(n.required == "true()" || n.required.empty() || n.required == "false()" ? xpath::Expression()
                                                                                                 : compile(n.required));
      relevant.push_back(compile(n.relevant));
      constraint.push_back(compile(n.constraint));
      auto& positions = child_positions.emplace_back();
      for (std::uint32_t i = 0; i < n.children.size(); ++i)
        positions.emplace(s.nodes[static_cast<std::size_t>(n.children[i])].name, i);
    }
    for (const auto& [id, xml] : s.secondary_instances) {
      pugi::xml_document doc;
      if (!doc.load_buffer(xml.data(), xml.size())) continue;
      xpath::Instance inst;
      try {
        copy_element(doc.document_element(), inst, inst.document(), 0);
      } catch (const SubmissionError&) {
        continue;
      }
      secondary.add(id, std::move(inst));
    }
  }

  xpath::EvalContext context_for(const Submission& sub, xpath::NodeId element) const {
    xpath::EvalContext ctx;
    ctx.context = sub.data.node(element);
    ctx.main = &sub.data;
    ctx.instances = &secondary;
    ctx.timezone_offset_minutes = tz;
    ctx.contextualize_repeats = true;  // `${age}` inside a repeat means this member's age
    return ctx;
  }

  // nullopt when the rule could not be evaluated (our engine's limits are not the data's fault).
  std::optional<bool> eval(const xpath::Expression& e, const Submission& sub, xpath::NodeId element) const {
    try {
      return e.evaluate_boolean(context_for(sub, element));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  static std::string message(const std::map<std::string, std::string>& msgs, const Schema& s, std::string fallback) {
    if (msgs.empty()) return fallback;
    return Schema::label_in(msgs, s.default_language, s.default_language, fallback);
  }

  static std::string indexed_path(const xpath::Instance& data, xpath::NodeId e) {
    std::string path;
    for (xpath::NodeId n = e; n != data.document() && n != xpath::kNoNode; n = data.parent(n)) {
      std::string step = "/" + std::string(data.name(n));
      // Index among same-named siblings when there is more than one (repeats).
      std::uint32_t index = 1, same = 0;
      xpath::NodeId p = data.parent(n);
      if (p != xpath::kNoNode && p != data.document())
        for (xpath::NodeId c = data.first_child(p); c != xpath::kNoNode; c = data.next_sibling(c))
          if (data.name(c) == data.name(n)) {
            ++same;
            if (c == n) index = same;
          }
      if (same > 1) step += "[" + std::to_string(index) + "]";
      path = step + path;
    }
    return path;
  }

  void check_field(const Submission& sub, int ni, xpath::NodeId element, std::vector<Issue>& out) const {
    const Node& n = schema.nodes[static_cast<std::size_t>(ni)];
    std::string_view value = element == xpath::kNoNode ? std::string_view() : sub.data.text(element);
    // The indexed path costs a walk over siblings: only made when there is an issue to report.
    auto path_of = [&] { return element == xpath::kNoNode ? n.path : indexed_path(sub.data, element); };
    bool is_required = n.required == "true()";
    if (!is_required && !required[static_cast<std::size_t>(ni)].empty() && element != xpath::kNoNode)
      is_required = eval(required[static_cast<std::size_t>(ni)], sub, element).value_or(false);
    if (value.empty()) {
      if (is_required && n.calculate.empty())
        out.push_back({path_of(), "required", message(n.required_msg, schema, "a value is required")});
      return;
    }
    if (!valid_for_type(n.type, value)) {
      out.push_back({path_of(), "type", "'" + std::string(value.substr(0, 100)) + "' is not a valid " + n.type});
      return;
    }
    if (n.is_select() && !n.choices.empty()) {
      std::size_t i = 0;
      while (i < value.size()) {
        std::size_t j = value.find(' ', i);
        if (j == std::string_view::npos) j = value.size();
        std::string_view v = value.substr(i, j - i);
        bool known = v.empty();
        for (std::size_t k = 0; !known && k < n.choices.size(); ++k) known = n.choices[k].value == v;
        if (!known) {
          out.push_back({path_of(), "choice", "'" + std::string(v.substr(0, 100)) + "' is not one of the choices"});
          break;
        }
        if (!n.multiple()) {
          if (j != value.size()) out.push_back({path_of(), "choice", "only one choice may be selected"});
          break;
        }
        i = j + 1;
      }
    }
    const auto& c = constraint[static_cast<std::size_t>(ni)];
    if (!c.empty() && element != xpath::kNoNode && eval(c, sub, element) == false)
      out.push_back(
          {path_of(), "constraint", message(n.constraint_msg, schema, "the value breaks the rule " + n.constraint)});
  }

  // Checks the children of schema node `ni` inside instance element `element`, in the schema's
  // order (so issues come in the form's order), each with every instance element of its name.
  void check_children(const Submission& sub, int ni, xpath::NodeId element, std::vector<Issue>& out) const {
    const auto& children = schema.nodes[static_cast<std::size_t>(ni)].children;
    const auto& positions = child_positions[static_cast<std::size_t>(ni)];
    // One pass over the instance's children instead of one per schema child: a 40-question
    // group compared names 1,600 times per submission.
    std::vector<std::pair<std::uint32_t, xpath::NodeId>> matched;  // (position in `children`, element)
    if (element != xpath::kNoNode) {
      for (xpath::NodeId e = sub.data.first_child(element); e != xpath::kNoNode; e = sub.data.next_sibling(e))
        if (auto it = positions.find(sub.data.name(e)); it != positions.end())
          matched.emplace_back(it->second, e);
      // Stable: a repeat's entries stay in document order. Usually sorted already.
      if (!std::is_sorted(matched.begin(), matched.end()))
        std::stable_sort(matched.begin(), matched.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    std::size_t next = 0;
    for (std::uint32_t pos = 0; pos < children.size(); ++pos) {
      const int ci = children[pos];
      const Node& c = schema.nodes[static_cast<std::size_t>(ci)];
      bool found = false;
      for (; next < matched.size() && matched[next].first == pos; ++next) {
        found = true;
        check_node(sub, ci, matched[next].second, out);
      }
      // Absent fields outside repeats still count for "required" (a repeat may have 0 entries).
      if (!found && c.kind == NodeKind::field && c.relevant.empty()) check_field(sub, ci, xpath::kNoNode, out);
    }
  }

  void check_node(const Submission& sub, int ni, xpath::NodeId element, std::vector<Issue>& out) const {
    const auto& rel = relevant[static_cast<std::size_t>(ni)];
    // Not relevant: ODK clears such values and applies no rule to them or their children.
    if (!rel.empty() && eval(rel, sub, element) == false) return;
    if (schema.nodes[static_cast<std::size_t>(ni)].kind == NodeKind::field) check_field(sub, ni, element, out);
    else check_children(sub, ni, element, out);
  }
};

Validator::Validator(const Schema& schema, int tz) : impl_(std::make_unique<Impl>(schema, tz)) {}
Validator::~Validator() = default;
Validator::Validator(Validator&&) noexcept = default;

std::vector<Issue> Validator::validate(const Submission& s) const {
  std::vector<Issue> out;
  impl_->check_children(s, 0, s.data.root(), out);
  return out;
}

}  // namespace gotong::forms::xform
