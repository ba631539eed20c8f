#include "forms/xpath/dates.hpp"

#include <cmath>
#include <cstdio>

namespace gotong::forms::xpath::dates {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `i`.
bool read_digits(std::string_view s, std::size_t& i, std::size_t n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!is_digit(s[i + k])) return false;
    v = v * 10 + (s[i + k] - '0');
  }
  out = v;
  i += n;
  return true;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool read_civil(std::string_view s, std::size_t& i, int& y, int& m, int& d) {
  if (!read_digits(s, i, 4, y) || i >= s.size() || s[i] != '-') return false;
  ++i;
  if (!read_digits(s, i, 2, m) || i >= s.size() || s[i] != '-') return false;
  ++i;
  if (!read_digits(s, i, 2, d)) return false;
  return m >= 1 && m <= 12 && d >= 1 && static_cast<unsigned>(d) <= days_in_month(y, m);
}

// "hh:mm[:ss[.fff]]" to milliseconds since midnight.
bool read_clock(std::string_view s, std::size_t& i, double& millis) {
  int h = 0;
  int mi = 0;
  int sec = 0;
  if (!read_digits(s, i, 2, h) || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!read_digits(s, i, 2, mi)) return false;
  double fraction = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!read_digits(s, i, 2, sec)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (i >= s.size() || !is_digit(s[i])) return false;
      double scale = 100;
      while (i < s.size() && is_digit(s[i])) {
        fraction += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
      fraction = std::floor(fraction);  // whole milliseconds
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return false;
  millis = ((h * 60.0 + mi) * 60.0 + sec) * 1000.0 + fraction;
  return true;
}

// Optional zone at `i`, which must then be the end. Returns false when malformed.
bool read_zone(std::string_view s, std::size_t& i, std::optional<int>& offset) {
  if (i == s.size()) return true;
  if (s[i] == 'Z') {
    offset = 0;
    ++i;
    return i == s.size();
  }
  if (s[i] != '+' && s[i] != '-') return false;
  const int sign = s[i] == '-' ? -1 : 1;
  ++i;
  int h = 0;
  int m = 0;
  if (!read_digits(s, i, 2, h)) return false;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size() && !read_digits(s, i, 2, m)) return false;
  if (h > 23 || m > 59) return false;
  offset = sign * (h * 60 + m);
  return i == s.size();
}

void append_padded(std::string& out, std::int64_t v, int width) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  out.append(buf, static_cast<std::size_t>(n));
}

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

}  // namespace

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

// Counting from 0000-03-01 puts the leap day at the end of each year, so the day of the year
// follows from the month by a fixed formula; 400-year eras repeat exactly (146097 days).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t year_of_era = y - era * 400;
  const unsigned shifted_month = month > 2 ? month - 3 : month + 9;  // March = 0
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

Civil civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  Civil c;
  c.day = static_cast<unsigned>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  c.month = static_cast<unsigned>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  c.year = year_of_era + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  const std::string_view s = trim(text);
  std::size_t i = 0;
  int y = 0;
  int m = 0;
  int d = 0;
  if (!read_civil(s, i, y, m, d) || i != s.size()) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::optional<double> parse_date_time(std::string_view text, int local_offset_minutes) {
  const std::string_view s = trim(text);
  std::size_t i = 0;
  int y = 0;
  int m = 0;
  int d = 0;
  if (!read_civil(s, i, y, m, d) || i >= s.size() || s[i] != 'T') return std::nullopt;
  ++i;
  double clock = 0;
  if (!read_clock(s, i, clock)) return std::nullopt;
  std::optional<int> offset;
  if (!read_zone(s, i, offset)) return std::nullopt;
  const double days =
      static_cast<double>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return days * kMillisPerDay + clock - offset.value_or(local_offset_minutes) * kMillisPerMinute;
}

std::optional<double> parse_time(std::string_view text, int local_offset_minutes) {
  const std::string_view s = trim(text);
  std::size_t i = 0;
  double clock = 0;
  if (!read_clock(s, i, clock)) return std::nullopt;
  std::optional<int> offset;
  if (!read_zone(s, i, offset)) return std::nullopt;
  if (offset) clock += (local_offset_minutes - *offset) * kMillisPerMinute;
  clock = std::fmod(clock, kMillisPerDay);
  if (clock < 0) clock += kMillisPerDay;
  return clock;
}

std::string format_date(double days) {
  if (!std::isfinite(days) || std::fabs(days) > kMaxDays) return {};
  const Civil c = civil_from_days(static_cast<std::int64_t>(std::floor(days)));
  std::string out;
  append_padded(out, c.year, 4);
  out.push_back('-');
  append_padded(out, c.month, 2);
  out.push_back('-');
  append_padded(out, c.day, 2);
  return out;
}

std::string format_date_time(double utc_millis, int offset_minutes) {
  if (!std::isfinite(utc_millis) || std::fabs(utc_millis) > kMaxDays * kMillisPerDay) return {};
  std::string out =
      format_pattern(utc_millis + offset_minutes * kMillisPerMinute, "%Y-%m-%dT%H:%M:%S.%3");
  if (offset_minutes == 0) {
    out.push_back('Z');
  } else {
    const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    out.push_back(offset_minutes < 0 ? '-' : '+');
    append_padded(out, a / 60, 2);
    out.push_back(':');
    append_padded(out, a % 60, 2);
  }
  return out;
}

std::string format_pattern(double local_millis, std::string_view pattern) {
  if (!std::isfinite(local_millis) || std::fabs(local_millis) > kMaxDays * kMillisPerDay) return {};
  const double day_floor = std::floor(local_millis / kMillisPerDay);
  const auto days = static_cast<std::int64_t>(day_floor);
  auto ms_of_day = static_cast<std::int64_t>(std::floor(local_millis - day_floor * kMillisPerDay));
  if (ms_of_day >= 86400000) ms_of_day = 86399999;  // rounding at the very end of a day
  const Civil c = civil_from_days(days);
  const std::int64_t hour = ms_of_day / 3600000;
  const std::int64_t minute = ms_of_day / 60000 % 60;
  const std::int64_t second = ms_of_day / 1000 % 60;
  const std::int64_t milli = ms_of_day % 1000;
  const std::int64_t weekday = ((days % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out.push_back(pattern[i]);
      continue;
    }
    const char f = pattern[++i];
    switch (f) {
      case 'Y': append_padded(out, c.year, 4); break;
      case 'y': append_padded(out, ((c.year % 100) + 100) % 100, 2); break;
      case 'm': append_padded(out, c.month, 2); break;
      case 'n': append_padded(out, c.month, 1); break;
      case 'b': out.append(kMonths[c.month - 1]); break;
      case 'd': append_padded(out, c.day, 2); break;
      case 'e': append_padded(out, c.day, 1); break;
      case 'H': append_padded(out, hour, 2); break;
      case 'h': append_padded(out, hour, 1); break;
      case 'M': append_padded(out, minute, 2); break;
      case 'S': append_padded(out, second, 2); break;
      case '3': append_padded(out, milli, 3); break;
      case 'a': out.append(kWeekdays[weekday]); break;
      case '%': out.push_back('%'); break;
      default:  // unknown directive: keep it as written
        out.push_back('%');
        out.push_back(f);
    }
  }
  return out;
}

}  // namespace gotong::forms::xpath::dates
