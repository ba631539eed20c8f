#include "domain/programs.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/areas.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"
#include "domain/result_templates.hpp"

namespace gotong::domain::programs {

namespace bj = boost::json;

namespace {

const char* const kStatuses[] = {"planned", "active", "completed", "suspended"};

constexpr const char* kColumns =
    "p.id, p.org_id, p.name, p.description, p.start_date, p.end_date, p.status, p.currency, p.tiers, "
    "p.framework_template, p.created_at, p.updated_at, p.version";

Program from_row(const db::Row& r) {
  Program p;
  p.id = r.int_at(0);
  p.org_id = r.int_at(1);
  p.name = r.text_at(2);
  p.description = r.text_at(3);
  p.start_date = r.text_at(4);
  p.end_date = r.text_at(5);
  p.status = r.text_at(6);
  p.currency = r.text_at(7);
  const bj::value tiers = json::parse(r.text_at(8));
  for (const auto& t : tiers.as_array()) p.tiers.emplace_back(t.as_string());
  p.framework_template = r.text_at(9);
  p.created_at = r.int_at(10);
  p.updated_at = r.int_at(11);
  p.version = r.int_at(12);
  return p;
}

bool one_of(std::string_view v, const char* const* first, const char* const* last) {
  return std::find_if(first, last, [&](const char* k) { return v == k; }) != last;
}

std::string tiers_text(const std::vector<std::string>& tiers) {
  bj::array a;
  for (const auto& t : tiers) a.emplace_back(t);
  return json::serialize(a);
}

bool limited(const OrgScope& s) { return !sees_all_programs(s); }

std::string search_key(const Program& p) { return text::fold(p.name + " " + p.description); }

Detail load_detail(db::Connection& c, Program p) {
  Detail d;
  for (const auto& r :
       c.query("SELECT a.id, a.name, a.code, a.full_name FROM program_areas pa JOIN areas a ON "
               "a.id = pa.area_id WHERE pa.program_id = $1 ORDER BY a.full_name, a.id",
               {p.id}))
    d.areas.push_back({r.int_at(0), r.text_at(1), r.text_at(2), r.text_at(3)});
  for (const auto& r :
       c.query("SELECT problem_id FROM program_problems WHERE program_id = $1 ORDER BY problem_id", {p.id}))
    d.problem_ids.push_back(r.int_at(0));
  for (const auto& r :
       c.query("SELECT ps.stakeholder_id, ps.role, s.name, s.kind, s.type FROM program_stakeholders ps "
               "JOIN stakeholders s ON s.id = ps.stakeholder_id WHERE ps.program_id = $1 "
               "ORDER BY ps.role, s.name, s.id",
               {p.id}))
    d.stakeholders.push_back({r.int_at(0), r.text_at(1), r.text_at(2), r.text_at(3), r.text_at(4)});
  d.program = std::move(p);
  return d;
}

}  // namespace

// Partners see a program only when it is shared with them.
bool sees_all_programs(const OrgScope& s) { return s.role() != Role::partner; }

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool known_stakeholder_role(std::string_view role) {
  return one_of(role, std::begin(kStakeholderRoles), std::end(kStakeholderRoles));
}

Program require_visible(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  s.require(Permission::read);
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM programs p WHERE p.id = $1 AND p.org_id = $2 AND p.deleted_at IS NULL";
  db::Params params{program_id, s.org_id()};
  if (limited(s)) {
    sql += " AND EXISTS (SELECT 1 FROM program_members m WHERE m.program_id = p.id AND m.user_id = $3)";
    params.push_back(s.actor().user_id);
  }
  auto row = c.query_one(sql, params);
  if (!row) throw Error(ErrorCode::not_found, "no program " + std::to_string(program_id));
  return from_row(*row);
}

std::string visible_condition(const OrgScope& s, std::string_view column, db::Params& params) {
  params.push_back(s.org_id());
  std::string sql = "(" + std::string(column) + " IN (SELECT vp.id FROM programs vp WHERE vp.org_id = $" +
                    std::to_string(params.size()) + " AND vp.deleted_at IS NULL";
  if (limited(s)) {
    params.push_back(s.actor().user_id);
    sql += " AND EXISTS (SELECT 1 FROM program_members vm WHERE vm.program_id = vp.id AND vm.user_id = $" +
           std::to_string(params.size()) + ")";
  }
  return sql + "))";
}

std::string visible_rows(const OrgScope& s, std::string_view alias, db::Params& params) {
  params.push_back(s.org_id());
  // Two statements: the operands of one + may be evaluated in any order, and the condition
  // numbers its own parameters after this one.
  std::string sql = std::string(alias) + ".org_id = $" + std::to_string(params.size()) + " AND ";
  return sql + visible_condition(s, std::string(alias) + ".program_id", params);
}

std::vector<std::int64_t> visible_program_ids(db::Connection& c, const OrgScope& s) {
  s.require(Permission::read);
  db::Params params;
  std::string cond = visible_condition(s, "p.id", params);
  std::vector<std::int64_t> out;
  for (const auto& r : c.query("SELECT p.id FROM programs p WHERE " + cond + " ORDER BY p.id", params))
    out.push_back(r.int_at(0));
  return out;
}

Input parse_input(const bj::object& body) {
  Input in;
  in.name = fields::text(body, "name", 200);
  if (in.name && in.name->empty()) throw invalid_field("name", "must not be empty");
  in.description = fields::text(body, "description", 20000);
  in.start_date = fields::date(body, "start_date");
  in.end_date = fields::date(body, "end_date");
  in.status = json::optional_string(body, "status", 40);
  if (in.status && !one_of(*in.status, std::begin(kStatuses), std::end(kStatuses)))
    throw invalid_field("status", "must be planned, active, completed or suspended");
  in.currency = json::optional_string(body, "currency", 10);
  if (in.currency) {
    const auto& cur = *in.currency;
    if (cur.size() != 3 ||
        !std::all_of(cur.begin(), cur.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
      throw invalid_field("currency", "must be an ISO 4217 code of three capital letters, such as IDR");
  }
  in.framework_template = json::optional_string(body, "framework_template", 40);
  if (in.framework_template && *in.framework_template != "custom" &&
      !results::find_template(*in.framework_template))
    throw invalid_field("framework_template", "is not a known template (see result-templates)");
  if (auto it = body.find("tiers"); it != body.end() && !it->value().is_null()) {
    if (in.framework_template && *in.framework_template != "custom")
      throw invalid_field("tiers", "give either a framework_template or custom tiers, not both");
    in.tiers = results::parse_tiers(it->value());
  } else if (in.framework_template && *in.framework_template == "custom") {
    throw invalid_field("tiers", "custom tiers need their names");
  }
  in.area_ids = fields::ids(body, "area_ids");
  in.problem_ids = fields::ids(body, "problem_ids");
  if (auto it = body.find("stakeholders"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_array())
      throw invalid_field("stakeholders", "must be an array of {stakeholder_id, role}");
    const auto& a = it->value().get_array();
    if (a.size() > 500) throw invalid_field("stakeholders", "must have at most 500 links");
    std::vector<std::pair<std::int64_t, std::string>> links;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "stakeholders[" + std::to_string(i) + "]";
      if (!a[i].is_object()) throw invalid_field(at, "must be an object {stakeholder_id, role}");
      auto id = json::optional_id(a[i].get_object(), "stakeholder_id");
      if (!id) throw invalid_field(at + ".stakeholder_id", "is required");
      auto role = json::optional_string(a[i].get_object(), "role", 40);
      if (!role || !known_stakeholder_role(*role))
        throw invalid_field(
            at + ".role",
            "must be donor, implementing_partner, government_counterpart, beneficiary_group or other");
      std::pair<std::int64_t, std::string> link{*id, *role};
      if (std::find(links.begin(), links.end(), link) == links.end()) links.push_back(std::move(link));
    }
    in.stakeholders = std::move(links);
  }
  return in;
}

namespace {

// Replaces the program's links after checking every id belongs to the scope's organisation.
void write_links(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in) {
  if (in.area_ids) {
    for (std::size_t i = 0; i < in.area_ids->size(); ++i) {
      try {
        areas::get(c, s, (*in.area_ids)[i]);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::not_found) throw;
        throw invalid_field("area_ids[" + std::to_string(i) + "]",
                            "is not an area this organisation can see");
      }
    }
    c.exec("DELETE FROM program_areas WHERE program_id = $1", {program_id});
    for (auto id : *in.area_ids)
      c.exec("INSERT INTO program_areas(program_id, area_id) VALUES ($1, $2)", {program_id, id});
  }
  if (in.problem_ids) {
    for (std::size_t i = 0; i < in.problem_ids->size(); ++i)
      if (!c.query_int("SELECT 1 FROM problems WHERE id = $1 AND org_id = $2",
                       {(*in.problem_ids)[i], s.org_id()}))
        throw invalid_field("problem_ids[" + std::to_string(i) + "]",
                            "is not a problem of this organisation");
    c.exec("DELETE FROM program_problems WHERE program_id = $1", {program_id});
    for (auto id : *in.problem_ids)
      c.exec("INSERT INTO program_problems(program_id, problem_id) VALUES ($1, $2)", {program_id, id});
  }
  if (in.stakeholders) {
    for (std::size_t i = 0; i < in.stakeholders->size(); ++i)
      if (!c.query_int("SELECT 1 FROM stakeholders WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL",
                       {(*in.stakeholders)[i].first, s.org_id()}))
        throw invalid_field("stakeholders[" + std::to_string(i) + "].stakeholder_id",
                            "is not a stakeholder of this organisation");
    c.exec("DELETE FROM program_stakeholders WHERE program_id = $1", {program_id});
    for (const auto& [id, role] : *in.stakeholders)
      c.exec("INSERT INTO program_stakeholders(program_id, stakeholder_id, role) VALUES ($1, $2, $3)",
             {program_id, id, role});
  }
}

void check_period(const std::string& start, const std::string& end) {
  if (end < start) throw invalid_field("end_date", "must not be before start_date (" + start + ")");
}

}  // namespace

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + visible_condition(s, "p.id", params);
  if (f.status) {
    if (!one_of(*f.status, std::begin(kStatuses), std::end(kStatuses)))
      throw invalid_field("status", "must be planned, active, completed or suspended");
    params.push_back(*f.status);
    where += " AND p.status = $" + std::to_string(params.size());
  }
  if (f.area_id) {
    areas::get(c, s, *f.area_id);  // 404 for an area the organisation cannot see
    params.push_back(*f.area_id);
    const std::string n = "$" + std::to_string(params.size());
    // Programs working in the area: there, somewhere below it, or covering it from above
    // (codes nest: "53.02.03" ⊃ "53.02.03.2003" ⊃ "53.02.03.2003.01").
    where +=
        " AND EXISTS (SELECT 1 FROM program_areas pa JOIN areas a ON a.id = pa.area_id JOIN areas t ON t.id "
        "= " +
        n +
        " WHERE pa.program_id = p.id AND (a.id = t.id OR substr(a.code, 1, length(t.code) + 1) = t.code || "
        "'.' "
        "OR substr(t.code, 1, length(a.code) + 1) = a.code || '.'))";
  }
  if (f.text) {
    auto words = text::words(text::fold(*f.text));
    if (words.size() > 8) words.resize(8);
    for (const auto& w : words) {
      params.push_back("%" + w + "%");  // folded words hold only [a-z0-9]: no LIKE escaping needed
      where += " AND p.search_key LIKE $" + std::to_string(params.size());
    }
  }
  return fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + " FROM programs p" + where + " ORDER BY p.name, p.id", params,
      limit, offset, [&](const db::Row& r) { return load_detail(c, from_row(r)); });
}

