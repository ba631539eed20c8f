// Reading the fields of program, results and stakeholder bodies with field-level errors:
// trimmed text, dates, id arrays, nullable ids, and the offset cursors of their lists.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace gotong::domain::fields {

// A string member, trimmed, clean UTF-8, at most `max` bytes. Absent or null → nullopt;
// `required` also refuses an empty string.
std::optional<std::string> text(const boost::json::object& o, std::string_view name, std::size_t max,
                                bool required = false);
// A "YYYY-MM-DD" member.
std::optional<std::string> date(const boost::json::object& o, std::string_view name);
// An array of ids (strings or numbers), duplicates dropped, order kept; at most `max` ids.
std::optional<std::vector<std::int64_t>> ids(const boost::json::object& o, std::string_view name,
                                             std::size_t max = 500);
// A member that may be an id or null (to clear it): nullopt when absent, optional(nullopt) for null.
std::optional<std::optional<std::int64_t>> nullable_id(const boost::json::object& o, std::string_view name);
// An integer member within [lo, hi]; null allowed (→ optional(nullopt)) when `nullable`.
std::optional<std::optional<std::int64_t>> bounded_int(const boost::json::object& o, std::string_view name,
                                                       std::int64_t lo, std::int64_t hi, bool nullable);
// The offset a list cursor ("o50") stands for; Error(bad_request) for anything else.
std::int64_t offset_cursor(const std::optional<std::string>& cursor);
inline std::string make_cursor(std::int64_t offset) { return "o" + std::to_string(offset); }

// One page of an offset-paged list: runs `sql` (ending in its ORDER BY) with LIMIT and OFFSET,
// turns each row into an item with `make`, and sets the next cursor when more rows follow.
template <class Page, class Make>
Page offset_page(db::Connection& c, const std::string& sql, const db::Params& params, int limit,
                 std::int64_t offset, Make make) {
  Page page;
  auto rows =
      c.query(sql + " LIMIT " + std::to_string(limit + 1) + " OFFSET " + std::to_string(offset), params);
  for (const auto& r : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = make_cursor(offset + limit);
      break;
    }
    page.items.push_back(make(r));
  }
  return page;
}

}  // namespace gotong::domain::fields
