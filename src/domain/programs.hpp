// Programs (period, areas, problems addressed, donors and partners, status, currency) and who
// may see them: partner users only the programs shared with them, every other role all of the
// organisation's. Every program-owned read and write elsewhere goes through require_visible().
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::programs {

// The program's own row: what other parts (indicators, activities, budget) need.
struct Program {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string name, description;
  std::string start_date, end_date;  // "YYYY-MM-DD", start <= end
  std::string status;                // planned, active, completed, suspended
  std::string currency;              // ISO 4217 ("IDR")
  std::vector<std::string> tiers;    // results framework tier names, top first
  std::string framework_template;    // the template the tiers came from, or "custom"
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// Error(not_found) unless the program exists (not deleted) in the scope's organisation and the
// scope may see it (partners: only programs shared with them).
Program require_visible(db::Connection& c, const OrgScope& s, std::int64_t program_id);
// True when the scope sees every program of the organisation (every role but partner).
bool sees_all_programs(const OrgScope& s);
// Ids of the programs the scope may see, ascending.
std::vector<std::int64_t> visible_program_ids(db::Connection& c, const OrgScope& s);
// For list queries of program-owned rows: a condition "(<column> IN (SELECT ...))" keeping the
// programs the scope may see; appends its parameters to `params` and numbers them from there.
std::string visible_condition(const OrgScope& s, std::string_view column, db::Params& params);
// "<alias>.org_id = $n AND <visible_condition on <alias>.program_id>": the condition for rows of
// a program-owned table (activities, events, budget lines, expenditures) that the scope sees.
std::string visible_rows(const OrgScope& s, std::string_view alias, db::Params& params);

// "YYYY-MM-DD" naming a real day of the Gregorian calendar.
bool valid_date(std::string_view s);

struct AreaRef {
  std::int64_t id = 0;
  std::string name, code, full_name;
};
struct StakeholderLink {
  std::int64_t stakeholder_id = 0;
  std::string role;  // donor, implementing_partner, government_counterpart, beneficiary_group, other
  std::string name, kind, type;
};
// A program with its links, as the API shows it.
struct Detail {
  Program program;
  std::vector<AreaRef> areas;
  std::vector<std::int64_t> problem_ids;
  std::vector<StakeholderLink> stakeholders;
};

inline constexpr const char* kStakeholderRoles[] = {"donor", "implementing_partner", "government_counterpart",
                                                    "beneficiary_group", "other"};
bool known_stakeholder_role(std::string_view role);

// A create or update body, checked for shape; members left unset keep their value on update.
struct Input {
  std::optional<std::string> name, description, start_date, end_date, status, currency;
  std::optional<std::string> framework_template;  // a template id (sets the tiers)
  std::optional<std::vector<std::string>> tiers;  // custom tier names (template becomes "custom")
  std::optional<std::vector<std::int64_t>> area_ids, problem_ids;
  std::optional<std::vector<std::pair<std::int64_t, std::string>>> stakeholders;  // id, role
};
// Error(validation) with the field for a wrong shape or value that needs no database.
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::string> status;
  std::optional<std::int64_t> area_id;  // programs in this area or an area below it
  std::optional<std::string> text;      // words of the name or description
};
struct Page {
  std::vector<Detail> items;
  std::optional<std::string> next_cursor;
};
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
Detail get(db::Connection& c, const OrgScope& s, std::int64_t id);
Detail create(db::Connection& c, const OrgScope& s, const Input& in);
Detail update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
              const Input& in);
// Marks the program deleted (its rows stay for the audit trail and what points at them).
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

boost::json::object to_json(const Detail& d);

// -- sharing ------------------------------------------------------------------------------
struct Member {
  std::int64_t user_id = 0;
  std::string email, name, role;  // role in the organisation
  std::optional<std::int64_t> added_by;
  std::int64_t added_at = 0;
};
std::vector<Member> members(db::Connection& c, const OrgScope& s, std::int64_t program_id);
// Gives a user of the organisation access to the program; sharing twice is a 409.
Member share(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::int64_t user_id);
void unshare(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::int64_t user_id);
boost::json::object to_json(const Member& m);

}  // namespace gotong::domain::programs
