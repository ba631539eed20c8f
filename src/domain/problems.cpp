#include "domain/problems.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/areas.hpp"
#include "domain/audit.hpp"
#include "domain/form_fields.hpp"
#include "domain/program_fields.hpp"

namespace gotong::domain::problems {

namespace bj = boost::json;

namespace {

template <std::size_t N>
bool one_of(std::string_view v, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* k) { return v == k; });
}

constexpr const char* kColumns =
    "p.id, p.title, p.description, p.area_id, a.name, a.code, a.full_name, p.affected_groups, p.source, "
    "p.tags, p.status, p.created_by, p.created_at, p.updated_at, p.deleted_at, p.version, p.tree_version, "
    "CASE WHEN EXISTS (SELECT 1 FROM problem_tree_nodes n WHERE n.problem_id = p.id) THEN 1 ELSE 0 END";
constexpr const char* kFrom = " FROM problems p LEFT JOIN areas a ON a.id = p.area_id";

Problem from_row(const db::Row& r) {
  Problem p;
  p.id = r.int_at(0);
  p.title = r.text_at(1);
  p.description = r.text_at(2);
  if (!r.null_at(3)) p.area = AreaRef{r.int_at(3), r.text_at(4), r.text_at(5), r.text_at(6)};
  const bj::value groups = json::parse(r.text_at(7));
  for (const auto& g : groups.as_array()) {
    const auto& o = g.as_object();
    AffectedGroup ag{std::string(o.at("name").as_string()), std::nullopt};
    if (o.at("count").is_int64()) ag.count = o.at("count").as_int64();
    p.affected_groups.push_back(std::move(ag));
  }
  p.source = r.text_at(8);
  const bj::value tags = json::parse(r.text_at(9));
  for (const auto& g : tags.at("sdg_goals").as_array()) p.sdg_goals.push_back(static_cast<int>(g.as_int64()));
  for (const auto& t : tags.at("sectors").as_array()) p.sectors.emplace_back(t.as_string());
  p.status = r.text_at(10);
  p.created_by = r.opt_int(11);
  p.created_at = r.int_at(12);
  p.updated_at = r.int_at(13);
  p.deleted_at = r.opt_int(14);
  p.version = r.int_at(15);
  p.tree_version = r.int_at(16);
  p.has_tree = r.int_at(17) != 0;
  return p;
}

std::string sector_key(std::string_view sector) {
  std::string k = text::fold(sector);
  std::replace(k.begin(), k.end(), ' ', '-');
  return k;
}

std::string groups_text(const std::vector<AffectedGroup>& groups) {
  bj::array a;
  for (const auto& g : groups)
    a.push_back(bj::object{{"name", g.name}, {"count", g.count ? bj::value(*g.count) : bj::value()}});
  return json::serialize(a);
}

std::string tags_text(const Problem& p) {
  bj::array goals, sectors;
  for (int g : p.sdg_goals) goals.emplace_back(g);
  for (const auto& s : p.sectors) sectors.emplace_back(s);
  return json::serialize(bj::object{{"sdg_goals", std::move(goals)}, {"sectors", std::move(sectors)}});
}

// Space-delimited so that LIKE '% sdg:1 %' cannot match sdg:18: folded text and the keys hold
// only [a-z0-9:-], none of them LIKE wildcards.
std::string tag_key_text(const Problem& p) {
  std::string out = " ";
  for (int g : p.sdg_goals) out += "sdg:" + std::to_string(g) + " ";
  for (const auto& s : p.sectors) out += "sector:" + sector_key(s) + " ";
  return out;
}

std::string search_key(const Problem& p) {
  std::string all = p.title + " " + p.description;
  for (const auto& g : p.affected_groups) all += " " + g.name;
  return text::fold(all);
}

std::optional<std::int64_t> user_or_null(const OrgScope& s) {
  return s.actor().user_id ? std::optional(s.actor().user_id) : std::nullopt;
}

