#include "analytics/idm.hpp"

#include <gtest/gtest.h>

#include "base/resources.hpp"

namespace gotong::analytics::idm {
namespace {

std::vector<Score> scores(Group g, std::initializer_list<int> values) {
  std::vector<Score> out;
  for (int v : values) out.push_back({g, v});
  return out;
}

TEST(IdmStatus, ThresholdsAreInclusiveUpperBounds) {
  EXPECT_EQ(status_of(0.0), Status::sangat_tertinggal);
  EXPECT_EQ(status_of(0.4907), Status::sangat_tertinggal);
  EXPECT_EQ(status_of(0.4908), Status::tertinggal);
  EXPECT_EQ(status_of(0.5989), Status::tertinggal);
  EXPECT_EQ(status_of(0.5990), Status::berkembang);
  EXPECT_EQ(status_of(0.7072), Status::berkembang);
  EXPECT_EQ(status_of(0.7073), Status::maju);
  EXPECT_EQ(status_of(0.8155), Status::maju);
  EXPECT_EQ(status_of(0.8156), Status::mandiri);
  EXPECT_EQ(status_of(1.0), Status::mandiri);
}

TEST(IdmStatus, ComparesThePublishedFourDecimals) {
  // 0.49074 is published as 0.4907: Sangat Tertinggal, not Tertinggal.
  EXPECT_EQ(status_of(0.49074), Status::sangat_tertinggal);
  EXPECT_EQ(status_of(0.49075), Status::tertinggal);
  EXPECT_EQ(status_of(0.81554999), Status::maju);
  EXPECT_EQ(status_of(0.81555), Status::mandiri);
}

TEST(IdmCompute, GroupIndicesAndMean) {
  auto s = scores(Group::iks, {5, 4, 3, 2});                 // 14 / 20 = 0.7
  for (auto x : scores(Group::ike, {1, 2})) s.push_back(x);  // 3 / 10 = 0.3
  for (auto x : scores(Group::ikl, {5})) s.push_back(x);     // 5 / 5 = 1
  Result r = compute(s);
  EXPECT_EQ(r.of(Group::iks).scored, 4);
  EXPECT_EQ(r.of(Group::iks).sum, 14);
  EXPECT_DOUBLE_EQ(*r.of(Group::iks).index, 0.7);
  EXPECT_DOUBLE_EQ(*r.of(Group::ike).index, 0.3);
  EXPECT_DOUBLE_EQ(*r.of(Group::ikl).index, 1.0);
  EXPECT_NEAR(*r.idm, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(*r.status, Status::berkembang);  // 0.6667
}

TEST(IdmCompute, StatusAtEachBoundFromScores) {
  // IKS = IKE = IKL = x gives IDM = x: 0.4 (Sangat Tertinggal), 0.6 (Berkembang: above 0.5989),
  // 0.8 (Maju), 1.0 (Mandiri). With 5 items per group, sums 10, 15, 20, 25.
  struct Case {
    int per_item_sum;
    Status want;
  } cases[] = {
      {10, Status::sangat_tertinggal}, {15, Status::berkembang}, {20, Status::maju}, {25, Status::mandiri}};
  for (const auto& c : cases) {
    std::vector<Score> s;
    for (Group g : kGroups) {
      int left = c.per_item_sum;
      for (int i = 0; i < 5; ++i) {
        (void)i;
        const int v = std::min(5, left);
        s.push_back({g, v});
        left -= v;
      }
    }
    Result r = compute(s);
    EXPECT_EQ(*r.status, c.want) << c.per_item_sum;
  }
  // Exactly 0.5989 cannot come from scores; 0.59 (Tertinggal) can: 59 / 100 in one group of 20 items.
  std::vector<Score> s;
  for (Group g : kGroups) {
    int left = 59;
    for (int i = 0; i < 20; ++i) {
      int v = std::min(5, left);
      s.push_back({g, v});
      left -= v;
    }
  }
  Result r = compute(s);
  EXPECT_DOUBLE_EQ(*r.idm, 0.59);
  EXPECT_EQ(*r.status, Status::tertinggal);
}

TEST(IdmCompute, NoIdmWithoutEveryGroup) {
  Result r = compute(scores(Group::iks, {3, 3}));
  EXPECT_DOUBLE_EQ(*r.of(Group::iks).index, 0.6);
  EXPECT_FALSE(r.of(Group::ike).index);
  EXPECT_FALSE(r.idm);
  EXPECT_FALSE(r.status);
  EXPECT_FALSE(compute({}).idm);
}

TEST(IdmCompute, RefusesScoresOutsideZeroToFive) {
  EXPECT_THROW(compute(scores(Group::iks, {6})), std::invalid_argument);
  EXPECT_THROW(compute(scores(Group::ikl, {-1})), std::invalid_argument);
  EXPECT_NO_THROW(compute(scores(Group::ike, {0, 5})));
}

TEST(IdmDefinitions, TheBuiltInListIsComplete) {
  auto csv = resource("data/idm/indicators.csv");
  ASSERT_TRUE(csv);
  auto defs = parse_definitions(*csv);
  int per_group[3] = {0, 0, 0};
  for (std::size_t i = 0; i < defs.size(); ++i) {
    ++per_group[static_cast<int>(defs[i].group)];
    EXPECT_EQ(defs[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(defs[i].name_id.empty());
    EXPECT_FALSE(defs[i].name_en.empty());
  }
  EXPECT_EQ(per_group[0], 38);
  EXPECT_EQ(per_group[1], 12);
  EXPECT_EQ(per_group[2], 4);
  EXPECT_EQ(defs.front().code, "IKS.01");
  EXPECT_EQ(defs.back().code, "IKL.04");
}

TEST(IdmDefinitions, RefusesBrokenFiles) {
  const std::string head = "code,number,group,dimension_id,dimension_en,name_id,name_en\n";
  EXPECT_THROW(parse_definitions("a,b\n"), DefinitionError);
  EXPECT_THROW(parse_definitions(head + "IKS.01,1,XYZ,a,b,c,d\n"), DefinitionError);
  EXPECT_THROW(parse_definitions(head + "IKE.01,1,IKS,a,b,c,d\n"), DefinitionError);
  EXPECT_THROW(parse_definitions(head + "IKS.01,1,IKS,a,b,c,d\nIKS.01,2,IKS,a,b,c,d\n"), DefinitionError);
  EXPECT_EQ(parse_definitions(head + "IKS.01,1,IKS,a,b,\"c, \"\"d\"\"\",e\n")[0].name_id, "c, \"d\"");
}

}  // namespace
}  // namespace gotong::analytics::idm
