// The 4W matrix (who does what, where and when) across every program the scope sees (partner
// users: the programs shared with them), one row per activity, with the people it targets and
// the people it reached by sex, as OCHA's 3W/4W with HXL hashtags (https://hxlstandard.org):
//   who    the partner responsible for the activity (#org+impl), else the organisation itself;
//          the organisation whose program it is (#org+prog)
//   what   sector (#sector): the activity's own, else the sectors tagged on the problems its
//          program addresses; program (#activity+programme), activity (#activity, #activity+code)
//   where  the activity's area, else the program's when it has exactly one: names at each level
//          (#adm1+name … #adm4+name, dusun #adm5+name) and its code (#loc+code)
//   when   actual dates, else planned ones (#date+start, #date+end), status (#status)
//   people targeted female/male/total (#targeted+f, #targeted+m, #targeted) as planned on the
//          activity; reached (#reached+f, #reached+m, #reached): unique participants recorded at
//          its events held up to today (within [from, to] when given), as the activity's reach.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::four_w {

struct Filter {
  std::optional<std::int64_t> program_id;  // Error(not_found) unless visible
  std::optional<std::string> from, to;     // activities running within [from, to]; reach counted there
  std::optional<std::int64_t> area_id;  // activities in this area or below it; Error(validation) if unknown
};

struct Row {
  std::int64_t activity_id = 0, program_id = 0;
  std::string implementer, organisation, sector, program, activity_code, activity;
  std::string adm[5];  // names at levels 1 (province) to 5 (dusun); "" when the area is not that deep
  std::string area_code;
  std::string start, end, status;
  std::optional<std::int64_t> targeted_female, targeted_male, targeted;
  std::int64_t reached_female = 0, reached_male = 0, reached = 0;
};

// Rows by program name, then planned start, code and id.
std::vector<Row> matrix(db::Connection& c, const OrgScope& s, const Filter& f);

boost::json::object to_json(const Row& r);
// The matrix as CSV (RFC 4180, CRLF, UTF-8 without a byte order mark): the header row, then the
// HXL hashtag row, then one row per activity.
std::string to_csv(const std::vector<Row>& rows);

}  // namespace gotong::domain::four_w
