// A form version's questions as JSON, for previews, filter builders and indicator definitions:
// every group, repeat and field with its type, labels in each language, choices and rules.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::forms {

// The published version's fields (or the draft's); Error(not_found) when there is none.
boost::json::object fields(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft);

}  // namespace gotong::domain::forms
