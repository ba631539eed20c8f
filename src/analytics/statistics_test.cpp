// The statistics library's behaviour beyond the reference values: every degenerate sample gives
// its shortfall (never NaN), bad arguments are invalid_input, and the documented invariants hold.
#include "analytics/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace gotong::analytics::stats {
namespace {

template <class T>
Shortfall why(const Result<T>& r) {
  EXPECT_FALSE(r.ok());
  return r.ok() ? Shortfall::invalid_input : r.shortfall();
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Statistics, ShortfallKeysAndTextsAreDistinct) {
  const Shortfall all[] = {Shortfall::no_observations,  Shortfall::too_few_observations,
                           Shortfall::zero_variance,    Shortfall::empty_group,
                           Shortfall::all_same_outcome, Shortfall::too_few_clusters,
                           Shortfall::collinear,        Shortfall::invalid_input};
  for (const auto a : all)
    for (const auto b : all) {
      if (a == b) continue;
      EXPECT_NE(shortfall_key(a), shortfall_key(b));
      EXPECT_NE(shortfall_text(a, "id"), shortfall_text(b, "id"));
      EXPECT_NE(shortfall_text(a, "en"), shortfall_text(b, "en"));
    }
  EXPECT_EQ(shortfall_key(Shortfall::zero_variance), "statistics.zero_variance");
  EXPECT_NE(shortfall_text(Shortfall::empty_group, "id"), shortfall_text(Shortfall::empty_group, "en"));
}

TEST(Statistics, SummaryAndMeanOfTinySamples) {
  EXPECT_EQ(why(summarize({})), Shortfall::no_observations);
  const std::vector<double> one{7};
  const auto s = summarize(one);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->n, 1u);
  EXPECT_EQ(s->mean, 7);
  EXPECT_FALSE(s->sd);
  EXPECT_EQ(why(mean({})), Shortfall::no_observations);
  EXPECT_EQ(why(mean(one)), Shortfall::too_few_observations);
  const std::vector<double> same{0.1, 0.1, 0.1, 0.1};
  EXPECT_EQ(why(mean(same)), Shortfall::zero_variance);
  EXPECT_EQ(*summarize(same)->sd, 0);  // exactly, not 1e-17 from rounding
  const std::vector<double> bad{1, kNaN, 3};
  EXPECT_EQ(why(mean(bad)), Shortfall::invalid_input);
  EXPECT_EQ(why(summarize(bad)), Shortfall::invalid_input);
  const std::vector<double> ok{1, 2, 3};
  EXPECT_EQ(why(mean(ok, 1.0)), Shortfall::invalid_input);
  EXPECT_EQ(why(mean(ok, 0.0)), Shortfall::invalid_input);
  EXPECT_EQ(why(mean(ok, kNaN)), Shortfall::invalid_input);
}

TEST(Statistics, ProportionEdges) {
  EXPECT_EQ(why(proportion(0, 0)), Shortfall::no_observations);
  EXPECT_EQ(why(proportion(5, 4)), Shortfall::invalid_input);
  // Wald collapses to a point at 0 % and 100 %; Wilson and Clopper–Pearson stay honest.
  EXPECT_EQ(why(proportion(0, 30, 0.95, ProportionInterval::wald)), Shortfall::all_same_outcome);
  EXPECT_EQ(why(proportion(30, 30, 0.95, ProportionInterval::wald)), Shortfall::all_same_outcome);
  const auto w = proportion(30, 30);
  ASSERT_TRUE(w);
  EXPECT_LT(w->ci.lower, 1);
  EXPECT_EQ(w->ci.upper, 1);
  // A single respondent still gets a (wide) interval.
  const auto single = proportion(1, 1, 0.95, ProportionInterval::clopper_pearson);
  ASSERT_TRUE(single);
  EXPECT_NEAR(single->ci.lower, 0.025, 1e-12);  // 1 − (1 − α/2) for n = 1
}

