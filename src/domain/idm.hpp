// The Village Development Index (IDM) of the organisation's villages: one assessment per village
// and year with the indicator scores (entered, or imported from a CSV file), the indices computed
// when read (analytics/idm), the history across years, the weakest indicators, and links from
// IDM indicators to the problems and programs that address them.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/idm.hpp"
#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::idm {

// The built-in indicator definitions (data/idm/indicators.csv), in questionnaire order.
const std::vector<analytics::idm::Indicator>& indicators();
// By code ("IKS.01", any case) or questionnaire number ("1"); nullptr when unknown.
const analytics::idm::Indicator* find_indicator(std::string_view code_or_number);
boost::json::object to_json(const analytics::idm::Indicator& i);

struct Score {
  std::string indicator;  // code
  int score = 0;
  std::string note;
};

struct Assessment {
  std::int64_t id = 0;
  std::int64_t area_id = 0;
  std::string area_code, area_name, area_full_name;
  int year = 0;
  std::string notes, source;  // source: entry or import
  std::vector<Score> scores;  // in questionnaire order
  analytics::idm::Result result;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// A create or update body. `scores` is an object keyed by indicator code: a score 0–5, or
// {"score": n, "note": "..."}; on update null removes a score and others are kept.
struct Input {
  std::optional<std::int64_t> area_id;
  std::optional<int> year;
  std::optional<std::string> notes;
  std::optional<std::vector<std::pair<std::string, std::optional<Score>>>> scores;
};
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::int64_t> area_id;  // assessments of this village or of villages below this area
  std::optional<int> year;
};
struct Page {
  std::vector<Assessment> items;
  std::optional<std::string> next_cursor;
};
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
Assessment get(db::Connection& c, const OrgScope& s, std::int64_t id);
// One per village and year: a second is a 409. The area must be a village (level 4).
Assessment create(db::Connection& c, const OrgScope& s, const Input& in);
Assessment update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  const Input& in);
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
boost::json::object to_json(const Assessment& a);

// -- CSV import ---------------------------------------------------------------------------
// Columns (header row, any order, Indonesian or English names, case ignored):
//   desa | village      the village's Kemendagri code ("53.02.03.2003")
//   tahun | year        2000–2100
//   indikator | indicator  the code ("IKS.01") or questionnaire number (1–54)
//   skor | score        a whole number 0–5
//   catatan | note      optional
// One row per village, year and indicator. Every row is checked first: any bad row refuses the
// whole file (Error(validation) listing each bad row and column) and nothing is stored. Otherwise
// each village and year found becomes an assessment (source "import"): a new one, or the
// existing one with the file's scores replacing its scores.
struct ImportResult {
  std::int64_t rows = 0;
  std::vector<Assessment> created, updated;
};
ImportResult import_csv(db::Connection& c, const OrgScope& s, std::string_view text);
inline constexpr std::size_t kMaxImportErrors = 100;

// -- history and weakest indicators ----------------------------------------------------------
// Every assessment of a village, by year, with the indices and the change from the year before.
boost::json::object history(db::Connection& c, const OrgScope& s, std::int64_t area_id);
// The lowest-scored indicators of an assessment (ties: questionnaire order), each with the
// problems and programs linked to it (programs only as the scope may see them).
boost::json::object weakest(db::Connection& c, const OrgScope& s, std::int64_t assessment_id, int limit);

// -- links --------------------------------------------------------------------------------
struct Link {
  std::int64_t id = 0;
  std::string indicator;
  std::optional<std::int64_t> problem_id, program_id;
  std::string title;  // the problem's title or the program's name
  std::int64_t created_at = 0;
};
struct LinkFilter {
  std::optional<std::string> indicator;
  std::optional<std::int64_t> problem_id, program_id;
};
std::vector<Link> links(db::Connection& c, const OrgScope& s, const LinkFilter& f);
// Body: {"indicator": "IKS.31", "problem_id": "7"} or {..., "program_id": "3"}; a repeated link is a 409.
Link create_link(db::Connection& c, const OrgScope& s, const boost::json::object& body);
void remove_link(db::Connection& c, const OrgScope& s, std::int64_t id);
boost::json::object to_json(const Link& l);

}  // namespace gotong::domain::idm
