// The program progress report as plain values: what domain/program_report gathers from the
// program's modules for one period, and what the writers (PDF, XLSX, JSON, IATI) render. Nothing
// here knows of SQL or HTTP; every number is already computed, every text already chosen.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gotong::reports {

enum class Lang { id, en };

struct Period {
  std::string from, to;  // "YYYY-MM-DD", from <= to
};

// One reporting period of an indicator, from the program's start to the report's end.
struct IndicatorPoint {
  std::string period;  // "2026-03", "2026-Q1", "2026"
  std::string start, end;
  std::optional<double> target, actual;
  std::string status;  // on_track, behind, ahead, no_data, or "" without a target
};

// One dimension's values in the latest period with data.
struct Disaggregation {
  std::string dimension;
  std::string kind, field;  // as the indicator's dimension: field, age_band, area, list
  struct Value {
    std::string key;
    std::string label;  // a name the domain knows for the key (an area's name), else empty
    std::optional<double> value;
    std::optional<std::int64_t> units;  // computed indicators: units in scope of that value
  };
  std::vector<Value> values;
};

struct Indicator {
  std::int64_t id = 0;
  std::string code, title, definition;
  std::string measure;    // unit, percentage, nominal, ordinal, qualitative
  std::string direction;  // increase, decrease, maintain
  std::string unit_label;
  std::string source;  // submissions, manual, attendance
  std::string frequency;
  std::optional<double> baseline;
  std::string baseline_date, baseline_narrative;
  // The figure the report shows: the latest period within the report's period that has data.
  std::string actual_period;
  std::optional<double> actual;
  std::string actual_narrative;  // qualitative values
  std::optional<double> target;  // that period's target, else the life-of-program target
  std::string target_period;
  std::string status;  // as IndicatorPoint
  std::optional<double> life_target;
  std::vector<IndicatorPoint> points;
  std::vector<Disaggregation> disaggregation;
};

// A node of the results framework with its indicators, parents before children.
struct ResultNode {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  int tier = 0;
  std::string tier_name, code, title, narrative, assumptions, risks;
  std::vector<Indicator> indicators;
};

struct Activity {
  std::string code, title, status;  // status as activities::kStatuses
  std::string planned_start, planned_end;
  std::optional<std::string> actual_start, actual_end;
  std::string responsible, area;
  std::int64_t sessions = 0, attendances = 0, unique_people = 0;  // events within the period
};

inline constexpr std::array<const char*, 5> kAgeBands = {"0-4", "5-17", "18-59", "60+", "unknown"};

struct Reach {
  std::int64_t sessions = 0, attendances = 0, unique_people = 0;
  std::int64_t female = 0, male = 0;  // unique people
  std::array<std::int64_t, 5> age_bands{};
  std::array<std::array<std::int64_t, 5>, 2> sex_by_age_band{};  // [0] female, [1] male
  std::int64_t with_disability = 0, without_disability = 0, disability_unknown = 0;
};

struct BudgetRow {
  std::string code, name;                // a line, or a category (code = its id)
  std::int64_t planned = 0, actual = 0;  // the whole plan; spent up to the end of the period
  std::int64_t planned_in_period = 0, actual_in_period = 0;
};
struct BudgetMonth {
  std::string period;  // "YYYY-MM"
  std::int64_t planned = 0, actual = 0;
};
struct Budget {
  bool present = false;  // the program has budget lines
  std::string currency;
  std::int64_t planned_total = 0;    // the whole plan
  std::int64_t planned_to_date = 0;  // months up to the end of the period
  std::int64_t actual_to_date = 0;   // spent up to the end of the period
  std::int64_t planned_in_period = 0, actual_in_period = 0;
  std::int64_t people_in_period = 0;  // unique people reached within the period
  std::optional<std::int64_t> cost_per_person_in_period;
  std::int64_t people_to_date = 0;
  std::optional<std::int64_t> cost_per_person_to_date;
  std::vector<BudgetRow> categories, lines;
  std::vector<BudgetMonth> months;  // within the period
};

// An evaluation's results, as domain/evaluations gives them.
struct EvaluationRow {
  std::string variable, statistic;
  std::optional<double> before, after, change, ci_low, ci_high, p_value, did;
  std::int64_t n_before = 0, n_after = 0;
  std::string sentence;  // plain language, in the report's language
};
struct CriterionRating {
  std::string criterion;  // relevance, coherence, effectiveness, efficiency, impact, sustainability
  std::optional<int> rating;
  std::string rating_label, evidence, narrative;
};
struct Evaluation {
  std::string title, status;
  std::vector<EvaluationRow> rows;
  std::vector<CriterionRating> criteria;
  std::string lessons;
  std::string note;  // why the results table is missing (e.g. a variable no longer valid)
};

// The sections the coordinator writes for the program and period.
struct Narrative {
  std::string summary, achievements, challenges, lessons, next_steps;
  bool empty() const {
    return summary.empty() && achievements.empty() && challenges.empty() && lessons.empty() &&
           next_steps.empty();
  }
};

struct Organisation {
  std::string name, slug;
};

struct ProgramReport {
  Lang lang = Lang::id;
  Organisation organisation;
  std::int64_t program_id = 0;
  std::string program_name, description, status;
  std::string program_start, program_end;
  std::string currency;
  std::vector<std::string> areas;                                 // names
  std::vector<std::pair<std::string, std::string>> stakeholders;  // name, role
  Period period;
  std::string generated_on;  // "YYYY-MM-DD"
  std::vector<ResultNode> results;
  std::vector<Activity> activities;
  Reach reach;
  Budget budget;
  std::vector<Evaluation> evaluations;  // empty: the section is left out
  Narrative narrative;
};

}  // namespace gotong::reports
