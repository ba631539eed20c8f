// Small pieces shared by activities, participants, attendance, budget and feedback: checking
// that a referenced area, user or stakeholder belongs to the organisation (a field error when
// not), and writing such references and optional values as JSON.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::activity_fields {

struct AreaRef {
  std::int64_t id = 0;
  int level = 0;
  std::string name, code, full_name;
};

// The area, when the organisation can see it; else Error(validation) on `field`.
AreaRef require_area(db::Connection& c, const OrgScope& s, std::int64_t area_id, const std::string& field);
// The area for display (no visibility check: the id came from the organisation's own row).
std::optional<AreaRef> area_ref(db::Connection& c, std::optional<std::int64_t> area_id);
boost::json::value to_json(const std::optional<AreaRef>& a);

// Error(validation) on `field` unless the user is a member of the organisation.
void require_member(db::Connection& c, const OrgScope& s, std::int64_t user_id, const std::string& field);
// Error(validation) on `field` unless the stakeholder is the organisation's and not deleted.
void require_stakeholder(db::Connection& c, const OrgScope& s, std::int64_t stakeholder_id,
                         const std::string& field);

// The acting user, or null for the command line.
std::optional<std::int64_t> user_or_null(const OrgScope& s);

inline bool one_of(std::string_view v, std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed)
    if (v == a) return true;
  return false;
}

boost::json::value id_json(std::optional<std::int64_t> id);
boost::json::value text_json(const std::optional<std::string>& s);
boost::json::value time_json(std::optional<std::int64_t> ms);

// Error(precondition_failed) naming the thing when the version read is not the current one.
void check_version(std::int64_t current, std::int64_t expected, std::string_view what);

}  // namespace gotong::domain::activity_fields
