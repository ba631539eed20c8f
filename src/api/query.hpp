// Query-string parameters (Boost.URL decodes them), with typed access and clear errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotong::api {

class Query {
 public:
  // Throws Error(bad_request) for a malformed query string.
  explicit Query(std::string_view raw);
  std::optional<std::string> get(std::string_view name) const;
  // Error(bad_request) naming the parameter when it is not an integer.
  std::optional<std::int64_t> get_int(std::string_view name) const;
  // Error(bad_request) when not an ISO-8601 date or time.
  std::optional<std::int64_t> get_time(std::string_view name) const;
  // Error(bad_request) when not a calendar day "YYYY-MM-DD" (kept as text: dates of plans).
  std::optional<std::string> get_date(std::string_view name) const;
  // `limit` clamped to [1, max], default when absent.
  int limit(int fallback = 50, int max = 500) const;
  // Every parameter in order (repeated names included).
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace gotong::api
