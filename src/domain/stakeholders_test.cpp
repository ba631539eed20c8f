// The Mendelow quadrant (3 or more on the 1–5 scale is high) and program dates.
#include "domain/stakeholders.hpp"

#include <gtest/gtest.h>

#include "domain/programs.hpp"

namespace gotong::domain::stakeholders {

TEST(Mendelow, ThreeIsHigh) {
  EXPECT_EQ(quadrant(5, 5), Quadrant::manage_closely);
  EXPECT_EQ(quadrant(3, 3), Quadrant::manage_closely);
  EXPECT_EQ(quadrant(3, 2), Quadrant::keep_satisfied);
  EXPECT_EQ(quadrant(5, 1), Quadrant::keep_satisfied);
  EXPECT_EQ(quadrant(2, 3), Quadrant::keep_informed);
  EXPECT_EQ(quadrant(1, 5), Quadrant::keep_informed);
  EXPECT_EQ(quadrant(2, 2), Quadrant::monitor);
  EXPECT_EQ(quadrant(1, 1), Quadrant::monitor);
}

TEST(Mendelow, NamesRoundTrip) {
  for (Quadrant q :
       {Quadrant::manage_closely, Quadrant::keep_satisfied, Quadrant::keep_informed, Quadrant::monitor})
    EXPECT_EQ(parse_quadrant(quadrant_name(q)), q);
  EXPECT_FALSE(parse_quadrant("manage closely"));
  EXPECT_TRUE(known_type("village_government"));
  EXPECT_FALSE(known_type("government"));
}

TEST(ProgramDates, OnlyRealDays) {
  using programs::valid_date;
  EXPECT_TRUE(valid_date("2026-01-31"));
  EXPECT_TRUE(valid_date("2024-02-29"));
  EXPECT_TRUE(valid_date("2000-02-29"));
  EXPECT_FALSE(valid_date("2100-02-29"));
  EXPECT_FALSE(valid_date("2026-02-29"));
  EXPECT_FALSE(valid_date("2026-04-31"));
  EXPECT_FALSE(valid_date("2026-13-01"));
  EXPECT_FALSE(valid_date("2026-00-10"));
  EXPECT_FALSE(valid_date("2026-1-10"));
  EXPECT_FALSE(valid_date("2026-01-10T00:00"));
  EXPECT_FALSE(valid_date("10-01-2026"));
  EXPECT_FALSE(valid_date(""));
}

}  // namespace gotong::domain::stakeholders
