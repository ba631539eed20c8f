// Indicators computed from attendance: definition checks, the contribution of people and events
// to the running aggregates, the full computation and the incremental change.
#include "domain/indicators_attendance.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <set>

#include "analytics/periods.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "db/batch_insert.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/program_fields.hpp"

namespace gotong::domain::indicators {

namespace bj = boost::json;

namespace {

const char* const kMeasures[] = {"people_reached", "unique_people", "sessions_held"};

// Ids per IN (...) list: well below the parameter limits of both engines.
constexpr std::size_t kChunk = 500;

bool sessions(const Indicator& ind) { return ind.attendance->measure == "sessions_held"; }

// Where rows of the indicator's scope are: its program, its activity, the program period.
std::string scope_where(const Indicator& ind, const std::string& start, const std::string& end,
                        db::Params& params) {
  params = {ind.org_id, ind.program_id, start, end};
  std::string where = "e.org_id = $1 AND e.program_id = $2 AND e.held_on >= $3 AND e.held_on <= $4";
  if (ind.attendance->activity_id) {
    params.push_back(*ind.attendance->activity_id);
    where += " AND e.activity_id = $5";
  }
  return where;
}

std::string in_list(const std::vector<std::int64_t>& ids, std::size_t first, std::size_t last,
                    db::Params& params) {
  std::string out = "(";
  for (std::size_t i = first; i < last; ++i) {
    params.push_back(ids[i]);
    out += (i == first ? "$" : ", $") + std::to_string(params.size());
  }
  return out + ")";
}

// The disaggregation cell of one attendance (or, with no participant, one event).
struct Facts {
  std::string_view held_on, sex, disability, area_code;
  std::optional<std::int64_t> birth_year;
};

std::string cell_of(const Indicator& ind, const Facts& f) {
  std::vector<std::string> values;
  values.reserve(ind.dimensions.size());
  for (const auto& d : ind.dimensions) {
    if (d.kind == "area") {
      values.push_back(analytics::area_prefix(f.area_code, d.level));
    } else if (d.kind == "age_band") {
      // Age in whole years at the event, as the attendance counts reckon it (year minus birth year).
      values.push_back(f.birth_year ? analytics::band_label(
                                          static_cast<double>(std::stoi(std::string(f.held_on.substr(0, 4))) -
                                                              *f.birth_year),
                                          d.bands)
                                    : std::string());
    } else {
      values.emplace_back(d.field == "sex" ? f.sex : f.disability);
    }
  }
  return analytics::join_cell(values);
}

void count(analytics::Aggregation& out, const Indicator& ind, const Facts& f, std::int64_t sign) {
  auto& a =
      out.at(analytics::period_of(f.held_on, *analytics::parse_frequency(ind.frequency)), cell_of(ind, f));
  a.n += sign;
  a.n_b += sign;
}

// What the given people (people measures) or events (sessions held) contribute to the indicator
// over [start, end]; null lists mean everybody and every event. Returns the rows read.
std::int64_t contribute(db::Connection& c, const Indicator& ind, const std::string& start,
                        const std::string& end, const std::vector<std::int64_t>* people,
                        const std::vector<std::int64_t>* events, std::int64_t sign,
                        analytics::Aggregation& out) {
  const std::vector<std::int64_t>* ids = sessions(ind) ? events : people;
  if (ids && ids->empty()) return 0;
  std::int64_t rows = 0;
  const bool unique = ind.attendance->measure == "unique_people";
  // unique_people: each participant's earliest event in scope, with what is known of them.
  struct First {
    std::string held_on, sex, disability, area;
    std::optional<std::int64_t> birth_year;
  };
  std::map<std::int64_t, First> first;
  const std::size_t n = ids ? ids->size() : 1;
  for (std::size_t from = 0; from < n; from += kChunk) {
    db::Params params;
    std::string where = scope_where(ind, start, end, params);
    if (sessions(ind)) {
      if (ids) where += " AND e.id IN " + in_list(*ids, from, std::min(n, from + kChunk), params);
      c.each("SELECT e.held_on, ar.code FROM events e LEFT JOIN areas ar ON ar.id = e.area_id WHERE " +
                 where +
                 " AND EXISTS (SELECT 1 FROM attendance a JOIN participants p ON p.id = a.participant_id "
                 "WHERE a.event_id = e.id AND p.deleted_at IS NULL)",
             params, [&](const db::Row& r) {
               const std::string held = r.text_at(0), area = r.opt_text(1).value_or("");
               count(out, ind, Facts{held, "", "", area, std::nullopt}, sign);
               ++rows;
               return true;
             });
      continue;
    }
    if (ids) where += " AND a.participant_id IN " + in_list(*ids, from, std::min(n, from + kChunk), params);
    // Streamed: a full computation reads every attendance of the program once, keeping nothing
    // but the aggregates (and, for unique people, one entry per person).
    c.each(
        "SELECT a.participant_id, e.held_on, p.sex, p.birth_year, p.disability, ar.code FROM "
        "attendance a JOIN events e ON e.id = a.event_id JOIN participants p ON p.id = "
        "a.participant_id LEFT JOIN areas ar ON ar.id = p.area_id WHERE " +
            where + " AND p.deleted_at IS NULL",
        params, [&](const db::Row& r) {
          ++rows;
          First f{r.text_at(1), r.text_at(2), r.text_at(4), r.opt_text(5).value_or(""), r.opt_int(3)};
          if (!unique) {
            count(out, ind, Facts{f.held_on, f.sex, f.disability, f.area, f.birth_year}, sign);
            return true;
          }
          auto [it, added] = first.try_emplace(r.int_at(0), f);
          if (!added && f.held_on < it->second.held_on) it->second = std::move(f);
          return true;
        });
  }
  for (const auto& [id, f] : first)
    count(out, ind, Facts{f.held_on, f.sex, f.disability, f.area, f.birth_year}, sign);
  return rows;
}

// Adds a difference to the stored counts with UPSERTs that add to them; rows that come to
// nothing are removed.
void add_to_stored(db::Connection& c, const Indicator& ind, const analytics::Aggregation& delta) {
  delta.for_each([&](std::string_view period, std::string_view cell, const analytics::Accumulator& a) {
    if (a.n == 0 && a.n_b == 0) return;
    const std::string p(period), k(cell);
    c.exec(
        "INSERT INTO indicator_values(indicator_id, org_id, period, cell, n, n_b, sum_a, sum_b) "
        "VALUES ($1,$2,$3,$4,$5,$6,0,0) ON CONFLICT (indicator_id, period, cell) DO UPDATE SET "
        "n = indicator_values.n + excluded.n, n_b = indicator_values.n_b + excluded.n_b",
        {ind.id, ind.org_id, p, k, a.n, a.n_b});
    if (a.n < 0)
      c.exec(
          "DELETE FROM indicator_values WHERE indicator_id = $1 AND period = $2 AND cell = $3 AND n = 0 AND "
          "n_b = 0 AND sum_a = 0 AND sum_b = 0",
          {ind.id, p, k});
  });
}

std::vector<Indicator> tracked_indicators(db::Connection& c, std::int64_t org_id) {
  std::vector<Indicator> out;
  for (const auto& r : c.query(std::string("SELECT ") + detail::kColumns +
                                   " FROM indicators i WHERE i.org_id = $1 AND i.source = 'attendance' AND "
                                   "i.deleted_at IS NULL AND i.computed_start IS NOT NULL",
                               {org_id})) {
    out.push_back(detail::from_row(r));
    detail::load_attendance(c, out.back());
    if (!out.back().attendance) out.pop_back();
  }
  return out;
}

std::vector<std::int64_t> ids_of(db::Connection& c, const std::string& sql, std::int64_t id) {
  std::vector<std::int64_t> out;
  for (const auto& r : c.query(sql, {id})) out.push_back(r.int_at(0));
  return out;
}

}  // namespace

AttendanceSpec parse_attendance(const bj::value& v) {
  if (!v.is_object()) throw invalid_field("attendance", "must be an object");
  const auto& o = v.get_object();
  AttendanceSpec a;
  auto measure = o.find("measure");
  if (measure == o.end() || !measure->value().is_string())
    throw invalid_field("attendance.measure", "is required: people_reached, unique_people or sessions_held");
  a.measure = std::string(measure->value().get_string());
  if (std::find_if(std::begin(kMeasures), std::end(kMeasures),
                   [&](const char* m) { return a.measure == m; }) == std::end(kMeasures))
    throw invalid_field("attendance.measure", "must be people_reached, unique_people or sessions_held");
  try {
    a.activity_id = fields::nullable_id(o, "activity_id").value_or(std::nullopt);
  } catch (const Error&) {
    throw invalid_field("attendance.activity_id", "must be an activity id or null");
  }
  for (const auto& kv : o)
    if (kv.key() != "measure" && kv.key() != "activity_id")
      throw invalid_field("attendance." + std::string(kv.key()), "is not a member of attendance");
  return a;
}

bj::object to_json(const AttendanceSpec& a) {
  return bj::object{{"measure", a.measure},
                    {"activity_id", a.activity_id ? bj::value(std::to_string(*a.activity_id)) : bj::value()}};
}

namespace detail {

void validate_attendance(db::Connection& c, const OrgScope& s, const programs::Program& p,
                         const Indicator& ind) {
  if (!ind.attendance)
    throw invalid_field("attendance", "is required for an indicator computed from attendance");
  if (ind.measure != "unit")
    throw invalid_field("measure", "must be unit for an indicator computed from attendance (a count)");
  if (ind.attendance->activity_id) {
    auto program = c.query_int("SELECT program_id FROM activities WHERE id = $1 AND org_id = $2",
                               {*ind.attendance->activity_id, s.org_id()});
    if (!program || *program != p.id)
      throw invalid_field("attendance.activity_id", "is not an activity of this program");
  }
  const bool session = sessions(ind);
  for (std::size_t i = 0; i < ind.dimensions.size(); ++i) {
    const auto& d = ind.dimensions[i];
    const std::string at = "dimensions[" + std::to_string(i) + "]";
    if (d.kind == "list")
      throw invalid_field(at + ".kind",
                          "an indicator computed from attendance is disaggregated by field (sex, "
                          "disability), age_band (age) or area");
    if (session && d.kind != "area")
      throw invalid_field(at + ".kind", "sessions held are disaggregated by the event's area only");
    if (d.kind == "field" && d.field != "sex" && d.field != "disability")
      throw invalid_field(at + ".field",
                          "must be sex or disability for an indicator computed from attendance");
    if (d.kind == "age_band" && d.field != "age")
      throw invalid_field(at + ".field", "must be age (the participant's age at the event)");
  }
}

void save_attendance(db::Connection& c, const Indicator& ind) {
  c.exec(
      "INSERT INTO indicator_attendance(indicator_id, org_id, measure, activity_id) VALUES ($1,$2,$3,$4) "
      "ON CONFLICT (indicator_id) DO UPDATE SET measure = excluded.measure, activity_id = "
      "excluded.activity_id",
      {ind.id, ind.org_id, ind.attendance->measure, ind.attendance->activity_id});
}

void load_attendance(db::Connection& c, Indicator& ind) {
  auto r =
      c.query_one("SELECT measure, activity_id FROM indicator_attendance WHERE indicator_id = $1", {ind.id});
  if (r) ind.attendance = AttendanceSpec{r->text_at(0), r->opt_int(1)};
}

Recomputed compute_attendance(db::Connection& c, const Indicator& ind, const std::string& start,
                              const std::string& end, bool compare) {
  const auto t0 = std::chrono::steady_clock::now();
  Recomputed out;
  analytics::Aggregation fresh;
  out.submissions = contribute(c, ind, start, end, nullptr, nullptr, 1, fresh);
  if (compare) {
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> all;
    fresh.for_each([&](std::string_view p, std::string_view k, const analytics::Accumulator& a) {
      if (a.n) all[{std::string(p), std::string(k)}].first = a.n;
    });
    stored(c, ind.id, false)
        .for_each([&](std::string_view p, std::string_view k, const analytics::Accumulator& a) {
          if (a.n) all[{std::string(p), std::string(k)}].second = a.n;
        });
    for (const auto& [key, pair] : all)
      if (pair.first != pair.second) ++out.differences;
  }
  drop_values(c, ind.id);
  db::BatchInsert values(
      c, "INSERT INTO indicator_values(indicator_id, org_id, period, cell, n, n_b, sum_a, sum_b)", 8);
  fresh.for_each([&](std::string_view period, std::string_view cell, const analytics::Accumulator& a) {
    if (a.n == 0) return;
    ++out.rows;
    values.add({ind.id, ind.org_id, period, cell, a.n, a.n_b, 0, 0});
  });
  values.flush();
  c.exec("UPDATE indicators SET computed_start = $1, computed_end = $2, computed_at = $3 WHERE id = $4",
         {start, end, now_millis(), ind.id});
  out.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace detail

AttendanceChange::AttendanceChange(db::Connection& c, std::int64_t, std::vector<std::int64_t> participants,
                                   std::vector<std::int64_t> events)
    : c_(&c), participants_(std::move(participants)), events_(std::move(events)) {}

AttendanceChange AttendanceChange::attendance(db::Connection& c, std::int64_t org_id, std::int64_t event_id,
                                              std::vector<std::int64_t> participant_ids) {
  auto indicators = tracked_indicators(c, org_id);
  AttendanceChange ch(c, org_id, std::move(participant_ids), {event_id});
  for (auto& ind : indicators) ch.tracked_.push_back({std::move(ind), {}});
  for (auto& t : ch.tracked_)
    contribute(c, t.ind, *t.ind.computed_start, *t.ind.computed_end, &ch.participants_, &ch.events_, 1,
               t.before);
  return ch;
}

AttendanceChange AttendanceChange::event(db::Connection& c, std::int64_t org_id, std::int64_t event_id) {
  if (tracked_indicators(c, org_id).empty()) return AttendanceChange(c, org_id, {}, {});
  return attendance(c, org_id, event_id,
                    ids_of(c, "SELECT participant_id FROM attendance WHERE event_id = $1", event_id));
}

AttendanceChange AttendanceChange::participants(db::Connection& c, std::int64_t org_id,
                                                std::vector<std::int64_t> participant_ids) {
  auto indicators = tracked_indicators(c, org_id);
  std::set<std::int64_t> events;
  if (!indicators.empty())
    for (auto id : participant_ids)
      for (auto e : ids_of(c, "SELECT event_id FROM attendance WHERE participant_id = $1", id))
        events.insert(e);
  AttendanceChange ch(c, org_id, std::move(participant_ids), {events.begin(), events.end()});
  for (auto& ind : indicators) ch.tracked_.push_back({std::move(ind), {}});
  for (auto& t : ch.tracked_)
    contribute(c, t.ind, *t.ind.computed_start, *t.ind.computed_end, &ch.participants_, &ch.events_, 1,
               t.before);
  return ch;
}

void AttendanceChange::apply() {
  for (auto& t : tracked_) {
    analytics::Aggregation delta;
    contribute(*c_, t.ind, *t.ind.computed_start, *t.ind.computed_end, &participants_, &events_, 1, delta);
    t.before.for_each([&](std::string_view p, std::string_view k, const analytics::Accumulator& a) {
      delta.at(p, k).merge(a, -1);
    });
    add_to_stored(*c_, t.ind, delta);
  }
  tracked_.clear();
}

}  // namespace gotong::domain::indicators
