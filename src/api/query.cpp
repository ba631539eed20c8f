#include "api/query.hpp"

#include <boost/url/parse_query.hpp>
#include <boost/url/src.hpp>  // Boost.URL is header-only here: compiled once, in this file.
#include <charconv>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/programs.hpp"

namespace gotong::api {

Query::Query(std::string_view raw) {
  if (raw.empty()) return;
  auto parsed = boost::urls::parse_query(raw);
  if (!parsed) throw Error(ErrorCode::bad_request, "malformed query string");
  // Form encoding: %XX escapes and '+' for a space, as browsers send them.
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto p : *parsed)
    items_.emplace_back(p.key.decode(opts), p.has_value ? p.value.decode(opts) : std::string());
}

std::optional<std::string> Query::get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::int64_t> Query::get_int(std::string_view name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size())
    throw Error(ErrorCode::bad_request, "the query parameter '" + std::string(name) + "' must be an integer",
                {{std::string(name), "must be an integer"}});
  return out;
}

std::optional<std::int64_t> Query::get_time(std::string_view name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  auto t = parse_iso8601(*v);
  if (!t)
    throw Error(ErrorCode::bad_request,
                "the query parameter '" + std::string(name) + "' must be an ISO-8601 date or time",
                {{std::string(name), "must be a date like 2026-11-28 or 2026-11-28T08:00:00Z"}});
  return t;
}

std::optional<std::string> Query::get_date(std::string_view name) const {
  auto v = get(name);
  if (v && !domain::programs::valid_date(*v))
    throw Error(ErrorCode::bad_request, std::string(name) + " must be a date YYYY-MM-DD",
                {{std::string(name), "must be a date YYYY-MM-DD"}});
  return v;
}

int Query::limit(int fallback, int max) const {
  auto l = get_int("limit");
  if (!l) return fallback;
  if (*l < 1 || *l > max)
    throw Error(ErrorCode::bad_request, "limit must be between 1 and " + std::to_string(max),
                {{"limit", "must be between 1 and " + std::to_string(max)}});
  return static_cast<int>(*l);
}

}  // namespace gotong::api