TEST(Statistics, WeightedEstimatesRejectBadInputAndThinData) {
  const std::vector<double> y{1, 2, 3, 4};
  const std::vector<double> w{1, 1, 1, 1};
  const std::vector<double> short_w{1, 1, 1};
  const std::vector<double> negative{1, -1, 1, 1};
  const std::vector<double> zeros{0, 0, 0, 0};
  const std::vector<std::int64_t> one_village{5, 5, 5, 5};
  const std::vector<std::int64_t> short_clusters{1, 2};
  EXPECT_EQ(why(weighted_mean(y, short_w)), Shortfall::invalid_input);
  EXPECT_EQ(why(weighted_mean(y, negative)), Shortfall::invalid_input);
  EXPECT_EQ(why(weighted_mean(y, w, short_clusters)), Shortfall::invalid_input);
  EXPECT_EQ(why(weighted_mean(y, zeros)), Shortfall::no_observations);
  EXPECT_EQ(why(weighted_mean(y, w, one_village)), Shortfall::too_few_clusters);
  const std::vector<double> one_weight{0, 0, 3, 0};
  EXPECT_EQ(why(weighted_mean(y, one_weight)), Shortfall::too_few_observations);
  const std::vector<double> flat{2.2, 2.2, 2.2, 2.2};
  EXPECT_EQ(why(weighted_mean(flat, w)), Shortfall::zero_variance);
  const bool yes[] = {true, true, true, true};
  EXPECT_EQ(why(weighted_proportion(yes, w, one_village)), Shortfall::too_few_clusters);
  EXPECT_EQ(why(weighted_proportion(yes, zeros)), Shortfall::no_observations);
  const auto all = weighted_proportion(yes, w);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->estimate, 1);
  EXPECT_EQ(all->ci.upper, 1);
  EXPECT_LT(all->ci.lower, 1);
  const std::vector<double> not_binary{1, 0, 2, 1};
  EXPECT_EQ(why(weighted_proportion(not_binary, w)), Shortfall::invalid_input);
  // The bool and the 0/1 forms agree.
  const bool mixed[] = {true, false, false, true};
  const std::vector<double> mixed01{1, 0, 0, 1};
  EXPECT_EQ(weighted_proportion(mixed, w)->std_error, weighted_proportion(mixed01, w)->std_error);
}

TEST(Statistics, WeightedMeanWithEqualWeightsIsTheOrdinaryMean) {
  // With equal weights and no clusters the linearised SE is the usual s/√n and df = n − 1.
  const std::vector<double> y{3.1, 4.7, 2.2, 5.9, 4.4, 3.8};
  const std::vector<double> w(y.size(), 2.5);
  const auto weighted = weighted_mean(y, w);
  const auto plain = mean(y);
  ASSERT_TRUE(weighted);
  ASSERT_TRUE(plain);
  EXPECT_NEAR(weighted->estimate, plain->estimate, 1e-12);
  EXPECT_NEAR(weighted->std_error, plain->std_error, 1e-12);
  EXPECT_NEAR(weighted->ci.lower, plain->ci.lower, 1e-12);
  EXPECT_NEAR(weighted->effective_n, 6, 1e-12);
}

TEST(Statistics, ZeroWeightsAreDropped) {
  const std::vector<double> y{3.1, 4.7, 2.2, 5.9, 100};
  const std::vector<double> w{1, 2, 1, 3, 0};
  const std::vector<std::int64_t> c{1, 1, 2, 2, 3};
  const auto with = weighted_mean(y, w, c);
  const auto without = weighted_mean(std::span(y).first(4), std::span(w).first(4), std::span(c).first(4));
  ASSERT_TRUE(with);
  ASSERT_TRUE(without);
  EXPECT_EQ(with->estimate, without->estimate);
  EXPECT_EQ(with->std_error, without->std_error);
  EXPECT_EQ(with->n, 4u);
  EXPECT_EQ(*with->df, 1);  // the third village had only the zero-weight household
}

