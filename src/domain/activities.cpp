#include "domain/activities.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/indicators_attendance.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::activities {

namespace bj = boost::json;
namespace af = activity_fields;

namespace {

bool known(std::string_view v, const char* const* first, const char* const* last) {
  for (auto it = first; it != last; ++it)
    if (v == *it) return true;
  return false;
}
constexpr const char* kStatusList = "must be planned, ongoing, done, cancelled or postponed";
constexpr const char* kKindList = "must be training, meeting, distribution, musyawarah or other";

constexpr const char* kColumns =
    "a.id, a.program_id, a.result_node_id, n.tier, n.code, n.title, pr.tiers, a.code, a.title, "
    "a.description, "
    "a.status, a.planned_start, a.planned_end, a.actual_start, a.actual_end, a.responsible_user_id, u.name, "
    "a.responsible_stakeholder_id, st.name, st.type, a.area_id, a.created_at, a.updated_at, a.version, "
    "(SELECT COUNT(*) FROM events ev WHERE ev.activity_id = a.id), a.people_targeted_female, "
    "a.people_targeted_male, a.people_targeted, a.sector";
constexpr const char* kFrom =
    " FROM activities a JOIN result_nodes n ON n.id = a.result_node_id JOIN programs pr ON pr.id = "
    "a.program_id "
    "LEFT JOIN users u ON u.id = a.responsible_user_id LEFT JOIN stakeholders st ON st.id = "
    "a.responsible_stakeholder_id";

Activity from_row(db::Connection& c, const db::Row& r) {
  Activity a;
  a.id = r.int_at(0);
  a.program_id = r.int_at(1);
  a.node.id = r.int_at(2);
  a.node.tier = static_cast<int>(r.int_at(3));
  a.node.code = r.text_at(4);
  a.node.title = r.text_at(5);
  const bj::value tiers = json::parse(r.text_at(6));
  if (tiers.is_array() && static_cast<std::size_t>(a.node.tier) < tiers.as_array().size())
    a.node.tier_name = std::string(tiers.as_array()[static_cast<std::size_t>(a.node.tier)].as_string());
  a.code = r.text_at(7);
  a.title = r.text_at(8);
  a.description = r.text_at(9);
  a.status = r.text_at(10);
  a.planned_start = r.text_at(11);
  a.planned_end = r.text_at(12);
  a.actual_start = r.opt_text(13);
  a.actual_end = r.opt_text(14);
  if (!r.null_at(15)) a.responsible_user = Ref{r.int_at(15), r.text_at(16), ""};
  if (!r.null_at(17)) a.responsible_stakeholder = Ref{r.int_at(17), r.text_at(18), r.text_at(19)};
  a.area = af::area_ref(c, r.opt_int(20));
  a.created_at = r.int_at(21);
  a.updated_at = r.int_at(22);
  a.version = r.int_at(23);
  a.event_count = r.int_at(24);
  a.people_targeted_female = r.opt_int(25);
  a.people_targeted_male = r.opt_int(26);
  a.people_targeted = r.opt_int(27);
  a.sector = r.text_at(28);
  for (const auto& l : c.query(
           "SELECT id, code, name FROM budget_lines WHERE activity_id = $1 ORDER BY code, name, id", {a.id}))
    a.budget_lines.push_back({l.int_at(0), l.text_at(1), l.text_at(2)});
  return a;
}

// The condition for activities (alias a) the scope sees.
std::string visible(const OrgScope& s, db::Params& params) { return programs::visible_rows(s, "a", params); }

Activity load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = visible(s, params);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE a.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no activity " + std::to_string(id));
  return from_row(c, *row);
}

void check_node(db::Connection& c, const OrgScope& s, std::int64_t node_id, std::int64_t program_id) {
  if (c.query_int("SELECT program_id FROM result_nodes WHERE id = $1 AND org_id = $2",
                  {node_id, s.org_id()}) != std::optional<std::int64_t>(program_id))
    throw invalid_field("result_node_id", "is not a node of this program's results framework");
}

