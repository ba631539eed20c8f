// Indicators of a program (IATI 2.03 result/indicator): each measures a node of the results
// framework, with a measure, a direction, baselines, targets per reporting period and for the
// life of the program, and disaggregation dimensions. An indicator is computed from the
// submissions of one form (analytics/plan.hpp), or entered by hand with approval
// (indicator_entries.hpp), or computed from attendance (indicators_attendance.hpp).
//
// Computed indicators keep running aggregates per period and disaggregation cell, updated by
// on_submission_changed() inside the very write job that stores, edits, reviews, deletes or
// restores a submission; a full recomputation (on creation, on a change of the computation, or
// on request) rebuilds them from the stored records and gives the same numbers.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/plan.hpp"
#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::indicators {

// A disaggregation dimension. Computed indicators read theirs from the form (kinds field,
// age_band, area); indicators entered by hand name their categories (kind list).
struct Dimension {
  std::string name;
  std::string kind;  // field, age_band, area, list
  std::string field;
  std::vector<double> bands;
  int level = 0;
  std::vector<std::string> values;  // list: the categories
};

struct Baseline {
  boost::json::object cell;     // {} for the whole indicator, else {"sex": "female", ...}
  std::optional<double> value;  // none for a qualitative baseline
  std::string narrative, date, note;
};

struct Target {
  std::string period;  // "2026-03", "2026-Q1", "2026" or "LOP"
  std::optional<double> value;
  std::string narrative;
};

// How a computed indicator reads the submissions of its form.
struct Computation {
  std::int64_t form_id = 0;
  std::string calculation;  // count, sum, mean, median, ratio, percentage, distinct_count
  std::string unit;         // "" = each submission; else a repeat's name
  std::string filter, denominator_filter, value_field, denominator_field, period_field;
  bool include_has_issues = false;
};

// What an indicator computed from attendance counts (domain/indicators_attendance.hpp).
struct AttendanceSpec {
  std::string measure;                      // people_reached, unique_people, sessions_held
  std::optional<std::int64_t> activity_id;  // only this activity's events; none: the whole program
  bool operator==(const AttendanceSpec&) const = default;
};

struct Indicator {
  std::int64_t id = 0, org_id = 0, program_id = 0, result_node_id = 0;
  std::string code, title, definition;
  std::string measure;    // unit, percentage, nominal, ordinal, qualitative
  std::string direction;  // increase, decrease, maintain
  std::string unit_label;
  std::string frequency;    // monthly, quarterly, yearly, life_of_program
  std::string aggregation;  // per_period, cumulative
  double margin_percent = 10;
  std::string source;  // submissions, manual, attendance
  std::optional<Computation> computation;
  std::optional<AttendanceSpec> attendance;  // source attendance
  std::vector<Dimension> dimensions;
  std::string means_of_verification;
  std::optional<std::int64_t> responsible_user_id;
  std::optional<std::string> computed_start, computed_end;
  std::optional<std::int64_t> computed_at;
  std::vector<Baseline> baselines;
  std::vector<Target> targets;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// A create or update body, checked for shape; members left unset keep their value on update.
struct Input {
  std::optional<std::int64_t> result_node_id;
  std::optional<std::string> code, title, definition, measure, direction, unit_label, frequency, aggregation,
      source;
  std::optional<double> margin_percent;
  std::optional<Computation> computation;
  std::optional<AttendanceSpec> attendance;
  std::optional<std::vector<Dimension>> dimensions;
  std::optional<std::string> means_of_verification;
  std::optional<std::optional<std::int64_t>> responsible_user_id;
  std::optional<std::vector<Baseline>> baselines;
  std::optional<std::vector<Target>> targets;
};
// Error(validation) with the field for a wrong shape or value that needs no database.
Input parse_input(const boost::json::object& body);

// Error(not_found) unless the indicator exists (not deleted) in the scope's organisation and its
// program is visible to the scope.
Indicator get(db::Connection& c, const OrgScope& s, std::int64_t id);
// The program's indicators, by result node tier, then code and title.
std::vector<Indicator> list(db::Connection& c, const OrgScope& s, std::int64_t program_id);
// On PostgreSQL, create/update/remove/recompute must be the first thing their write job does: a full
// computation locks the submissions table before reading it, so no submission change can fall
// between the computation's snapshot and its commit.
Indicator create(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in);
Indicator update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                 const Input& in);
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

// The definition as the API shows it (the level is the program's tier name of the node).
boost::json::object to_json(db::Connection& c, const Indicator& ind);

// -- computation from submissions -------------------------------------------------------------

// What a full recomputation found: how many stored aggregates it wrote, and how many differed
// from the incrementally kept ones (0 unless something went wrong or the program's period changed).
struct Recomputed {
  std::int64_t submissions = 0;  // submissions read
  std::int64_t rows = 0;         // aggregates (period × cell) written
  std::int64_t differences = 0;  // aggregates that differed before
  double milliseconds = 0;
};
Recomputed recompute(db::Connection& c, const OrgScope& s, std::int64_t id);

// A submission as the indicators see it.
struct SubmissionState {
  std::int64_t version_id = 0;
  std::string record;  // forms/xform record encoding
  std::string state;   // received, has_issues, approved, rejected
  bool deleted = false;
  std::int64_t submitted_at = 0;
  std::string area_key;
};
// The submission's current state, or nullopt when its form has no indicator computed from it
// (then there is nothing to keep up to date). Read inside the write job, before and after a change.
std::optional<SubmissionState> load_state(db::Connection& c, std::int64_t submission_id);
// Keeps the form's indicators up to date after a submission changed from `before` (nullopt: it
// did not exist) to `after` (nullopt: the indicators need not look). Call inside the write job
// that made the change: it adds the difference to the stored aggregates with UPSERTs that
// increment them, so concurrent jobs on other servers compose.
void on_submission_changed(db::Connection& c, const OrgScope& s, std::int64_t form_id,
                           const std::optional<SubmissionState>& before,
                           const std::optional<SubmissionState>& after);

// -- values, status and the dashboard -------------------------------------------------------

// Every period of the program with its value, target and status, the cells and the per-dimension
// values, and the life-of-program value.
boost::json::object values_json(db::Connection& c, const OrgScope& s, std::int64_t id);
// Every indicator of the program with its latest value, target and status.
boost::json::object dashboard_json(db::Connection& c, const OrgScope& s, std::int64_t program_id);

}  // namespace gotong::domain::indicators
