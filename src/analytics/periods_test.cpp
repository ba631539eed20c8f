#include "analytics/periods.hpp"

#include <gtest/gtest.h>

namespace gotong::analytics {
namespace {

TEST(Periods, PeriodOfADate) {
  EXPECT_EQ(period_of("2026-03-31", Frequency::monthly), "2026-03");
  EXPECT_EQ(period_of("2026-03-31", Frequency::quarterly), "2026-Q1");
  EXPECT_EQ(period_of("2026-04-01", Frequency::quarterly), "2026-Q2");
  EXPECT_EQ(period_of("2026-12-31", Frequency::quarterly), "2026-Q4");
  EXPECT_EQ(period_of("2026-12-31", Frequency::yearly), "2026");
  EXPECT_EQ(period_of("2026-12-31", Frequency::life_of_program), "LOP");
}

TEST(Periods, ValidKeys) {
  EXPECT_TRUE(valid_period("2026-01", Frequency::monthly));
  EXPECT_FALSE(valid_period("2026-13", Frequency::monthly));
  EXPECT_FALSE(valid_period("2026-1", Frequency::monthly));
  EXPECT_FALSE(valid_period("2026-Q1", Frequency::monthly));
  EXPECT_TRUE(valid_period("2026-Q4", Frequency::quarterly));
  EXPECT_FALSE(valid_period("2026-Q5", Frequency::quarterly));
  EXPECT_FALSE(valid_period("2026-Q0", Frequency::quarterly));
  EXPECT_TRUE(valid_period("2026", Frequency::yearly));
  EXPECT_FALSE(valid_period("26", Frequency::yearly));
  EXPECT_TRUE(valid_period("LOP", Frequency::life_of_program));
  EXPECT_FALSE(valid_period("2026", Frequency::life_of_program));
  EXPECT_EQ(parse_frequency("quarterly"), Frequency::quarterly);
  EXPECT_FALSE(parse_frequency("weekly"));
  EXPECT_EQ(frequency_name(Frequency::life_of_program), "life_of_program");
}

TEST(Periods, Bounds) {
  EXPECT_EQ(period_bounds("2024-02"), std::pair(std::string("2024-02-01"), std::string("2024-02-29")));
  EXPECT_EQ(period_bounds("2025-02"), std::pair(std::string("2025-02-01"), std::string("2025-02-28")));
  EXPECT_EQ(period_bounds("2026-Q3"), std::pair(std::string("2026-07-01"), std::string("2026-09-30")));
  EXPECT_EQ(period_bounds("2026"), std::pair(std::string("2026-01-01"), std::string("2026-12-31")));
  EXPECT_FALSE(period_bounds("LOP"));
}

TEST(Periods, PeriodsOfAProgram) {
  using V = std::vector<std::string>;
  EXPECT_EQ(periods_between("2025-11-15", "2026-02-01", Frequency::monthly),
            (V{"2025-11", "2025-12", "2026-01", "2026-02"}));
  EXPECT_EQ(periods_between("2025-03-01", "2026-10-31", Frequency::quarterly),
            (V{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}));
  EXPECT_EQ(periods_between("2025-03-01", "2026-10-31", Frequency::yearly), (V{"2025", "2026"}));
  EXPECT_EQ(periods_between("2026-05-05", "2026-05-06", Frequency::monthly), (V{"2026-05"}));
  EXPECT_EQ(periods_between("2025-01-01", "2027-12-31", Frequency::life_of_program), (V{"LOP"}));
}

TEST(Periods, Dates) {
  EXPECT_TRUE(valid_date("2024-02-29"));
  EXPECT_FALSE(valid_date("2025-02-29"));
  EXPECT_FALSE(valid_date("2025-04-31"));
  EXPECT_FALSE(valid_date("2025-4-3"));
  EXPECT_FALSE(valid_date("1899-12-31"));
  // 2026-03-31T17:30Z is already 1 April in WIB (UTC+7), still 31 March in UTC.
  const std::int64_t t = 1774978200000;
  EXPECT_EQ(local_date(t, 0), "2026-03-31");
  EXPECT_EQ(local_date(t, 7 * 60), "2026-04-01");
  EXPECT_EQ(local_date(0, 0), "1970-01-01");
  EXPECT_EQ(local_date(-1, 0), "1969-12-31");
}

}  // namespace
}  // namespace gotong::analytics
