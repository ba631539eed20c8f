// The columnar path (ColumnBlock + Plan::add_block) against the row path (Plan::add): for a varied
// set of records and every calculation, unit, dimension kind, period source and filter shape, the
// aggregates must be identical.
#include "analytics/column_block.hpp"

#include <gtest/gtest.h>

#include <map>

#include "analytics/plan.hpp"
#include "forms/xform/record.hpp"
#include "forms/xform/submission.hpp"

namespace gotong::analytics {
namespace {

namespace xform = forms::xform;

// Version 2 of a household survey; version 1 lacks `spend` and `treat`.
std::string form_xml(bool v2) {
  std::string fields = v2 ? "<treat/><hh_size/><spend/>" : "<hh_size/>";
  std::string binds = v2 ? "<bind nodeset=\"/survei/spend\" type=\"decimal\"/>" : "";
  std::string body = v2 ? R"(<select ref="/survei/treat"><item><value>boil</value></item></select><input ref="/survei/spend"/>)"
                        : "";
  return std::string(R"(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Survei</h:title>
  <model>
   <instance>
    <survei id="survei" version=")") +
         (v2 ? "2" : "1") + R"(">
     <area/><visit_date/><water/>)" + fields + R"(
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
   <bind nodeset="/survei/hh_size" type="int"/>)" + binds + R"(
   <bind nodeset="/survei/household/head_age" type="int"/>
   <bind nodeset="/survei/household/member/m_age" type="int"/>
   <bind nodeset="/survei/household/member/care/visit/v_date" type="date"/>
  </model>
 </h:head>
 <h:body>
  <input ref="/survei/area"/><input ref="/survei/visit_date"/><input ref="/survei/water"/>)" + body + R"(
  <input ref="/survei/hh_size"/>
  <group ref="/survei/household">
   <input ref="/survei/household/head_sex"/><input ref="/survei/household/head_age"/>
   <group ref="/survei/household/member"><repeat nodeset="/survei/household/member">
    <input ref="/survei/household/member/m_name"/><input ref="/survei/household/member/m_sex"/>
    <input ref="/survei/household/member/m_age"/>
    <group ref="/survei/household/member/care"><repeat nodeset="/survei/household/member/care/visit">
     <input ref="/survei/household/member/care/visit/v_date"/><input ref="/survei/household/member/care/visit/v_kind"/>
    </repeat></group>
   </repeat></group>
  </group>
 </h:body>
</h:html>)";
}

// A small deterministic generator (no dependence on the standard library's distributions).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }
};

struct Sub {
  int version;  // 1 or 2
  std::string record, state, area;
  bool deleted;
  std::int64_t time;
};

class ColumnBlockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int v = 0; v < 2; ++v) {
      schema_[v] = xform::read_schema(form_xml(v == 1));
      layout_[v] = xform::layout_of(schema_[v]);
    }
    Rng r{42};
    const std::vector<std::string> dates = {"2026-01-10", "2026-02-28", "2026-03-01", "", "2025-12-31",
                                            "2026-13-01", "2026-06-15T10:00:00", "2027-01-01", "garbage"};
    const std::vector<std::string> waters = {"piped", "well", "river", "", "piped"};
    const std::vector<std::string> treats = {"boil", "boil filter", "none", "", "filter boil"};
    const std::vector<std::string> numbers = {"3", "0", "12500.5", "", "abc", "-2", "7", "1e3", "4.00005"};
    const std::vector<std::string> sexes = {"female", "male", ""};
    const std::vector<std::string> areas = {"53.02.03.2003.01", "53.02.03.2003.02", "53.02.03.2003", "53.02",
                                            "", "53.02.04.2001.01"};
    const std::vector<std::string> states = {"received", "approved", "has_issues", "rejected", "received"};
    for (int i = 0; i < 300; ++i) {
      const int version = r.next() % 4 == 0 ? 1 : 2;
      std::string x = std::string("<survei id=\"survei\" version=\"") + (version == 2 ? "2" : "1") + "\">";
      const std::string area = r.pick(areas);
      x += "<area>" + area + "</area><visit_date>" + r.pick(dates) + "</visit_date><water>" + r.pick(waters) +
           "</water>";
      if (version == 2) x += "<treat>" + r.pick(treats) + "</treat>";
      x += "<hh_size>" + r.pick(numbers) + "</hh_size>";
      if (version == 2) x += "<spend>" + r.pick(numbers) + "</spend>";
      x += "<household><head_sex>" + r.pick(sexes) + "</head_sex><head_age>" +
           std::to_string(r.next() % 90) + "</head_age>";
      const int members = static_cast<int>(r.next() % 4);
      for (int m = 0; m < members; ++m) {
        x += "<member><m_name>n" + std::to_string(r.next() % 20) + "</m_name><m_sex>" + r.pick(sexes) +
             "</m_sex><m_age>" + (r.next() % 7 == 0 ? std::string() : std::to_string(r.next() % 80)) +
             "</m_age><care>";
        const int visits = static_cast<int>(r.next() % 3);
        for (int k = 0; k < visits; ++k)
          x += "<visit><v_date>" + r.pick(dates) + "</v_date><v_kind>" + (k % 2 ? "cek" : "imunisasi") +
               "</v_kind></visit>";
        x += "</care></member>";
      }
      x += "</household><meta><instanceID>uuid:" + std::to_string(i) + "</instanceID></meta></survei>";
      const int v = version - 1;
      Sub s{version, xform::encode_record(schema_[v], layout_[v], xform::read_submission(x)), r.pick(states),
            area, r.next() % 9 == 0,
            // Around midnight of month ends in several time zones.
            1767225600000LL + static_cast<std::int64_t>(r.next() % (200LL * 86400)) * 1000 * 60};
      subs_.push_back(std::move(s));
    }
    // Records the columns cannot hold: damaged, and a member row whose parent key names no row.
    subs_.push_back({2, "x\x1f" "y\x1e" "bad", "received", "53.02", false, 1767225600000LL});
    Sub odd = subs_[1];
    odd.state = "approved";
    odd.deleted = false;
    odd.record += "\x1e" "2\x1f" "household/member[9]/care/visit[1]\x1f" "2026-01-10\x1f" "cek";
    subs_.push_back(odd);
  }

  bool counts(const Sub& s, bool issues) const {
    return !s.deleted && (s.state == "received" || s.state == "approved" || (issues && s.state == "has_issues"));
  }

  Aggregation rows(const Spec& spec, bool issues) const {
    Plan plans[2] = {Plan(schema_[0], layout_[0], spec, false), Plan(schema_[1], layout_[1], spec, false)};
    Aggregation out;
    Plan::Scratch scratch;
    for (const auto& s : subs_)
      if (counts(s, issues)) plans[s.version - 1].add(s.record, s.time, s.area, 1, out, scratch);
    return out;
  }

  // Blocks of `size` submissions (each split by version), read back with only the parts the plan
  // names.
  Aggregation blocks(const Spec& spec, bool issues, std::size_t size) const {
    Plan plans[2] = {Plan(schema_[0], layout_[0], spec, false), Plan(schema_[1], layout_[1], spec, false)};
    Aggregation out;
    Plan::Scratch scratch;
    for (std::size_t at = 0; at < subs_.size(); at += size) {
      std::map<int, ColumnBlockBuilder> builders;
      std::map<int, std::vector<bool>> counted;
      for (std::size_t i = at; i < std::min(subs_.size(), at + size); ++i) {
        const Sub& s = subs_[i];
        auto& b = builders.try_emplace(s.version, &layout_[s.version - 1]).first->second;
        b.add(s.record, s.state, s.deleted, s.time, s.area);
        counted[s.version].push_back(counts(s, issues));
      }
      for (auto& [version, b] : builders) {
        const Plan& plan = plans[version - 1];
        const auto wanted = plan.block_parts();
        ColumnBlock block;
        block.rows = b.rows();
        for (auto& [name, data] : b.finish())
          if (std::find(wanted.begin(), wanted.end(), name) != wanted.end()) add_part(block, name, data);
        plan.add_block(block, counted[version], out, scratch);
      }
    }
    return out;
  }

  static std::map<std::pair<std::string, std::string>, Accumulator> table(const Aggregation& a) {
    std::map<std::pair<std::string, std::string>, Accumulator> out;
    a.for_each([&](std::string_view p, std::string_view c, const Accumulator& acc) {
      if (!acc.zero()) out[{std::string(p), std::string(c)}] = acc;
    });
    return out;
  }

  // Compares cell by cell, naming the first difference.
  void expect_same(const Spec& spec, bool issues, const std::string& what) const {
    const auto want = table(rows(spec, issues));
    ASSERT_FALSE(want.empty()) << what << ": the row path counted nothing (a test that cannot fail)";
    for (std::size_t size : {1u, 7u, 64u, 1000u}) {
      const auto got = table(blocks(spec, issues, size));
      ASSERT_EQ(got.size(), want.size()) << what << ", blocks of " << size;
      for (const auto& [key, a] : want) {
        auto it = got.find(key);
        ASSERT_NE(it, got.end()) << what << ": no " << key.first << "/" << key.second;
        const Accumulator& b = it->second;
        EXPECT_TRUE(a.n == b.n && a.n_b == b.n_b && a.sum_a == b.sum_a && a.sum_b == b.sum_b &&
                    a.numbers == b.numbers && a.texts == b.texts)
            << what << ", blocks of " << size << ", cell " << key.first << "/" << key.second << ": n " << a.n
            << " vs " << b.n << ", n_b " << a.n_b << " vs " << b.n_b << ", sum_a " << a.sum_a << " vs " << b.sum_a;
      }
    }
  }

  xform::Schema schema_[2];
  xform::Layout layout_[2];
  std::vector<Sub> subs_;
};

