// Activities of a program, each under a node of its results framework (normally the lowest
// tier), with a schedule (planned and actual dates), status, the person or partner
// responsible, an area and the budget lines charged to it; and their events (trainings,
// meetings, distributions, musyawarah) with date, place, area and facilitators, where
// attendance is taken (attendance.hpp). Whoever sees the program sees its activities.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/activity_fields.hpp"
#include "domain/context.hpp"

namespace gotong::domain::activities {

inline constexpr const char* kStatuses[] = {"planned", "ongoing", "done", "cancelled", "postponed"};
inline constexpr const char* kEventKinds[] = {"training", "meeting", "distribution", "musyawarah", "other"};

struct Ref {
  std::int64_t id = 0;
  std::string name;
  std::string type;  // a stakeholder's type; empty for users
};
struct NodeRef {
  std::int64_t id = 0;
  int tier = 0;
  std::string tier_name, code, title;
};
struct LineRef {
  std::int64_t id = 0;
  std::string code, name;
};

struct Activity {
  std::int64_t id = 0;
  std::int64_t program_id = 0;
  NodeRef node;
  std::string code, title, description, status;
  std::string planned_start, planned_end;               // "YYYY-MM-DD"
  std::optional<std::string> actual_start, actual_end;  // "YYYY-MM-DD"
  std::optional<Ref> responsible_user, responsible_stakeholder;
  std::optional<activity_fields::AreaRef> area;
  std::vector<LineRef> budget_lines;  // lines of the program's budget charged to this activity
  std::int64_t event_count = 0;
  // People the activity means to reach (the 4W matrix); none: not planned. The total may exceed
  // female + male (people whose sex is not planned).
  std::optional<std::int64_t> people_targeted_female, people_targeted_male, people_targeted;
  std::string sector;  // "WASH", "kesehatan"; free text, "" when not given
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// A create or update body; unset members keep their value, nullable ones are cleared by null.
struct Input {
  std::optional<std::int64_t> result_node_id;
  std::optional<std::string> code, title, description, status, planned_start, planned_end, sector;
  std::optional<std::optional<std::string>> actual_start, actual_end;
  std::optional<std::optional<std::int64_t>> responsible_user_id, responsible_stakeholder_id, area_id;
  std::optional<std::optional<std::int64_t>> people_targeted_female, people_targeted_male, people_targeted;
};
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::string> status;
  std::optional<std::int64_t> result_node_id;  // directly under this node
  std::optional<std::int64_t> responsible_user_id;
  std::optional<std::string> from, to;  // planned period overlapping [from, to]
};
struct Page {
  std::vector<Activity> items;
  std::optional<std::string> next_cursor;
};
// By planned start. Error(not_found) when the program is not visible to the scope.
Page list(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Filter& f,
          std::optional<std::string> cursor, int limit);
// Error(not_found) unless the activity's program is visible to the scope.
Activity get(db::Connection& c, const OrgScope& s, std::int64_t id);
// Planned dates lie within the program's period; the node must be of the same program.
Activity create(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in);
Activity update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                const Input& in);
// Refused (409) while the activity has events or budget lines.
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

boost::json::object to_json(const Activity& a);

// -- events -------------------------------------------------------------------------------
struct Facilitator {
  std::optional<std::int64_t> user_id, stakeholder_id;
  std::string name;  // the user's or stakeholder's name, or the name given
};

struct Event {
  std::int64_t id = 0;
  std::int64_t activity_id = 0;
  std::string activity_title;
  std::int64_t program_id = 0;
  std::string kind, title, held_on, place, notes;
  std::optional<activity_fields::AreaRef> area;
  std::vector<Facilitator> facilitators;
  std::int64_t attendance_count = 0;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct EventInput {
  std::optional<std::string> kind, title, held_on, place, notes;
  std::optional<std::optional<std::int64_t>> area_id;
  std::optional<std::vector<Facilitator>> facilitators;  // replaces the list when given
};
EventInput parse_event_input(const boost::json::object& body);

struct EventFilter {
  std::optional<std::string> kind, from, to;  // held_on within [from, to]
};
struct EventPage {
  std::vector<Event> items;
  std::optional<std::string> next_cursor;
};
// The activity's events by date.
EventPage events(db::Connection& c, const OrgScope& s, std::int64_t activity_id, const EventFilter& f,
                 std::optional<std::string> cursor, int limit);
// Error(not_found) unless the event's program is visible to the scope.
Event get_event(db::Connection& c, const OrgScope& s, std::int64_t id);
// The date lies within the program's period.
Event create_event(db::Connection& c, const OrgScope& s, std::int64_t activity_id, const EventInput& in);
Event update_event(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const EventInput& in);
// Deletes the event with its attendance (the audit entry keeps who attended).
void remove_event(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

boost::json::object to_json(const Event& e);

}  // namespace gotong::domain::activities
