#include "domain/program_fields.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::fields {

namespace bj = boost::json;

std::optional<std::string> text(const bj::object& o, std::string_view name, std::size_t max, bool required) {
  auto raw = json::optional_string(o, name, max * 4 + 64);
  if (!raw) {
    if (required) throw invalid_field(std::string(name), "is required");
    return std::nullopt;
  }
  std::string t = text::trim(*raw);
  if (required && t.empty()) throw invalid_field(std::string(name), "must not be empty");
  if (t.size() > max)
    throw invalid_field(std::string(name), "must have at most " + std::to_string(max) + " bytes");
  if (!text::is_clean_utf8(t))
    throw invalid_field(std::string(name), "must be text without control characters");
  return t;
}

std::optional<std::string> date(const bj::object& o, std::string_view name) {
  auto s = json::optional_string(o, name, 40);
  if (!s) return std::nullopt;
  if (!programs::valid_date(*s)) throw invalid_field(std::string(name), "must be a date YYYY-MM-DD");
  return s;
}

namespace {
std::int64_t id_of(const bj::value& v, const std::string& at) {
  if (v.is_string()) {
    const auto& s = v.get_string();
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc() && p == s.data() + s.size() && id > 0) return id;
  } else if (v.is_int64() && v.get_int64() > 0) {
    return v.get_int64();
  }
  throw invalid_field(at, "must be an id");
}
}  // namespace

std::optional<std::vector<std::int64_t>> ids(const bj::object& o, std::string_view name, std::size_t max) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array()) throw invalid_field(std::string(name), "must be an array of ids");
  const auto& a = it->value().get_array();
  if (a.size() > max)
    throw invalid_field(std::string(name), "must have at most " + std::to_string(max) + " ids");
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto id = id_of(a[i], std::string(name) + "[" + std::to_string(i) + "]");
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

std::optional<std::optional<std::int64_t>> nullable_id(const bj::object& o, std::string_view name) {
  auto it = o.find(name);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(id_of(it->value(), std::string(name)));
}

std::optional<std::optional<std::int64_t>> bounded_int(const bj::object& o, std::string_view name,
                                                       std::int64_t lo, std::int64_t hi, bool nullable) {
  auto it = o.find(name);
  if (it == o.end()) return std::nullopt;
  const std::string f(name);
  const std::string range = "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (it->value().is_null()) {
    if (!nullable) throw invalid_field(f, range);
    return std::optional<std::int64_t>();
  }
  if (!it->value().is_int64()) throw invalid_field(f, range);
  const std::int64_t v = it->value().get_int64();
  if (v < lo || v > hi) throw invalid_field(f, range);
  return std::optional<std::int64_t>(v);
}

std::int64_t offset_cursor(const std::optional<std::string>& cursor) {
  if (!cursor) return 0;
  std::int64_t n = -1;
  if (cursor->size() > 1 && (*cursor)[0] == 'o') {
    auto [p, ec] = std::from_chars(cursor->data() + 1, cursor->data() + cursor->size(), n);
    if (ec != std::errc() || p != cursor->data() + cursor->size()) n = -1;
  }
  if (n < 0) throw Error(ErrorCode::bad_request, "cursor is not one this server gave out");
  return n;
}

}  // namespace gotong::domain::fields
