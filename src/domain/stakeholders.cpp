#include "domain/stakeholders.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::stakeholders {

namespace bj = boost::json;

Quadrant quadrant(int power, int interest) {
  const bool high_power = power >= kHighFrom, high_interest = interest >= kHighFrom;
  if (high_power) return high_interest ? Quadrant::manage_closely : Quadrant::keep_satisfied;
  return high_interest ? Quadrant::keep_informed : Quadrant::monitor;
}

std::string_view quadrant_name(Quadrant q) {
  switch (q) {
    case Quadrant::manage_closely:
      return "manage_closely";
    case Quadrant::keep_satisfied:
      return "keep_satisfied";
    case Quadrant::keep_informed:
      return "keep_informed";
    case Quadrant::monitor:
      return "monitor";
  }
  return "monitor";
}

std::optional<Quadrant> parse_quadrant(std::string_view s) {
  for (Quadrant q :
       {Quadrant::manage_closely, Quadrant::keep_satisfied, Quadrant::keep_informed, Quadrant::monitor})
    if (s == quadrant_name(q)) return q;
  return std::nullopt;
}

bool known_type(std::string_view type) {
  return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return type == t; });
}

namespace {

constexpr const char* kTypeList =
    "must be government_office, village_government, ngo, community_group, private_sector, academic, donor or "
    "media";

constexpr const char* kColumns =
    "s.id, s.kind, s.name, s.type, s.organisation_id, o.name, s.position, s.phone, s.email, s.address, "
    "s.notes, "
    "s.power, s.interest, s.created_at, s.updated_at, s.version";
constexpr const char* kFrom = " FROM stakeholders s LEFT JOIN stakeholders o ON o.id = s.organisation_id";

Stakeholder from_row(const db::Row& r) {
  Stakeholder st;
  st.id = r.int_at(0);
  st.kind = r.text_at(1);
  st.name = r.text_at(2);
  st.type = r.text_at(3);
  st.organisation_id = r.opt_int(4);
  st.organisation_name = r.text_at(5);
  st.position = r.text_at(6);
  st.phone = r.text_at(7);
  st.email = r.text_at(8);
  st.address = r.text_at(9);
  st.notes = r.text_at(10);
  if (!r.null_at(11)) st.power = static_cast<int>(r.int_at(11));
  if (!r.null_at(12)) st.interest = static_cast<int>(r.int_at(12));
  st.created_at = r.int_at(13);
  st.updated_at = r.int_at(14);
  st.version = r.int_at(15);
  return st;
}

void load_programs(db::Connection& c, const OrgScope& s, Stakeholder& st) {
  db::Params params{st.id};
  std::string cond = programs::visible_condition(s, "p.id", params);
  for (const auto& r :
       c.query("SELECT p.id, p.name, ps.role FROM program_stakeholders ps JOIN programs p ON p.id = "
               "ps.program_id WHERE ps.stakeholder_id = $1 AND " +
                   cond + " ORDER BY p.name, p.id, ps.role",
               params))
    st.programs.push_back({r.int_at(0), r.text_at(1), r.text_at(2)});
}

bool plausible_email(std::string_view e) {
  auto at = e.find('@');
  if (at == 0 || at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos) return false;
  auto domain = e.substr(at + 1);
  auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         e.find_first_of(" \t,;<>") == std::string_view::npos;
}

bool plausible_phone(std::string_view p) {
  int digits = 0;
  for (char ch : p) {
    if (ch >= '0' && ch <= '9')
      ++digits;
    else if (std::string_view("+-() ./").find(ch) == std::string_view::npos)
      return false;
  }
  return digits >= 3;
}

std::string search_key(const Stakeholder& st) {
  return text::fold(st.name + " " + st.position + " " + st.organisation_name + " " + st.email);
}

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.kind = json::optional_string(body, "kind", 20);
  if (in.kind && *in.kind != "organisation" && *in.kind != "person")
    throw invalid_field("kind", "must be organisation or person");
  in.name = fields::text(body, "name", 200);
  if (in.name && in.name->empty()) throw invalid_field("name", "must not be empty");
  in.type = json::optional_string(body, "type", 40);
  if (in.type && !known_type(*in.type)) throw invalid_field("type", kTypeList);
  in.position = fields::text(body, "position", 200);
  in.phone = fields::text(body, "phone", 40);
  if (in.phone && !in.phone->empty() && !plausible_phone(*in.phone))
    throw invalid_field("phone", "must be a phone number (digits, spaces, + - ( ) . /)");
  in.email = fields::text(body, "email", 254);
  if (in.email && !in.email->empty()) {
    *in.email = text::to_lower_ascii(*in.email);
    if (!plausible_email(*in.email)) throw invalid_field("email", "must be an e-mail address");
  }
  in.address = fields::text(body, "address", 1000);
  in.notes = fields::text(body, "notes", 20000);
  in.organisation_id = fields::nullable_id(body, "organisation_id");
  in.power = fields::bounded_int(body, "power", 1, 5, true);
  in.interest = fields::bounded_int(body, "interest", 1, 5, true);
  return in;
}

