#include "domain/engagements.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::engagements {

namespace bj = boost::json;

namespace {

const char* const kKinds[] = {"meeting", "call", "letter", "mou", "visit", "other"};

bool known_kind(std::string_view k) {
  for (const char* x : kKinds)
    if (k == x) return true;
  return false;
}

constexpr const char* kColumns =
    "e.id, e.kind, e.held_on, e.subject, e.notes, e.program_id, p.name, e.created_at, e.updated_at, "
    "e.version";
constexpr const char* kFrom = " FROM engagements e LEFT JOIN programs p ON p.id = e.program_id";

constexpr const char* kFollowUpColumns =
    "f.id, f.engagement_id, e.subject, f.description, f.due_date, f.owner_user_id, u.name, f.status, "
    "f.done_at, "
    "f.created_at, f.updated_at, f.version";
constexpr const char* kFollowUpFrom =
    " FROM follow_ups f JOIN engagements e ON e.id = f.engagement_id LEFT JOIN users u ON u.id = "
    "f.owner_user_id";

// Which engagements the scope sees: all, or (partners) those about programs shared with them.
std::string visible(const OrgScope& s, db::Params& params) {
  params.push_back(s.org_id());
  std::string sql = "e.org_id = $" + std::to_string(params.size());
  if (!programs::sees_all_programs(s))
    sql += " AND e.program_id IS NOT NULL AND " + programs::visible_condition(s, "e.program_id", params);
  return sql;
}

FollowUp follow_up_from(const db::Row& r) {
  FollowUp f;
  f.id = r.int_at(0);
  f.engagement_id = r.int_at(1);
  f.engagement_subject = r.text_at(2);
  f.description = r.text_at(3);
  f.due_date = r.text_at(4);
  f.owner_user_id = r.opt_int(5);
  f.owner_name = r.text_at(6);
  f.status = r.text_at(7);
  f.done_at = r.opt_int(8);
  f.created_at = r.int_at(9);
  f.updated_at = r.int_at(10);
  f.version = r.int_at(11);
  return f;
}

Engagement from_row(db::Connection& c, const db::Row& r) {
  Engagement e;
  e.id = r.int_at(0);
  e.kind = r.text_at(1);
  e.held_on = r.text_at(2);
  e.subject = r.text_at(3);
  e.notes = r.text_at(4);
  e.program_id = r.opt_int(5);
  e.program_name = r.text_at(6);
  e.created_at = r.int_at(7);
  e.updated_at = r.int_at(8);
  e.version = r.int_at(9);
  for (const auto& x :
       c.query("SELECT s.id, s.name, s.kind FROM engagement_stakeholders es JOIN stakeholders s ON "
               "s.id = es.stakeholder_id WHERE es.engagement_id = $1 ORDER BY s.name, s.id",
               {e.id}))
    e.stakeholders.push_back({x.int_at(0), x.text_at(1), x.text_at(2)});
  for (const auto& x :
       c.query("SELECT u.id, u.name FROM engagement_users eu JOIN users u ON u.id = eu.user_id "
               "WHERE eu.engagement_id = $1 ORDER BY u.name, u.id",
               {e.id}))
    e.users.push_back({x.int_at(0), x.text_at(1), "user"});
  for (const auto& x : c.query(std::string("SELECT ") + kFollowUpColumns + kFollowUpFrom +
                                   " WHERE f.engagement_id = $1 ORDER BY f.due_date, f.id",
                               {e.id}))
    e.follow_ups.push_back(follow_up_from(x));
  return e;
}

void check_member(db::Connection& c, const OrgScope& s, std::int64_t user_id, const std::string& field) {
  if (!c.query_int("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2", {s.org_id(), user_id}))
    throw invalid_field(field, "is not a member of this organisation");
}

std::optional<std::int64_t> user_or_null(const OrgScope& s) {
  return s.actor().user_id ? std::optional(s.actor().user_id) : std::nullopt;
}

FollowUp insert_follow_up(db::Connection& c, const OrgScope& s, std::int64_t engagement_id,
                          const FollowUpInput& in, const std::string& prefix) {
  if (!in.description) throw invalid_field(prefix + "description", "is required");
  if (!in.due_date) throw invalid_field(prefix + "due_date", "is required");
  std::optional<std::int64_t> owner = in.owner_user_id ? *in.owner_user_id : std::nullopt;
  if (owner) check_member(c, s, *owner, prefix + "owner_user_id");
  const std::string status = in.status.value_or("open");
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO follow_ups(org_id, engagement_id, description, due_date, owner_user_id, status, done_at, "
      "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
      {s.org_id(), engagement_id, *in.description, *in.due_date, owner, status,
       status == "done" ? db::Value(now) : db::Value(), now});
  return follow_up_from(*c.query_one(
      std::string("SELECT ") + kFollowUpColumns + kFollowUpFrom + " WHERE f.id = $1", {row->int_at(0)}));
}

void write_attendees(db::Connection& c, const OrgScope& s, std::int64_t id, const Input& in) {
  if (in.stakeholder_ids) {
    if (in.stakeholder_ids->empty()) throw invalid_field("stakeholder_ids", "name at least one stakeholder");
    for (std::size_t i = 0; i < in.stakeholder_ids->size(); ++i)
      if (!c.query_int("SELECT 1 FROM stakeholders WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL",
                       {(*in.stakeholder_ids)[i], s.org_id()}))
        throw invalid_field("stakeholder_ids[" + std::to_string(i) + "]",
                            "is not a stakeholder of this organisation");
    c.exec("DELETE FROM engagement_stakeholders WHERE engagement_id = $1", {id});
    for (auto sid : *in.stakeholder_ids)
      c.exec("INSERT INTO engagement_stakeholders(engagement_id, stakeholder_id) VALUES ($1, $2)", {id, sid});
  }
  if (in.user_ids) {
    for (std::size_t i = 0; i < in.user_ids->size(); ++i)
      check_member(c, s, (*in.user_ids)[i], "user_ids[" + std::to_string(i) + "]");
    c.exec("DELETE FROM engagement_users WHERE engagement_id = $1", {id});
    for (auto uid : *in.user_ids)
      c.exec("INSERT INTO engagement_users(engagement_id, user_id) VALUES ($1, $2)", {id, uid});
  }
}

void check_program(db::Connection& c, const OrgScope& s, const std::optional<std::int64_t>& program_id) {
  if (!program_id) return;
  try {
    programs::require_visible(c, s, *program_id);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::not_found) throw;
    throw invalid_field("program_id", "is not a program of this organisation");
  }
}

}  // namespace

