// Values of an indicator entered by hand, per reporting period and disaggregation cell, with
// their approval: draft → submitted → approved, or returned with a reason (then edited and
// submitted again). Whoever may collect data enters and submits; approving and returning need
// approve_values. Every step is audited. Only approved values count (indicators_values.cpp): a
// period's value is its approved entry without a cell; entries with a cell are its disaggregation.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::indicators {

struct Entry {
  std::int64_t id = 0, indicator_id = 0;
  std::string period;
  boost::json::object cell;  // {} for the whole indicator
  std::optional<double> value;
  std::string narrative, note;
  std::string state;  // draft, submitted, approved, returned
  std::string return_reason;
  std::optional<std::int64_t> entered_by, submitted_by, reviewed_by;
  std::string entered_by_name, submitted_by_name, reviewed_by_name;
  std::optional<std::int64_t> submitted_at, reviewed_at;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct EntryInput {
  std::optional<std::string> period;
  std::optional<boost::json::object> cell;
  std::optional<std::optional<double>> value;  // null clears (qualitative)
  std::optional<std::string> narrative, note;
};
EntryInput parse_entry_input(const boost::json::object& body);

// The indicator's entries (not deleted), by period and cell; filters by state and period.
std::vector<Entry> entries(db::Connection& c, const OrgScope& s, std::int64_t indicator_id,
                           const std::optional<std::string>& state, const std::optional<std::string>& period);
Entry get_entry(db::Connection& c, const OrgScope& s, std::int64_t id);
// A draft. Error(conflict) for an indicator not entered by hand, or a period and cell that have an entry.
Entry create_entry(db::Connection& c, const OrgScope& s, std::int64_t indicator_id, const EntryInput& in);
// Only drafts and returned entries change; a returned one becomes a draft again.
Entry update_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const EntryInput& in);
Entry submit_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
Entry approve_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
// Back to whoever entered it, from submitted (or approved, to correct it), with a reason.
Entry return_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const std::string& reason);
// Drafts and returned entries only.
void remove_entry(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

boost::json::object to_json(const Entry& e);

}  // namespace gotong::domain::indicators
