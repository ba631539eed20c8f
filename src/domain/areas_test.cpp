#include "domain/areas.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "domain/test_support.hpp"

namespace gotong::domain {

using testing::TestDatabase;

TEST(Areas, ImportBuildsTheTreeWithKindsAndFullNames) {
  TestDatabase t;
  auto s = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  t.db().read([&](db::Connection& c) {
    auto provinces = areas::children(c, s, std::nullopt);
    ASSERT_EQ(provinces.size(), 2u);
    EXPECT_EQ(provinces[0].name, "Jawa Barat");
    auto bosen = areas::find_by_code(c, "53.02.03.2003");
    ASSERT_TRUE(bosen);
    EXPECT_EQ(bosen->kind, "desa");
    EXPECT_EQ(bosen->level, 4);
    EXPECT_EQ(bosen->full_name, "Bosen, Mollo Utara, Kabupaten Timor Tengah Selatan, Nusa Tenggara Timur");
    EXPECT_EQ(areas::find_by_code(c, "53.71")->kind, "kota");
    EXPECT_EQ(areas::find_by_code(c, "53.71.01.1001")->kind, "kelurahan");
  });
}

TEST(Areas, SearchIgnoresCaseAccentsAndRanksWholeWords) {
  TestDatabase t;
  auto s = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  t.db().read([&](db::Connection& c) {
    auto r = areas::search(c, s, "BOSÉN");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].code, "53.02.03.2003");
    EXPECT_EQ(areas::search(c, s, "obes").size(), 0u);  // prefix of a word, not a substring
    EXPECT_EQ(areas::search(c, s, "o'besi").size(), 1u);
    EXPECT_EQ(areas::search(c, s, "sukamaju").size(), 2u);
    auto garut = areas::search(c, s, "sukamaju garut");
    ASSERT_EQ(garut.size(), 1u);
    EXPECT_EQ(garut[0].code, "32.05.23.2001");
    auto ci = areas::search(c, s, "cibatu");
    ASSERT_EQ(ci.size(), 2u);
    EXPECT_EQ(ci[0].level, 3);  // the district before the village of the same name
    EXPECT_THROW(areas::search(c, s, "  ''  "), Error);
    auto once = areas::search(c, s, "ci");  // "Cibatu" district and village: each listed once
    EXPECT_EQ(once.size(), 2u);
    EXPECT_EQ(areas::search(c, s, "oel").size(), 1u);  // two words of one name match: listed once
  });
}

TEST(Areas, SubAreasBelongToTheirOrganisationOnly) {
  TestDatabase t;
  auto alpha = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  auto beta = t.org_with_member("beta", Role::admin, "b@beta.id");
  auto village = t.db().read_value([](db::Connection& c) { return areas::find_by_code(c, "53.02.03.2003")->id; });
  auto dusun = t.db().write_value([&](db::Connection& c) { return areas::create(c, alpha, village, "Dusun I", "dusun"); });
  EXPECT_EQ(dusun.level, 5);
  EXPECT_EQ(dusun.full_name.rfind("Dusun I, Bosen, ", 0), 0u);
  auto rt = t.db().write_value([&](db::Connection& c) { return areas::create(c, alpha, dusun.id, "RT 01", "rt"); });
  t.db().read([&](db::Connection& c) {
    EXPECT_EQ(areas::children(c, alpha, village).size(), 1u);
    EXPECT_EQ(areas::children(c, beta, village).size(), 0u);
    EXPECT_THROW(areas::get(c, beta, dusun.id), Error);
    EXPECT_EQ(areas::search(c, alpha, "dusun").size(), 1u);
    EXPECT_EQ(areas::search(c, beta, "dusun").size(), 0u);
  });
  EXPECT_THROW(t.db().write([&](db::Connection& c) { areas::rename(c, beta, dusun.id, 1, "Stolen"); }), Error);
  auto renamed = t.db().write_value([&](db::Connection& c) { return areas::rename(c, alpha, dusun.id, 1, "Dusun Satu"); });
  EXPECT_EQ(renamed.version, 2);
  auto rt_after = t.db().read_value([&](db::Connection& c) { return areas::get(c, alpha, rt.id); });
  EXPECT_EQ(rt_after.full_name.rfind("RT 01, Dusun Satu, Bosen", 0), 0u);
  // A parent with children cannot go; its children first.
  EXPECT_THROW(t.db().write([&](db::Connection& c) { areas::remove(c, alpha, dusun.id); }), Error);
  t.db().write([&](db::Connection& c) { areas::remove(c, alpha, rt.id); });
  t.db().write([&](db::Connection& c) { areas::remove(c, alpha, dusun.id); });
  t.db().read([&](db::Connection& c) { EXPECT_THROW(areas::get(c, alpha, dusun.id), Error); });
}