std::string today() { return format_iso8601(now_millis()).substr(0, 10); }

FollowUpInput parse_follow_up(const bj::object& body, const std::string& prefix) {
  FollowUpInput in;
  try {
    in.description = fields::text(body, "description", 2000);
    if (in.description && in.description->empty()) throw invalid_field("description", "must not be empty");
    in.due_date = fields::date(body, "due_date");
    in.owner_user_id = fields::nullable_id(body, "owner_user_id");
    in.status = json::optional_string(body, "status", 20);
    if (in.status && *in.status != "open" && *in.status != "done")
      throw invalid_field("status", "must be open or done");
  } catch (const Error& e) {
    // Inside an engagement body the fields are named by their place: follow_ups[1].due_date.
    if (prefix.empty() || e.details().empty()) throw;
    throw invalid_field(prefix + e.details()[0].field, e.details()[0].message);
  }
  return in;
}

Input parse_input(const bj::object& body) {
  Input in;
  in.kind = json::optional_string(body, "kind", 20);
  if (in.kind && !known_kind(*in.kind))
    throw invalid_field("kind", "must be meeting, call, letter, mou, visit or other");
  in.held_on = fields::date(body, "held_on");
  in.subject = fields::text(body, "subject", 300);
  if (in.subject && in.subject->empty()) throw invalid_field("subject", "must not be empty");
  in.notes = fields::text(body, "notes", 20000);
  in.program_id = fields::nullable_id(body, "program_id");
  in.stakeholder_ids = fields::ids(body, "stakeholder_ids", 200);
  in.user_ids = fields::ids(body, "user_ids", 200);
  if (auto it = body.find("follow_ups"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_array()) throw invalid_field("follow_ups", "must be an array");
    const auto& a = it->value().get_array();
    if (a.size() > 50) throw invalid_field("follow_ups", "must have at most 50 follow-ups");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "follow_ups[" + std::to_string(i) + "].";
      if (!a[i].is_object())
        throw invalid_field("follow_ups[" + std::to_string(i) + "]", "must be an object");
      in.follow_ups.push_back(parse_follow_up(a[i].get_object(), at));
      if (!in.follow_ups.back().description) throw invalid_field(at + "description", "is required");
      if (!in.follow_ups.back().due_date) throw invalid_field(at + "due_date", "is required");
    }
  }
  return in;
}

