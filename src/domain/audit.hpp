// The append-only audit log: every change records who, when, what and the object before and
// after, in the same transaction as the change itself.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::audit {

struct Entry {
  std::optional<std::int64_t> org_id;
  std::string action;       // "<object>.<verb>", e.g. "area.create"
  std::string object_type;
  std::string object_id;
  boost::json::value before;  // null when created
  boost::json::value after;   // null when deleted
};

void record(db::Connection& c, const Actor& actor, const Entry& e);
inline void record(db::Connection& c, const OrgScope& s, Entry e) {
  e.org_id = s.org_id();
  record(c, s.actor(), e);
}

struct Filter {
  std::optional<std::string> action;       // exact, or a prefix ending in '.' ("area.")
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<std::int64_t> actor_user_id;
  std::optional<std::int64_t> since;       // inclusive, ms
  std::optional<std::int64_t> until;       // exclusive, ms
  std::optional<std::int64_t> before_id;   // cursor: entries older than this id
  int limit = 50;
};

struct Record {
  std::int64_t id;
  std::int64_t at;
  std::optional<std::int64_t> actor_user_id;
  std::string actor, action, object_type, object_id;
  boost::json::value before, after;
  std::string request_id, ip;
};

// Newest first, only the scope's organisation. Requires Permission::read_audit.
std::vector<Record> list(db::Connection& c, const OrgScope& s, const Filter& f);

boost::json::object to_json(const Record& r);

}  // namespace gotong::domain::audit
