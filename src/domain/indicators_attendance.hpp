// Indicators computed from attendance: people reached (one per participant per event), unique
// people reached (each participant once, in the period of their first event in scope, with their
// age then) and sessions held (events with at least one participant present), for a program or
// one of its activities, per reporting period of the event's date, disaggregated by sex,
// disability, age band and area. The area is where the participant lives (coverage: "people
// reached in dusun X"); sessions held, which have no participant, take the event's area.
//
// The running aggregates live in indicator_values like those of indicators computed from
// submissions (n = n_b = the count). They are kept current by AttendanceChange inside the write
// job that records or removes attendance, edits or deletes an event, or edits, bins or merges a
// participant: it computes what the people and events touched contribute before and after the
// change, with the very function the full recomputation runs over everything, and adds the
// difference. Write jobs are SERIALIZABLE on PostgreSQL, so concurrent changes to one person's
// attendance cannot both count them as newly reached.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <vector>

#include "analytics/plan.hpp"
#include "db/database.hpp"
#include "domain/context.hpp"
#include "domain/indicators.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::indicators {

// The "attendance" member of a create or update body; Error(validation) for a wrong shape.
AttendanceSpec parse_attendance(const boost::json::value& v);
boost::json::object to_json(const AttendanceSpec& a);

namespace detail {

// Checks an attendance indicator: measure unit, dimensions it can read, its activity in the
// program. Error(validation) naming the member at fault.
void validate_attendance(db::Connection& c, const OrgScope& s, const programs::Program& p,
                         const Indicator& ind);
void save_attendance(db::Connection& c, const Indicator& ind);
// Adds the attendance spec to an indicator read with source attendance.
void load_attendance(db::Connection& c, Indicator& ind);
// Replaces the stored aggregates with a computation over all attendance of the program period
// [start, end]; records the period on the indicator row. `submissions` of the result counts the
// attendance rows (sessions held: the events) read.
Recomputed compute_attendance(db::Connection& c, const Indicator& ind, const std::string& start,
                              const std::string& end, bool compare);

}  // namespace detail

// Keeps the organisation's attendance indicators current across one change. Construct it before
// the change, naming what it touches; call apply() after it, in the same write job.
class AttendanceChange {
 public:
  // Attendance of `participant_ids` at `event_id` recorded or removed.
  static AttendanceChange attendance(db::Connection& c, std::int64_t org_id, std::int64_t event_id,
                                     std::vector<std::int64_t> participant_ids);
  // An event's date or area changed, or the event is deleted: everyone who attended it.
  static AttendanceChange event(db::Connection& c, std::int64_t org_id, std::int64_t event_id);
  // Participants edited, binned or merged: every event they attended.
  static AttendanceChange participants(db::Connection& c, std::int64_t org_id,
                                       std::vector<std::int64_t> participant_ids);

  void apply();

  // An indicator and what the people and events touched contributed to it before the change.
  struct Tracked {
    Indicator ind;
    analytics::Aggregation before;
  };

 private:
  AttendanceChange(db::Connection& c, std::int64_t org_id, std::vector<std::int64_t> participants,
                   std::vector<std::int64_t> events);
  db::Connection* c_;
  std::vector<std::int64_t> participants_, events_;
  std::vector<Tracked> tracked_;
};

}  // namespace gotong::domain::indicators
