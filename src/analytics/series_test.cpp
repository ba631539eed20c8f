#include "analytics/series.hpp"

#include <gtest/gtest.h>

namespace gotong::analytics {
namespace {

void put(Aggregation& a, const char* period, const std::string& cell, std::int64_t n, std::int64_t n_b) {
  auto& acc = a.at(period, cell);
  acc.n += n;
  acc.n_b += n_b;
}

TEST(Series, PerPeriodCumulativeCellsAndDimensions) {
  Aggregation a;
  const std::string fd = join_cell({"female", "dusun1"}), md = join_cell({"male", "dusun1"}),
                    f2 = join_cell({"female", "dusun2"});
  put(a, "2026-01", fd, 3, 4);
  put(a, "2026-01", md, 1, 4);
  put(a, "2026-03", f2, 2, 2);
  put(a, "2025-12", fd, 100, 100);  // outside the program: ignored
  const std::vector<std::string> periods = {"2026-01", "2026-02", "2026-03"};
  SeriesSpec spec{Calculation::percentage, false, false, 2, true};
  auto s = series(spec, periods, a);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].value, 50.0);  // 4 of 8
  EXPECT_FALSE(s[1].value);     // nobody in February
  EXPECT_FALSE(s[1].has_data);
  EXPECT_EQ(s[2].value, 100.0);
  ASSERT_EQ(s[0].cells.size(), 2u);
  EXPECT_EQ(s[0].cells[0].cell, (std::vector<std::string>{"female", "dusun1"}));
  EXPECT_EQ(s[0].cells[0].value, 75.0);
  ASSERT_EQ(s[0].dimensions.size(), 2u);
  EXPECT_EQ(s[0].dimensions[0][1].key, "male");
  EXPECT_EQ(s[0].dimensions[0][1].value, 25.0);
  EXPECT_EQ(latest_with_data(s)->period, "2026-03");

  spec.cumulative = true;
  s = series(spec, periods, a);
  EXPECT_EQ(s[1].value, 50.0);  // January carried over
  EXPECT_EQ(s[2].value, 60.0);  // 6 of 10
  EXPECT_EQ(s[2].dimensions[1][0].key, "dusun1");
  EXPECT_EQ(s[2].dimensions[1][0].totals.n_b, 8);
  EXPECT_EQ(latest_with_data(s)->period, "2026-03");
  EXPECT_EQ(overall(periods, a).n, 6);

  spec.detail = false;
  s = series(spec, periods, a);
  EXPECT_TRUE(s[2].cells.empty());
  EXPECT_TRUE(s[2].dimensions.empty());
}

TEST(Series, NoData) {
  Aggregation a;
  auto s = series({Calculation::count, false, false, 0, true}, {"LOP"}, a);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].value);
  EXPECT_EQ(latest_with_data(s), nullptr);
}

}  // namespace
}  // namespace gotong::analytics
