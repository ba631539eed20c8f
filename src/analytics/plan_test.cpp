#include "analytics/plan.hpp"

#include <gtest/gtest.h>

#include <map>

#include "forms/xform/record.hpp"
#include "forms/xform/submission.hpp"

namespace gotong::analytics {
namespace {

namespace xform = forms::xform;

// A household survey with a repeat of members and, inside each member, a repeat of clinic visits.
const char* const kForm = R"XF(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Survei</h:title>
  <model>
   <instance>
    <survei id="survei" version="1">
     <area/><visit_date/><water/><treat/><hh_size/><spend/>
     <household>
      <head_sex/><head_age/>
      <member jr:template="">
       <m_name/><m_sex/><m_age/>
       <care><visit jr:template=""><v_date/><v_kind/></visit></care>
      </member>
     </household>
     <meta><instanceID/></meta>
    </survei>
   </instance>
   <bind nodeset="/survei/visit_date" type="date"/>
   <bind nodeset="/survei/hh_size" type="int"/>
   <bind nodeset="/survei/spend" type="decimal"/>
   <bind nodeset="/survei/household/head_age" type="int"/>
   <bind nodeset="/survei/household/member/m_age" type="int"/>
   <bind nodeset="/survei/household/member/care/visit/v_date" type="date"/>
   <bind nodeset="/survei/meta/instanceID" type="string" readonly="true()"/>
  </model>
 </h:head>
 <h:body>
  <input ref="/survei/area"/><input ref="/survei/visit_date"/>
  <select1 ref="/survei/water"><item><value>piped</value></item><item><value>well</value></item></select1>
  <select ref="/survei/treat"><item><value>boil</value></item><item><value>filter</value></item><item><value>none</value></item></select>
  <input ref="/survei/hh_size"/><input ref="/survei/spend"/>
  <group ref="/survei/household">
   <select1 ref="/survei/household/head_sex"><item><value>female</value></item><item><value>male</value></item></select1>
   <input ref="/survei/household/head_age"/>
   <group ref="/survei/household/member"><repeat nodeset="/survei/household/member">
    <input ref="/survei/household/member/m_name"/>
    <select1 ref="/survei/household/member/m_sex"><item><value>female</value></item><item><value>male</value></item></select1>
    <input ref="/survei/household/member/m_age"/>
    <group ref="/survei/household/member/care"><repeat nodeset="/survei/household/member/care/visit">
     <input ref="/survei/household/member/care/visit/v_date"/><input ref="/survei/household/member/care/visit/v_kind"/>
    </repeat></group>
   </repeat></group>
  </group>
 </h:body>
</h:html>)XF";

struct Member {
  const char* name;
  const char* sex;
  int age;
  std::vector<std::pair<const char*, const char*>> visits;  // date, kind
};

std::string submission(int n, const char* area, const char* date, const char* water, const char* treat,
                       int size, const char* spend, const char* head_sex, int head_age,
                       const std::vector<Member>& members) {
  std::string x = "<survei id=\"survei\" version=\"1\">";
  x += std::string("<area>") + area + "</area><visit_date>" + date + "</visit_date><water>" + water +
       "</water>";
  x += std::string("<treat>") + treat + "</treat><hh_size>" + std::to_string(size) + "</hh_size><spend>" +
       spend + "</spend>";
  x += std::string("<household><head_sex>") + head_sex + "</head_sex><head_age>" + std::to_string(head_age) +
       "</head_age>";
  for (const auto& m : members) {
    x += std::string("<member><m_name>") + m.name + "</m_name><m_sex>" + m.sex + "</m_sex><m_age>" +
         std::to_string(m.age) + "</m_age><care>";
    for (const auto& [d, k] : m.visits)
      x += std::string("<visit><v_date>") + d + "</v_date><v_kind>" + k + "</v_kind></visit>";
    x += "</care></member>";
  }
  x += "</household><meta><instanceID>uuid:" + std::to_string(n) + "</instanceID></meta></survei>";
  return x;
}

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = xform::read_schema(kForm);
    layout_ = xform::layout_of(schema_);
    const std::vector<std::string> xml = {
        submission(1, "53.02.03.2003.01", "2026-01-10", "piped", "boil filter", 3, "5000", "female", 40,
                   {{"Ani", "female", 3, {{"2026-01-02", "imunisasi"}}},
                    {"Budi", "male", 40, {}},
                    {"Citra", "female", 17, {}}}),
        submission(2, "53.02.03.2003.02", "2026-02-05", "well", "none", 2, "0", "male", 65,
                   {{"Dedi", "male", 65, {}},
                    {"Eka", "female", 62, {{"2026-02-01", "cek"}, {"2026-02-03", "cek"}}}}),
        submission(
            3, "53.02.03.2003.01", "2026-02-20", "piped", "boil", 4, "12500.5", "female", 30,
            {{"F", "female", 30, {}}, {"G", "male", 1, {}}, {"H", "female", 5, {}}, {"I", "male", 18, {}}}),
        // Undated, and dated before the program: neither counts.
        submission(4, "53.02.03.2003", "", "piped", "boil", 1, "100", "male", 50, {{"J", "male", 50, {}}}),
        submission(5, "53.02.03.2003.03", "2025-12-31", "piped", "boil", 1, "100", "male", 50,
                   {{"K", "male", 50, {}}}),
    };
    for (const auto& x : xml)
      records_.push_back(xform::encode_record(schema_, layout_, xform::read_submission(x)));
    areas_ = {"53.02.03.2003.01", "53.02.03.2003.02", "53.02.03.2003.01", "53.02.03.2003",
              "53.02.03.2003.03"};
  }

  Spec spec(Calculation c) const {
    Spec s;
    s.calculation = c;
    s.period_field = "visit_date";
    s.start = "2026-01-01";
    s.end = "2026-12-31";
    return s;
  }

  Aggregation run(const Spec& s, bool strict = true) const {
    Plan plan(schema_, layout_, s, strict);
    Aggregation out;
    Plan::Scratch scratch;
    for (std::size_t i = 0; i < records_.size(); ++i) plan.add(records_[i], 0, areas_[i], 1, out, scratch);
    return out;
  }

  // period → cell → accumulator, ignoring entries that add up to nothing.
  static std::map<std::string, std::map<std::string, Accumulator>> table(const Aggregation& a) {
    std::map<std::string, std::map<std::string, Accumulator>> out;
    a.for_each([&](std::string_view p, std::string_view c, const Accumulator& acc) {
      if (!acc.zero()) out[std::string(p)][std::string(c)] = acc;
    });
    return out;
  }

  static bool same(const Aggregation& a, const Aggregation& b) {
    auto ta = table(a), tb = table(b);
    if (ta.size() != tb.size()) return false;
    for (const auto& [p, cells] : ta) {
      if (!tb.count(p) || tb.at(p).size() != cells.size()) return false;
      for (const auto& [c, acc] : cells) {
        if (!tb.at(p).count(c)) return false;
        const auto& o = tb.at(p).at(c);
        if (acc.n != o.n || acc.n_b != o.n_b || acc.sum_a != o.sum_a || acc.sum_b != o.sum_b ||
            acc.numbers != o.numbers || acc.texts != o.texts)
          return false;
      }
    }
    return true;
  }

  xform::Schema schema_;
  xform::Layout layout_;
  std::vector<std::string> records_;
  std::vector<std::string> areas_;
};

