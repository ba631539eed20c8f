// The pure parts of problem prioritisation and the problem tree: weighted scoring with shared
// ranks, pairwise points with replaced votes and missing pairs, the tree's structure rules and
// its mapping to objective levels. Every expected number is worked out by hand in the comments.
#include "domain/prioritisation.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "domain/problem_tree.hpp"

namespace gotong::domain {

namespace {
using prioritisation::Winner;
}  // namespace

TEST(Scoring, WeightedMeansNormalisedTo100WithSharedRanks) {
  // Weights 2, 1, 1: Σ = 4, so a criterion contributes 100 × weight × mean / (5 × 4).
  std::vector<prioritisation::Criterion> criteria{
      {1, "Severity", 2}, {2, "Urgency", 1}, {3, "Feasibility", 1}};
  std::vector<prioritisation::Score> scores{
      // Problem 10: x gives 5, 3, 4 and y gives 3, 5, 4 → means 4, 4, 4 → 40 + 20 + 20 = 80.
      {"x", 10, 1, 5},
      {"x", 10, 2, 3},
      {"x", 10, 3, 4},
      {"y", 10, 1, 3},
      {"y", 10, 2, 5},
      {"y", 10, 3, 4},
      // Problem 20: x alone gives 4, 4, 4 → also 80: a tie.
      {"x", 20, 1, 4},
      {"x", 20, 2, 4},
      {"x", 20, 3, 4},
      // Problem 30: only severity, 5 → 100 × 2 × 5 / 20 = 50; incomplete.
      {"y", 30, 1, 5},
      // Ignored: a problem and a criterion that are not in the session.
      {"x", 99, 1, 5},
      {"x", 10, 99, 1}};
  auto r = prioritisation::rank_scores({30, 20, 10}, criteria, scores);
  ASSERT_EQ(r.size(), 3u);
  // The tie keeps the session's order (20 before 10); both are first, the next is third.
  EXPECT_EQ(r[0].problem_id, 20);
  EXPECT_EQ(r[1].problem_id, 10);
  EXPECT_EQ(r[2].problem_id, 30);
  EXPECT_EQ(r[0].rank, 1);
  EXPECT_EQ(r[1].rank, 1);
  EXPECT_EQ(r[2].rank, 3);
  EXPECT_DOUBLE_EQ(r[1].total, 80);
  EXPECT_EQ(r[1].participants, 2);
  EXPECT_TRUE(r[1].complete);
  ASSERT_EQ(r[1].criteria.size(), 3u);
  EXPECT_DOUBLE_EQ(*r[1].criteria[0].mean, 4);
  EXPECT_EQ(r[1].criteria[0].scores, 2);
  EXPECT_DOUBLE_EQ(r[1].criteria[0].contribution, 40);
  EXPECT_DOUBLE_EQ(r[1].criteria[1].contribution, 20);
  EXPECT_DOUBLE_EQ(r[2].total, 50);
  EXPECT_EQ(r[2].participants, 1);
  EXPECT_FALSE(r[2].complete);
  EXPECT_FALSE(r[2].criteria[1].mean.has_value());
  EXPECT_DOUBLE_EQ(r[2].criteria[1].contribution, 0);
}

TEST(Scoring, TiesSurviveRoundingOfDifferentSums) {
  // Weights 0.1, 0.2, 0.7 (Σ 1), so total = 100 × Σ weight × score / 5. Problem 1 scores 3, 3, 3
  // → 60; problem 2 scores 1, 2, 4 → 0.1 + 0.4 + 2.8 = 3.3 → 66; problem 3 scores 2, 5, 3 →
  // 0.2 + 1.0 + 2.1 = 3.3 → 66 as well, although the two sums differ in a double's last bits.
  std::vector<prioritisation::Criterion> criteria{{1, "a", 0.1}, {2, "b", 0.2}, {3, "c", 0.7}};
  std::vector<prioritisation::Score> scores{{"p", 1, 1, 3}, {"p", 1, 2, 3}, {"p", 1, 3, 3},
                                            {"p", 2, 1, 1}, {"p", 2, 2, 2}, {"p", 2, 3, 4},
                                            {"p", 3, 1, 2}, {"p", 3, 2, 5}, {"p", 3, 3, 3}};
  auto r = prioritisation::rank_scores({1, 2, 3}, criteria, scores);
  EXPECT_EQ(r[0].problem_id, 2);
  EXPECT_EQ(r[1].problem_id, 3);
  EXPECT_EQ(r[0].rank, 1);
  EXPECT_EQ(r[1].rank, 1);
  EXPECT_NEAR(r[0].total, 66, 1e-9);
  EXPECT_NEAR(r[1].total, 66, 1e-9);
  EXPECT_EQ(r[2].rank, 3);
  EXPECT_NEAR(r[2].total, 60, 1e-9);
}

TEST(Scoring, NoScoresAtAllIsAllTied) {
  auto r = prioritisation::rank_scores({5, 6}, {{1, "a", 1}}, {});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].rank, 1);
  EXPECT_EQ(r[1].rank, 1);
  EXPECT_EQ(r[0].participants, 0);
  EXPECT_DOUBLE_EQ(r[0].total, 0);
}