Detail get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  return load_detail(c, require_visible(c, s, id));
}

Detail create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::edit_programs);
  if (!in.name) throw invalid_field("name", "is required");
  if (!in.start_date) throw invalid_field("start_date", "is required");
  if (!in.end_date) throw invalid_field("end_date", "is required");
  check_period(*in.start_date, *in.end_date);
  Program p;
  p.name = *in.name;
  p.description = in.description.value_or("");
  p.start_date = *in.start_date;
  p.end_date = *in.end_date;
  p.status = in.status.value_or("planned");
  p.currency = in.currency.value_or("IDR");
  if (in.tiers) {
    p.tiers = *in.tiers;
    p.framework_template = "custom";
  } else {
    p.framework_template = in.framework_template.value_or(std::string(results::kDefaultTemplate));
    p.tiers = results::tier_names(*results::find_template(p.framework_template));
  }
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO programs(org_id, name, description, start_date, end_date, status, currency, tiers, "
      "framework_template, search_key, created_by, created_at, updated_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) RETURNING id",
      {s.org_id(), p.name, p.description, p.start_date, p.end_date, p.status, p.currency, tiers_text(p.tiers),
       p.framework_template, search_key(p), s.actor().user_id ? db::Value(s.actor().user_id) : db::Value(),
       now});
  const std::int64_t id = row->int_at(0);
  write_links(c, s, id, in);
  Detail d = get(c, s, id);
  audit::record(c, s, {{}, "program.create", "program", std::to_string(id), {}, to_json(d)});
  return d;
}