TEST_F(PlanTest, CountsHouseholdsByDusun) {
  Spec s = spec(Calculation::count);
  s.filter = "${water} = 'piped'";
  s.dimensions = {{"dusun", Dimension::Kind::area, "", {}, 5}};
  auto t = table(run(s));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t["2026-01"]["53.02.03.2003.01"].n, 1);
  EXPECT_EQ(t["2026-01"]["53.02.03.2003.01"].n_b, 1);
  EXPECT_EQ(t["2026-02"]["53.02.03.2003.01"].n, 1);
  EXPECT_EQ(t["2026-02"]["53.02.03.2003.02"].n, 0);  // in scope, not piped
  EXPECT_EQ(t["2026-02"]["53.02.03.2003.02"].n_b, 1);
  EXPECT_TRUE(Plan(schema_, layout_, s, true).direct_filters());
}

TEST_F(PlanTest, PercentageOfMembersUnderFiveBySex) {
  Spec s = spec(Calculation::percentage);
  s.unit = "member";
  s.frequency = Frequency::yearly;
  s.filter = "${m_age} < 5";
  s.dimensions = {{"sex", Dimension::Kind::field, "m_sex", {}, 0}};
  auto t = table(run(s));
  EXPECT_EQ(t["2026"]["female"].n, 1);  // Ani (3) of Ani, Citra, Eka, F, H
  EXPECT_EQ(t["2026"]["female"].n_b, 5);
  EXPECT_EQ(t["2026"]["male"].n, 1);  // G (1) of Budi, Dedi, G, I
  EXPECT_EQ(t["2026"]["male"].n_b, 4);
  // Only female members in the denominator.
  s.denominator_filter = "${m_sex} = 'female'";
  s.dimensions.clear();
  t = table(run(s));
  EXPECT_EQ(t["2026"][""].n, 1);
  EXPECT_EQ(t["2026"][""].n_b, 5);
}

