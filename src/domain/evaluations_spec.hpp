// Internal to domain/evaluations*.cpp: how an outcome variable reads the records of a round
// (an analytics::Spec checked against the form), shared by saving (to refuse a variable the
// form cannot answer) and by computing the results.
#pragma once

#include <optional>
#include <string>

#include "analytics/plan.hpp"
#include "db/database.hpp"
#include "domain/context.hpp"
#include "domain/evaluations.hpp"

namespace gotong::domain::evaluations::detail {

enum class Measure { mean, proportion };

struct Resolved {
  Measure measure = Measure::mean;
  analytics::Spec spec;
};

// Throws Error(validation) naming `field` ("variables[2]") and the member at fault when the
// variable does not fit the round's form.
Resolved resolve(db::Connection& c, const OrgScope& s, const Variable& v, const Round& r,
                 std::optional<int> cluster_level, const std::string& field);

// The newest published (or superseded) version of a form; nullopt when it has none. resolve()
// checks a variable against it, or against the newest of the round's own versions.
std::optional<std::int64_t> latest_version(db::Connection& c, std::int64_t form_id);

}  // namespace gotong::domain::evaluations::detail