Stakeholder get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom +
                             " WHERE s.id = $1 AND s.org_id = $2 AND s.deleted_at IS NULL",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no stakeholder " + std::to_string(id));
  Stakeholder st = from_row(*row);
  load_programs(c, s, st);
  return st;
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params{s.org_id()};
  std::string where = " WHERE s.org_id = $1 AND s.deleted_at IS NULL";
  auto add = [&](const std::string& before, db::Value v, const std::string& after = "") {
    params.push_back(std::move(v));
    where += " AND " + before + "$" + std::to_string(params.size()) + after;
  };
  if (f.kind) {
    if (*f.kind != "organisation" && *f.kind != "person")
      throw invalid_field("kind", "must be organisation or person");
    add("s.kind = ", *f.kind);
  }
  if (f.type) {
    if (!known_type(*f.type)) throw invalid_field("type", kTypeList);
    add("s.type = ", *f.type);
  }
  if (f.quadrant) {
    auto q = parse_quadrant(*f.quadrant);
    if (!q)
      throw invalid_field("quadrant", "must be manage_closely, keep_satisfied, keep_informed or monitor");
    const std::string high = std::to_string(kHighFrom);
    const bool hp = *q == Quadrant::manage_closely || *q == Quadrant::keep_satisfied;
    const bool hi = *q == Quadrant::manage_closely || *q == Quadrant::keep_informed;
    where += std::string(" AND s.power ") + (hp ? ">= " : "< ") + high + " AND s.interest " +
             (hi ? ">= " : "< ") + high;
  }
  if (f.program_id) {
    programs::require_visible(c, s, *f.program_id);  // 404 for a program the reader cannot see
    add("EXISTS (SELECT 1 FROM program_stakeholders ps WHERE ps.stakeholder_id = s.id AND ps.program_id = ",
        *f.program_id, ")");
  }
  if (f.organisation_id) add("s.organisation_id = ", *f.organisation_id);
  if (f.text) {
    auto words = text::words(text::fold(*f.text));
    if (words.size() > 8) words.resize(8);
    for (const auto& w : words) add("s.search_key LIKE ", "%" + w + "%");  // folded: [a-z0-9] only
  }
  return fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY s.name, s.id", params, limit, offset,
      [&](const db::Row& r) {
        Stakeholder st = from_row(r);
        load_programs(c, s, st);
        return st;
      });
}

namespace {

// The organisation a person belongs to: a live organisation-kind stakeholder of the scope.
Stakeholder organisation_of(db::Connection& c, const OrgScope& s, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom +
                             " WHERE s.id = $1 AND s.org_id = $2 AND s.deleted_at IS NULL",
                         {id, s.org_id()});
  if (!row) throw invalid_field("organisation_id", "is not a stakeholder of this organisation");
  Stakeholder o = from_row(*row);
  if (o.kind != "organisation")
    throw invalid_field("organisation_id", "must be an organisation, not a person");
  return o;
}

void apply(db::Connection& c, const OrgScope& s, Stakeholder& st, const Input& in) {
  if (in.name) st.name = *in.name;
  if (in.position) st.position = *in.position;
  if (in.phone) st.phone = *in.phone;
  if (in.email) st.email = *in.email;
  if (in.address) st.address = *in.address;
  if (in.notes) st.notes = *in.notes;
  if (in.power) st.power = *in.power ? std::optional<int>(static_cast<int>(**in.power)) : std::nullopt;
  if (in.interest)
    st.interest = *in.interest ? std::optional<int>(static_cast<int>(**in.interest)) : std::nullopt;
  if (in.organisation_id) {
    if (*in.organisation_id && st.kind != "person")
      throw invalid_field("organisation_id", "only a person belongs to an organisation");
    if (*in.organisation_id && **in.organisation_id == st.id)
      throw invalid_field("organisation_id", "must be another stakeholder");
    st.organisation_id = *in.organisation_id;
    st.organisation_name.clear();
    if (st.organisation_id) {
      Stakeholder o = organisation_of(c, s, *st.organisation_id);
      st.organisation_name = o.name;
      if (!in.type && st.type.empty()) st.type = o.type;  // a person takes their organisation's type
    }
  }
  if (in.type) st.type = *in.type;
  if (st.type.empty()) throw invalid_field("type", kTypeList);
}

