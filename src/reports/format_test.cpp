#include "reports/format.hpp"

#include <gtest/gtest.h>

#include "reports/pdf_charts.hpp"

namespace gotong::reports {
namespace {

TEST(ReportFormat, NumbersFollowTheLanguage) {
  EXPECT_EQ(format_number(1234.5, Lang::id), "1.234,5");
  EXPECT_EQ(format_number(1234.5, Lang::en), "1,234.5");
  EXPECT_EQ(format_number(1234567.25, Lang::id, 2), "1.234.567,25");
  EXPECT_EQ(format_number(-0.04, Lang::id, 1), "0");
  EXPECT_EQ(format_number(-12.5, Lang::en, 1), "-12.5");
  EXPECT_EQ(format_number(100, Lang::id, 1), "100");
  EXPECT_EQ(format_number(999.96, Lang::en, 1), "1,000");
  EXPECT_EQ(format_int(1000000, Lang::id), "1.000.000");
  EXPECT_EQ(format_int(-4500, Lang::en), "-4,500");
  EXPECT_EQ(format_int(INT64_MIN, Lang::en), "-9,223,372,036,854,775,808");
  EXPECT_EQ(format_measure(47.25, "percentage", Lang::id), "47,3%");
  EXPECT_EQ(format_measure(std::nullopt, "unit", Lang::id), "–");
  EXPECT_EQ(format_percent(0.5, Lang::en), "50%");
}

TEST(ReportFormat, MoneyInTheCurrencyMinorUnit) {
  EXPECT_EQ(format_money(1250000, "IDR", Lang::id), "Rp 1.250.000");
  EXPECT_EQ(format_money(1250000, "IDR", Lang::en), "Rp 1,250,000");
  EXPECT_EQ(format_money(125005, "USD", Lang::en), "USD 1,250.05");
  EXPECT_EQ(format_money(-5, "EUR", Lang::id), "-EUR 0,05");
  EXPECT_EQ(minor_digits("JPY"), 0);
  EXPECT_EQ(minor_digits("KWD"), 3);
}

TEST(ReportFormat, DatesAndPeriods) {
  EXPECT_EQ(format_date("2026-11-28", Lang::id), "28 November 2026");
  EXPECT_EQ(format_date("2026-08-01", Lang::id), "1 Agustus 2026");
  EXPECT_EQ(format_date("2026-08-01", Lang::en), "1 August 2026");
  EXPECT_EQ(format_date("not a date", Lang::en), "not a date");
  EXPECT_EQ(format_period("2026-03", Lang::id), "Maret 2026");
  EXPECT_EQ(format_period("2026-Q3", Lang::id), "Triwulan III 2026");
  EXPECT_EQ(format_period("2026-Q3", Lang::en), "Q3 2026");
  EXPECT_EQ(format_period("2026", Lang::en), "2026");
  EXPECT_EQ(format_period("LOP", Lang::id), "Seluruh masa program");
  EXPECT_EQ(format_month_short("2026-05", Lang::id), "Mei 26");
  EXPECT_EQ(format_month_short("2026-12", Lang::en), "Dec 26");
}

TEST(ReportFormat, Labels) {
  EXPECT_EQ(status_label("behind", Lang::id), "Tertinggal");
  EXPECT_EQ(status_label("on_track", Lang::en), "On track");
  EXPECT_EQ(activity_status_label("done", Lang::id), "Selesai");
  EXPECT_EQ(criterion_label("sustainability", Lang::id), "Keberlanjutan");
}

TEST(ReportCharts, RoundSteps) {
  EXPECT_DOUBLE_EQ(pdf::nice_step(100), 25);
  EXPECT_DOUBLE_EQ(pdf::nice_step(7), 2);
  EXPECT_DOUBLE_EQ(pdf::nice_step(0.9), 0.25);
  EXPECT_DOUBLE_EQ(pdf::nice_step(45000000), 20000000);
  EXPECT_DOUBLE_EQ(pdf::nice_step(0), 1);
}

}  // namespace
}  // namespace gotong::reports