// Fills in the evidence of every problem of `ps` with one query (a page of a list, or one problem).
void attach_evidence(db::Connection& c, std::vector<Problem>& ps) {
  if (ps.empty()) return;
  db::Params ids;
  std::string in;
  std::map<std::int64_t, Problem*> by_id;
  for (auto& p : ps) {
    ids.push_back(p.id);
    in += (in.empty() ? "$" : ", $") + std::to_string(ids.size());
    by_id[p.id] = &p;
    p.evidence.clear();
  }
  for (const auto& r :
       c.query("SELECT e.id, e.kind, e.form_id, f.title, e.reference, e.note, e.created_by, "
               "e.created_at, e.problem_id FROM problem_evidence e LEFT JOIN forms f ON f.id = e.form_id "
               "WHERE e.problem_id IN (" +
                   in + ") ORDER BY e.id",
               ids))
    by_id.at(r.int_at(8))
        ->evidence.push_back({r.int_at(0), r.text_at(1), r.opt_int(2), r.text_at(3), r.text_at(4),
                              r.text_at(5), r.opt_int(6), r.int_at(7)});
}

std::vector<AffectedGroup> parse_groups(const bj::value& v) {
  if (!v.is_array()) throw invalid_field("affected_groups", "must be an array of {name, count}");
  const auto& a = v.get_array();
  if (a.size() > 50) throw invalid_field("affected_groups", "must have at most 50 groups");
  std::vector<AffectedGroup> out;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "affected_groups[" + std::to_string(i) + "]";
    if (!a[i].is_string() && !a[i].is_object())
      throw invalid_field(at, "must be a name or an object {name, count}");
    // A plain name is short for {name}.
    const bj::object o = a[i].is_string() ? bj::object{{"name", a[i]}} : a[i].get_object();
    AffectedGroup g;
    try {
      g.name = *fields::text(o, "name", 200, true);
      if (auto n = fields::bounded_int(o, "count", 0, 1'000'000'000, true)) g.count = *n;
    } catch (const Error& e) {
      if (e.details().empty()) throw;
      throw invalid_field(at + "." + e.details().front().field, e.details().front().message);
    }
    std::string key = text::fold(g.name);
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw invalid_field(at + ".name", "names the group '" + g.name + "' twice");
    seen.push_back(std::move(key));
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<int> parse_goals(const bj::value& v) {
  if (!v.is_array()) throw invalid_field("sdg_goals", "must be an array of SDGs Desa goal numbers 1–18");
  std::vector<int> out;
  const auto& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_int64() || a[i].get_int64() < 1 || a[i].get_int64() > kSdgGoals)
      throw invalid_field("sdg_goals[" + std::to_string(i) + "]",
                          "must be an SDGs Desa goal number from 1 to 18");
    int g = static_cast<int>(a[i].get_int64());
    if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> parse_sectors(const bj::value& v) {
  if (!v.is_array()) throw invalid_field("sectors", "must be an array of sector names");
  const auto& a = v.get_array();
  if (a.size() > 20) throw invalid_field("sectors", "must have at most 20 sectors");
  std::vector<std::string> out, keys;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "sectors[" + std::to_string(i) + "]";
    if (!a[i].is_string()) throw invalid_field(at, "must be a sector name");
    std::string name = text::trim(std::string_view(a[i].get_string()));
    if (name.size() > 80) throw invalid_field(at, "must have at most 80 bytes");
    if (!text::is_clean_utf8(name)) throw invalid_field(at, "must be text without control characters");
    std::string key = sector_key(name);
    if (key.empty()) throw invalid_field(at, "must contain letters or digits");
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;  // "Air bersih" = "air  bersih"
    keys.push_back(std::move(key));
    out.push_back(std::move(name));
  }
  return out;
}

void check_version(const Problem& p, std::int64_t expected) {
  if (p.version != expected)
    throw Error(ErrorCode::precondition_failed, "the problem was changed by someone else; reload it");
}

// Error(validation) on area_id unless the organisation can see the area.
void check_area(db::Connection& c, const OrgScope& s, std::int64_t area_id) {
  try {
    areas::get(c, s, area_id);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::not_found) throw;
    throw invalid_field("area_id", "is not an area this organisation can see");
  }
}

Problem load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE p.id = $1 AND p.org_id = $2",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no problem " + std::to_string(id));
  std::vector<Problem> one{from_row(*row)};
  attach_evidence(c, one);
  return std::move(one.front());
}

void write_row(db::Connection& c, const Problem& p, std::int64_t now) {
  c.exec(
      "UPDATE problems SET title = $1, description = $2, area_id = $3, affected_groups = $4, source = $5, "
      "tags = $6, tag_key = $7, status = $8, search_key = $9, updated_at = $10, version = version + 1 "
      "WHERE id = $11",
      {p.title, p.description, p.area ? db::Value(p.area->id) : db::Value(), groups_text(p.affected_groups),
       p.source, tags_text(p), tag_key_text(p), p.status, search_key(p), now, p.id});
}

}  // namespace

