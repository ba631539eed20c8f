#include "domain/attendance.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <tuple>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/activities.hpp"
#include "domain/audit.hpp"
#include "domain/indicators_attendance.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::attendance {

namespace bj = boost::json;
namespace af = activity_fields;

void Breakdown::add(const Cell& cell) {
  total += cell.count;
  const std::size_t sex = cell.sex == "female" ? 0 : 1;
  (sex == 0 ? female : male) += cell.count;
  age_bands[cell.age_band] += cell.count;
  sex_by_age_band[sex][cell.age_band] += cell.count;
  if (cell.disability == "with")
    with_disability += cell.count;
  else if (cell.disability == "without")
    without_disability += cell.count;
  else
    disability_unknown += cell.count;
}

bj::object to_json(const Breakdown& b) {
  auto bands = [](const std::array<std::int64_t, 5>& v) {
    bj::object o;
    for (std::size_t i = 0; i < v.size(); ++i) o[participants::kAgeBands[i]] = v[i];
    return o;
  };
  return bj::object{{"total", b.total},
                    {"by_sex", bj::object{{"female", b.female}, {"male", b.male}}},
                    {"by_age_band", bands(b.age_bands)},
                    {"by_sex_and_age_band", bj::object{{"female", bands(b.sex_by_age_band[0])},
                                                       {"male", bands(b.sex_by_age_band[1])}}},
                    {"by_disability", bj::object{{"with", b.with_disability},
                                                 {"without", b.without_disability},
                                                 {"unknown", b.disability_unknown}}}};
}

