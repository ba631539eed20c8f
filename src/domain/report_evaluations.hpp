// A program's evaluations as the progress report shows them: the results table (before, after,
// change with its interval and p-value, difference-in-differences, n, the plain sentence) and the
// OECD-DAC criteria with lessons learned, in the report's language (from domain/evaluations).
#pragma once

#include <cstdint>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"
#include "reports/model.hpp"

namespace gotong::domain::report_evaluations {

// Empty when the program has no evaluation (the report then leaves the section out).
std::vector<reports::Evaluation> for_report(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                                            reports::Lang lang);

}  // namespace gotong::domain::report_evaluations
