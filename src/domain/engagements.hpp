// The engagement log with stakeholders (meetings, calls, letters, MoUs, visits) with its
// attendees, notes and follow-ups (due date, owner, open/done; the overdue ones listed).
// An engagement about a program is visible to whoever sees the program; partner users see
// only those (the rest is the organisation's own log).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::engagements {

struct FollowUp {
  std::int64_t id = 0;
  std::int64_t engagement_id = 0;
  std::string engagement_subject;
  std::string description, due_date;  // date "YYYY-MM-DD"
  std::optional<std::int64_t> owner_user_id;
  std::string owner_name;
  std::string status;  // open, done
  std::optional<std::int64_t> done_at;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct Engagement {
  struct Person {
    std::int64_t id = 0;
    std::string name, kind;  // kind: organisation, person, user
  };
  std::int64_t id = 0;
  std::string kind;  // meeting, call, letter, mou, visit, other
  std::string held_on, subject, notes;
  std::optional<std::int64_t> program_id;
  std::string program_name;
  std::vector<Person> stakeholders, users;
  std::vector<FollowUp> follow_ups;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct FollowUpInput {
  std::optional<std::string> description, due_date, status;
  std::optional<std::optional<std::int64_t>> owner_user_id;
};
struct Input {
  std::optional<std::string> kind, held_on, subject, notes;
  std::optional<std::optional<std::int64_t>> program_id;
  std::optional<std::vector<std::int64_t>> stakeholder_ids, user_ids;
  std::vector<FollowUpInput> follow_ups;  // create only
};
Input parse_input(const boost::json::object& body);
FollowUpInput parse_follow_up(const boost::json::object& body, const std::string& prefix = "");

struct Filter {
  std::optional<std::int64_t> stakeholder_id;  // with it (an organisation: or any of its people)
  std::optional<std::int64_t> program_id;
  std::optional<std::string> kind, from, to;  // held_on within [from, to]
};
struct Page {
  std::vector<Engagement> items;
  std::optional<std::string> next_cursor;
};
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
Engagement get(db::Connection& c, const OrgScope& s, std::int64_t id);
Engagement create(db::Connection& c, const OrgScope& s, const Input& in);
Engagement update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  const Input& in);
// Deletes the engagement with its attendees and follow-ups.
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

FollowUp add_follow_up(db::Connection& c, const OrgScope& s, std::int64_t engagement_id,
                       const FollowUpInput& in);
// Editors change anything; a follow-up's owner may mark it done or open again without edit rights.
FollowUp update_follow_up(db::Connection& c, const OrgScope& s, std::int64_t id,
                          std::int64_t expected_version, const FollowUpInput& in);
FollowUp get_follow_up(db::Connection& c, const OrgScope& s, std::int64_t id);

struct FollowUpFilter {
  std::optional<std::string> status;
  bool overdue = false;  // open and due before `as_of`
  std::optional<std::int64_t> owner_user_id;
  std::optional<std::int64_t> engagement_id;
  std::string as_of;  // today (UTC) when empty
};
// Soonest due first.
std::vector<FollowUp> follow_ups(db::Connection& c, const OrgScope& s, const FollowUpFilter& f, int limit);

// Today's date in UTC, "YYYY-MM-DD".
std::string today();

boost::json::object to_json(const Engagement& e, const std::string& as_of);
boost::json::object to_json(const FollowUp& f, const std::string& as_of);

}  // namespace gotong::domain::engagements