namespace {

// Cells from rows (sex, birth_year, disability, year of the event, count), merging the rows
// that fall into the same age band.
std::vector<Cell> cells_from(const std::vector<db::Row>& rows) {
  std::map<std::tuple<std::string, std::size_t, std::string>, std::int64_t> merged;
  for (const auto& r : rows) {
    std::optional<int> birth_year;
    if (!r.null_at(1)) birth_year = static_cast<int>(r.int_at(1));
    const int year = static_cast<int>(r.int_at(3));
    merged[{r.text_at(0), participants::age_band(birth_year, year), r.text_at(2)}] += r.int_at(4);
  }
  std::vector<Cell> out;
  for (const auto& [key, count] : merged)
    out.push_back(Cell{std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  return out;
}

Breakdown breakdown_of(const std::vector<Cell>& cells) {
  Breakdown b;
  for (const auto& cell : cells) b.add(cell);
  return b;
}

// Tomorrow in UTC: an event dated today in Indonesia (UTC+7 to +9) may be tomorrow's date in UTC terms.
std::string latest_event_day() { return format_iso8601(now_millis() + 24LL * 3600 * 1000).substr(0, 10); }

bool participant_visible(db::Connection& c, const OrgScope& s, std::int64_t id) {
  db::Params params{id};
  std::string cond = participants::visible_condition(s, params);
  return c.query_int("SELECT 1 FROM participants p WHERE p.id = $1 AND " + cond, params).has_value();
}

bj::array id_array(const std::vector<std::int64_t>& ids) {
  bj::array a;
  for (auto id : ids) a.emplace_back(std::to_string(id));
  return a;
}

}  // namespace

std::vector<Attendee> attendees(db::Connection& c, const OrgScope& s, std::int64_t event_id) {
  activities::get_event(c, s, event_id);
  std::vector<std::int64_t> ids;
  std::map<std::int64_t, std::int64_t> recorded;
  for (const auto& r :
       c.query("SELECT a.participant_id, a.recorded_at FROM attendance a JOIN participants p ON p.id = "
               "a.participant_id WHERE a.event_id = $1 AND p.deleted_at IS NULL ORDER BY p.name_key, "
               "p.id",
               {event_id})) {
    ids.push_back(r.int_at(0));
    recorded[r.int_at(0)] = r.int_at(1);
  }
  std::vector<Attendee> out;
  for (auto& p : participants::load_many(c, s.org_id(), ids)) {
    const auto at = recorded[p.id];
    out.push_back(Attendee{std::move(p), at});
  }
  return out;
}

Breakdown event_counts(db::Connection& c, const OrgScope& s, std::int64_t event_id) {
  activities::get_event(c, s, event_id);
  auto rows = c.query(
      "SELECT p.sex, p.birth_year, p.disability, CAST(substr(e.held_on, 1, 4) AS INTEGER), COUNT(*) FROM "
      "attendance a "
      "JOIN events e ON e.id = a.event_id JOIN participants p ON p.id = a.participant_id WHERE a.event_id = "
      "$1 AND "
      "p.deleted_at IS NULL GROUP BY p.sex, p.birth_year, p.disability, substr(e.held_on, 1, 4)",
      {event_id});
  return breakdown_of(cells_from(rows));
}

AddResult add(db::Connection& c, const OrgScope& s, std::int64_t event_id,
              const std::vector<std::int64_t>& ids, const std::vector<participants::Input>& walk_ins) {
  s.require(Permission::collect_data);
  const auto e = activities::get_event(c, s, event_id);
  if (e.held_on > latest_event_day())
    throw Error(ErrorCode::conflict,
                "the event is dated " + e.held_on + ": record attendance once it has taken place");
  AddResult out;
  std::vector<std::int64_t> present;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto live = participants::live_id(c, s, ids[i]);
    // Partners name only people they can see: otherwise adding an id would reveal its record.
    if (!live || !participant_visible(c, s, *live))
      throw invalid_field("participant_ids[" + std::to_string(i) + "]",
                          "is not a participant of this organisation");
    present.push_back(*live);
  }
  for (std::size_t i = 0; i < walk_ins.size(); ++i) {
    const auto& in = walk_ins[i];
    if (in.nik && *in.nik) {
      // A registered NIK is the same person; a partner is matched only to people it already sees.
      auto known = participants::find_by_nik(c, s, **in.nik);
      if (known && participant_visible(c, s, *known)) {
        out.matched.push_back(*known);
        present.push_back(*known);
        continue;
      }
    }
    auto p = participants::create(c, s, in, "walk_ins[" + std::to_string(i) + "].");
    out.created.push_back(p.id);
    present.push_back(p.id);
  }
  auto change = indicators::AttendanceChange::attendance(c, s.org_id(), event_id, present);
  const auto now = now_millis();
  for (auto id : present) {
    if (std::find(out.added.begin(), out.added.end(), id) != out.added.end() ||
        std::find(out.already.begin(), out.already.end(), id) != out.already.end())
      continue;
    if (c.query_int("SELECT 1 FROM attendance WHERE event_id = $1 AND participant_id = $2", {event_id, id})) {
      out.already.push_back(id);
      continue;
    }
    c.exec(
        "INSERT INTO attendance(event_id, participant_id, org_id, recorded_by, recorded_at) VALUES "
        "($1,$2,$3,$4,$5)",
        {event_id, id, s.org_id(), af::user_or_null(s), now});
    out.added.push_back(id);
  }
  change.apply();
  if (!out.added.empty())
    audit::record(c, s,
                  {{},
                   "attendance.add",
                   "event",
                   std::to_string(event_id),
                   {},
                   bj::object{{"participant_ids", id_array(out.added)},
                              {"walk_ins_created", id_array(out.created)},
                              {"walk_ins_matched", id_array(out.matched)}}});
  return out;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t event_id, std::int64_t participant_id) {
  s.require(Permission::collect_data);
  activities::get_event(c, s, event_id);
  auto change = indicators::AttendanceChange::attendance(c, s.org_id(), event_id, {participant_id});
  if (c.exec("DELETE FROM attendance WHERE event_id = $1 AND participant_id = $2",
             {event_id, participant_id}) == 0)
    throw Error(ErrorCode::not_found, "participant " + std::to_string(participant_id) +
                                          " was not recorded at event " + std::to_string(event_id));
  change.apply();
  audit::record(c, s,
                {{},
                 "attendance.remove",
                 "event",
                 std::to_string(event_id),
                 bj::object{{"participant_ids", id_array({participant_id})}},
                 {}});
}

Reach reach(db::Connection& c, const OrgScope& s, const ReachFilter& f) {
  programs::require_visible(c, s, f.program_id);
  if (f.activity_id && activities::get(c, s, *f.activity_id).program_id != f.program_id)
    throw invalid_field("activity_id", "is not an activity of this program");
  return compute_reach(c, s.org_id(), f);
}

Reach compute_reach(db::Connection& c, std::int64_t org_id, const ReachFilter& f) {
  db::Params params{org_id, f.program_id,
                    f.as_of.empty() ? format_iso8601(now_millis()).substr(0, 10) : f.as_of};
  std::string where = "e.org_id = $1 AND e.program_id = $2 AND e.held_on <= $3";
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.activity_id) where += " AND e.activity_id = " + n(*f.activity_id);
  if (f.from) where += " AND e.held_on >= " + n(*f.from);
  if (f.to) where += " AND e.held_on <= " + n(*f.to);
  Reach r;
  r.sessions_held = c.query_int("SELECT COUNT(*) FROM events e WHERE " + where, params).value_or(0);
  // Grouped in SQL by what the age band needs (birth year, year of the event): a few hundred
  // groups however many attendances there are.
  r.attendance_cells = cells_from(c.query(
      "SELECT p.sex, p.birth_year, p.disability, CAST(substr(e.held_on, 1, 4) AS INTEGER), COUNT(*) FROM "
      "attendance a "
      "JOIN events e ON e.id = a.event_id JOIN participants p ON p.id = a.participant_id WHERE " +
          where +
          " AND p.deleted_at IS NULL GROUP BY p.sex, p.birth_year, p.disability, substr(e.held_on, 1, 4)",
      params));
  r.people_cells =
      cells_from(c.query("SELECT p.sex, p.birth_year, p.disability, CAST(substr(f.first_on, 1, 4) AS "
                         "INTEGER), COUNT(*) FROM (SELECT "
                         "a.participant_id, MIN(e.held_on) AS first_on FROM attendance a JOIN events e ON "
                         "e.id = a.event_id WHERE " +
                             where +
                             " GROUP BY a.participant_id) f JOIN participants p ON p.id = f.participant_id "
                             "WHERE p.deleted_at IS NULL "
                             "GROUP BY p.sex, p.birth_year, p.disability, substr(f.first_on, 1, 4)",
                         params));
  r.attendances = breakdown_of(r.attendance_cells);
  r.unique_people = breakdown_of(r.people_cells);
  return r;
}

bj::object to_json(const Reach& r) {
  return bj::object{{"sessions_held", r.sessions_held},
                    {"people_reached", to_json(r.attendances)},
                    {"unique_people_reached", to_json(r.unique_people)}};
}

}  // namespace gotong::domain::attendance