TEST_F(PlanTest, SumMeanRatioOverHouseholds) {
  Spec s = spec(Calculation::sum);
  s.frequency = Frequency::life_of_program;
  s.value_field = "spend";
  s.filter = "selected(${treat}, 'boil')";
  s.dimensions = {{"head", Dimension::Kind::field, "head_sex", {}, 0}};
  auto t = table(run(s));
  EXPECT_EQ(t["LOP"]["female"].n, 2);
  EXPECT_EQ(t["LOP"]["female"].sum_a, 175005000);  // 5000 + 12500.5, 4 decimals
  EXPECT_EQ(t["LOP"]["male"].n, 0);
  EXPECT_EQ(t["LOP"]["male"].n_b, 1);

  Spec r = spec(Calculation::ratio);
  r.frequency = Frequency::life_of_program;
  r.value_field = "spend";
  r.denominator_field = "hh_size";
  auto tr = table(run(r));
  EXPECT_DOUBLE_EQ(*value_of(Calculation::ratio, tr["LOP"][""], false), 17500.5 / 9);
}

TEST_F(PlanTest, MedianAgeAndDistinctNames) {
  Spec s = spec(Calculation::median);
  s.unit = "member";
  s.frequency = Frequency::quarterly;
  s.value_field = "m_age";
  auto t = table(run(s));
  // 1 3 5 17 18 30 40 62 65
  EXPECT_EQ(value_of(Calculation::median, t["2026-Q1"][""], false), 18.0);
  Spec d = spec(Calculation::distinct_count);
  d.unit = "member";
  d.frequency = Frequency::quarterly;
  d.value_field = "m_name";
  EXPECT_EQ(value_of(Calculation::distinct_count, table(run(d))["2026-Q1"][""], false), 9.0);
}

TEST_F(PlanTest, AgeBands) {
  Spec s = spec(Calculation::count);
  s.unit = "member";
  s.frequency = Frequency::yearly;
  s.dimensions = {{"age", Dimension::Kind::age_band, "m_age", {5, 18, 60}, 0}};
  auto t = table(run(s));
  EXPECT_EQ(t["2026"]["0-4"].n, 2);    // Ani 3, G 1
  EXPECT_EQ(t["2026"]["5-17"].n, 2);   // Citra 17, H 5
  EXPECT_EQ(t["2026"]["18-59"].n, 3);  // Budi 40, F 30, I 18
  EXPECT_EQ(t["2026"]["60+"].n, 2);    // Dedi 65, Eka 62
  EXPECT_EQ(band_labels({5, 18, 60}), (std::vector<std::string>{"0-4", "5-17", "18-59", "60+"}));
}