TEST(Statistics, TTestsOnDegenerateSamples) {
  const std::vector<double> empty;
  const std::vector<double> one{4};
  const std::vector<double> two{4, 6};
  const std::vector<double> flat{5, 5, 5};
  const std::vector<double> flat2{7, 7};
  EXPECT_EQ(why(welch_t_test(empty, two)), Shortfall::empty_group);
  EXPECT_EQ(why(welch_t_test(two, empty)), Shortfall::empty_group);
  EXPECT_EQ(why(welch_t_test(one, two)), Shortfall::too_few_observations);
  EXPECT_EQ(why(welch_t_test(flat, flat2)), Shortfall::zero_variance);
  // One group constant is fine: Welch uses the other's variance.
  const auto half = welch_t_test(flat, two);
  ASSERT_TRUE(half);
  EXPECT_TRUE(std::isfinite(half->p_value));
  EXPECT_EQ(why(paired_t_test(two, flat)), Shortfall::invalid_input);  // sizes differ
  EXPECT_EQ(why(paired_t_test(empty, empty)), Shortfall::no_observations);
  EXPECT_EQ(why(paired_t_test(one, one)), Shortfall::too_few_observations);
  // Every household gained exactly 1: no variation in the change.
  const std::vector<double> before{1, 2, 3}, after{2, 3, 4};
  EXPECT_EQ(why(paired_t_test(after, before)), Shortfall::zero_variance);
  // Decimal data whose differences are equal on paper but not in binary floating point.
  const std::vector<double> b2{3.2, 2.8, 4.1, 0.7}, a2{4.2, 3.8, 5.1, 1.7};
  EXPECT_EQ(why(paired_t_test(a2, b2)), Shortfall::zero_variance);
  const std::vector<double> nan{1, kNaN};
  EXPECT_EQ(why(welch_t_test(nan, two)), Shortfall::invalid_input);
}

TEST(Statistics, HugeValuesNeverGiveNaN) {
  // Sums of squares of 1e300 overflow; the answer is a shortfall, not NaN.
  const std::vector<double> a{1e300, -1e300, 5e299}, b{-1e300, 1e300, 0};
  EXPECT_EQ(why(welch_t_test(a, b)), Shortfall::invalid_input);
  EXPECT_EQ(why(paired_t_test(a, b)), Shortfall::invalid_input);
  EXPECT_EQ(why(mean(a)), Shortfall::invalid_input);
  const std::vector<double> w{1, 1, 1};
  EXPECT_EQ(why(weighted_mean(a, w)), Shortfall::invalid_input);
  EXPECT_EQ(why(chi_square_independence({{1e308, 1e308}, {1e308, 1}})), Shortfall::invalid_input);
}

TEST(Statistics, PairedWithTwoPairsHasNoHedgesCorrection) {
  // J(1) = 0: with one degree of freedom the unbiased standardised difference is 0.
  const std::vector<double> a{2, 5}, b{1, 1};
  const auto r = paired_t_test(a, b);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->df, 1);
  EXPECT_EQ(r->hedges_g, 0);
  EXPECT_TRUE(std::isfinite(r->cohens_d));
}

TEST(Statistics, TwoProportionsDegenerate) {
  EXPECT_EQ(why(two_proportion_test(0, 0, 3, 10)), Shortfall::empty_group);
  EXPECT_EQ(why(two_proportion_test(3, 10, 0, 0)), Shortfall::empty_group);
  EXPECT_EQ(why(two_proportion_test(11, 10, 3, 10)), Shortfall::invalid_input);
  EXPECT_EQ(why(two_proportion_test(0, 10, 0, 12)), Shortfall::all_same_outcome);
  EXPECT_EQ(why(two_proportion_test(10, 10, 12, 12)), Shortfall::all_same_outcome);
  // 0 % against 100 % is a real (and extreme) difference.
  const auto r = two_proportion_test(0, 10, 12, 12);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->risk_difference, -1);
  EXPECT_LT(r->p_value, 1e-4);
  EXPECT_GE(r->ci.lower, -1);
}