void check_within_program(const programs::Program& p, const std::string& date, const std::string& field) {
  if (date < p.start_date || date > p.end_date)
    throw invalid_field(field,
                        "must lie within the program's period (" + p.start_date + " to " + p.end_date + ")");
}

void check_targeted(const Activity& a) {
  const std::int64_t by_sex = a.people_targeted_female.value_or(0) + a.people_targeted_male.value_or(0);
  if (a.people_targeted && *a.people_targeted < by_sex)
    throw invalid_field("people_targeted",
                        "must be at least the women and men targeted (" + std::to_string(by_sex) + ")");
}

void check_schedule(const Activity& a) {
  if (a.planned_end < a.planned_start)
    throw invalid_field("planned_end", "must not be before planned_start (" + a.planned_start + ")");
  if (a.actual_end && !a.actual_start)
    throw invalid_field("actual_start", "is required once actual_end is given");
  if (a.actual_end && a.actual_start && *a.actual_end < *a.actual_start)
    throw invalid_field("actual_end", "must not be before actual_start (" + *a.actual_start + ")");
}

// A date member that null clears: unset when absent, optional(nullopt) for null.
void nullable_date(const bj::object& o, std::string_view name,
                   std::optional<std::optional<std::string>>& out) {
  auto it = o.find(name);
  if (it == o.end()) return;
  out = it->value().is_null() ? std::optional<std::string>() : fields::date(o, name);
}

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.result_node_id = json::optional_id(body, "result_node_id");
  in.code = fields::text(body, "code", 40);
  in.title = fields::text(body, "title", 300);
  if (in.title && in.title->empty()) throw invalid_field("title", "must not be empty");
  in.description = fields::text(body, "description", 20000);
  in.sector = fields::text(body, "sector", 100);
  in.status = json::optional_string(body, "status", 20);
  if (in.status && !known(*in.status, std::begin(kStatuses), std::end(kStatuses)))
    throw invalid_field("status", kStatusList);
  in.planned_start = fields::date(body, "planned_start");
  in.planned_end = fields::date(body, "planned_end");
  nullable_date(body, "actual_start", in.actual_start);
  nullable_date(body, "actual_end", in.actual_end);
  in.responsible_user_id = fields::nullable_id(body, "responsible_user_id");
  in.responsible_stakeholder_id = fields::nullable_id(body, "responsible_stakeholder_id");
  in.area_id = fields::nullable_id(body, "area_id");
  constexpr std::int64_t kMaxPeople = 1'000'000'000;  // more than the population of Indonesia
  in.people_targeted_female = fields::bounded_int(body, "people_targeted_female", 0, kMaxPeople, true);
  in.people_targeted_male = fields::bounded_int(body, "people_targeted_male", 0, kMaxPeople, true);
  in.people_targeted = fields::bounded_int(body, "people_targeted", 0, kMaxPeople, true);
  return in;
}

Page list(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Filter& f,
          std::optional<std::string> cursor, int limit) {
  programs::require_visible(c, s, program_id);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  where += " AND a.program_id = " + n(program_id);
  if (f.status) {
    if (!known(*f.status, std::begin(kStatuses), std::end(kStatuses)))
      throw invalid_field("status", kStatusList);
    where += " AND a.status = " + n(*f.status);
  }
  if (f.result_node_id) where += " AND a.result_node_id = " + n(*f.result_node_id);
  if (f.responsible_user_id) where += " AND a.responsible_user_id = " + n(*f.responsible_user_id);
  if (f.from) where += " AND a.planned_end >= " + n(*f.from);
  if (f.to) where += " AND a.planned_start <= " + n(*f.to);
  return fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY a.planned_start, a.code, a.id",
      params, limit, offset, [&](const db::Row& r) { return from_row(c, r); });
}