TEST_F(PlanTest, NestedRepeatSeesItsMemberAndHousehold) {
  Spec s = spec(Calculation::count);
  s.unit = "visit";
  s.period_field = "v_date";
  s.filter = "${v_kind} = 'cek' and ${m_sex} = 'female' and ${water} = 'well'";
  auto t = table(run(s));
  EXPECT_EQ(t["2026-01"][""].n, 0);
  EXPECT_EQ(t["2026-01"][""].n_b, 1);
  EXPECT_EQ(t["2026-02"][""].n, 2);
  EXPECT_TRUE(Plan(schema_, layout_, s, true).direct_filters());
}

TEST_F(PlanTest, TheEngineAgreesWithTheDirectTests) {
  const char* filters[] = {
      "${water} = 'piped'",
      "${water} != 'piped'",
      "'piped' = ${water}",
      "${hh_size} >= 3",
      "3 < ${hh_size}",
      "${spend} > 1000.25 or ${head_age} < 35",
      "not(${head_sex} = 'male') and selected(${treat}, 'filter')",
      "selected(${treat}, ' boil ')",
      "${visit_date} >= '2026-02-01'",
      "${hh_size} = -1 or true()",
      "false()",
      "${head_age} = ${hh_size}",
      "${head_age} != ${spend}",
  };
  for (const char* f : filters) {
    SCOPED_TRACE(f);
    Spec s = spec(Calculation::count);
    s.filter = f;
    s.dimensions = {{"head", Dimension::Kind::field, "head_sex", {}, 0}};
    ASSERT_TRUE(Plan(schema_, layout_, s, true).direct_filters());
    Spec e = s;
    e.force_engine = true;
    ASSERT_FALSE(Plan(schema_, layout_, e, true).direct_filters());
    EXPECT_TRUE(same(run(s), run(e)));
  }
  const char* member_filters[] = {"${m_age} < 18 and ${m_sex} = 'female'", "${m_age} >= ${head_age}",
                                  "${water} = 'piped' or ${m_age} > 60"};
  for (const char* f : member_filters) {
    SCOPED_TRACE(f);
    Spec s = spec(Calculation::percentage);
    s.unit = "member";
    s.filter = f;
    Spec e = s;
    e.force_engine = true;
    EXPECT_TRUE(same(run(s), run(e)));
  }
}

TEST_F(PlanTest, FiltersBeyondColumnTestsUseTheEngine) {
  // Any member female (a node-set of all members, from a household's point of view).
  Spec s = spec(Calculation::count);
  s.frequency = Frequency::yearly;
  s.filter = "count(${m_sex}[. = 'female']) >= 2";
  EXPECT_FALSE(Plan(schema_, layout_, s, true).direct_filters());
  EXPECT_EQ(table(run(s))["2026"][""].n, 2);  // households 1 and 3
  s.filter = "${m_sex} = 'female'";
  EXPECT_FALSE(Plan(schema_, layout_, s, true).direct_filters());
  EXPECT_EQ(table(run(s))["2026"][""].n, 3);
  Spec m = spec(Calculation::count);
  m.unit = "member";
  m.frequency = Frequency::yearly;
  m.filter = "string-length(${m_name}) > 3";
  EXPECT_EQ(table(run(m))["2026"][""].n, 3);  // Budi, Citra, Dedi
}

TEST_F(PlanTest, TakingAwayWhatWasAddedLeavesNothing) {
  Spec s = spec(Calculation::median);
  s.unit = "member";
  s.value_field = "m_age";
  s.dimensions = {{"sex", Dimension::Kind::field, "m_sex", {}, 0},
                  {"dusun", Dimension::Kind::area, "", {}, 5}};
  Plan plan(schema_, layout_, s, true);
  Aggregation a;
  Plan::Scratch scratch;
  for (std::size_t i = 0; i < records_.size(); ++i) plan.add(records_[i], 0, areas_[i], 1, a, scratch);
  EXPECT_GT(a.size(), 0u);
  for (std::size_t i = 0; i < records_.size(); ++i) plan.add(records_[i], 0, areas_[i], -1, a, scratch);
  EXPECT_TRUE(table(a).empty());
}

