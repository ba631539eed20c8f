// Internal to domain/indicators*.cpp (and bench/indicator_bench.cpp): reading indicator rows, the analytics
// spec of a computed indicator, the full computation and JSON numbers.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/plan.hpp"
#include "db/database.hpp"
#include "domain/indicators.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::indicators::detail {

// SELECT <kColumns> FROM indicators i WHERE ...
inline constexpr const char* kColumns =
    "i.id, i.org_id, i.program_id, i.result_node_id, i.code, i.title, i.definition, i.measure, i.direction, "
    "i.unit_label, i.frequency, i.aggregation, i.margin_percent, i.source, i.form_id, i.calculation, "
    "i.unit_repeat, i.filter_expression, i.denominator_filter, i.value_field, i.denominator_field, "
    "i.period_field, i.include_has_issues, i.dimensions, i.means_of_verification, i.responsible_user_id, "
    "i.computed_start, i.computed_end, i.computed_at, i.created_at, i.updated_at, i.version";

// The row without its baselines and targets.
Indicator from_row(const db::Row& r);
// Adds the baselines and targets.
void load_details(db::Connection& c, Indicator& ind);

std::string dimensions_text(const std::vector<Dimension>& dims);
std::vector<Dimension> dimensions_from_text(std::string_view text);

// The plan's definition for a computed indicator over [start, end].
analytics::Spec spec_of(const Indicator& ind, const std::string& start, const std::string& end);
bool counts_state(std::string_view state, bool include_has_issues);

// PostgreSQL: waits for every job that changed submissions and keeps new ones out until this
// job commits. Must come before the job's first query (its snapshot).
void lock_submissions(db::Connection& c);

// Replaces the stored aggregates of a computed indicator with a computation over every counted
// submission of its form, for the program period [start, end]; `compare` counts the aggregates
// that differed. Records the period on the indicator row.
Recomputed compute(db::Connection& c, const Indicator& ind, const std::string& start, const std::string& end,
                   bool compare);
// Drops the stored aggregates (an indicator deleted, or no longer computed).
void drop_values(db::Connection& c, std::int64_t indicator_id);
// The stored aggregates; `items` also reads the multisets of medians and distinct counts.
analytics::Aggregation stored(db::Connection& c, std::int64_t indicator_id, bool items);

// The canonical text of a cell object (keys in the indicator's dimension order); Error(validation)
// under `at` ("baselines[0]", or "" for an entry) for a key that is no dimension or a value not
// in a list dimension's categories.
std::string canonical_cell(const Indicator& ind, const boost::json::object& cell, const std::string& at);
// A value of the indicator's measure: a number (percentages 0–100), or a narrative when qualitative.
void check_value(const Indicator& ind, const std::optional<double>& value, const std::string& narrative,
                 const std::string& at);
// "at.name", or "name" when `at` is empty.
std::string member(const std::string& at, const std::string& name);

// A number as JSON: integral values as integers ("60", not "6E1").
boost::json::value number(double v);
boost::json::value number(const std::optional<double>& v);

}  // namespace gotong::domain::indicators::detail
