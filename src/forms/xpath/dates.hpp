// Calendar arithmetic and the text forms of ODK dates ("2024-01-31"), dateTimes
// ("2024-01-31T10:20:30.123+07:00") and times ("10:20:30.123+07:00"), plus format-date patterns.
// As the ODK XForms spec says, a date converts to a number of days since 1970-01-01 and a dateTime
// to fractional days since 1970-01-01T00:00Z.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gotong::forms::xpath::dates {

inline constexpr double kMillisPerDay = 86400000.0;
inline constexpr double kMillisPerMinute = 60000.0;
// Beyond this many days either way (about 270,000 years) values are treated as invalid, which
// keeps every conversion inside int64 range.
inline constexpr double kMaxDays = 1e8;

struct Civil {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

// Proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
Civil civil_from_days(std::int64_t days);
unsigned days_in_month(std::int64_t year, unsigned month);

// "YYYY-MM-DD" (surrounding whitespace allowed) to days since the epoch.
std::optional<std::int64_t> parse_date(std::string_view text);
// "YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm|+hhmm|+hh]" to UTC milliseconds since the epoch.
// A value without a zone is local time at `local_offset_minutes` east of UTC.
std::optional<double> parse_date_time(std::string_view text, int local_offset_minutes);
// "hh:mm[:ss[.fff]][zone]" to milliseconds since local midnight, in [0, one day).
std::optional<double> parse_time(std::string_view text, int local_offset_minutes);

// "YYYY-MM-DD" for whole days since the epoch; "" for NaN or out of range.
std::string format_date(double days);
// "YYYY-MM-DDThh:mm:ss.sss+07:00" ("Z" for UTC); "" for NaN or out of range.
std::string format_date_time(double utc_millis, int offset_minutes);
// format-date patterns: %Y %y %m %n %b %d %e %H %h %M %S %3 %a and %% over local milliseconds
// since the epoch; other characters are copied.
std::string format_pattern(double local_millis, std::string_view pattern);

}  // namespace gotong::forms::xpath::dates
