// Stakeholders: organisations and people (a person may belong to an organisation) with their
// type, contacts, power and interest scores and the Mendelow quadrant computed from them, and
// the programs they take part in (the links are edited on the program, programs.hpp).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::stakeholders {

// Mendelow's power/interest grid. Scores run 1–5 and a score of 3 or more counts as high:
// 3 is the scale's middle, and a stakeholder rated "medium" should be watched, not ignored.
inline constexpr int kHighFrom = 3;
enum class Quadrant {
  manage_closely,  // high power, high interest
  keep_satisfied,  // high power, low interest
  keep_informed,   // low power, high interest
  monitor,         // low power, low interest
};
Quadrant quadrant(int power, int interest);
std::string_view quadrant_name(Quadrant q);
std::optional<Quadrant> parse_quadrant(std::string_view s);

inline constexpr const char* kTypes[] = {
    "government_office", "village_government", "ngo",   "community_group",
    "private_sector",    "academic",           "donor", "media"};
bool known_type(std::string_view type);

struct ProgramLink {
  std::int64_t program_id = 0;
  std::string program_name, role;
};

struct Stakeholder {
  std::int64_t id = 0;
  std::string kind;  // organisation, person
  std::string name, type;
  std::optional<std::int64_t> organisation_id;  // a person's organisation
  std::string organisation_name;
  std::string position, phone, email, address, notes;
  std::optional<int> power, interest;
  std::vector<ProgramLink> programs;  // only the programs the reader may see
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// A create or update body; unset members keep their value. Nullable members (organisation,
// scores) are optional(nullopt) when the body clears them with null.
struct Input {
  std::optional<std::string> kind, name, type, position, phone, email, address, notes;
  std::optional<std::optional<std::int64_t>> organisation_id, power, interest;
};
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::string> kind, type, quadrant, text;
  std::optional<std::int64_t> program_id;       // linked to this program (any role)
  std::optional<std::int64_t> organisation_id;  // people of this organisation
};
struct Page {
  std::vector<Stakeholder> items;
  std::optional<std::string> next_cursor;
};
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
// Error(not_found) unless the stakeholder exists, not deleted, in the scope's organisation.
Stakeholder get(db::Connection& c, const OrgScope& s, std::int64_t id);
Stakeholder create(db::Connection& c, const OrgScope& s, const Input& in);
Stakeholder update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const Input& in);
// Marks it deleted and drops its program links; refused (409) for an organisation with people.
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

boost::json::object to_json(const Stakeholder& st);

}  // namespace gotong::domain::stakeholders
