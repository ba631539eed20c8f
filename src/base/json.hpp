// JSON helpers over Boost.JSON: parsing request bodies into objects with clear errors, and
// typed field access that reports the field name when a value is missing or of the wrong type.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gotong::json {

namespace bj = boost::json;

// Parses a request body; throws Error(bad_request) naming the line/column of a syntax error,
// or when the top level is not an object. Nesting is limited to keep parsing safe.
bj::object parse_object(std::string_view text);
bj::value parse(std::string_view text);

std::string serialize(const bj::value& v);
// Appends `s` as a JSON string literal (quotes and escapes), for code that writes JSON by hand
// because building a value first would cost too much (exports, problem bodies).
void append_quoted(std::string& out, std::string_view s);

// Field access with validation errors (ErrorCode::validation, field = name).
std::string required_string(const bj::object& o, std::string_view name, std::size_t max_len = 1000);
std::optional<std::string> optional_string(const bj::object& o, std::string_view name,
                                           std::size_t max_len = 100000);
std::optional<std::int64_t> optional_int(const bj::object& o, std::string_view name);
std::optional<bool> optional_bool(const bj::object& o, std::string_view name);
// Ids travel as strings in JSON (JavaScript loses precision above 2^53); numbers are accepted.
std::optional<std::int64_t> optional_id(const bj::object& o, std::string_view name);

}  // namespace gotong::json