TEST(Statistics, ChiSquareDropsEmptyCategoriesAndRefusesSingleOnes) {
  const std::vector<std::vector<double>> m{{20, 15, 10}, {12, 18, 25}};
  const std::vector<std::vector<double>> padded{{20, 0, 15, 10}, {0, 0, 0, 0}, {12, 0, 18, 25}};
  const auto a = chi_square_independence(m), b = chi_square_independence(padded);
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->statistic, b->statistic);
  EXPECT_EQ(b->rows, 2u);
  EXPECT_EQ(b->columns, 3u);
  EXPECT_EQ(why(chi_square_independence({})), Shortfall::no_observations);
  EXPECT_EQ(why(chi_square_independence({{0, 0}, {0, 0}})), Shortfall::no_observations);
  EXPECT_EQ(why(chi_square_independence({{5, 0}, {7, 0}})), Shortfall::all_same_outcome);
  EXPECT_EQ(why(chi_square_independence({{5, 3}})), Shortfall::all_same_outcome);
  EXPECT_EQ(why(chi_square_independence({{5, 3}, {1}})), Shortfall::invalid_input);
  EXPECT_EQ(why(chi_square_independence({{5, -3}, {1, 2}})), Shortfall::invalid_input);
  // Yates only touches 2 × 2 tables.
  const auto larger = chi_square_independence(m, true);
  EXPECT_FALSE(larger->yates_applied);
  EXPECT_EQ(larger->statistic, a->statistic);
}

TEST(Statistics, EstimateDifference) {
  Estimate after, before;
  after.estimate = 0.62;
  after.std_error = 0.05;
  before.estimate = 0.48;
  before.std_error = 0.04;
  const auto d = estimate_difference(after, before);
  ASSERT_TRUE(d);
  EXPECT_NEAR(d->difference, 0.14, 1e-12);
  EXPECT_NEAR(d->std_error, std::sqrt(0.0041), 1e-12);
  // R 4.2.2: 2 * pnorm(-0.14 / sqrt(0.0041))
  EXPECT_NEAR(d->p_value, 0.028783965875738376, 0.028783965875738376 * 1e-6);
  after.std_error = 0;
  before.std_error = 0;
  EXPECT_EQ(why(estimate_difference(after, before)), Shortfall::zero_variance);
}

std::vector<DidObservation> cells(double spread) {
  // Two villages per arm, two households per cell.
  std::vector<DidObservation> out;
  for (int v = 1; v <= 4; ++v)
    for (int post = 0; post <= 1; ++post)
      for (int h = 0; h < 2; ++h)
        out.push_back({10.0 + (v <= 2 && post ? 3 : 0) + spread * ((h + v + 2 * post * h) % 3), v <= 2,
                       post == 1, v, 1});
  return out;
}

TEST(Statistics, DifferenceInDifferencesDegenerate) {
  EXPECT_EQ(why(difference_in_differences({})), Shortfall::no_observations);
  auto data = cells(0.5);
  const auto fine = difference_in_differences(data);
  ASSERT_TRUE(fine) << shortfall_key(fine.shortfall());
  // No control group at endline.
  std::vector<DidObservation> missing;
  for (const auto& o : data)
    if (o.treated || !o.post) missing.push_back(o);
  EXPECT_EQ(why(difference_in_differences(missing)), Shortfall::empty_group);
  // Everything in one village.
  auto one = data;
  for (auto& o : one) o.cluster = 1;
  EXPECT_EQ(why(difference_in_differences(one)), Shortfall::too_few_clusters);
  // Each cell constant: nothing left to estimate an error from.
  EXPECT_EQ(why(difference_in_differences(cells(0))), Shortfall::zero_variance);
  // Every household's deviation the same before and after: the change is known exactly and the
  // standard error is 0 up to rounding, which must not turn into a huge t.
  std::vector<DidObservation> mirrored;
  for (int v = 1; v <= 4; ++v)
    for (int post = 0; post <= 1; ++post)
      for (int h = 0; h < 2; ++h)
        mirrored.push_back({0.1 * (h + v % 2) + (v <= 2 && post ? 0.3 : 0), v <= 2, post == 1, v, 1});
  EXPECT_EQ(why(difference_in_differences(mirrored)), Shortfall::zero_variance);
  // Four observations, one per cell: no residual degrees of freedom.
  std::vector<DidObservation> four{
      {1, false, false, 1, 1}, {2, false, true, 2, 1}, {3, true, false, 3, 1}, {5, true, true, 4, 1}};
  EXPECT_EQ(why(difference_in_differences(four)), Shortfall::too_few_observations);
  auto bad = data;
  bad[3].weight = 0;
  EXPECT_EQ(why(difference_in_differences(bad)), Shortfall::invalid_input);
  bad = data;
  bad[0].y = kNaN;
  EXPECT_EQ(why(difference_in_differences(bad)), Shortfall::invalid_input);
}