db::Value opt(const std::optional<int>& v) { return v ? db::Value(*v) : db::Value(); }

}  // namespace

Stakeholder create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::edit_programs);
  if (!in.name) throw invalid_field("name", "is required");
  Stakeholder st;
  st.kind = in.kind.value_or("organisation");
  apply(c, s, st, in);
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO stakeholders(org_id, kind, name, type, organisation_id, position, phone, email, address, "
      "power, "
      "interest, notes, search_key, created_at, updated_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14) RETURNING id",
      {s.org_id(), st.kind, st.name, st.type, st.organisation_id, st.position, st.phone, st.email, st.address,
       opt(st.power), opt(st.interest), st.notes, search_key(st), now});
  Stakeholder after = get(c, s, row->int_at(0));
  audit::record(c, s,
                {{}, "stakeholder.create", "stakeholder", std::to_string(after.id), {}, to_json(after)});
  return after;
}

Stakeholder update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const Input& in) {
  s.require(Permission::edit_programs);
  Stakeholder before = get(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the stakeholder was changed by someone else; reload it");
  if (in.kind && *in.kind != before.kind)
    throw invalid_field("kind", "cannot change; add the " + *in.kind + " as a new stakeholder");
  Stakeholder st = before;
  apply(c, s, st, in);
  c.exec(
      "UPDATE stakeholders SET name = $1, type = $2, organisation_id = $3, position = $4, phone = $5, email "
      "= $6, "
      "address = $7, power = $8, interest = $9, notes = $10, search_key = $11, updated_at = $12, "
      "version = version + 1 WHERE id = $13",
      {st.name, st.type, st.organisation_id, st.position, st.phone, st.email, st.address, opt(st.power),
       opt(st.interest), st.notes, search_key(st), now_millis(), id});
  if (in.name && st.kind == "organisation" && *in.name != before.name)  // people's search keys name it
    for (const auto& r : c.query(std::string("SELECT ") + kColumns + kFrom +
                                     " WHERE s.organisation_id = $1 AND s.deleted_at IS NULL",
                                 {id}))
      c.exec("UPDATE stakeholders SET search_key = $1 WHERE id = $2", {search_key(from_row(r)), r.int_at(0)});
  Stakeholder after = get(c, s, id);
  audit::record(
      c, s, {{}, "stakeholder.update", "stakeholder", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Stakeholder before = get(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the stakeholder was changed by someone else; reload it");
  if (c.query_int("SELECT 1 FROM stakeholders WHERE organisation_id = $1 AND deleted_at IS NULL", {id}))
    throw Error(ErrorCode::conflict,
                "'" + before.name + "' still has people; remove them or move them first");
  // Kept, marked deleted: the engagement log still names it. Program links go.
  c.exec("DELETE FROM program_stakeholders WHERE stakeholder_id = $1", {id});
  c.exec("UPDATE stakeholders SET deleted_at = $1, version = version + 1 WHERE id = $2", {now_millis(), id});
  audit::record(c, s, {{}, "stakeholder.delete", "stakeholder", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Stakeholder& st) {
  bj::array links;
  for (const auto& l : st.programs)
    links.push_back(
        bj::object{{"program_id", std::to_string(l.program_id)}, {"name", l.program_name}, {"role", l.role}});
  bj::value q;
  if (st.power && st.interest) q = quadrant_name(quadrant(*st.power, *st.interest));
  return bj::object{
      {"id", std::to_string(st.id)},
      {"kind", st.kind},
      {"name", st.name},
      {"type", st.type},
      {"organisation_id", st.organisation_id ? bj::value(std::to_string(*st.organisation_id)) : bj::value()},
      {"organisation_name", st.organisation_id ? bj::value(st.organisation_name) : bj::value()},
      {"position", st.position},
      {"phone", st.phone},
      {"email", st.email},
      {"address", st.address},
      {"power", st.power ? bj::value(*st.power) : bj::value()},
      {"interest", st.interest ? bj::value(*st.interest) : bj::value()},
      {"quadrant", q},
      {"notes", st.notes},
      {"programs", std::move(links)},
      {"created_at", format_iso8601(st.created_at)},
      {"updated_at", format_iso8601(st.updated_at)},
      {"version", st.version}};
}

}  // namespace gotong::domain::stakeholders