std::string tag_key(std::string_view tag, const std::string& field) {
  std::string t = text::trim(tag);
  int goal = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), goal);
  if (!t.empty() && ec == std::errc() && end == t.data() + t.size()) {
    if (goal < 1 || goal > kSdgGoals)
      throw invalid_field(field, "an SDGs Desa goal is a number from 1 to 18");
    return "sdg:" + std::to_string(goal);
  }
  std::string key = sector_key(t);
  if (key.empty()) throw invalid_field(field, "must be an SDGs Desa goal number or a sector name");
  return "sector:" + key;
}

Input parse_input(const bj::object& body) {
  Input in;
  in.title = fields::text(body, "title", 200);
  if (in.title && in.title->empty()) throw invalid_field("title", "must not be empty");
  in.description = fields::text(body, "description", 20000);
  in.source = json::optional_string(body, "source", 40);
  if (in.source && !one_of(*in.source, kSources))
    throw invalid_field("source", "must be musyawarah_desa, survey, observation, government_data or other");
  in.status = json::optional_string(body, "status", 40);
  if (in.status && !one_of(*in.status, kStatuses))
    throw invalid_field("status", "must be open, addressed or dropped");
  in.area_id = fields::nullable_id(body, "area_id");
  if (auto it = body.find("affected_groups"); it != body.end() && !it->value().is_null())
    in.affected_groups = parse_groups(it->value());
  if (auto it = body.find("sdg_goals"); it != body.end() && !it->value().is_null())
    in.sdg_goals = parse_goals(it->value());
  if (auto it = body.find("sectors"); it != body.end() && !it->value().is_null())
    in.sectors = parse_sectors(it->value());
  return in;
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  db::Params params{s.org_id()};
  std::string where = " WHERE p.org_id = $1";
  auto next = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  where += f.deleted ? " AND p.deleted_at IS NOT NULL" : " AND p.deleted_at IS NULL";
  if (f.source) {
    if (!one_of(*f.source, kSources))
      throw invalid_field("source", "must be musyawarah_desa, survey, observation, government_data or other");
    where += " AND p.source = " + next(*f.source);
  }
  if (f.status) {
    if (!one_of(*f.status, kStatuses)) throw invalid_field("status", "must be open, addressed or dropped");
    where += " AND p.status = " + next(*f.status);
  }
  if (f.tag) where += " AND p.tag_key LIKE " + next("% " + tag_key(*f.tag) + " %");
  if (f.area_id) {
    areas::get(c, s, *f.area_id);  // 404 for an area the organisation cannot see
    const std::string n = next(*f.area_id);
    // The area itself and everything below it: codes nest as "53.02.03.2003.01".
    where += " AND EXISTS (SELECT 1 FROM areas pa JOIN areas t ON t.id = " + n +
             " WHERE pa.id = p.area_id AND (pa.id = t.id OR substr(pa.code, 1, length(t.code) + 1) = t.code "
             "|| '.'))";
  }
  if (f.text) {
    auto words = text::words(text::fold(*f.text));
    if (words.size() > 8) words.resize(8);
    for (const auto& w : words) where += " AND p.search_key LIKE " + next("%" + w + "%");  // [a-z0-9] only
  }
  if (cursor) {
    std::int64_t before = 0;
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), before);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || before <= 0)
      throw Error(ErrorCode::bad_request, "cursor is not one this server gave out");
    where += " AND p.id < " + next(before);
  }
  Page page;
  auto rows = c.query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY p.id DESC LIMIT " +
                          std::to_string(limit + 1),
                      params);
  for (const auto& r : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = std::to_string(page.items.back().id);
      break;
    }
    page.items.push_back(from_row(r));
  }
  attach_evidence(c, page.items);
  return page;
}

Problem get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  return load(c, s, id);
}

Problem create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::edit_programs);
  if (!in.title) throw invalid_field("title", "is required");
  Problem p;
  p.title = *in.title;
  p.description = in.description.value_or("");
  p.source = in.source.value_or("other");
  p.status = in.status.value_or("open");
  p.affected_groups = in.affected_groups.value_or(std::vector<AffectedGroup>{});
  p.sdg_goals = in.sdg_goals.value_or(std::vector<int>{});
  p.sectors = in.sectors.value_or(std::vector<std::string>{});
  std::optional<std::int64_t> area_id = in.area_id ? *in.area_id : std::nullopt;
  if (area_id) check_area(c, s, *area_id);
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO problems(org_id, title, description, area_id, affected_groups, source, tags, tag_key, "
      "status, "
      "search_key, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) "
      "RETURNING id",
      {s.org_id(), p.title, p.description, area_id, groups_text(p.affected_groups), p.source, tags_text(p),
       tag_key_text(p), p.status, search_key(p), user_or_null(s), now});
  Problem out = load(c, s, row->int_at(0));
  audit::record(c, s, {{}, "problem.create", "problem", std::to_string(out.id), {}, to_json(out)});
  return out;
}

