#include "analytics/aggregates.hpp"

#include <gtest/gtest.h>

namespace gotong::analytics {
namespace {

Accumulator of(std::int64_t n, std::int64_t n_b, double sum_a = 0, double sum_b = 0) {
  Accumulator a;
  a.n = n;
  a.n_b = n_b;
  a.sum_a = static_cast<std::int64_t>(sum_a * kScale);
  a.sum_b = static_cast<std::int64_t>(sum_b * kScale);
  return a;
}

TEST(Aggregates, FixedPoint) {
  EXPECT_EQ(to_fixed("12.5"), 125000);
  EXPECT_EQ(to_fixed(" 3 "), 30000);
  EXPECT_EQ(to_fixed("-0.25"), -2500);
  EXPECT_EQ(to_fixed("0.00004"), 0);  // rounded to 4 decimals
  EXPECT_EQ(to_fixed("0.00005"), 1);
  EXPECT_FALSE(to_fixed(""));
  EXPECT_FALSE(to_fixed("piped"));
  EXPECT_FALSE(to_fixed("2026-03-01"));     // a date is not a quantity
  EXPECT_FALSE(to_fixed("2000000000000"));  // over kMaxMagnitude
  EXPECT_DOUBLE_EQ(from_fixed(125000), 12.5);
}

TEST(Aggregates, Values) {
  // 7 units in scope, 4 passed: count 4, percentage 4/7.
  EXPECT_EQ(value_of(Calculation::count, of(4, 7), false), 4.0);
  EXPECT_NEAR(*value_of(Calculation::percentage, of(4, 7), false), 57.142857, 1e-6);
  // Sum 30 over 4 values: mean 7.5.
  EXPECT_EQ(value_of(Calculation::sum, of(4, 7, 30), false), 30.0);
  EXPECT_EQ(value_of(Calculation::mean, of(4, 7, 30), false), 7.5);
  // Ratio 3 / 12 = 0.25, or 25 %.
  EXPECT_EQ(value_of(Calculation::ratio, of(5, 5, 3, 12), false), 0.25);
  EXPECT_EQ(value_of(Calculation::ratio, of(5, 5, 3, 12), true), 25.0);
  // No unit in scope: no data; units but none with a value: no mean, a count of 0.
  EXPECT_FALSE(value_of(Calculation::count, of(0, 0), false));
  EXPECT_EQ(value_of(Calculation::count, of(0, 3), false), 0.0);
  EXPECT_FALSE(value_of(Calculation::mean, of(0, 3), false));
  EXPECT_EQ(value_of(Calculation::percentage, of(0, 3), false), 0.0);
  EXPECT_FALSE(value_of(Calculation::ratio, of(2, 2, 5, 0), false));
}

TEST(Aggregates, MedianIsExact) {
  Accumulator a = of(0, 0);
  for (double v : {4.0, 1.0, 9.0, 4.0, 2.5}) {
    a.numbers[*to_fixed(std::to_string(v))] += 1;
    a.n += 1;
    a.n_b += 1;
  }
  EXPECT_EQ(value_of(Calculation::median, a, false), 4.0);  // 1 2.5 4 4 9
  a.numbers[*to_fixed("9")] += 1;
  a.n_b += 1;
  EXPECT_EQ(value_of(Calculation::median, a, false), 4.0);  // 1 2.5 4 4 9 9
  a.numbers[*to_fixed("4")] -= 2;
  EXPECT_EQ(value_of(Calculation::median, a, false), 5.75);  // 1 2.5 9 9: (2.5 + 9) / 2
}

TEST(Aggregates, DistinctCount) {
  Accumulator a = of(3, 3);
  a.texts["Maria"] = 2;
  a.texts["Yosef"] = 1;
  EXPECT_EQ(value_of(Calculation::distinct_count, a, false), 2.0);
}

TEST(Aggregates, MergeAndTakeAwayLeavesNothing) {
  Accumulator a = of(2, 3, 7.5, 1);
  a.numbers[10] = 2;
  a.texts["x"] = 1;
  Accumulator total;
  total.merge(a);
  total.merge(a);
  EXPECT_EQ(total.n, 4);
  EXPECT_EQ(total.numbers.at(10), 4);
  EXPECT_EQ(total.texts.at("x"), 2);
  total.merge(a, -1);
  total.merge(a, -1);
  EXPECT_TRUE(total.zero());
  EXPECT_TRUE(total.numbers.empty());
  EXPECT_TRUE(total.texts.empty());
}

TEST(Aggregates, Names) {
  for (auto c : {Calculation::count, Calculation::sum, Calculation::mean, Calculation::median,
                 Calculation::ratio, Calculation::percentage, Calculation::distinct_count})
    EXPECT_EQ(parse_calculation(calculation_name(c)), c);
  EXPECT_FALSE(parse_calculation("average"));
  EXPECT_TRUE(needs_value_field(Calculation::ratio));
  EXPECT_FALSE(needs_value_field(Calculation::percentage));
  EXPECT_TRUE(keeps_items(Calculation::median));
  EXPECT_EQ(round4(2.0 / 3.0 * 100), 66.6667);
  EXPECT_EQ(round4(-0.00001), 0.0);
}

}  // namespace
}  // namespace gotong::analytics