TEST(Areas, SubAreasGetCodesBelowTheirParentThatAreNeverReused) {
  TestDatabase t;
  auto alpha = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  auto beta = t.org_with_member("beta", Role::admin, "b@beta.id");
  auto village = t.db().read_value([](db::Connection& c) { return areas::find_by_code(c, "53.02.03.2003")->id; });
  auto make = [&](const OrgScope& s, std::int64_t parent, const char* name, const char* kind) {
    return t.db().write_value([&](db::Connection& c) { return areas::create(c, s, parent, name, kind); });
  };
  auto one = make(alpha, village, "Dusun I", "dusun");
  auto two = make(alpha, village, "Dusun II", "dusun");
  EXPECT_EQ(one.code, "53.02.03.2003.01");
  EXPECT_EQ(two.code, "53.02.03.2003.02");
  EXPECT_EQ(make(alpha, one.id, "RT 01", "rt").code, "53.02.03.2003.01.01");
  // Another organisation numbers its own dusun independently.
  EXPECT_EQ(make(beta, village, "Dusun A", "dusun").code, "53.02.03.2003.01");
  t.db().write([&](db::Connection& c) { areas::remove(c, alpha, two.id); });
  EXPECT_EQ(make(alpha, village, "Dusun III", "dusun").code, "53.02.03.2003.03");
  // Official look-ups never find an organisation's sub-area.
  t.db().read([&](db::Connection& c) { EXPECT_FALSE(areas::find_by_code(c, "53.02.03.2003.01")); });
}

TEST(Areas, MigrationEightNumbersSubAreasMadeBeforeIt) {
  TestDatabase t;
  auto alpha = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  auto village = t.db().read_value([](db::Connection& c) { return areas::find_by_code(c, "53.02.03.2003")->id; });
  auto dusun = t.db().write_value([&](db::Connection& c) { return areas::create(c, alpha, village, "Dusun I", "dusun"); });
  auto rt = t.db().write_value([&](db::Connection& c) { return areas::create(c, alpha, dusun.id, "RT 01", "rt"); });
  // As they were before migration 6: no codes.
  t.db().write([](db::Connection& c) { c.exec("UPDATE areas SET code = NULL WHERE org_id IS NOT NULL"); });
  t.db().write([](db::Connection& c) { areas::sub_area_codes_migration().code(c); });
  t.db().read([&](db::Connection& c) {
    EXPECT_EQ(areas::get(c, alpha, dusun.id).code, "53.02.03.2003.01");
    EXPECT_EQ(areas::get(c, alpha, rt.id).code, "53.02.03.2003.01.01");
  });
}

TEST(Areas, SubAreasOnlyUnderVillagesAndNeverChangeOfficialRegions) {
  TestDatabase t;
  auto alpha = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  auto viewer = t.org_with_member("alpha", Role::viewer, "v@alpha.id");
  auto district = t.db().read_value([](db::Connection& c) { return areas::find_by_code(c, "53.02.03")->id; });
  auto village = t.db().read_value([](db::Connection& c) { return areas::find_by_code(c, "53.02.03.2003")->id; });
  auto code = [&](auto fn) {
    try {
      t.db().write(fn);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::internal;
  };
  EXPECT_EQ(code([&](db::Connection& c) { areas::create(c, alpha, district, "Dusun X", "dusun"); }), ErrorCode::validation);
  EXPECT_EQ(code([&](db::Connection& c) { areas::create(c, alpha, village, "Dusun X", "castle"); }), ErrorCode::validation);
  EXPECT_EQ(code([&](db::Connection& c) { areas::create(c, viewer, village, "Dusun X", "dusun"); }), ErrorCode::forbidden);
  EXPECT_EQ(code([&](db::Connection& c) { areas::rename(c, alpha, village, 1, "Renamed"); }), ErrorCode::forbidden);
  EXPECT_EQ(code([&](db::Connection& c) { areas::remove(c, alpha, village); }), ErrorCode::forbidden);
  t.db().write([&](db::Connection& c) { areas::create(c, alpha, village, "Dusun X", "dusun"); });
  EXPECT_EQ(code([&](db::Connection& c) { areas::create(c, alpha, village, "Dusun X", "dusun"); }), ErrorCode::conflict);
}

}  // namespace gotong::domain