Problem update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
               const Input& in) {
  s.require(Permission::edit_programs);
  Problem before = load(c, s, id);
  check_version(before, expected_version);
  if (before.deleted_at)
    throw Error(ErrorCode::conflict, "the problem is in the bin; restore it before editing");
  Problem p = before;
  if (in.title) p.title = *in.title;
  if (in.description) p.description = *in.description;
  if (in.source) p.source = *in.source;
  if (in.status) p.status = *in.status;
  if (in.affected_groups) p.affected_groups = *in.affected_groups;
  if (in.sdg_goals) p.sdg_goals = *in.sdg_goals;
  if (in.sectors) p.sectors = *in.sectors;
  if (in.area_id) {
    if (*in.area_id) {
      check_area(c, s, **in.area_id);
      p.area = AreaRef{**in.area_id, {}, {}, {}};
    } else {
      p.area.reset();
    }
  }
  write_row(c, p, now_millis());
  Problem after = load(c, s, id);
  audit::record(c, s, {{}, "problem.update", "problem", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

namespace {
// Into the bin or back: nothing is erased, so sessions, programs and trees naming it stay whole.
Problem set_in_bin(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   bool in_bin) {
  s.require(Permission::edit_programs);
  Problem before = load(c, s, id);
  check_version(before, expected_version);
  if (in_bin == before.deleted_at.has_value())
    throw Error(ErrorCode::conflict,
                in_bin ? "the problem is already in the bin" : "the problem is not in the bin");
  const auto now = now_millis();
  c.exec("UPDATE problems SET deleted_at = $1, updated_at = $2, version = version + 1 WHERE id = $3",
         {in_bin ? db::Value(now) : db::Value(), now, id});
  Problem after = load(c, s, id);
  audit::record(c, s,
                {{},
                 in_bin ? "problem.delete" : "problem.restore",
                 "problem",
                 std::to_string(id),
                 to_json(before),
                 to_json(after)});
  return after;
}
}  // namespace

Problem remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  return set_in_bin(c, s, id, expected_version, true);
}

Problem restore(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  return set_in_bin(c, s, id, expected_version, false);
}

EvidenceInput parse_evidence(const bj::object& body) {
  EvidenceInput in;
  auto kind = json::optional_string(body, "kind", 40);
  if (!kind) throw invalid_field("kind", "is required");
  if (!one_of(*kind, kEvidenceKinds))
    throw invalid_field("kind", "must be form_field, indicator, document or url");
  in.kind = *kind;
  in.note = fields::text(body, "note", 2000).value_or("");
  if (in.kind == "form_field") {
    in.form_id = json::optional_id(body, "form_id");
    if (!in.form_id) throw invalid_field("form_id", "is required for a form field");
    in.reference = *fields::text(body, "field", 500, true);
  } else {
    if (body.contains("form_id") && !body.at("form_id").is_null())
      throw invalid_field("form_id", "belongs only to evidence of kind form_field");
    in.reference = *fields::text(body, "reference", in.kind == "url" ? 2000 : 500, true);
    if (in.kind == "url") {
      const std::string lower = text::to_lower_ascii(in.reference);
      if (!(lower.starts_with("https://") || lower.starts_with("http://")) ||
          in.reference.find_first_of(" \t\n") != std::string::npos)
        throw invalid_field("reference", "must be an http:// or https:// address");
    }
  }
  return in;
}

Evidence add_evidence(db::Connection& c, const OrgScope& s, std::int64_t problem_id,
                      const EvidenceInput& in) {
  s.require(Permission::edit_programs);
  Problem p = load(c, s, problem_id);
  if (p.deleted_at) throw Error(ErrorCode::conflict, "the problem is in the bin; restore it before editing");
  std::string reference = in.reference;
  if (in.kind == "form_field") {
    bj::object form;
    try {
      form = forms::fields(c, s, *in.form_id, false);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::not_found) throw;
      throw invalid_field("form_id", "is not a published form of this organisation");
    }
    std::optional<std::string> path;
    for (const auto& f : form.at("fields").as_array()) {
      const auto& o = f.as_object();
      if (o.at("kind").as_string() != "field") continue;
      if (o.at("path").as_string() == in.reference || o.at("name").as_string() == in.reference) {
        path = std::string(o.at("path").as_string());
        break;
      }
    }
    if (!path) throw invalid_field("field", "the form has no field '" + in.reference + "'");
    reference = *path;
  }
  if (c.query_int("SELECT COUNT(*) FROM problem_evidence WHERE problem_id = $1", {problem_id}).value_or(0) >=
      100)
    throw Error(ErrorCode::conflict, "a problem has at most 100 evidence links");
  const auto now = now_millis();
  auto id = c.query_int(
      "INSERT INTO problem_evidence(org_id, problem_id, kind, form_id, reference, note, created_by, "
      "created_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
      {s.org_id(), problem_id, in.kind, in.form_id, reference, in.note, user_or_null(s), now});
  Evidence out;
  for (auto& e : load(c, s, problem_id).evidence)
    if (e.id == *id) out = std::move(e);
  audit::record(c, s, {{}, "problem.evidence_add", "problem", std::to_string(problem_id), {}, to_json(out)});
  return out;
}

void remove_evidence(db::Connection& c, const OrgScope& s, std::int64_t problem_id,
                     std::int64_t evidence_id) {
  s.require(Permission::edit_programs);
  Problem p = load(c, s, problem_id);
  if (p.deleted_at) throw Error(ErrorCode::conflict, "the problem is in the bin; restore it before editing");
  auto it = std::find_if(p.evidence.begin(), p.evidence.end(),
                         [&](const Evidence& e) { return e.id == evidence_id; });
  if (it == p.evidence.end())
    throw Error(ErrorCode::not_found,
                "problem " + std::to_string(problem_id) + " has no evidence " + std::to_string(evidence_id));
  c.exec("DELETE FROM problem_evidence WHERE id = $1", {evidence_id});
  audit::record(c, s,
                {{}, "problem.evidence_remove", "problem", std::to_string(problem_id), to_json(*it), {}});
}

bj::object to_json(const Evidence& e) {
  bj::object o{{"id", std::to_string(e.id)},
               {"kind", e.kind},
               {"form_id", e.form_id ? bj::value(std::to_string(*e.form_id)) : bj::value()},
               {"reference", e.reference},
               {"note", e.note},
               {"created_by", e.created_by ? bj::value(std::to_string(*e.created_by)) : bj::value()},
               {"created_at", format_iso8601(e.created_at)}};
  if (e.form_id) o["form_title"] = e.form_title;
  return o;
}

bj::object to_json(const Problem& p) {
  bj::array groups, goals, sectors, evidence;
  for (const auto& g : p.affected_groups)
    groups.push_back(bj::object{{"name", g.name}, {"count", g.count ? bj::value(*g.count) : bj::value()}});
  for (int g : p.sdg_goals) goals.emplace_back(g);
  for (const auto& s : p.sectors) sectors.emplace_back(s);
  for (const auto& e : p.evidence) evidence.push_back(to_json(e));
  bj::value area;
  if (p.area)
    area = bj::object{{"id", std::to_string(p.area->id)},
                      {"name", p.area->name},
                      {"code", p.area->code.empty() ? bj::value() : bj::value(p.area->code)},
                      {"full_name", p.area->full_name}};
  return bj::object{{"id", std::to_string(p.id)},
                    {"title", p.title},
                    {"description", p.description},
                    {"area", std::move(area)},
                    {"affected_groups", std::move(groups)},
                    {"source", p.source},
                    {"sdg_goals", std::move(goals)},
                    {"sectors", std::move(sectors)},
                    {"status", p.status},
                    {"evidence", std::move(evidence)},
                    {"has_tree", p.has_tree},
                    {"created_by", p.created_by ? bj::value(std::to_string(*p.created_by)) : bj::value()},
                    {"created_at", format_iso8601(p.created_at)},
                    {"updated_at", format_iso8601(p.updated_at)},
                    {"deleted", p.deleted_at.has_value()},
                    {"deleted_at", p.deleted_at ? bj::value(format_iso8601(*p.deleted_at)) : bj::value()},
                    {"version", p.version}};
}

}  // namespace gotong::domain::problems
