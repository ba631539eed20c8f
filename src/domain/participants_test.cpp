// The participant register's rules: the Washington Group cut-off, age bands, NIK shape, name
// folding, and the duplicate candidates found by grouping keys (with large groups paired to
// their first member only, and pairs decided to be different people left out).
#include "domain/participants.hpp"

#include <gtest/gtest.h>

#include "db/batch_insert.hpp"
#include "domain/test_support.hpp"

namespace gotong::domain::participants {

namespace {
WgAnswers answers(std::initializer_list<const char*> six) {
  WgAnswers wg;
  std::size_t i = 0;
  for (const char* a : six) {
    if (a) wg[i] = a;
    ++i;
  }
  return wg;
}
}  // namespace

TEST(WashingtonGroup, AnyDomainALotOrCannotIsDisability) {
  EXPECT_EQ(disability_status(answers({"none", "none", "none", "none", "none", "none"})), "without");
  EXPECT_EQ(disability_status(answers({"some", "some", "some", "some", "some", "some"})), "without");
  EXPECT_EQ(disability_status(answers({"none", "none", "a_lot", "none", "none", "none"})), "with");
  EXPECT_EQ(disability_status(answers({"none", "none", "none", "none", "none", "cannot"})), "with");
  // One "a lot" settles it even when other domains were not asked.
  EXPECT_EQ(disability_status(answers({nullptr, "cannot", nullptr, nullptr, nullptr, nullptr})), "with");
  // Without that, an unanswered domain leaves it open.
  EXPECT_EQ(disability_status(answers({"none", "some", "none", nullptr, "none", "none"})), "unknown");
  EXPECT_EQ(disability_status(WgAnswers{}), "unknown");
}

TEST(AgeBands, ByAgeReachedInTheYear) {
  EXPECT_EQ(kAgeBands[age_band(2026, 2026)], std::string("0-4"));
  EXPECT_EQ(kAgeBands[age_band(2022, 2026)], std::string("0-4"));
  EXPECT_EQ(kAgeBands[age_band(2021, 2026)], std::string("5-17"));
  EXPECT_EQ(kAgeBands[age_band(2009, 2026)], std::string("5-17"));
  EXPECT_EQ(kAgeBands[age_band(2008, 2026)], std::string("18-59"));
  EXPECT_EQ(kAgeBands[age_band(1967, 2026)], std::string("18-59"));
  EXPECT_EQ(kAgeBands[age_band(1966, 2026)], std::string("60+"));
  EXPECT_EQ(kAgeBands[age_band(1920, 2026)], std::string("60+"));
  EXPECT_EQ(kAgeBands[age_band(std::nullopt, 2026)], std::string("unknown"));
  EXPECT_EQ(kAgeBands[age_band(2027, 2026)], std::string("unknown"));
}

TEST(Nik, SixteenDigits) {
  EXPECT_TRUE(valid_nik("5302031204850001"));
  EXPECT_FALSE(valid_nik("530203120485000"));
  EXPECT_FALSE(valid_nik("53020312048500011"));
  EXPECT_FALSE(valid_nik("53020312O4850001"));
  EXPECT_FALSE(valid_nik(""));
}

TEST(Names, FoldedForComparison) {
  EXPECT_EQ(name_key("  Maria   Tefa "), "maria tefa");
  EXPECT_EQ(name_key("MARÍA TEFA"), "maria tefa");
  EXPECT_EQ(name_key("Ma'ria-Tefa"), "ma ria tefa");
}

class Candidates : public ::testing::Test {
 protected:
  testing::TestDatabase tdb;
  std::int64_t org = 0, village = 0, other_village = 0;
  void SetUp() override {
    auto s = tdb.org_with_member("dup", Role::admin, "dup@example.org");
    org = s.org_id();
    tdb.db().read([&](db::Connection& c) {
      village = *c.query_int("SELECT id FROM areas WHERE code = '53.02.03.2003'");
      other_village = *c.query_int("SELECT id FROM areas WHERE code = '53.02.03.2004'");
    });
  }
  // Rows straight into the table: the rules under test read only these columns.
  std::int64_t add(const std::string& name, std::optional<int> year, std::optional<std::int64_t> v,
                   std::optional<std::string> nik_hash = std::nullopt) {
    std::int64_t id = 0;
    tdb.db().write([&](db::Connection& c) {
      id = c.query_one(
                "INSERT INTO participants(org_id, name, name_key, sex, birth_year, disability, village_id, "
                "nik_hash, created_at, updated_at) VALUES ($1,$2,$3,'female',$4,'unknown',$5,$6,0,0) "
                "RETURNING id",
                {org, name, name_key(name), year, v, nik_hash})
               ->int_at(0);
    });
    return id;
  }
  std::vector<Candidate> found() {
    return tdb.db().read_value([&](db::Connection& c) { return find_candidates(c, org); });
  }
};

TEST_F(Candidates, SameNikOrSameNameYearAndVillage) {
  auto a = add("Maria Tefa", 1985, village, "h1");
  auto b = add("MARIA  TEFA", 1985, village);              // name + year + village
  auto c = add("Maria Tefa", 1986, village);               // another year
  auto d = add("Maria Tefa", 1985, other_village);         // another village
  auto e = add("Yohana Benu", 1990, other_village, "h1");  // same NIK as a
  add("Maria Tefa", std::nullopt, village);                // no birth year: never matched by name
  auto f = found();
  ASSERT_EQ(f.size(), 2u);
  // Same NIK first.
  EXPECT_EQ(f[0].low_id, a);
  EXPECT_EQ(f[0].high_id, e);
  EXPECT_TRUE(f[0].same_nik);
  EXPECT_FALSE(f[0].same_name_birth_year_village);
  EXPECT_EQ(f[1].low_id, a);
  EXPECT_EQ(f[1].high_id, b);
  EXPECT_FALSE(f[1].same_nik);
  EXPECT_TRUE(f[1].same_name_birth_year_village);
  (void)c;
  (void)d;
}

TEST_F(Candidates, BothReasonsInOnePairAndMergedOrDeletedLeftOut) {
  auto a = add("Daniel Sanam", 1970, village, "h2");
  auto b = add("Daniel Sanam", 1970, village, "h2");
  auto gone = add("Daniel Sanam", 1970, village, "h2");
  tdb.db().write(
      [&](db::Connection& c) { c.exec("UPDATE participants SET deleted_at = 1 WHERE id = $1", {gone}); });
  auto f = found();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].low_id, a);
  EXPECT_EQ(f[0].high_id, b);
  EXPECT_TRUE(f[0].same_nik);
  EXPECT_TRUE(f[0].same_name_birth_year_village);
  tdb.db().write([&](db::Connection& c) {
    c.exec("UPDATE participants SET merged_into = $1 WHERE id = $2", {a, b});
  });
  EXPECT_TRUE(found().empty());
}

TEST_F(Candidates, DismissedPairsStayAway) {
  auto a = add("Kornelis Nope", 2000, village);
  auto b = add("Kornelis Nope", 2000, village);
  auto c3 = add("Kornelis Nope", 2000, village);
  EXPECT_EQ(found().size(), 3u);  // a-b, a-c, b-c
  tdb.db().write([&](db::Connection& c) {
    c.exec("INSERT INTO participant_distinct_pairs(org_id, low_id, high_id, decided_at) VALUES ($1,$2,$3,0)",
           {org, a, b});
  });
  auto f = found();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(std::make_pair(f[0].low_id, f[0].high_id), std::make_pair(a, c3));
  EXPECT_EQ(std::make_pair(f[1].low_id, f[1].high_id), std::make_pair(b, c3));
}

TEST_F(Candidates, LargeGroupsPairWithTheirFirstOnly) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(add("Tanpa Nama", 1999, village));
  auto f = found();
  ASSERT_EQ(f.size(), 24u);  // not 300
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(f[i].low_id, ids[0]);
    EXPECT_EQ(f[i].high_id, ids[i + 1]);
  }
}

}  // namespace gotong::domain::participants
