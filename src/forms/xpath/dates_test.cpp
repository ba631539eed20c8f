#include "forms/xpath/dates.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gotong::forms::xpath::dates {
namespace {

TEST(XpathDates, CivilDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 1, 31), 19753);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(1900, 3, 1), -25508);
  // Every day from 1600 to 2400 goes there and back.
  for (std::int64_t d = days_from_civil(1600, 1, 1); d <= days_from_civil(2400, 12, 31); ++d) {
    const Civil c = civil_from_days(d);
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), d);
    ASSERT_GE(c.day, 1u);
    ASSERT_LE(c.day, days_in_month(c.year, c.month));
  }
}

TEST(XpathDates, LeapYears) {
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2023, 2), 28u);
  EXPECT_EQ(days_in_month(2000, 2), 29u);
  EXPECT_EQ(days_in_month(1900, 2), 28u);
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("1900-02-29"));
  EXPECT_TRUE(parse_date("2000-02-29"));
}

TEST(XpathDates, ParseDate) {
  EXPECT_EQ(parse_date("2024-01-31"), 19753);
  EXPECT_EQ(parse_date(" 2024-01-31\n"), 19753);
  EXPECT_FALSE(parse_date("2024-1-31"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024-00-10"));
  EXPECT_FALSE(parse_date("2024-01-32"));
  EXPECT_FALSE(parse_date("2024-01-31T00:00"));
  EXPECT_FALSE(parse_date("24-01-31"));
  EXPECT_FALSE(parse_date(""));
}

TEST(XpathDates, ParseDateTimeWithZones) {
  const double jan31 = 19753 * kMillisPerDay;
  EXPECT_EQ(parse_date_time("2024-01-31T00:00:00Z", 0), jan31);
  EXPECT_EQ(parse_date_time("2024-01-31T07:00:00+07:00", 0), jan31);
  EXPECT_EQ(parse_date_time("2024-01-31T07:00:00+0700", 0), jan31);
  EXPECT_EQ(parse_date_time("2024-01-31T07:00:00+07", 0), jan31);
  EXPECT_EQ(parse_date_time("2024-01-30T19:00:00.000-05:00", 0), jan31);
  EXPECT_EQ(parse_date_time("2024-01-31T07:00", 420), jan31);  // no zone: local
  EXPECT_EQ(parse_date_time("2024-01-31T00:00:00.5Z", 0), jan31 + 500);
  EXPECT_EQ(parse_date_time("2024-01-31T00:00:00.123456Z", 0), jan31 + 123);
  EXPECT_FALSE(parse_date_time("2024-01-31", 0));
  EXPECT_FALSE(parse_date_time("2024-01-31T24:00:00Z", 0));
  EXPECT_FALSE(parse_date_time("2024-01-31T10:60Z", 0));
  EXPECT_FALSE(parse_date_time("2024-01-31T10:00:00+25:00", 0));
  EXPECT_FALSE(parse_date_time("2024-01-31T10:00:00Zjunk", 0));
  EXPECT_FALSE(parse_date_time("2024-01-31T10:00:00.", 0));
}

TEST(XpathDates, ParseTime) {
  EXPECT_EQ(parse_time("12:00", 0), 12 * 3600000.0);
  EXPECT_EQ(parse_time("12:00:00.000+07:00", 420), 12 * 3600000.0);
  EXPECT_EQ(parse_time("05:00:00Z", 420), 12 * 3600000.0);
  EXPECT_EQ(parse_time("20:00:00Z", 420), 3 * 3600000.0);  // wraps past midnight
  EXPECT_EQ(parse_time("01:00:00+07:00", 0), 18 * 3600000.0);
  EXPECT_FALSE(parse_time("7:00", 0));
}

TEST(XpathDates, Format) {
  EXPECT_EQ(format_date(19753), "2024-01-31");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(std::nan("")), "");
  EXPECT_EQ(format_date(1e300), "");
  EXPECT_EQ(format_date_time(19753 * kMillisPerDay, 420), "2024-01-31T07:00:00.000+07:00");
  EXPECT_EQ(format_date_time(19753 * kMillisPerDay + 1, 0), "2024-01-31T00:00:00.001Z");
  EXPECT_EQ(format_date_time(19753 * kMillisPerDay, -330), "2024-01-30T18:30:00.000-05:30");
  EXPECT_EQ(format_date_time(-1, 0), "1969-12-31T23:59:59.999Z");
  const double t = 19753 * kMillisPerDay + ((9 * 60 + 5) * 60 + 7) * 1000.0 + 8;
  EXPECT_EQ(format_pattern(t, "%Y|%y|%m|%n|%b|%d|%e|%H|%h|%M|%S|%3|%a|%%|%q|%"),
            "2024|24|01|1|Jan|31|31|09|9|05|07|008|Wed|%|%q|%");
  EXPECT_EQ(format_pattern(days_from_civil(2005, 7, 4) * kMillisPerDay, "%y %b %a"), "05 Jul Mon");
  EXPECT_EQ(format_pattern(days_from_civil(999, 12, 5) * kMillisPerDay, "%Y"), "0999");
}

}  // namespace
}  // namespace gotong::forms::xpath::dates