Activity get(db::Connection& c, const OrgScope& s, std::int64_t id) { return load(c, s, id); }

namespace {

// Checks and writes the references of the activity `a` as the input leaves them.
void check_refs(db::Connection& c, const OrgScope& s, const Input& in) {
  if (in.responsible_user_id && *in.responsible_user_id)
    af::require_member(c, s, **in.responsible_user_id, "responsible_user_id");
  if (in.responsible_stakeholder_id && *in.responsible_stakeholder_id)
    af::require_stakeholder(c, s, **in.responsible_stakeholder_id, "responsible_stakeholder_id");
  if (in.area_id && *in.area_id) af::require_area(c, s, **in.area_id, "area_id");
}

}  // namespace

Activity create(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in) {
  s.require(Permission::edit_programs);
  const programs::Program p = programs::require_visible(c, s, program_id);
  if (!in.result_node_id) throw invalid_field("result_node_id", "is required");
  if (!in.title) throw invalid_field("title", "is required");
  if (!in.planned_start) throw invalid_field("planned_start", "is required");
  if (!in.planned_end) throw invalid_field("planned_end", "is required");
  check_node(c, s, *in.result_node_id, program_id);
  Activity a;
  a.planned_start = *in.planned_start;
  a.planned_end = *in.planned_end;
  if (in.actual_start) a.actual_start = *in.actual_start;
  if (in.actual_end) a.actual_end = *in.actual_end;
  if (in.people_targeted_female) a.people_targeted_female = *in.people_targeted_female;
  if (in.people_targeted_male) a.people_targeted_male = *in.people_targeted_male;
  if (in.people_targeted) a.people_targeted = *in.people_targeted;
  check_schedule(a);
  check_targeted(a);
  check_within_program(p, a.planned_start, "planned_start");
  check_within_program(p, a.planned_end, "planned_end");
  check_refs(c, s, in);
  auto opt = [](const std::optional<std::optional<std::int64_t>>& v) { return v ? *v : std::nullopt; };
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO activities(org_id, program_id, result_node_id, code, title, description, status, "
      "planned_start, "
      "planned_end, actual_start, actual_end, responsible_user_id, responsible_stakeholder_id, area_id, "
      "created_by, "
      "created_at, updated_at, people_targeted_female, people_targeted_male, people_targeted, sector) VALUES "
      "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16,$17,$18,$19,$20) RETURNING id",
      {s.org_id(), program_id, *in.result_node_id, in.code.value_or(""), *in.title,
       in.description.value_or(""), in.status.value_or("planned"), a.planned_start, a.planned_end,
       a.actual_start, a.actual_end, opt(in.responsible_user_id), opt(in.responsible_stakeholder_id),
       opt(in.area_id), af::user_or_null(s), now, a.people_targeted_female, a.people_targeted_male,
       a.people_targeted, in.sector.value_or("")});
  Activity out = load(c, s, row->int_at(0));
  audit::record(c, s, {{}, "activity.create", "activity", std::to_string(out.id), {}, to_json(out)});
  return out;
}

