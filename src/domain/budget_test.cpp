// The budget report's arithmetic: planned to date by month, burn rates, grouping by category,
// funding source and month, cost per unit and per person reached (rounded to a whole unit).
#include "domain/budget.hpp"

#include <gtest/gtest.h>

namespace gotong::domain::budget {

TEST(Budget, Periods) {
  EXPECT_TRUE(valid_period("2026-01"));
  EXPECT_TRUE(valid_period("2026-12"));
  EXPECT_FALSE(valid_period("2026-13"));
  EXPECT_FALSE(valid_period("2026-00"));
  EXPECT_FALSE(valid_period("2026-1"));
  EXPECT_FALSE(valid_period("2026-01-01"));
  EXPECT_FALSE(valid_period("26-01"));
}

TEST(Budget, CategoryNames) {
  EXPECT_EQ(category_name("apbdes_2"), "Pelaksanaan Pembangunan Desa");
  EXPECT_EQ(category_name("apbdes_5"), "Penanggulangan Bencana, Keadaan Darurat dan Mendesak Desa");
  EXPECT_EQ(category_name("Transport"), "Transport");
}

TEST(Budget, PerUnitRoundsHalfAway) {
  EXPECT_EQ(per_unit(1000, 3), 333);
  EXPECT_EQ(per_unit(1000, 6), 167);  // 166.67
  EXPECT_EQ(per_unit(5, 2), 3);       // 2.5
  EXPECT_EQ(per_unit(0, 7), 0);
  EXPECT_FALSE(per_unit(100, 0));
}

TEST(Budget, Report) {
  LineFigures water;
  water.line_id = 1;
  water.category = "apbdes_2";
  water.funding_source = "donor";
  water.planned = {{"2026-01", 4'000'000}, {"2026-02", 4'000'000}, {"2026-03", 2'000'000}};
  water.actual = {{"2026-01", 3'000'000}, {"2026-02", 5'000'000}};
  water.output_unit = "sambungan";
  water.output_planned = 40;
  water.output_actual = 30;
  LineFigures training;
  training.line_id = 2;
  training.category = "Pelatihan";
  training.funding_source = "swadaya";
  training.planned = {{"2026-02", 1'000'000}, {"2026-04", 1'000'000}};
  training.actual = {{"2026-02", 500'000}};

  auto r = compute_report({water, training}, "2026-02-15", 17);
  EXPECT_EQ(r.as_of_period, "2026-02");
  // Whole plan 12,000,000; to February 9,000,000; spent 8,500,000.
  EXPECT_EQ(r.total.planned, 12'000'000);
  EXPECT_EQ(r.total.planned_to_date, 9'000'000);
  EXPECT_EQ(r.total.actual, 8'500'000);
  EXPECT_NEAR(*r.total.burn_rate_to_date, 8.5 / 9.0, 1e-12);
  EXPECT_NEAR(*r.total.burn_rate_total, 8.5 / 12.0, 1e-12);

  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].figures.planned_to_date, 8'000'000);
  EXPECT_DOUBLE_EQ(*r.lines[0].figures.burn_rate_to_date, 1.0);
  EXPECT_EQ(r.lines[0].planned_cost_per_unit, 250'000);  // 10,000,000 / 40
  EXPECT_EQ(r.lines[0].actual_cost_per_unit, 266'667);   // 8,000,000 / 30
  EXPECT_FALSE(r.lines[1].planned_cost_per_unit);

  ASSERT_EQ(r.categories.size(), 2u);
  EXPECT_EQ(r.categories[0].first, "Pelatihan");  // sorted by key
  EXPECT_EQ(r.categories[0].second.actual, 500'000);
  EXPECT_EQ(r.categories[1].first, "apbdes_2");
  EXPECT_EQ(r.categories[1].second.planned, 10'000'000);
  ASSERT_EQ(r.funding_sources.size(), 2u);
  EXPECT_EQ(r.funding_sources[0].first, "donor");
  EXPECT_EQ(r.funding_sources[1].first, "swadaya");
  EXPECT_EQ(r.funding_sources[1].second.planned_to_date, 1'000'000);

  ASSERT_EQ(r.periods.size(), 4u);
  EXPECT_EQ(r.periods[1].period, "2026-02");
  EXPECT_EQ(r.periods[1].planned, 5'000'000);
  EXPECT_EQ(r.periods[1].actual, 5'500'000);
  EXPECT_EQ(r.periods[1].cumulative_planned, 9'000'000);
  EXPECT_EQ(r.periods[1].cumulative_actual, 8'500'000);
  EXPECT_EQ(r.periods[3].period, "2026-04");
  EXPECT_EQ(r.periods[3].cumulative_planned, 12'000'000);

  // 8,500,000 / 17 people = 500,000.
  EXPECT_EQ(r.cost_per_person_reached, 500'000);
}

TEST(Budget, NothingPlannedOrReached) {
  LineFigures l;
  l.actual = {{"2026-01", 100}};
  auto r = compute_report({l}, "2026-01-31", 0);
  EXPECT_FALSE(r.total.burn_rate_to_date);
  EXPECT_FALSE(r.total.burn_rate_total);
  EXPECT_FALSE(r.cost_per_person_reached);
}

}  // namespace gotong::domain::budget