Engagement get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = visible(s, params);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE e.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no engagement " + std::to_string(id));
  return from_row(c, *row);
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.kind) {
    if (!known_kind(*f.kind))
      throw invalid_field("kind", "must be meeting, call, letter, mou, visit or other");
    where += " AND e.kind = " + n(*f.kind);
  }
  if (f.from) where += " AND e.held_on >= " + n(*f.from);
  if (f.to) where += " AND e.held_on <= " + n(*f.to);
  if (f.program_id) {
    programs::require_visible(c, s, *f.program_id);
    where += " AND e.program_id = " + n(*f.program_id);
  }
  if (f.stakeholder_id) {
    const std::string sid = n(*f.stakeholder_id);
    where +=
        " AND EXISTS (SELECT 1 FROM engagement_stakeholders es JOIN stakeholders st ON st.id = "
        "es.stakeholder_id "
        "WHERE es.engagement_id = e.id AND (st.id = " +
        sid + " OR st.organisation_id = " + sid + "))";
  }
  return fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY e.held_on DESC, e.id DESC", params,
      limit, offset, [&](const db::Row& r) { return from_row(c, r); });
}

Engagement create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::edit_programs);
  if (!in.kind) throw invalid_field("kind", "is required");
  if (!in.held_on) throw invalid_field("held_on", "is required");
  if (!in.subject) throw invalid_field("subject", "is required");
  if (!in.stakeholder_ids) throw invalid_field("stakeholder_ids", "name at least one stakeholder");
  std::optional<std::int64_t> program = in.program_id ? *in.program_id : std::nullopt;
  check_program(c, s, program);
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO engagements(org_id, kind, held_on, subject, notes, program_id, created_by, created_at, "
      "updated_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
      {s.org_id(), *in.kind, *in.held_on, *in.subject, in.notes.value_or(""), program, user_or_null(s), now});
  const std::int64_t id = row->int_at(0);
  write_attendees(c, s, id, in);
  for (std::size_t i = 0; i < in.follow_ups.size(); ++i)
    insert_follow_up(c, s, id, in.follow_ups[i], "follow_ups[" + std::to_string(i) + "].");
  Engagement e = get(c, s, id);
  audit::record(c, s, {{}, "engagement.create", "engagement", std::to_string(id), {}, to_json(e, today())});
  return e;
}