TEST(Statistics, IccDegenerate) {
  const std::vector<double> y{1, 2, 3, 4};
  const std::vector<std::int64_t> one{1, 1, 1, 1}, singles{1, 2, 3, 4}, pairs{1, 1, 2, 2}, short_ids{1, 2};
  EXPECT_EQ(why(icc_anova({}, {})), Shortfall::no_observations);
  EXPECT_EQ(why(icc_anova(y, short_ids)), Shortfall::invalid_input);
  EXPECT_EQ(why(icc_anova(y, one)), Shortfall::too_few_clusters);
  EXPECT_EQ(why(icc_anova(y, singles)), Shortfall::too_few_observations);
  const std::vector<double> flat{2, 2, 2, 2};
  EXPECT_EQ(why(icc_anova(flat, pairs)), Shortfall::zero_variance);
  // Perfectly alike within villages, different between them: ICC 1.
  const std::vector<double> alike{1, 1, 4, 4};
  EXPECT_NEAR(icc_anova(alike, pairs)->icc, 1, 1e-12);
}

TEST(Statistics, SampleSizeArguments) {
  EXPECT_EQ(why(cochran_proportion(1.2, 0.05)), Shortfall::invalid_input);
  EXPECT_EQ(why(cochran_proportion(0.5, 0)), Shortfall::invalid_input);
  EXPECT_EQ(why(cochran_proportion(0.5, 0.05, 0.95, 0)), Shortfall::invalid_input);
  EXPECT_EQ(why(cochran_mean(-1, 2)), Shortfall::invalid_input);
  EXPECT_EQ(why(design_effect(0.5, 0.1)), Shortfall::invalid_input);
  EXPECT_EQ(why(design_effect(10, 1.5)), Shortfall::invalid_input);
  EXPECT_EQ(why(inflate_sample(100, 1.5, 0)), Shortfall::invalid_input);
  EXPECT_EQ(why(n_two_proportions(0.3, 0.3)), Shortfall::invalid_input);
  EXPECT_EQ(why(n_two_proportions(0, 0.3)), Shortfall::invalid_input);
  EXPECT_EQ(why(n_two_means(0, 1)), Shortfall::invalid_input);
  EXPECT_EQ(why(n_two_means(1, 0)), Shortfall::invalid_input);
  // A whole population smaller than the uncorrected size: the correction keeps n ≤ N.
  const auto small = cochran_proportion(0.5, 0.05, 0.95, 120);
  ASSERT_TRUE(small);
  EXPECT_LE(small->n, 120u);
  // A huge effect needs the minimum two per group, not fewer.
  EXPECT_EQ(n_two_means(50, 1)->n, 2u);
  // Sizes beyond any population are refused rather than overflowing the whole number.
  EXPECT_EQ(why(cochran_proportion(0.5, 1e-12)), Shortfall::invalid_input);
  EXPECT_EQ(why(n_two_means(1e-9, 1)), Shortfall::invalid_input);
  EXPECT_EQ(why(n_two_proportions(0.5, 0.5 + 1e-12)), Shortfall::invalid_input);
  // Exact whole results are not rounded up by floating noise.
  EXPECT_EQ(inflate_sample(100, 1, 1)->n, 100u);
}

}  // namespace
}  // namespace gotong::analytics::stats