TEST_F(PlanTest, SubmissionTimeWhenNoDateField) {
  Spec s = spec(Calculation::count);
  s.period_field.clear();
  Plan plan(schema_, layout_, s, true);
  Aggregation a;
  Plan::Scratch scratch;
  plan.add(records_[0], 1774978200000, areas_[0], 1, a, scratch);  // 2026-03-31T17:30Z = 1 April in WIB
  EXPECT_EQ(table(a).count("2026-04"), 1u);
}

TEST_F(PlanTest, DefinitionsThatDoNotFitTheForm) {
  auto error_field = [&](const Spec& s) -> std::string {
    try {
      Plan(schema_, layout_, s, true);
    } catch (const PlanError& e) {
      return e.field;
    }
    return "(none)";
  };
  Spec s = spec(Calculation::sum);
  EXPECT_EQ(error_field(s), "value_field");  // required
  s.value_field = "income";
  EXPECT_EQ(error_field(s), "value_field");  // no such field
  s.value_field = "water";
  EXPECT_EQ(error_field(s), "value_field");  // not a number
  s.value_field = "m_age";
  EXPECT_EQ(error_field(s), "value_field");  // one per member, not per household
  s.value_field = "spend";
  EXPECT_EQ(error_field(s), "(none)");
  s.filter = "${water} = 'piped";
  EXPECT_EQ(error_field(s), "filter");  // does not parse
  s.filter = "${water_source} = 'piped'";
  EXPECT_EQ(error_field(s), "filter");  // unknown field
  s.filter = "${visit_date} < today()";
  EXPECT_EQ(error_field(s), "filter");  // changes with the clock
  s.filter.clear();
  s.unit = "visits";
  EXPECT_EQ(error_field(s), "unit");
  Spec p = spec(Calculation::count);
  p.period_field = "water";
  EXPECT_EQ(error_field(p), "period_field");
  p.period_field = "visit_date";
  p.denominator_filter = "true()";
  EXPECT_EQ(error_field(p), "denominator_filter");
  p.denominator_filter.clear();
  p.dimensions = {{"sex", Dimension::Kind::field, "m_sex", {}, 0}};
  EXPECT_EQ(error_field(p), "dimensions[0].field");
  Spec r = spec(Calculation::ratio);
  r.value_field = "spend";
  EXPECT_EQ(error_field(r), "denominator_field");
}

TEST_F(PlanTest, OlderVersionsReadMissingFieldsAsAbsent) {
  Spec s = spec(Calculation::count);
  s.filter = "${income} = '' or ${water} = 'piped'";  // a field of a later version
  s.dimensions = {{"income", Dimension::Kind::field, "income_band", {}, 0}};
  auto t = table(run(s, false));
  // Comparisons with an absent field never hold (XPath: an empty node-set); its cell value is "".
  EXPECT_EQ(t["2026-01"][""].n, 1);
  EXPECT_EQ(t["2026-02"][""].n, 1);
  EXPECT_EQ(t["2026-02"][""].n_b, 2);
  Spec e = s;
  e.force_engine = true;
  EXPECT_TRUE(same(run(s, false), run(e, false)));
}

TEST(Cells, JoinSplitAndAreas) {
  EXPECT_EQ(join_cell({"female", "53.02"}), std::string("female\x1f"
                                                        "53.02"));
  EXPECT_EQ(split_cell(std::string("female\x1f"), 2), (std::vector<std::string>{"female", ""}));
  EXPECT_EQ(split_cell("", 0), std::vector<std::string>{});
  EXPECT_EQ(split_cell("", 1), std::vector<std::string>{""});
  EXPECT_EQ(area_prefix("53.02.03.2003.01", 4), "53.02.03.2003");
  EXPECT_EQ(area_prefix("53.02.03.2003.01", 5), "53.02.03.2003.01");
  EXPECT_EQ(area_prefix("53.02.03.2003", 5), "");
  EXPECT_EQ(area_prefix("53", 1), "53");
  EXPECT_EQ(band_label(4.99, {5}), "0-4");
  EXPECT_EQ(band_label(5, {5}), "5+");
}

}  // namespace
}  // namespace gotong::analytics