Engagement update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  const Input& in) {
  s.require(Permission::edit_programs);
  Engagement before = get(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the engagement was changed by someone else; reload it");
  if (!in.follow_ups.empty())
    throw invalid_field("follow_ups", "add follow-ups with POST .../engagements/{id}/follow-ups");
  Engagement e = before;
  if (in.kind) e.kind = *in.kind;
  if (in.held_on) e.held_on = *in.held_on;
  if (in.subject) e.subject = *in.subject;
  if (in.notes) e.notes = *in.notes;
  if (in.program_id) {
    e.program_id = *in.program_id;
    check_program(c, s, e.program_id);
  }
  c.exec(
      "UPDATE engagements SET kind = $1, held_on = $2, subject = $3, notes = $4, program_id = $5, updated_at "
      "= $6, "
      "version = version + 1 WHERE id = $7",
      {e.kind, e.held_on, e.subject, e.notes, e.program_id, now_millis(), id});
  write_attendees(c, s, id, in);
  Engagement after = get(c, s, id);
  const auto t = today();
  audit::record(
      c, s,
      {{}, "engagement.update", "engagement", std::to_string(id), to_json(before, t), to_json(after, t)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Engagement before = get(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the engagement was changed by someone else; reload it");
  c.exec("DELETE FROM follow_ups WHERE engagement_id = $1", {id});
  c.exec("DELETE FROM engagement_stakeholders WHERE engagement_id = $1", {id});
  c.exec("DELETE FROM engagement_users WHERE engagement_id = $1", {id});
  c.exec("DELETE FROM engagements WHERE id = $1", {id});
  audit::record(c, s,
                {{}, "engagement.delete", "engagement", std::to_string(id), to_json(before, today()), {}});
}

FollowUp get_follow_up(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = visible(s, params);
  auto row = c.query_one(
      std::string("SELECT ") + kFollowUpColumns + kFollowUpFrom + " WHERE f.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no follow-up " + std::to_string(id));
  return follow_up_from(*row);
}

FollowUp add_follow_up(db::Connection& c, const OrgScope& s, std::int64_t engagement_id,
                       const FollowUpInput& in) {
  s.require(Permission::edit_programs);
  get(c, s, engagement_id);
  FollowUp f = insert_follow_up(c, s, engagement_id, in, "");
  audit::record(c, s, {{}, "follow_up.create", "follow_up", std::to_string(f.id), {}, to_json(f, today())});
  return f;
}

FollowUp update_follow_up(db::Connection& c, const OrgScope& s, std::int64_t id,
                          std::int64_t expected_version, const FollowUpInput& in) {
  FollowUp before = get_follow_up(c, s, id);
  if (!s.can(Permission::edit_programs)) {
    // The owner may close (or reopen) their own follow-up, and change nothing else.
    const bool owner = before.owner_user_id && *before.owner_user_id == s.actor().user_id;
    if (!owner || in.description || in.due_date || in.owner_user_id) s.require(Permission::edit_programs);
  }
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the follow-up was changed by someone else; reload it");
  FollowUp f = before;
  if (in.description) f.description = *in.description;
  if (in.due_date) f.due_date = *in.due_date;
  if (in.owner_user_id) {
    f.owner_user_id = *in.owner_user_id;
    if (f.owner_user_id) check_member(c, s, *f.owner_user_id, "owner_user_id");
  }
  const auto now = now_millis();
  if (in.status && *in.status != f.status) {
    f.status = *in.status;
    f.done_at = f.status == "done" ? std::optional(now) : std::nullopt;
  }
  c.exec(
      "UPDATE follow_ups SET description = $1, due_date = $2, owner_user_id = $3, status = $4, done_at = $5, "
      "updated_at = $6, version = version + 1 WHERE id = $7",
      {f.description, f.due_date, f.owner_user_id, f.status, f.done_at, now, id});
  FollowUp after = get_follow_up(c, s, id);
  const auto t = today();
  audit::record(
      c, s, {{}, "follow_up.update", "follow_up", std::to_string(id), to_json(before, t), to_json(after, t)});
  return after;
}

std::vector<FollowUp> follow_ups(db::Connection& c, const OrgScope& s, const FollowUpFilter& f, int limit) {
  s.require(Permission::read);
  db::Params params;
  std::string where = " WHERE " + visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.status) {
    if (*f.status != "open" && *f.status != "done") throw invalid_field("status", "must be open or done");
    where += " AND f.status = " + n(*f.status);
  }
  if (f.overdue) where += " AND f.status = 'open' AND f.due_date < " + n(f.as_of.empty() ? today() : f.as_of);
  if (f.owner_user_id) where += " AND f.owner_user_id = " + n(*f.owner_user_id);
  if (f.engagement_id) where += " AND f.engagement_id = " + n(*f.engagement_id);
  std::vector<FollowUp> out;
  for (const auto& r : c.query(std::string("SELECT ") + kFollowUpColumns + kFollowUpFrom + where +
                                   " ORDER BY f.due_date, f.id LIMIT " + std::to_string(limit),
                               params))
    out.push_back(follow_up_from(r));
  return out;
}

bj::object to_json(const FollowUp& f, const std::string& as_of) {
  return bj::object{
      {"id", std::to_string(f.id)},
      {"engagement_id", std::to_string(f.engagement_id)},
      {"engagement_subject", f.engagement_subject},
      {"description", f.description},
      {"due_date", f.due_date},
      {"owner_user_id", f.owner_user_id ? bj::value(std::to_string(*f.owner_user_id)) : bj::value()},
      {"owner_name", f.owner_user_id ? bj::value(f.owner_name) : bj::value()},
      {"status", f.status},
      {"overdue", f.status == "open" && f.due_date < as_of},
      {"done_at", f.done_at ? bj::value(format_iso8601(*f.done_at)) : bj::value()},
      {"created_at", format_iso8601(f.created_at)},
      {"updated_at", format_iso8601(f.updated_at)},
      {"version", f.version}};
}

bj::object to_json(const Engagement& e, const std::string& as_of) {
  auto people = [](const std::vector<Engagement::Person>& v) {
    bj::array a;
    for (const auto& p : v)
      a.push_back(bj::object{{"id", std::to_string(p.id)}, {"name", p.name}, {"kind", p.kind}});
    return a;
  };
  bj::array fus;
  for (const auto& f : e.follow_ups) fus.push_back(to_json(f, as_of));
  return bj::object{{"id", std::to_string(e.id)},
                    {"kind", e.kind},
                    {"held_on", e.held_on},
                    {"subject", e.subject},
                    {"notes", e.notes},
                    {"program_id", e.program_id ? bj::value(std::to_string(*e.program_id)) : bj::value()},
                    {"program_name", e.program_id ? bj::value(e.program_name) : bj::value()},
                    {"stakeholders", people(e.stakeholders)},
                    {"users", people(e.users)},
                    {"follow_ups", std::move(fus)},
                    {"created_at", format_iso8601(e.created_at)},
                    {"updated_at", format_iso8601(e.updated_at)},
                    {"version", e.version}};
}

}  // namespace gotong::domain::engagements
