// Attendance: who was present at an event (added in bulk from participant ids, walk-ins
// registered on the spot), the counts of an event by sex, age band and disability, and the
// reach of an activity or a program: sessions held, people reached (attendances) and unique
// people reached (distinct participants). The reach functions are what indicators computed
// from attendance call.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"
#include "domain/participants.hpp"

namespace gotong::domain::attendance {

// -- counting -----------------------------------------------------------------------------
// The people in one group, the number per cross-classification of sex, age band and disability.
struct Cell {
  std::string sex;           // female, male
  std::size_t age_band = 4;  // index into participants::kAgeBands
  std::string disability;    // with, without, unknown
  std::int64_t count = 0;
};

// The totals and margins of a set of cells.
struct Breakdown {
  std::int64_t total = 0;
  std::int64_t female = 0, male = 0;
  std::array<std::int64_t, 5> age_bands{};                       // by participants::kAgeBands
  std::array<std::array<std::int64_t, 5>, 2> sex_by_age_band{};  // [0] female, [1] male
  std::int64_t with_disability = 0, without_disability = 0, disability_unknown = 0;
  void add(const Cell& cell);
};
boost::json::object to_json(const Breakdown& b);

// -- an event's attendance ----------------------------------------------------------------
struct Attendee {
  participants::Participant participant;
  std::int64_t recorded_at = 0;
};
// Attendees by name. Error(not_found) unless the event is visible to the scope.
std::vector<Attendee> attendees(db::Connection& c, const OrgScope& s, std::int64_t event_id);
// Counts at the event (ages at the event's date). Error(not_found) like attendees().
Breakdown event_counts(db::Connection& c, const OrgScope& s, std::int64_t event_id);

struct AddResult {
  std::vector<std::int64_t> added;    // newly recorded as present
  std::vector<std::int64_t> already;  // were recorded before
  std::vector<std::int64_t> created;  // walk-ins registered now
  std::vector<std::int64_t> matched;  // walk-ins whose NIK matched a registered participant
};
// Records participants (ids of merged participants count for the one kept) and walk-ins as
// present (collect_data). Refused (409) for an event dated after today: attendance is taken at
// or after the event. Error(validation) names the entry that is not a participant.
AddResult add(db::Connection& c, const OrgScope& s, std::int64_t event_id,
              const std::vector<std::int64_t>& ids, const std::vector<participants::Input>& walk_ins);
// Error(not_found) when the participant was not recorded at the event.
void remove(db::Connection& c, const OrgScope& s, std::int64_t event_id, std::int64_t participant_id);

// -- reach --------------------------------------------------------------------------------
struct ReachFilter {
  std::int64_t program_id = 0;
  std::optional<std::int64_t> activity_id;  // only this activity's events
  std::optional<std::string> from, to;      // events held within [from, to] ("YYYY-MM-DD")
  std::string as_of;                        // events after this day are not held yet; today when empty
};
struct Reach {
  std::int64_t sessions_held = 0;                    // events held (on or before as_of) within the range
  Breakdown attendances;                             // people reached: one per participant per event
  Breakdown unique_people;                           // distinct participants (age band at their first event)
  std::vector<Cell> attendance_cells, people_cells;  // for disaggregation by sex × age band × disability
};
// Requires read and a program visible to the scope (Error(not_found) otherwise); the activity,
// when given, must be the program's.
Reach reach(db::Connection& c, const OrgScope& s, const ReachFilter& f);
// The same without checking who asks, for code that already checked (indicator computations).
// Participants in the bin are not counted.
Reach compute_reach(db::Connection& c, std::int64_t org_id, const ReachFilter& f);
boost::json::object to_json(const Reach& r);

}  // namespace gotong::domain::attendance
