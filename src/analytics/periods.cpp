#include "analytics/periods.hpp"

namespace gotong::analytics {

namespace {

int digits(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

std::string two(int v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}
std::string four(int v) { return two(v / 100) + two(v % 100); }
std::string date_text(int y, int m, int d) { return four(y) + "-" + two(m) + "-" + two(d); }

// Howard Hinnant's civil_from_days: days since 1970-01-01 → proleptic Gregorian date.
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2 ? 1 : 0));
}

}  // namespace

std::optional<Frequency> parse_frequency(std::string_view s) {
  if (s == "monthly") return Frequency::monthly;
  if (s == "quarterly") return Frequency::quarterly;
  if (s == "yearly") return Frequency::yearly;
  if (s == "life_of_program") return Frequency::life_of_program;
  return std::nullopt;
}

std::string_view frequency_name(Frequency f) {
  switch (f) {
    case Frequency::monthly:
      return "monthly";
    case Frequency::quarterly:
      return "quarterly";
    case Frequency::yearly:
      return "yearly";
    case Frequency::life_of_program:
      return "life_of_program";
  }
  return "monthly";
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  return d <= days_in_month(y, m);
}

std::string local_date(std::int64_t utc_millis, int offset_minutes) {
  const std::int64_t local = utc_millis + static_cast<std::int64_t>(offset_minutes) * 60000;
  // Floor division: instants before 1970 fall on the day before, not the day after.
  std::int64_t days = local / 86400000;
  if (local % 86400000 < 0) --days;
  int y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  return date_text(y, m, d);
}

std::string period_of(std::string_view date, Frequency f) {
  switch (f) {
    case Frequency::monthly:
      return std::string(date.substr(0, 7));
    case Frequency::quarterly: {
      const int m = digits(date, 5, 2);
      return std::string(date.substr(0, 4)) + "-Q" + static_cast<char>('1' + (m - 1) / 3);
    }
    case Frequency::yearly:
      return std::string(date.substr(0, 4));
    case Frequency::life_of_program:
      return std::string(kLifeOfProgram);
  }
  return std::string(kLifeOfProgram);
}

bool valid_period(std::string_view p, Frequency f) {
  switch (f) {
    case Frequency::monthly: {
      if (p.size() != 7 || p[4] != '-') return false;
      const int y = digits(p, 0, 4), m = digits(p, 5, 2);
      return y >= 1900 && m >= 1 && m <= 12;
    }
    case Frequency::quarterly:
      return p.size() == 7 && p[4] == '-' && p[5] == 'Q' && digits(p, 0, 4) >= 1900 && p[6] >= '1' &&
             p[6] <= '4';
    case Frequency::yearly:
      return p.size() == 4 && digits(p, 0, 4) >= 1900;
    case Frequency::life_of_program:
      return p == kLifeOfProgram;
  }
  return false;
}

std::optional<std::pair<std::string, std::string>> period_bounds(std::string_view p) {
  if (valid_period(p, Frequency::monthly)) {
    const int y = digits(p, 0, 4), m = digits(p, 5, 2);
    return std::pair{date_text(y, m, 1), date_text(y, m, days_in_month(y, m))};
  }
  if (valid_period(p, Frequency::quarterly)) {
    const int y = digits(p, 0, 4), q = p[6] - '0';
    const int first = 3 * (q - 1) + 1, last = first + 2;
    return std::pair{date_text(y, first, 1), date_text(y, last, days_in_month(y, last))};
  }
  if (valid_period(p, Frequency::yearly)) {
    const int y = digits(p, 0, 4);
    return std::pair{date_text(y, 1, 1), date_text(y, 12, 31)};
  }
  return std::nullopt;
}

std::vector<std::string> periods_between(std::string_view start, std::string_view end, Frequency f) {
  std::vector<std::string> out;
  if (f == Frequency::life_of_program) {
    out.emplace_back(kLifeOfProgram);
    return out;
  }
  int y = digits(start, 0, 4), m = digits(start, 5, 2);
  const std::string last = period_of(end, f);
  // Step a month at a time and keep each new key: at most 12 × years steps, all cheap.
  for (int guard = 0; guard < 12 * 200; ++guard) {
    std::string key = period_of(date_text(y, m, 1), f);
    if (out.empty() || out.back() != key) out.push_back(key);
    if (key == last) break;
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return out;
}

}  // namespace gotong::analytics
