// Time as Gotong stores it: int64 milliseconds since the Unix epoch (UTC), shown as ISO-8601.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gotong {

using UnixMillis = std::int64_t;

UnixMillis now_millis();
// "2026-11-28T12:00:00.000Z"
std::string format_iso8601(UnixMillis t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss[.fff]]" with "Z" or "+hh:mm"/"-hh:mm" (no zone = UTC).
std::optional<UnixMillis> parse_iso8601(std::string_view s);
// Days since 1970-01-01 for a civil date (proleptic Gregorian).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);

}  // namespace gotong