Spec base(Calculation c) {
  Spec s;
  s.calculation = c;
  s.start = "2026-01-01";
  s.end = "2026-12-31";
  return s;
}

TEST_F(ColumnBlockTest, EveryCalculationOverHouseholds) {
  const std::vector<Dimension> dims = {{"sex", Dimension::Kind::field, "head_sex", {}, 0},
                                       {"dusun", Dimension::Kind::area, "", {}, 5},
                                       {"age", Dimension::Kind::age_band, "head_age", {5, 18, 60}, 0}};
  for (auto c : {Calculation::count, Calculation::sum, Calculation::mean, Calculation::median, Calculation::ratio,
                 Calculation::percentage, Calculation::distinct_count}) {
    Spec s = base(c);
    s.dimensions = dims;
    if (needs_value_field(c)) s.value_field = c == Calculation::distinct_count ? "water" : "spend";
    if (c == Calculation::ratio) s.denominator_field = "hh_size";
    if (c == Calculation::percentage) s.denominator_filter = "${water} != ''";
    s.filter = "${water} = 'piped' or selected(${treat}, 'boil')";
    for (bool issues : {false, true}) {
      expect_same(s, issues, std::string(calculation_name(c)) + " by submission time");
      Spec d = s;
      d.period_field = "visit_date";
      d.frequency = Frequency::quarterly;
      expect_same(d, issues, std::string(calculation_name(c)) + " by visit date");
    }
  }
}

TEST_F(ColumnBlockTest, FiltersDimensionsAndPeriods) {
  const std::vector<std::string> filters = {
      "",
      "${hh_size} > 2",
      "${hh_size} >= ${head_age} or ${spend} < 10",
      "not(${water} = 'well') and ${head_sex} != 'male'",
      "${visit_date} >= '2026-02-01'",
      "${spend} = 12500.5",
      "true()",
      "false()",
      "'piped' = ${water}",
  };
  for (const auto& f : filters) {
    for (auto freq : {Frequency::monthly, Frequency::yearly, Frequency::life_of_program}) {
      Spec s = base(f == "false()" ? Calculation::percentage : Calculation::count);
      s.filter = f;
      s.frequency = freq;
      s.dimensions = {{"kec", Dimension::Kind::area, "", {}, 3}, {"water", Dimension::Kind::field, "water", {}, 0}};
      for (int tz : {0, 7 * 60, -5 * 60 - 30}) {
        s.timezone_minutes = tz;
        expect_same(s, false, "filter '" + f + "' tz " + std::to_string(tz));
      }
    }
  }
}

TEST_F(ColumnBlockTest, RepeatUnits) {
  Spec s = base(Calculation::percentage);
  s.unit = "member";
  s.filter = "${m_age} < 5 and ${water} = 'piped'";
  s.denominator_filter = "${m_sex} = 'female' or ${hh_size} > 1";
  s.dimensions = {{"sex", Dimension::Kind::field, "m_sex", {}, 0},
                  {"age", Dimension::Kind::age_band, "m_age", {5, 18, 60}, 0},
                  {"desa", Dimension::Kind::area, "", {}, 4}};
  expect_same(s, true, "members");
  Spec m = base(Calculation::median);
  m.unit = "member";
  m.value_field = "m_age";
  m.dimensions = {{"sex", Dimension::Kind::field, "m_sex", {}, 0}};
  expect_same(m, false, "median member age");
  Spec d = base(Calculation::distinct_count);
  d.unit = "member";
  d.value_field = "m_name";
  expect_same(d, false, "distinct names");
  Spec v = base(Calculation::count);
  v.unit = "visit";
  v.period_field = "v_date";
  v.filter = "${v_kind} = 'cek' and ${m_sex} = 'female' or ${water} = 'well'";
  v.dimensions = {{"kind", Dimension::Kind::field, "v_kind", {}, 0}, {"sex", Dimension::Kind::field, "m_sex", {}, 0}};
  expect_same(v, false, "visits");
}

TEST_F(ColumnBlockTest, DamagedBlocksAreRefused) {
  ColumnBlockBuilder b(&layout_[1]);
  b.add(subs_[0].record, "received", false, 0, "53");
  auto parts = b.finish();
  ColumnBlock block;
  block.rows = 1;
  EXPECT_THROW(add_part(block, "c0.1", parts["c0.1"].substr(0, 5)), BlockError);
  EXPECT_THROW(add_part(block, "cX.1", parts["c0.1"]), BlockError);
}

}  // namespace
}  // namespace gotong::analytics