Detail update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
              const Input& in) {
  s.require(Permission::edit_programs);
  Detail before = get(c, s, id);
  if (before.program.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the program was changed by someone else; reload it");
  Program p = before.program;
  if (in.name) p.name = *in.name;
  if (in.description) p.description = *in.description;
  if (in.start_date) p.start_date = *in.start_date;
  if (in.end_date) p.end_date = *in.end_date;
  check_period(p.start_date, p.end_date);
  if (in.status) p.status = *in.status;
  if (in.currency) p.currency = *in.currency;
  if (in.tiers) {
    p.tiers = *in.tiers;
    p.framework_template = "custom";
  } else if (in.framework_template && *in.framework_template != p.framework_template) {
    p.framework_template = *in.framework_template;
    p.tiers = results::tier_names(*results::find_template(p.framework_template));
  }
  if (p.tiers.size() < before.program.tiers.size()) {
    auto deepest = c.query_int("SELECT MAX(tier) FROM result_nodes WHERE program_id = $1", {id});
    if (deepest && *deepest >= static_cast<std::int64_t>(p.tiers.size()))
      throw Error(ErrorCode::conflict,
                  "the results framework has nodes at tier " + std::to_string(*deepest + 1) +
                      "; remove them before using fewer tiers",
                  {{"tiers", "fewer tiers than the framework uses"}});
  }
  c.exec(
      "UPDATE programs SET name = $1, description = $2, start_date = $3, end_date = $4, status = $5, "
      "currency = $6, tiers = $7, framework_template = $8, search_key = $9, updated_at = $10, "
      "version = version + 1 WHERE id = $11",
      {p.name, p.description, p.start_date, p.end_date, p.status, p.currency, tiers_text(p.tiers),
       p.framework_template, search_key(p), now_millis(), id});
  write_links(c, s, id, in);
  Detail after = get(c, s, id);
  audit::record(c, s, {{}, "program.update", "program", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Detail before = get(c, s, id);
  if (before.program.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the program was changed by someone else; reload it");
  c.exec("UPDATE programs SET deleted_at = $1, version = version + 1 WHERE id = $2", {now_millis(), id});
  audit::record(c, s, {{}, "program.delete", "program", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Detail& d) {
  const Program& p = d.program;
  bj::array tiers, areas_out, problems, links;
  for (const auto& t : p.tiers) tiers.emplace_back(t);
  for (const auto& a : d.areas)
    areas_out.push_back(bj::object{{"id", std::to_string(a.id)},
                                   {"name", a.name},
                                   {"code", a.code.empty() ? bj::value() : bj::value(a.code)},
                                   {"full_name", a.full_name}});
  for (auto id : d.problem_ids) problems.emplace_back(std::to_string(id));
  for (const auto& l : d.stakeholders)
    links.push_back(bj::object{{"stakeholder_id", std::to_string(l.stakeholder_id)},
                               {"role", l.role},
                               {"name", l.name},
                               {"kind", l.kind},
                               {"type", l.type}});
  return bj::object{{"id", std::to_string(p.id)},
                    {"name", p.name},
                    {"description", p.description},
                    {"start_date", p.start_date},
                    {"end_date", p.end_date},
                    {"status", p.status},
                    {"currency", p.currency},
                    {"framework_template", p.framework_template},
                    {"tiers", std::move(tiers)},
                    {"areas", std::move(areas_out)},
                    {"problem_ids", std::move(problems)},
                    {"stakeholders", std::move(links)},
                    {"created_at", format_iso8601(p.created_at)},
                    {"updated_at", format_iso8601(p.updated_at)},
                    {"version", p.version}};
}

}  // namespace gotong::domain::programs