TEST(Pairwise, PointsReplacedVotesAndMissingPairs) {
  std::vector<prioritisation::Vote> votes{
      // x: 10 beats 20, 20 and 30 tie, 30 beats 10 (given as 30 vs 10, winner a).
      {"x", 10, 20, Winner::a},
      {"x", 20, 30, Winner::tie},
      {"x", 30, 10, Winner::a},
      // y: first 20 beats 10, then the same pair the other way round: 10 wins (replaces).
      {"y", 10, 20, Winner::b},
      {"y", 20, 10, Winner::b},
  };
  auto r = prioritisation::rank_pairwise({10, 20, 30}, votes);
  EXPECT_EQ(r.pairs_per_participant, 3);
  // 10: beats 20 twice, loses to 30 → 2 points; 30: ties 20, beats 10 → 1.5; 20: 0.5.
  ASSERT_EQ(r.items.size(), 3u);
  EXPECT_EQ(r.items[0].problem_id, 10);
  EXPECT_DOUBLE_EQ(r.items[0].points, 2);
  EXPECT_EQ(r.items[0].wins, 2);
  EXPECT_EQ(r.items[0].losses, 1);
  EXPECT_EQ(r.items[0].ties, 0);
  EXPECT_EQ(r.items[1].problem_id, 30);
  EXPECT_DOUBLE_EQ(r.items[1].points, 1.5);
  EXPECT_EQ(r.items[2].problem_id, 20);
  EXPECT_DOUBLE_EQ(r.items[2].points, 0.5);
  EXPECT_EQ(r.items[2].ties, 1);
  EXPECT_EQ(r.items[2].losses, 2);
  EXPECT_EQ(r.items[0].rank, 1);
  EXPECT_EQ(r.items[1].rank, 2);
  EXPECT_EQ(r.items[2].rank, 3);
  // x voted on all three pairs; y on one and misses (10, 30) and (20, 30).
  ASSERT_EQ(r.participants.size(), 2u);
  EXPECT_EQ(r.participants[0].participant, "x");
  EXPECT_EQ(r.participants[0].votes, 3);
  EXPECT_TRUE(r.participants[0].missing.empty());
  EXPECT_EQ(r.participants[1].votes, 1);
  std::vector<std::pair<std::int64_t, std::int64_t>> missing{{10, 30}, {20, 30}};
  EXPECT_EQ(r.participants[1].missing, missing);
  EXPECT_FALSE(r.complete);
}

TEST(Pairwise, AllTiesShareTheFirstRank) {
  auto r = prioritisation::rank_pairwise(
      {1, 2, 3}, {{"x", 1, 2, Winner::tie}, {"x", 1, 3, Winner::tie}, {"x", 2, 3, Winner::tie}});
  for (const auto& it : r.items) {
    EXPECT_EQ(it.rank, 1);
    EXPECT_DOUBLE_EQ(it.points, 1);
    EXPECT_EQ(it.ties, 2);
  }
  EXPECT_TRUE(r.complete);
  // Nobody voted yet: not complete, nothing missing to list.
  auto none = prioritisation::rank_pairwise({1, 2}, {});
  EXPECT_FALSE(none.complete);
  EXPECT_EQ(none.pairs_per_participant, 1);
  EXPECT_TRUE(none.participants.empty());
}

namespace {
problem_tree::NodeInput node(std::string ref, std::optional<std::string> parent, std::string kind,
                             std::string text = "t") {
  return {std::move(ref), std::move(parent), std::move(kind), std::move(text), std::nullopt};
}

std::string field_of(const std::vector<problem_tree::NodeInput>& nodes) {
  try {
    problem_tree::check_structure(nodes);
  } catch (const Error& e) {
    return e.details().empty() ? "(none)" : e.details().front().field;
  }
  return "";
}
}  // namespace

