// The narrative sections of a program progress report (summary, achievements, challenges,
// lessons learned, next steps), written by the coordinator per program, reporting period and
// language; read by whoever sees the program, changed with If-Match and audited.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "domain/context.hpp"
#include "reports/model.hpp"

namespace gotong::domain::report_narratives {

inline constexpr std::size_t kMaxSectionBytes = 20000;

struct Key {
  std::int64_t program_id = 0;
  reports::Period period;
  reports::Lang lang = reports::Lang::id;
};

struct Stored {
  reports::Narrative narrative;
  std::int64_t version = 0;  // 0: nothing written yet (PUT with If-Match "v0" creates it)
  std::optional<std::int64_t> updated_at;
};

// Error(validation) unless from/to are days with from <= to and lang is "id" or "en".
Key make_key(std::int64_t program_id, const std::optional<std::string>& from,
             const std::optional<std::string>& to, const std::optional<std::string>& lang);

// The stored sections for exactly this key (version 0 and empty when none).
Stored get(db::Connection& c, const OrgScope& s, const Key& k);
// What a report in k.lang shows: its own sections, or else those written in the other language.
reports::Narrative for_report(db::Connection& c, const OrgScope& s, const Key& k);

// Members absent from the body keep their text. Error(validation) for a section over
// kMaxSectionBytes or not a string.
struct Input {
  std::optional<std::string> summary, achievements, challenges, lessons, next_steps;
};
Input parse_input(const boost::json::object& body);

// Creates (expected_version 0) or updates the sections; 412 when someone else changed them.
Stored put(db::Connection& c, const OrgScope& s, const Key& k, std::int64_t expected_version,
           const Input& in);

boost::json::object to_json(const Key& k, const Stored& st);

}  // namespace gotong::domain::report_narratives
