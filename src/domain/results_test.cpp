// Tier templates, custom tier names and the mapping of an objective tree onto tiers.
#include "domain/results.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "base/error.hpp"

namespace gotong::domain::results {

namespace bj = boost::json;

TEST(ResultTemplates, DefaultAndDonorTemplates) {
  ASSERT_NE(find_template("default"), nullptr);
  EXPECT_EQ(tier_names(*find_template("default")),
            (std::vector<std::string>{"Goal", "Outcome", "Output", "Activity"}));
  EXPECT_EQ(tier_names(*find_template("usaid")),
            (std::vector<std::string>{"Goal", "Development Objective", "Intermediate Result",
                                      "Sub-Intermediate Result"}));
  EXPECT_EQ(tier_names(*find_template("eu")),
            (std::vector<std::string>{"Overall objective", "Specific objective", "Output", "Activity"}));
  EXPECT_EQ(find_template("un")->tiers.front(), "Impact");
  EXPECT_NE(find_template("dfat"), nullptr);
  EXPECT_EQ(find_template("custom"), nullptr);
  EXPECT_EQ(find_template("USAID"), nullptr);
  for (const auto& t : templates()) {
    EXPECT_GE(t.tiers.size(), static_cast<std::size_t>(kMinTiers)) << t.id;
    EXPECT_LE(t.tiers.size(), static_cast<std::size_t>(kMaxTiers)) << t.id;
    EXPECT_EQ(parse_tiers(bj::value_from(tier_names(t))), tier_names(t))
        << t.id;  // every template passes the rules
  }
}

std::string field_of(const bj::value& v) {
  try {
    parse_tiers(v);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    return e.details().empty() ? "" : e.details()[0].field;
  }
  return "accepted";
}

TEST(ResultTemplates, CustomTierRules) {
  EXPECT_EQ(parse_tiers(bj::parse(R"([" Tujuan ", "Hasil", "Keluaran"])")),
            (std::vector<std::string>{"Tujuan", "Hasil", "Keluaran"}));
  EXPECT_EQ(field_of(bj::parse(R"(["Goal"])")), "tiers");                       // too few
  EXPECT_EQ(field_of(bj::parse(R"(["a","b","c","d","e","f","g"])")), "tiers");  // too many
  EXPECT_EQ(field_of(bj::parse(R"(["Goal", "  "])")), "tiers[1]");
  EXPECT_EQ(field_of(bj::parse(R"(["Goal", 3])")), "tiers[1]");
  EXPECT_EQ(field_of(bj::parse(R"(["Output", "output"])")), "tiers[1]");  // same name, case aside
  EXPECT_EQ(field_of(bj::parse(R"("Goal")")), "tiers");
}

std::vector<SeedSource> tree() {
  // end ← purpose ← means ← means ← means, and a second first-level means.
  return {{1, std::nullopt, "end", "Healthier families"},
          {2, 1, "purpose", "Households have safe water"},
          {3, 2, "means", "Water sources protected"},
          {4, 3, "means", "Spring capped"},
          {5, 4, "means", "Cement bought"},
          {6, 2, "means", "Hygiene practised"}};
}

TEST(ResultSeed, MapsKindsOntoFourTiers) {
  auto plan = plan_seed(tree(), 4);
  ASSERT_EQ(plan.size(), 6u);
  std::map<std::int64_t, const PlannedNode*> by;
  for (const auto& n : plan) by[n.source_id] = &n;
  EXPECT_EQ(by[1]->tier, 0);
  EXPECT_FALSE(by[1]->parent);
  EXPECT_EQ(by[2]->tier, 1);
  EXPECT_EQ(plan[*by[2]->parent].source_id, 1);
  EXPECT_EQ(by[3]->tier, 2);
  EXPECT_EQ(by[6]->tier, 2);
  EXPECT_EQ(by[4]->tier, 3);
  EXPECT_EQ(plan[*by[4]->parent].source_id, 3);
  EXPECT_EQ(by[5]->tier, 3);  // deeper means flatten into the fourth tier, under their tier-2 ancestor
  EXPECT_EQ(plan[*by[5]->parent].source_id, 3);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (!plan[i].parent) continue;
    EXPECT_LT(*plan[i].parent, i) << "parents come first";
    EXPECT_EQ(plan[*plan[i].parent].tier + 1, plan[i].tier);
  }
}

TEST(ResultSeed, FewerTiersClampAtTheLast) {
  auto plan = plan_seed(tree(), 3);
  for (const auto& n : plan) {
    EXPECT_LE(n.tier, 2);
    if (n.parent) {
      EXPECT_EQ(plan[*n.parent].tier + 1, n.tier);
    }
  }
}

TEST(ResultSeed, EndsBelowThePurposeStillGoOnTop) {
  // Some objective trees hang the ends under the purpose.
  std::vector<SeedSource> t{{10, std::nullopt, "purpose", "P"}, {11, 10, "end", "E"}, {12, 10, "means", "M"}};
  auto plan = plan_seed(t, 4);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].source_id, 11);
  EXPECT_EQ(plan[1].source_id, 10);
  EXPECT_EQ(plan[*plan[1].parent].source_id, 11);
  EXPECT_EQ(plan[*plan[2].parent].source_id, 10);
}

TEST(ResultSeed, RefusesATreeWithoutAnEnd) {
  std::vector<SeedSource> t{{1, std::nullopt, "purpose", "P"}};
  EXPECT_THROW(plan_seed(t, 4), Error);
  std::vector<SeedSource> odd{{1, std::nullopt, "branch", "?"}};
  EXPECT_THROW(plan_seed(odd, 4), Error);
}

}  // namespace gotong::domain::results