TEST(ProblemTree, StructureRules) {
  // core ← cause c1 ← cause c2; core → effect e1 → effect e2.
  std::vector<problem_tree::NodeInput> ok{node("c2", "c1", "cause"), node("e2", "e1", "effect"),
                                          node("core", std::nullopt, "core"), node("c1", "core", "cause"),
                                          node("e1", "core", "effect")};
  auto order = problem_tree::check_structure(ok);
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0], 2u);  // the core first, then depth 1 (c1, e1), then depth 2 (c2, e2)
  EXPECT_EQ(order[1], 3u);
  EXPECT_EQ(order[2], 4u);
  EXPECT_EQ(order[3], 0u);
  EXPECT_EQ(order[4], 1u);
  EXPECT_TRUE(problem_tree::check_structure({}).empty());

  EXPECT_EQ(field_of({node("a", std::nullopt, "core"), node("b", std::nullopt, "core")}), "nodes[1].kind");
  EXPECT_EQ(field_of({node("a", "x", "core")}), "nodes[0].parent_id");
  EXPECT_EQ(field_of({node("a", std::nullopt, "core"), node("b", std::nullopt, "cause")}),
            "nodes[1].parent_id");
  EXPECT_EQ(field_of({node("a", std::nullopt, "core"), node("b", "zz", "cause")}), "nodes[1].parent_id");
  EXPECT_EQ(field_of({node("a", std::nullopt, "core"), node("e", "a", "effect"), node("c", "e", "cause")}),
            "nodes[2].parent_id");
  EXPECT_EQ(field_of({node("a", std::nullopt, "core"), node("c", "a", "cause"), node("e", "c", "effect")}),
            "nodes[2].parent_id");
  EXPECT_EQ(field_of({node("c", "core", "cause")}), "nodes[0].parent_id");  // names no node
  EXPECT_EQ(field_of({node("c", std::nullopt, "cause")}), "nodes[0].parent_id");
  EXPECT_EQ(field_of({node("e", "e2", "effect"), node("e2", "e", "effect")}), "nodes");  // no core at all
}

TEST(ProblemTree, CyclesAreRefused) {
  // b → c → d → b, beside a proper core and cause.
  std::vector<problem_tree::NodeInput> nodes{node("core", std::nullopt, "core"), node("a", "core", "cause"),
                                             node("b", "d", "cause", "B"), node("c", "b", "cause", "C"),
                                             node("d", "c", "cause", "D")};
  try {
    problem_tree::check_structure(nodes);
    FAIL() << "a cycle was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    ASSERT_FALSE(e.details().empty());
    EXPECT_EQ(e.details().front().field, "nodes[2].parent_id");
    EXPECT_NE(e.details().front().message.find("cycle"), std::string::npos) << e.details().front().message;
  }
  // A node that is its own parent.
  EXPECT_EQ(field_of({node("core", std::nullopt, "core"), node("s", "s", "cause")}), "nodes[1].parent_id");
}

TEST(ProblemTree, ObjectiveLevels) {
  // Parents first, as the store gives them.
  std::vector<problem_tree::Node> nodes{{1, std::nullopt, "core", "Air tidak bersih", "", 0},
                                        {2, 1, "cause", "Pipa rusak", "Pipa berfungsi", 0},
                                        {3, 1, "effect", "Diare", "", 1},
                                        {4, 2, "cause", "Tidak ada iuran", "", 0},
                                        {5, 4, "cause", "Warga enggan", "", 0},
                                        {6, 3, "effect", "Anak absen sekolah", "", 0}};
  auto o = problem_tree::to_objectives(nodes);
  ASSERT_EQ(o.size(), 6u);
  EXPECT_EQ(o[0].kind, "purpose");
  EXPECT_EQ(o[0].level, "purpose");
  EXPECT_EQ(o[0].depth, 0);
  EXPECT_EQ(o[1].kind, "means");
  EXPECT_EQ(o[1].level, "outcome");
  EXPECT_EQ(o[1].statement, "Pipa berfungsi");  // the objective text once written
  EXPECT_EQ(o[2].kind, "end");
  EXPECT_EQ(o[2].level, "impact");
  EXPECT_EQ(o[2].statement, "Diare");  // the problem text while none is written
  EXPECT_EQ(o[2].objective_text, "");
  EXPECT_EQ(o[3].level, "output");
  EXPECT_EQ(o[3].depth, 2);
  EXPECT_EQ(o[4].level, "output");
  EXPECT_EQ(o[4].depth, 3);
  EXPECT_EQ(o[5].kind, "end");
  EXPECT_EQ(o[5].depth, 2);
}

}  // namespace gotong::domain
