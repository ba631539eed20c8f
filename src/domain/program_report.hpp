// Gathers a program progress report for a period from the program's modules (results framework,
// indicator values, activities and attendance, budget, narratives) into the plain model that the
// writers in reports/ render; and the organisation's programs with their results for IATI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"
#include "reports/iati_writer.hpp"
#include "reports/model.hpp"

namespace gotong::domain::program_report {

struct Request {
  std::int64_t program_id = 0;
  std::optional<std::string> from, to;  // default: the program's period
  std::optional<std::string> lang;      // "id" (default) or "en"
};

// Error(not_found) unless the program is visible to the scope; Error(validation) for a malformed
// period, one with to before from, or one outside the program's period.
reports::ProgramReport gather(db::Connection& c, const OrgScope& s, const Request& req);

// Every program the scope sees, over its whole period, with results and indicators, ready for
// reports::render_iati. Error(not_found) when the scope sees no program (an IATI file needs one).
reports::IatiFile gather_iati(db::Connection& c, const OrgScope& s, const reports::IatiOptions& options);

}  // namespace gotong::domain::program_report