Activity update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                const Input& in) {
  s.require(Permission::edit_programs);
  const Activity before = load(c, s, id);
  af::check_version(before.version, expected_version, "activity");
  const programs::Program p = programs::require_visible(c, s, before.program_id);
  Activity a = before;
  std::int64_t node = before.node.id;
  if (in.result_node_id) {
    check_node(c, s, *in.result_node_id, before.program_id);
    node = *in.result_node_id;
  }
  if (in.code) a.code = *in.code;
  if (in.title) a.title = *in.title;
  if (in.description) a.description = *in.description;
  if (in.sector) a.sector = *in.sector;
  if (in.status) a.status = *in.status;
  if (in.planned_start) a.planned_start = *in.planned_start;
  if (in.planned_end) a.planned_end = *in.planned_end;
  if (in.actual_start) a.actual_start = *in.actual_start;
  if (in.actual_end) a.actual_end = *in.actual_end;
  if (in.people_targeted_female) a.people_targeted_female = *in.people_targeted_female;
  if (in.people_targeted_male) a.people_targeted_male = *in.people_targeted_male;
  if (in.people_targeted) a.people_targeted = *in.people_targeted;
  check_schedule(a);
  check_targeted(a);
  // Only dates being changed must fit the program: a program shortened later does not lock
  // its older activities.
  if (in.planned_start) check_within_program(p, a.planned_start, "planned_start");
  if (in.planned_end) check_within_program(p, a.planned_end, "planned_end");
  check_refs(c, s, in);
  std::optional<std::int64_t> user =
      before.responsible_user ? std::optional(before.responsible_user->id) : std::nullopt;
  std::optional<std::int64_t> stakeholder =
      before.responsible_stakeholder ? std::optional(before.responsible_stakeholder->id) : std::nullopt;
  std::optional<std::int64_t> area = before.area ? std::optional(before.area->id) : std::nullopt;
  if (in.responsible_user_id) user = *in.responsible_user_id;
  if (in.responsible_stakeholder_id) stakeholder = *in.responsible_stakeholder_id;
  if (in.area_id) area = *in.area_id;
  c.exec(
      "UPDATE activities SET result_node_id = $1, code = $2, title = $3, description = $4, status = $5, "
      "planned_start = $6, planned_end = $7, actual_start = $8, actual_end = $9, responsible_user_id = $10, "
      "responsible_stakeholder_id = $11, area_id = $12, updated_at = $13, people_targeted_female = $15, "
      "people_targeted_male = $16, people_targeted = $17, sector = $18, version = version + 1 WHERE id = $14",
      {node, a.code, a.title, a.description, a.status, a.planned_start, a.planned_end, a.actual_start,
       a.actual_end, user, stakeholder, area, now_millis(), id, a.people_targeted_female,
       a.people_targeted_male, a.people_targeted, a.sector});
  Activity after = load(c, s, id);
  audit::record(c, s,
                {{}, "activity.update", "activity", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  const Activity before = load(c, s, id);
  af::check_version(before.version, expected_version, "activity");
  if (before.event_count > 0)
    throw Error(ErrorCode::conflict, "'" + before.title + "' has " + std::to_string(before.event_count) +
                                         " event(s); delete them first");
  if (!before.budget_lines.empty())
    throw Error(ErrorCode::conflict,
                "'" + before.title + "' has budget lines charged to it; move or delete them first");
  if (c.query_int("SELECT 1 FROM indicator_attendance ia JOIN indicators i ON i.id = ia.indicator_id WHERE "
                  "ia.activity_id = $1 AND i.deleted_at IS NULL",
                  {id}))
    throw Error(ErrorCode::conflict,
                "'" + before.title + "' is measured by an indicator computed from attendance; delete it first");
  c.exec("DELETE FROM activities WHERE id = $1", {id});
  audit::record(c, s, {{}, "activity.delete", "activity", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Activity& a) {
  auto opt_count = [](const std::optional<std::int64_t>& v) { return v ? bj::value(*v) : bj::value(); };
  auto ref = [](const std::optional<Ref>& r, bool with_type) -> bj::value {
    if (!r) return nullptr;
    bj::object o{{"id", std::to_string(r->id)}, {"name", r->name}};
    if (with_type) o["type"] = r->type;
    return o;
  };
  bj::array lines;
  for (const auto& l : a.budget_lines)
    lines.push_back(bj::object{{"id", std::to_string(l.id)}, {"code", l.code}, {"name", l.name}});
  return bj::object{{"id", std::to_string(a.id)},
                    {"program_id", std::to_string(a.program_id)},
                    {"result_node", bj::object{{"id", std::to_string(a.node.id)},
                                               {"tier", a.node.tier},
                                               {"tier_name", a.node.tier_name},
                                               {"code", a.node.code},
                                               {"title", a.node.title}}},
                    {"code", a.code},
                    {"title", a.title},
                    {"description", a.description},
                    {"status", a.status},
                    {"planned_start", a.planned_start},
                    {"planned_end", a.planned_end},
                    {"actual_start", af::text_json(a.actual_start)},
                    {"actual_end", af::text_json(a.actual_end)},
                    {"responsible_user", ref(a.responsible_user, false)},
                    {"responsible_stakeholder", ref(a.responsible_stakeholder, true)},
                    {"area", af::to_json(a.area)},
                    {"budget_lines", std::move(lines)},
                    {"event_count", a.event_count},
                    {"people_targeted_female", opt_count(a.people_targeted_female)},
                    {"people_targeted_male", opt_count(a.people_targeted_male)},
                    {"people_targeted", opt_count(a.people_targeted)},
                    {"sector", a.sector},
                    {"created_at", format_iso8601(a.created_at)},
                    {"updated_at", format_iso8601(a.updated_at)},
                    {"version", a.version}};
}

// -- events -------------------------------------------------------------------------------
namespace {

constexpr const char* kEventColumns =
    "e.id, e.activity_id, a.title, e.program_id, e.kind, e.title, e.held_on, e.place, e.area_id, e.notes, "
    "(SELECT COUNT(*) FROM attendance at JOIN participants ap ON ap.id = at.participant_id WHERE at.event_id "
    "= e.id "
    "AND ap.deleted_at IS NULL), e.created_at, e.updated_at, e.version";
constexpr const char* kEventFrom = " FROM events e JOIN activities a ON a.id = e.activity_id";

Event event_from_row(db::Connection& c, const db::Row& r) {
  Event e;
  e.id = r.int_at(0);
  e.activity_id = r.int_at(1);
  e.activity_title = r.text_at(2);
  e.program_id = r.int_at(3);
  e.kind = r.text_at(4);
  e.title = r.text_at(5);
  e.held_on = r.text_at(6);
  e.place = r.text_at(7);
  e.area = af::area_ref(c, r.opt_int(8));
  e.notes = r.text_at(9);
  e.attendance_count = r.int_at(10);
  e.created_at = r.int_at(11);
  e.updated_at = r.int_at(12);
  e.version = r.int_at(13);
  for (const auto& f :
       c.query("SELECT f.user_id, f.stakeholder_id, COALESCE(u.name, st.name, f.name) FROM "
               "event_facilitators f LEFT JOIN users u ON u.id = f.user_id LEFT JOIN stakeholders st "
               "ON st.id = f.stakeholder_id WHERE f.event_id = $1 ORDER BY f.position",
               {e.id}))
    e.facilitators.push_back({f.opt_int(0), f.opt_int(1), f.text_at(2)});
  return e;
}

std::string event_visible(const OrgScope& s, db::Params& params) {
  return programs::visible_rows(s, "e", params);
}

Event load_event(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  db::Params params{id};
  std::string cond = event_visible(s, params);
  auto row = c.query_one(std::string("SELECT ") + kEventColumns + kEventFrom + " WHERE e.id = $1 AND " + cond,
                         params);
  if (!row) throw Error(ErrorCode::not_found, "no event " + std::to_string(id));
  return event_from_row(c, *row);
}

void write_facilitators(db::Connection& c, const OrgScope& s, std::int64_t event_id,
                        const std::optional<std::vector<Facilitator>>& list) {
  if (!list) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = "facilitators[" + std::to_string(i) + "]";
    if ((*list)[i].user_id) af::require_member(c, s, *(*list)[i].user_id, at + ".user_id");
    if ((*list)[i].stakeholder_id)
      af::require_stakeholder(c, s, *(*list)[i].stakeholder_id, at + ".stakeholder_id");
  }
  c.exec("DELETE FROM event_facilitators WHERE event_id = $1", {event_id});
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& f = (*list)[i];
    c.exec(
        "INSERT INTO event_facilitators(event_id, position, user_id, stakeholder_id, name) VALUES "
        "($1,$2,$3,$4,$5)",
        {event_id, static_cast<std::int64_t>(i), f.user_id, f.stakeholder_id,
         f.user_id || f.stakeholder_id ? std::string() : f.name});
  }
}

}  // namespace

EventInput parse_event_input(const bj::object& body) {
  EventInput in;
  in.kind = json::optional_string(body, "kind", 20);
  if (in.kind && !known(*in.kind, std::begin(kEventKinds), std::end(kEventKinds)))
    throw invalid_field("kind", kKindList);
  in.title = fields::text(body, "title", 300);
  in.held_on = fields::date(body, "held_on");
  in.place = fields::text(body, "place", 300);
  in.notes = fields::text(body, "notes", 20000);
  in.area_id = fields::nullable_id(body, "area_id");
  if (auto it = body.find("facilitators"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_array()) throw invalid_field("facilitators", "must be an array");
    const auto& arr = it->value().get_array();
    if (arr.size() > 20) throw invalid_field("facilitators", "must have at most 20 facilitators");
    std::vector<Facilitator> list;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string at = "facilitators[" + std::to_string(i) + "]";
      if (!arr[i].is_object())
        throw invalid_field(at, "must be an object {user_id} or {stakeholder_id} or {name}");
      const auto& o = arr[i].get_object();
      Facilitator f;
      try {
        f.user_id = json::optional_id(o, "user_id");
        f.stakeholder_id = json::optional_id(o, "stakeholder_id");
        f.name = fields::text(o, "name", 200).value_or("");
      } catch (const Error& e) {
        if (e.details().empty()) throw;
        throw invalid_field(at + "." + e.details()[0].field, e.details()[0].message);
      }
      const int given = (f.user_id ? 1 : 0) + (f.stakeholder_id ? 1 : 0) + (f.name.empty() ? 0 : 1);
      if (given != 1) throw invalid_field(at, "give exactly one of user_id, stakeholder_id or name");
      list.push_back(std::move(f));
    }
    in.facilitators = std::move(list);
  }
  return in;
}

EventPage events(db::Connection& c, const OrgScope& s, std::int64_t activity_id, const EventFilter& f,
                 std::optional<std::string> cursor, int limit) {
  load(c, s, activity_id);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + event_visible(s, params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  where += " AND e.activity_id = " + n(activity_id);
  if (f.kind) {
    if (!known(*f.kind, std::begin(kEventKinds), std::end(kEventKinds)))
      throw invalid_field("kind", kKindList);
    where += " AND e.kind = " + n(*f.kind);
  }
  if (f.from) where += " AND e.held_on >= " + n(*f.from);
  if (f.to) where += " AND e.held_on <= " + n(*f.to);
  return fields::offset_page<EventPage>(
      c, std::string("SELECT ") + kEventColumns + kEventFrom + where + " ORDER BY e.held_on, e.id", params,
      limit, offset, [&](const db::Row& r) { return event_from_row(c, r); });
}

Event get_event(db::Connection& c, const OrgScope& s, std::int64_t id) { return load_event(c, s, id); }

Event create_event(db::Connection& c, const OrgScope& s, std::int64_t activity_id, const EventInput& in) {
  s.require(Permission::edit_programs);
  const Activity a = load(c, s, activity_id);
  const programs::Program p = programs::require_visible(c, s, a.program_id);
  if (!in.kind) throw invalid_field("kind", "is required");
  if (!in.held_on) throw invalid_field("held_on", "is required");
  check_within_program(p, *in.held_on, "held_on");
  std::optional<std::int64_t> area = in.area_id ? *in.area_id : std::nullopt;
  if (area) af::require_area(c, s, *area, "area_id");
  const auto now = now_millis();
  auto row = c.query_one(
      "INSERT INTO events(org_id, program_id, activity_id, kind, title, held_on, place, area_id, notes, "
      "created_by, "
      "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id",
      {s.org_id(), a.program_id, activity_id, *in.kind, in.title.value_or(""), *in.held_on,
       in.place.value_or(""), area, in.notes.value_or(""), af::user_or_null(s), now});
  const std::int64_t id = row->int_at(0);
  write_facilitators(c, s, id, in.facilitators);
  Event e = load_event(c, s, id);
  audit::record(c, s, {{}, "event.create", "event", std::to_string(id), {}, to_json(e)});
  return e;
}

Event update_event(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const EventInput& in) {
  s.require(Permission::edit_programs);
  const Event before = load_event(c, s, id);
  af::check_version(before.version, expected_version, "event");
  Event e = before;
  if (in.kind) e.kind = *in.kind;
  if (in.title) e.title = *in.title;
  if (in.held_on) {
    check_within_program(programs::require_visible(c, s, before.program_id), *in.held_on, "held_on");
    e.held_on = *in.held_on;
  }
  if (in.place) e.place = *in.place;
  if (in.notes) e.notes = *in.notes;
  std::optional<std::int64_t> area = before.area ? std::optional(before.area->id) : std::nullopt;
  if (in.area_id) {
    area = *in.area_id;
    if (area) af::require_area(c, s, *area, "area_id");
  }
  auto change = indicators::AttendanceChange::event(c, s.org_id(), id);  // date and area: periods and cells
  c.exec(
      "UPDATE events SET kind = $1, title = $2, held_on = $3, place = $4, area_id = $5, notes = $6, "
      "updated_at = $7, version = version + 1 WHERE id = $8",
      {e.kind, e.title, e.held_on, e.place, area, e.notes, now_millis(), id});
  change.apply();
  write_facilitators(c, s, id, in.facilitators);
  Event after = load_event(c, s, id);
  audit::record(c, s, {{}, "event.update", "event", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove_event(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  const Event before = load_event(c, s, id);
  af::check_version(before.version, expected_version, "event");
  bj::array attendees;
  for (const auto& r :
       c.query("SELECT participant_id FROM attendance WHERE event_id = $1 ORDER BY participant_id", {id}))
    attendees.emplace_back(std::to_string(r.int_at(0)));
  auto change = indicators::AttendanceChange::event(c, s.org_id(), id);
  c.exec("DELETE FROM attendance WHERE event_id = $1", {id});
  c.exec("DELETE FROM event_facilitators WHERE event_id = $1", {id});
  c.exec("DELETE FROM events WHERE id = $1", {id});
  change.apply();
  bj::object was = to_json(before);
  was["participant_ids"] = std::move(attendees);
  audit::record(c, s, {{}, "event.delete", "event", std::to_string(id), std::move(was), {}});
}

bj::object to_json(const Event& e) {
  bj::array facilitators;
  for (const auto& f : e.facilitators)
    facilitators.push_back(bj::object{{"user_id", af::id_json(f.user_id)},
                                      {"stakeholder_id", af::id_json(f.stakeholder_id)},
                                      {"name", f.name}});
  return bj::object{{"id", std::to_string(e.id)},
                    {"activity_id", std::to_string(e.activity_id)},
                    {"activity_title", e.activity_title},
                    {"program_id", std::to_string(e.program_id)},
                    {"kind", e.kind},
                    {"title", e.title},
                    {"held_on", e.held_on},
                    {"place", e.place},
                    {"area", af::to_json(e.area)},
                    {"facilitators", std::move(facilitators)},
                    {"notes", e.notes},
                    {"attendance_count", e.attendance_count},
                    {"created_at", format_iso8601(e.created_at)},
                    {"updated_at", format_iso8601(e.updated_at)},
                    {"version", e.version}};
}

}  // namespace gotong::domain::activities
