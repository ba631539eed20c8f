#include "domain/evaluations_text.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace gotong::domain::evaluations::text {
namespace {

TEST(EvaluationText, NumbersAsPeopleWriteThem) {
  EXPECT_EQ(format_number(12500.5, 2, true), "12.500,5");
  EXPECT_EQ(format_number(12500.5, 2, false), "12,500.5");
  EXPECT_EQ(format_number(40.0, 1, true), "40");
  EXPECT_EQ(format_number(-0.004, 2, false), "0");
  EXPECT_EQ(format_number(-3.25, 1, false), "-3.3");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN(), 1, true), "-");
}

Row proportion_row() {
  Row r;
  r.label_id = "Rumah tangga dengan air perpipaan";
  r.label_en = "Households with piped water";
  r.percent = true;
  r.desired = "increase";
  r.before = 40;
  r.after = 52.5;
  r.change = 12.5;
  r.p_value = 0.003;
  return r;
}

TEST(EvaluationText, ClearChangeInTheWantedDirection) {
  auto s = describe(proportion_row());
  EXPECT_EQ(
      s.id,
      "Rumah tangga dengan air perpipaan: 40% sebelum program dan 52,5% sesudahnya (naik 12,5 poin persen). "
      "Perubahan ini cukup besar sehingga hampir pasti bukan kebetulan. Arahnya sesuai dengan tujuan "
      "program.");
  EXPECT_EQ(
      s.en,
      "Households with piped water: 40% before the program and 52.5% after it (up 12.5 percentage points). "
      "This change is large enough that it is very unlikely to be chance. This is the direction the program "
      "aimed for.");
}

TEST(EvaluationText, ChangeThatChanceCouldExplain) {
  Row r = proportion_row();
  r.p_value = 0.3;
  auto s = describe(r);
  EXPECT_NE(s.id.find("bisa saja terjadi karena kebetulan"), std::string::npos);
  EXPECT_EQ(s.id.find("Arahnya"), std::string::npos);
  EXPECT_NE(s.en.find("could happen by chance"), std::string::npos);
}

TEST(EvaluationText, MeanWithUnitAndWrongDirection) {
  Row r;
  r.label_id = "Waktu mengambil air";
  r.label_en = "Time to fetch water";
  r.unit_id = "menit";
  r.unit_en = "minutes";
  r.desired = "decrease";
  r.before = 30;
  r.after = 35.25;
  r.change = 5.25;
  r.p_value = 0.01;
  auto s = describe(r);
  EXPECT_EQ(
      s.id,
      "Waktu mengambil air: rata-rata 30 menit sebelum program dan 35,25 menit sesudahnya (naik 5,25 menit). "
      "Perubahan ini cukup besar sehingga hampir pasti bukan kebetulan. Arahnya berlawanan dengan tujuan "
      "program.");
  EXPECT_NE(
      s.en.find("on average 30 minutes before the program and 35.25 minutes after it (up 5.25 minutes)"),
      std::string::npos);
}

TEST(EvaluationText, NotEnoughDataIsSaidPlainly) {
  Row r = proportion_row();
  r.change.reset();
  r.p_value.reset();
  r.change_shortfall_id = "terlalu sedikit data";
  r.change_shortfall_en = "too little data";
  auto s = describe(r);
  EXPECT_NE(s.id.find("Data belum cukup untuk menilai apakah perubahan ini nyata: terlalu sedikit data."),
            std::string::npos);
  EXPECT_NE(s.en.find("There is not enough data to tell whether this change is real: too little data."),
            std::string::npos);
  Row empty;
  empty.label_id = "X";
  EXPECT_EQ(describe(empty).id, "X: belum ada data sebelum maupun sesudah program.");
  Row only_after = proportion_row();
  only_after.before.reset();
  EXPECT_NE(describe(only_after).en.find("no data from before the program"), std::string::npos);
  for (const auto& t : {describe(r).id, describe(r).en, describe(empty).en})
    EXPECT_EQ(t.find("nan"), std::string::npos) << t;
}

TEST(EvaluationText, ComparisonAreas) {
  Row r = proportion_row();
  r.comparison = true;
  r.control_change = 2.5;
  r.did = 10;
  r.did_p_value = 0.02;
  auto s = describe(r);
  EXPECT_NE(
      s.id.find(
          "Di wilayah pembanding yang belum mendapat program, angkanya naik 2,5 poin persen. "
          "Dengan memperhitungkan itu, program diperkirakan menaikkan angka ini sebesar 10 poin persen. "
          "Perkiraan ini cukup kuat"),
      std::string::npos)
      << s.id;
  EXPECT_NE(s.en.find("the program is estimated to have raised it by 10 percentage points"),
            std::string::npos);
  r.few_clusters = true;
  EXPECT_NE(describe(r).id.find("hanya sedikit dusun atau desa"), std::string::npos);
  r.did.reset();
  r.did_shortfall_en = "an empty group";
  EXPECT_NE(describe(r).en.find("The comparison with those areas cannot be worked out yet: an empty group."),
            std::string::npos);
}

}  // namespace
}  // namespace gotong::domain::evaluations::text
