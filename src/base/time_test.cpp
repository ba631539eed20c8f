#include "base/time.hpp"

#include <gtest/gtest.h>

namespace gotong {

TEST(Time, FormatsUtc) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(1795845600123), "2026-11-28T06:00:00.123Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, ParsesDatesTimesAndOffsets) {
  EXPECT_EQ(parse_iso8601("2026-11-28"), 1795824000000);
  EXPECT_EQ(parse_iso8601("2026-11-28T06:00:00.123Z"), 1795845600123);
  EXPECT_EQ(parse_iso8601("2026-11-28T13:00:00+07:00"), 1795845600000);  // WIB
  EXPECT_EQ(parse_iso8601("2026-11-28T06:00"), 1795845600000);
  EXPECT_FALSE(parse_iso8601("28/11/2026"));
  EXPECT_FALSE(parse_iso8601("2026-13-01"));
  EXPECT_FALSE(parse_iso8601("2026-11-28T25:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2026-11-28T06:00:00+0700"));
}

TEST(Time, RoundTrips) {
  for (UnixMillis t : {UnixMillis{0}, UnixMillis{951782400000}, UnixMillis{4102444799999}})
    EXPECT_EQ(parse_iso8601(format_iso8601(t)), t);
}

}  // namespace gotong
