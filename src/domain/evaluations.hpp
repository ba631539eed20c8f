// Evaluations of a program: which survey rounds are the baseline and the endline (a form with
// some of its versions and/or a range of dates), the outcome variables compared between them
// (the mean of a number, the proportion of units for which an expression of the form language
// holds, or one of the program's indicators), optional treatment and comparison areas for a
// difference-in-differences with errors clustered by the submissions' area at a chosen level,
// the OECD-DAC 2019 criteria rated with evidence and narrative, and lessons learned.
//
// Partners see an evaluation when they see its program. Results are computed from the stored
// submission records when read (domain/evaluations_results.cpp), never stored.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::evaluations {

struct Round {
  std::int64_t form_id = 0;
  std::string form_title;
  std::vector<std::int64_t> version_ids;  // empty: every published version
  std::optional<std::string> from, to;    // "YYYY-MM-DD", the day a submission was received (WIB)
};

struct Variable {
  std::int64_t id = 0;
  std::string label, label_en;
  std::string kind;        // mean, proportion, indicator
  std::string field;       // mean: the number field
  std::string expression;  // proportion: the condition, e.g. ${water} = 'piped'
  std::string filter;      // which units count at all ('' = every unit)
  std::string unit;        // '' = each submission; else a repeat's name
  std::optional<std::int64_t> indicator_id;
  std::string unit_label, unit_label_en;
  std::string desired;  // increase, decrease, none: the direction the program aims for
};

struct AreaRef {
  std::int64_t id = 0;
  int level = 0;
  std::string code, name, full_name;
};

inline constexpr const char* kCriteria[] = {"relevance",  "coherence", "effectiveness",
                                            "efficiency", "impact",    "sustainability"};
struct Criterion {
  std::string criterion;
  std::optional<int> rating;  // 1–4
  std::vector<std::string> evidence;
  std::string narrative;
};
// The rating scale's label in Bahasa Indonesia and English (1 … 4).
std::string_view rating_label_id(int rating);
std::string_view rating_label_en(int rating);
std::string_view criterion_name_id(std::string_view criterion);
std::string_view criterion_name_en(std::string_view criterion);
std::string_view criterion_question_id(std::string_view criterion);
std::string_view criterion_question_en(std::string_view criterion);

struct Lesson {
  std::string text, category;
};

struct Evaluation {
  std::int64_t id = 0, program_id = 0;
  std::string program_name;
  std::string title, description;
  Round baseline, endline;
  std::vector<Variable> variables;
  std::vector<AreaRef> treatment, control;
  std::optional<int> cluster_level;  // set when there are comparison areas
  std::vector<Criterion> criteria;   // all six, in kCriteria order
  std::vector<Lesson> lessons;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// A create or update body: members given replace the stored ones whole (variables, areas,
// criteria by name, lessons); members left out are kept.
struct Input {
  std::optional<std::string> title, description;
  std::optional<boost::json::object> baseline, endline;
  std::optional<boost::json::array> variables;
  std::optional<std::vector<std::int64_t>> treatment_area_ids, control_area_ids;
  std::optional<std::optional<std::int64_t>> cluster_level;
  std::optional<boost::json::object> criteria;
  std::optional<boost::json::array> lessons;
};
Input parse_input(const boost::json::object& body);

std::vector<Evaluation> list(db::Connection& c, const OrgScope& s, std::int64_t program_id);
Evaluation get(db::Connection& c, const OrgScope& s, std::int64_t id);
Evaluation create(db::Connection& c, const OrgScope& s, std::int64_t program_id, const Input& in);
Evaluation update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  const Input& in);
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
boost::json::object to_json(const Evaluation& e);

// The criteria and the rating scale, for forms.
boost::json::object criteria_reference();

// The results table: per variable before, after, change with its confidence interval and
// p-value, the difference-in-differences when there are comparison areas, the numbers of units,
// and a sentence in Bahasa Indonesia and in English (domain/evaluations_results.cpp).
boost::json::object results(db::Connection& c, const OrgScope& s, std::int64_t id);

}  // namespace gotong::domain::evaluations
